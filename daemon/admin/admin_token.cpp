#include "daemon/admin/admin_token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <array>
#include <fstream>
#include <string_view>

namespace rosterd::admin {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (scim::lower(s[i]) != scim::lower(prefix[i])) return false;
  return true;
}

std::array<unsigned char, SHA256_DIGEST_LENGTH> digest(std::string_view s) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> out{};
  SHA256(reinterpret_cast<const unsigned char*>(s.data()), s.size(), out.data());
  return out;
}

// Equal-length digests compared with CRYPTO_memcmp: the time depends on neither the
// token's length nor where the first difference is.
bool same_token(std::string_view presented, const std::string& token) {
  const auto a = digest(presented);
  const auto b = digest(token);
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string base64_decode(std::string_view in) {
  std::string out((in.size() / 4 + 1) * 3, '\0');
  if (in.size() % 4 != 0) return {};
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(in.data()), static_cast<int>(in.size()));
  if (n < 0) return {};
  std::size_t size = static_cast<std::size_t>(n);
  // EVP_DecodeBlock counts the padding as data.
  if (!in.empty() && in.back() == '=') --size;
  if (in.size() > 1 && in[in.size() - 2] == '=') --size;
  out.resize(size);
  return out;
}

}  // namespace

Result<std::string> read_admin_token(const std::string& file) {
  std::ifstream in(file);
  if (!in) return fail(ErrorCode::Config, "admin_token_file " + file + ": cannot be read");
  std::string line;
  std::getline(in, line);
  const std::string token(trim(line));
  if (token.empty()) return fail(ErrorCode::Config, "admin_token_file " + file + ": holds no token");
  return token;
}

bool has_admin_token(const scim::HttpRequest& request, const std::string& token) {
  if (token.empty()) return false;
  const std::string_view value = trim(request.header("Authorization"));
  if (starts_with_nocase(value, "Bearer ")) return same_token(trim(value.substr(7)), token);
  if (starts_with_nocase(value, "Basic ")) {
    const std::string pair = base64_decode(trim(value.substr(6)));
    const auto colon = pair.find(':');
    if (colon == std::string::npos) return false;
    return same_token(std::string_view(pair).substr(colon + 1), token);
  }
  return false;
}

}  // namespace rosterd::admin
