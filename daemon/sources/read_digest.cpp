#include "daemon/sources/read_digest.h"

#include <openssl/evp.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string_view>

namespace rosterd {
namespace {

struct ContextFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

// Every value goes in with its length first, so that no two different reads can give the
// same stream of bytes ("ab" + "c" and "a" + "bc" differ).
class Digest {
 public:
  Digest() : ctx_(EVP_MD_CTX_new()) {
    if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) != 1)
      throw std::runtime_error("OpenSSL cannot make a SHA-256 context");
  }
  // Gathered into pieces of 64 KiB: a read has millions of small values, and each update
  // of the digest has a cost of its own.
  void number(std::uint64_t n) { append(&n, sizeof n); }
  void text(std::string_view s) {
    number(s.size());
    append(s.data(), s.size());
  }
  void record(const ResourceRecord& r) {
    number(r.type == ResourceType::User ? 1 : 2);
    text(r.id);
    number(r.external_id ? 1 : 0);
    if (r.external_id) text(*r.external_id);
    text(r.user_name);
    text(r.display_name);
    number(r.emails.size());
    for (const std::string& e : r.emails) text(e);
    number(r.active ? 1 : 0);
    text(r.attributes);
  }
  std::string hex() {
    flush();
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_DigestFinal_ex(ctx_.get(), digest, &size);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out = "sha256:";
    for (unsigned int i = 0; i < size; ++i) {
      out += kHex[digest[i] >> 4];
      out += kHex[digest[i] & 0xF];
    }
    return out;
  }

 private:
  static constexpr std::size_t kPiece = 64 * 1024;

  void append(const void* data, std::size_t size) {
    pending_.append(static_cast<const char*>(data), size);
    if (pending_.size() >= kPiece) flush();
  }
  void flush() {
    EVP_DigestUpdate(ctx_.get(), pending_.data(), pending_.size());
    pending_.clear();
  }

  std::unique_ptr<EVP_MD_CTX, ContextFree> ctx_;
  std::string pending_;
};

}  // namespace

ReadDigest ReadDigest::parse(std::string_view text) {
  const auto space = text.find(' ');
  if (space == std::string_view::npos || text.find(' ', space + 1) != std::string_view::npos) return {};
  ReadDigest out{std::string(text.substr(0, space)), std::string(text.substr(space + 1))};
  if (out.records.rfind("sha256:", 0) != 0 || out.memberships.rfind("sha256:", 0) != 0) return {};
  return out;
}

std::string records_digest(const SourceContents& contents, const std::vector<std::string>& kept) {
  Digest d;
  d.number(contents.users.size());
  for (const ResourceRecord& r : contents.users) d.record(r);
  d.number(contents.groups.size());
  for (const ResourceRecord& r : contents.groups) d.record(r);
  d.number(kept.size());
  for (const std::string& k : kept) d.text(k);
  return d.hex();
}

std::string memberships_digest(const std::vector<Membership>& memberships) {
  Digest d;
  d.number(memberships.size());
  for (const Membership& m : memberships) {
    d.text(m.group_id);
    d.text(m.member_id);
    d.number(m.member_type == ResourceType::User ? 1 : 2);
  }
  return d.hex();
}

}  // namespace rosterd
