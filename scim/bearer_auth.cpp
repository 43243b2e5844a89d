#include "scim/bearer_auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "scim/ascii_case.h"

namespace rosterd::scim {

TokenDigest sha256(std::string_view data) {
  TokenDigest out{};
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), out.data(), &length, EVP_sha256(), nullptr);
  return out;
}

std::string to_hex(const TokenDigest& digest) {
  constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const std::uint8_t b : digest) {
    out += kHex[b >> 4];
    out += kHex[b & 0xf];
  }
  return out;
}

Result<TokenDigest> parse_token_digest(std::string_view text) {
  constexpr std::string_view kPrefix = "sha256:";
  if (text.size() != kPrefix.size() + 64 || !equals_ignoring_case(text.substr(0, kPrefix.size()), kPrefix))
    return fail(ErrorCode::Config, "a token must be given as \"sha256:\" and 64 hexadecimal digits");
  TokenDigest out{};
  for (std::size_t i = 0; i < out.size(); ++i) {
    int byte = 0;
    for (const char c : text.substr(kPrefix.size() + 2 * i, 2)) {
      const char f = ascii_fold(c);
      const int v = f >= '0' && f <= '9' ? f - '0' : f >= 'a' && f <= 'f' ? f - 'a' + 10 : -1;
      if (v < 0) return fail(ErrorCode::Config, "a token digest has a character that is not hexadecimal");
      byte = byte * 16 + v;
    }
    out[i] = static_cast<std::uint8_t>(byte);
  }
  return out;
}

Result<BearerAuth> BearerAuth::create(const std::vector<ScimSource>& sources) {
  BearerAuth auth;
  for (std::size_t s = 0; s < sources.size(); ++s) {
    for (const std::string& token : sources[s].tokens) {
      auto digest = parse_token_digest(token);
      if (!digest)
        return fail(ErrorCode::Config, "source '" + sources[s].id + "': " + digest.error().message);
      for (const Entry& e : auth.entries_)
        if (e.digest == *digest && e.source != static_cast<int>(s))
          return fail(ErrorCode::Config, "sources '" + sources[static_cast<std::size_t>(e.source)].id +
                                             "' and '" + sources[s].id + "' share a token");
      auth.entries_.push_back(Entry{*digest, static_cast<int>(s)});
    }
  }
  return auth;
}

int BearerAuth::authenticate(std::string_view authorization) const {
  constexpr std::string_view kScheme = "bearer ";
  if (authorization.size() <= kScheme.size() || !equals_ignoring_case(authorization.substr(0, kScheme.size()), kScheme))
    return -1;
  std::string_view token = authorization.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  if (token.empty()) return -1;
  const TokenDigest presented = sha256(token);
  int found = -1;
  // Every entry is compared, whatever matched earlier.
  for (const Entry& e : entries_) {
    const bool same = CRYPTO_memcmp(e.digest.data(), presented.data(), presented.size()) == 0;
    found = same ? e.source : found;
  }
  return found;
}

}  // namespace rosterd::scim
