// RFC 4533 values: the Sync Request control sent, and the Sync State, syncInfo and Sync
// Done values decoded — from bytes built by hand (DER) and from values slapd sent.
#include <gtest/gtest.h>

#include <string>

#include "connectors/ldap/sync_controls.h"

namespace rosterd::ldap {
namespace {

// DER: tag, short length, content (every test value is under 128 bytes).
std::string tlv(unsigned char tag, const std::string& content) {
  return std::string(1, static_cast<char>(tag)) + std::string(1, static_cast<char>(content.size())) + content;
}
std::string octets(const std::string& s) { return tlv(0x04, s); }
std::string boolean(bool b) { return tlv(0x01, std::string(1, b ? '\xff' : '\0')); }
std::string sequence(const std::string& s) { return tlv(0x30, s); }

const std::string kUuidBytes("\x66\xf2\x1b\x7e\x7b\xfa\x10\x41\x80\x5b\x81\x07\xe5\x30\x19\x2a", 16);
const std::string kUuid = "66f21b7e-7bfa-1041-805b-8107e530192a";

TEST(SyncControls, TheRequestIsRefreshOnlyWithTheCookieAndCritical) {
  const Control c = sync_request_control(std::string("rid=000,csn=1"));
  EXPECT_EQ(c.oid, kSyncRequestOid);
  EXPECT_TRUE(c.critical);
  ASSERT_TRUE(c.value.has_value());
  EXPECT_EQ(*c.value, sequence(tlv(0x0a, "\x01") + octets("rid=000,csn=1")));
  EXPECT_EQ(*sync_request_control(std::nullopt).value, sequence(tlv(0x0a, "\x01")));
}

TEST(SyncControls, AStateNamesTheEntryByItsUuidAndMayCarryACookie) {
  // As slapd sent it for an added entry.
  const std::string from_slapd("\x30\x15\x0a\x01\x01\x04\x10", 7);
  auto s = decode_sync_state(from_slapd + kUuidBytes);
  ASSERT_TRUE(s.has_value()) << s.error().message;
  EXPECT_EQ(s->kind, SyncState::Kind::Add);
  EXPECT_EQ(s->uuid, kUuid);
  EXPECT_FALSE(s->cookie.has_value());
  auto deleted = decode_sync_state(sequence(tlv(0x0a, "\x03") + octets(kUuidBytes) + octets("c2")));
  ASSERT_TRUE(deleted.has_value());
  EXPECT_EQ(deleted->kind, SyncState::Kind::Delete);
  EXPECT_EQ(deleted->cookie, "c2");
}

TEST(SyncControls, MalformedValuesAreErrorsNotCrashes) {
  EXPECT_FALSE(decode_sync_state("").has_value());
  EXPECT_FALSE(decode_sync_state(sequence(tlv(0x0a, "\x07") + octets(kUuidBytes))).has_value());  // no such state
  EXPECT_FALSE(decode_sync_state(sequence(tlv(0x0a, "\x01") + octets("short"))).has_value());     // not 16 bytes
  EXPECT_FALSE(decode_sync_info(tlv(0x05, "")).has_value());
  EXPECT_FALSE(decode_sync_done("\x30").has_value());
}

TEST(SyncControls, AnIdSetListsDeletedOrPresentEntries) {
  const std::string uuids = tlv(0x31, octets(kUuidBytes) + octets(std::string(16, '\x01')));
  auto deleted = decode_sync_info(tlv(0xa3, octets("c3") + boolean(true) + uuids));
  ASSERT_TRUE(deleted.has_value()) << deleted.error().message;
  EXPECT_EQ(deleted->kind, SyncInfo::Kind::IdSet);
  EXPECT_TRUE(deleted->refresh_deletes);
  EXPECT_EQ(deleted->cookie, "c3");
  ASSERT_EQ(deleted->uuids.size(), 2u);
  EXPECT_EQ(deleted->uuids[0], kUuid);
  EXPECT_EQ(deleted->uuids[1], "01010101-0101-0101-0101-010101010101");
  auto present = decode_sync_info(tlv(0xa3, uuids));  // refreshDeletes defaults to FALSE
  ASSERT_TRUE(present.has_value());
  EXPECT_FALSE(present->refresh_deletes);
  EXPECT_FALSE(present->cookie.has_value());
}

TEST(SyncControls, NewCookieAndRefreshMessages) {
  auto cookie = decode_sync_info(tlv(0x80, "c4"));
  ASSERT_TRUE(cookie.has_value());
  EXPECT_EQ(cookie->kind, SyncInfo::Kind::NewCookie);
  EXPECT_EQ(cookie->cookie, "c4");
  auto present = decode_sync_info(tlv(0xa2, octets("c5") + boolean(false)));
  ASSERT_TRUE(present.has_value());
  EXPECT_EQ(present->kind, SyncInfo::Kind::RefreshPresent);
  EXPECT_FALSE(present->refresh_done);
  EXPECT_EQ(present->cookie, "c5");
}

TEST(SyncControls, DoneSaysWhichPhaseEnded) {
  // slapd with nothing new since the cookie: SEQUENCE { refreshDeletes TRUE }.
  auto nothing_new = decode_sync_done(std::string("\x30\x03\x01\x01\xff", 5));
  ASSERT_TRUE(nothing_new.has_value());
  EXPECT_TRUE(nothing_new->refresh_deletes);
  EXPECT_FALSE(nothing_new->cookie.has_value());
  auto present_phase = decode_sync_done(sequence(octets("rid=000,csn=2")));  // default FALSE
  ASSERT_TRUE(present_phase.has_value());
  EXPECT_FALSE(present_phase->refresh_deletes);
  EXPECT_EQ(present_phase->cookie, "rid=000,csn=2");
}

}  // namespace
}  // namespace rosterd::ldap
