// Bearer-token authentication of SCIM sources (RFC 6750). The configuration holds only
// SHA-256 digests of the tokens ("sha256:<64 hex>"); a presented token is hashed and
// compared with every digest of every source in constant time, so neither the timing
// nor the order of sources tells an attacker how close a guess was.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace rosterd::scim {

using TokenDigest = std::array<std::uint8_t, 32>;

// A SCIM source as the server needs it: who it is, the space its identities belong to,
// and the digests of its tokens.
struct ScimSource {
  std::string id;
  std::string space;
  std::vector<std::string> tokens;  // "sha256:<hex>", as in the configuration
};

TokenDigest sha256(std::string_view data);
std::string to_hex(const TokenDigest& digest);
// "sha256:<64 hex digits>" (any case) -> digest; ErrorCode::Config otherwise.
Result<TokenDigest> parse_token_digest(std::string_view text);

class BearerAuth {
 public:
  // ErrorCode::Config for a malformed digest or one shared by two sources.
  static Result<BearerAuth> create(const std::vector<ScimSource>& sources);

  // The index of the source whose token the Authorization header carries
  // ("Bearer <token>", scheme in any case), or -1.
  int authenticate(std::string_view authorization) const;

 private:
  struct Entry {
    TokenDigest digest;
    int source;
  };
  std::vector<Entry> entries_;
};

}  // namespace rosterd::scim
