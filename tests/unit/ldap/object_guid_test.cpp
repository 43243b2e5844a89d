// objectGUID: 16 bytes in Microsoft's mixed-endian layout -> the canonical lower-case text.
#include <gtest/gtest.h>

#include <string>

#include "connectors/ldap/object_guid.h"

namespace rosterd::ldap {
namespace {

std::string bytes(std::initializer_list<unsigned char> list) { return std::string(list.begin(), list.end()); }

TEST(GuidToString, ReversesTheFirstThreeFieldsAndKeepsTheLastTwo) {
  // What .NET's new Guid("35918bc9-196d-40ea-9779-889d79b753f0").ToByteArray() gives,
  // which is also how AD stores objectGUID.
  EXPECT_EQ(guid_to_string(bytes({0xc9, 0x8b, 0x91, 0x35, 0x6d, 0x19, 0xea, 0x40, 0x97, 0x79, 0x88, 0x9d,
                                  0x79, 0xb7, 0x53, 0xf0})),
            "35918bc9-196d-40ea-9779-889d79b753f0");
  EXPECT_EQ(guid_to_string(bytes({0x67, 0x45, 0x23, 0x01, 0xab, 0x89, 0xef, 0xcd, 0x01, 0x23, 0x45, 0x67,
                                  0x89, 0xab, 0xcd, 0xef})),
            "01234567-89ab-cdef-0123-456789abcdef");
}

TEST(GuidToString, KeepsNulBytesAndPrintsLowerCase) {
  EXPECT_EQ(guid_to_string(std::string(16, '\0')), "00000000-0000-0000-0000-000000000000");
  EXPECT_EQ(guid_to_string(std::string(16, '\xAB')), "abababab-abab-abab-abab-abababababab");
}

TEST(GuidToString, RefusesAnythingButSixteenBytes) {
  EXPECT_EQ(guid_to_string(""), std::nullopt);
  EXPECT_EQ(guid_to_string(std::string(15, 'a')), std::nullopt);
  EXPECT_EQ(guid_to_string(std::string(17, 'a')), std::nullopt);
  // Already text: a server or a test that stores the GUID as a string is not a GUID.
  EXPECT_EQ(guid_to_string("35918bc9-196d-40ea-9779-889d79b753f0"), std::nullopt);
}

}  // namespace
}  // namespace rosterd::ldap
