// UTF-8 validation as RFC 3629 defines it: what the connector accepts in a directory value.
#include <gtest/gtest.h>

#include <string>

#include "connectors/ldap/utf8.h"

namespace rosterd::ldap {
namespace {

using namespace std::string_literals;

TEST(Utf8, AcceptsAsciiAndEveryLengthOfSequence) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain"));
  EXPECT_TRUE(is_valid_utf8("é"));        // 2 bytes
  EXPECT_TRUE(is_valid_utf8("€"));        // 3 bytes
  EXPECT_TRUE(is_valid_utf8("😀"));       // 4 bytes
  EXPECT_TRUE(is_valid_utf8("\xf4\x8f\xbf\xbf"));  // U+10FFFF, the last code point
  EXPECT_TRUE(is_valid_utf8("nul\0inside"s));      // NUL is a valid character
}

TEST(Utf8, RejectsMalformedSequences) {
  EXPECT_FALSE(is_valid_utf8("\x80"));              // continuation byte alone
  EXPECT_FALSE(is_valid_utf8("\xc3"));              // truncated
  EXPECT_FALSE(is_valid_utf8("\xe2\x82"));          // truncated
  EXPECT_FALSE(is_valid_utf8("\xc3\x28"));          // bad continuation
  EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));          // overlong
  EXPECT_FALSE(is_valid_utf8("\xe0\x80\xaf"));      // overlong
  EXPECT_FALSE(is_valid_utf8("\xf0\x80\x80\xaf"));  // overlong
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));      // surrogate U+D800
  EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xff"));
  EXPECT_FALSE(is_valid_utf8("latin-1 caf\xe9"));   // ISO-8859-1 'é'
}

TEST(Utf8, SequenceLengthIsZeroForAnythingMalformed) {
  EXPECT_EQ(utf8_sequence_length("a"), 1u);
  EXPECT_EQ(utf8_sequence_length("éa"), 2u);
  EXPECT_EQ(utf8_sequence_length("😀"), 4u);
  EXPECT_EQ(utf8_sequence_length(""), 0u);
  EXPECT_EQ(utf8_sequence_length("\xe2\x82"), 0u);
}

TEST(Utf8, QuotedValueNeverCopiesInvalidBytesIntoAMessage) {
  EXPECT_EQ(quoted_value("abc"), "'abc'");
  EXPECT_EQ(quoted_value("caf\xe9"), "(4 bytes, not UTF-8)");
  EXPECT_EQ(quoted_value(std::string(100, 'x')), "(100 bytes)");
}

}  // namespace
}  // namespace rosterd::ldap
