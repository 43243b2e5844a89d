// The request signature: HMAC-SHA256 against fixed vectors (RFC 4231) and against a value
// computed independently with
//   printf '%s' '1700000000.{"id":"e1","type":"account.created"}' |
//     openssl dgst -sha256 -hmac whsec_test_secret
#include <gtest/gtest.h>

#include "connectors/webhook/signature.h"
#include "connectors/webhook/webhook_secret.h"
#include "tests/support/temp_dir.h"

#include <filesystem>
#include <fstream>

namespace rosterd::webhook {
namespace {

TEST(Signature, MatchesRfc4231TestCase1) {
  EXPECT_EQ(hmac_sha256_hex(std::string(20, '\x0b'), "Hi There"),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

TEST(Signature, MatchesRfc4231TestCase2) {
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Signature, MatchesRfc4231TestCase6WithAKeyLongerThanABlock) {
  EXPECT_EQ(hmac_sha256_hex(std::string(131, '\xaa'),
                            "Test Using Larger Than Block-Size Key - Hash Key First"),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(Signature, HeaderSignsTheTimestampDotBodyAsOpensslComputesIt) {
  const WebhookSecret secret("whsec_test_secret");
  EXPECT_EQ(signature_header(secret, 1700000000, R"({"id":"e1","type":"account.created"})"),
            "t=1700000000,v1=b19490b21d6a16549cd127837ee62f5b5f046d2a922d99644ed80496c45277ba");
}

TEST(Signature, ADifferentTimestampOrBodyGivesADifferentSignature) {
  const WebhookSecret secret("k");
  const auto base = signature_header(secret, 1, "{}");
  EXPECT_NE(base.substr(base.find("v1=")), signature_header(secret, 2, "{}").substr(base.find("v1=")));
  EXPECT_NE(base, signature_header(secret, 1, "{} "));
  EXPECT_NE(base, signature_header(WebhookSecret("k2"), 1, "{}"));
}

TEST(WebhookSecretFile, ReadsTheFirstLineWithoutItsLineEnding) {
  testing::TempDir dir;
  std::ofstream(dir.file("s")) << "abc123\r\nignored\n";
  const auto secret = read_webhook_secret(dir.file("s"));
  ASSERT_TRUE(secret.has_value()) << secret.error().message;
  EXPECT_EQ(secret->reveal(), "abc123");
}

TEST(WebhookSecretFile, AMissingFileIsAConfigErrorNamingTheFile) {
  testing::TempDir dir;
  const auto secret = read_webhook_secret(dir.file("nope"));
  ASSERT_FALSE(secret.has_value());
  EXPECT_EQ(secret.error().code, ErrorCode::Config);
  EXPECT_NE(secret.error().message.find(dir.file("nope")), std::string::npos) << secret.error().message;
}

TEST(WebhookSecretFile, AnEmptyFileIsRefusedAndTheContentNeverShows) {
  testing::TempDir dir;
  std::ofstream(dir.file("empty")) << "\n";
  const auto empty = read_webhook_secret(dir.file("empty"));
  ASSERT_FALSE(empty.has_value());
  EXPECT_NE(empty.error().message.find("is empty"), std::string::npos);
  // A folder cannot be read as a file: the error names it and says nothing else.
  const auto folder = read_webhook_secret(dir.path().string());
  ASSERT_FALSE(folder.has_value());
  EXPECT_NE(folder.error().message.find(dir.path().string()), std::string::npos);
}

}  // namespace
}  // namespace rosterd::webhook
