#include "connectors/ldap/sync_controls.h"

#include <lber.h>
#include <ldap.h>

namespace rosterd::ldap {
namespace {

// A BerElement over a copy of `ber`'s bytes (ber_init copies), freed with it.
class Reader {
 public:
  explicit Reader(const std::string& ber) {
    if (ber.empty()) return;  // libldap does not expect an empty value
    berval value{static_cast<ber_len_t>(ber.size()), const_cast<char*>(ber.data())};
    element_ = ber_init(&value);
  }
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;
  ~Reader() {
    if (element_) ber_free(element_, 1);
  }
  bool ok() const { return element_ != nullptr; }
  BerElement* get() { return element_; }
  ber_tag_t peek() {
    ber_len_t length = 0;
    return element_ ? ber_peek_tag(element_, &length) : LBER_DEFAULT;
  }

 private:
  BerElement* element_ = nullptr;
};

Error bad(const char* what) { return Error{ErrorCode::InvalidValue, std::string("malformed ") + what, {}}; }

std::optional<std::string> optional_cookie(Reader& r) {
  if (r.peek() != LDAP_TAG_SYNC_COOKIE) return std::nullopt;
  berval cookie{};
  if (ber_scanf(r.get(), "m", &cookie) == LBER_ERROR) return std::nullopt;
  return std::string(cookie.bv_val, cookie.bv_len);
}

std::optional<bool> optional_boolean(Reader& r, ber_tag_t tag) {
  if (r.peek() != tag) return std::nullopt;
  ber_int_t value = 0;
  if (ber_scanf(r.get(), "b", &value) == LBER_ERROR) return std::nullopt;
  return value != 0;
}

}  // namespace

std::string uuid_text(const std::string& bytes) {
  if (bytes.size() != 16) return {};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    const auto b = static_cast<unsigned char>(bytes[i]);
    out += kHex[b >> 4];
    out += kHex[b & 0xf];
  }
  return out;
}

Control sync_request_control(const std::optional<std::string>& cookie) {
  BerElement* ber = ber_alloc_t(LBER_USE_DER);
  ber_printf(ber, "{e", static_cast<ber_int_t>(LDAP_SYNC_REFRESH_ONLY));
  if (cookie) {
    berval value{static_cast<ber_len_t>(cookie->size()), const_cast<char*>(cookie->data())};
    ber_printf(ber, "O", &value);
  }
  ber_printf(ber, "N}");
  berval out{};
  ber_flatten2(ber, &out, 0);
  Control control{kSyncRequestOid, std::string(out.bv_val, out.bv_len), true};
  ber_free(ber, 1);
  return control;
}

Result<SyncState> decode_sync_state(const std::string& ber) {
  Reader r(ber);
  ber_int_t state = 0;
  berval uuid{};
  if (!r.ok() || ber_scanf(r.get(), "{em", &state, &uuid) == LBER_ERROR) return tl::unexpected(bad("Sync State control"));
  if (state < LDAP_SYNC_PRESENT || state > LDAP_SYNC_DELETE) return tl::unexpected(bad("Sync State control (state)"));
  SyncState out;
  out.kind = static_cast<SyncState::Kind>(state);
  out.uuid = uuid_text(std::string(uuid.bv_val, uuid.bv_len));
  if (out.uuid.empty()) return tl::unexpected(bad("Sync State control (entryUUID)"));
  out.cookie = optional_cookie(r);
  return out;
}

Result<SyncInfo> decode_sync_info(const std::string& ber) {
  Reader r(ber);
  SyncInfo out;
  if (!r.ok()) return tl::unexpected(bad("syncInfo message"));
  switch (r.peek()) {
    case LDAP_TAG_SYNC_NEW_COOKIE: {
      berval cookie{};
      if (ber_scanf(r.get(), "m", &cookie) == LBER_ERROR) return tl::unexpected(bad("syncInfo newcookie"));
      out.kind = SyncInfo::Kind::NewCookie;
      out.cookie = std::string(cookie.bv_val, cookie.bv_len);
      return out;
    }
    case LDAP_TAG_SYNC_REFRESH_DELETE:
    case LDAP_TAG_SYNC_REFRESH_PRESENT: {
      out.kind = r.peek() == LDAP_TAG_SYNC_REFRESH_DELETE ? SyncInfo::Kind::RefreshDelete
                                                          : SyncInfo::Kind::RefreshPresent;
      if (ber_scanf(r.get(), "{") == LBER_ERROR) return tl::unexpected(bad("syncInfo refresh"));
      out.cookie = optional_cookie(r);
      out.refresh_done = optional_boolean(r, LDAP_TAG_REFRESHDONE).value_or(true);
      return out;
    }
    case LDAP_TAG_SYNC_ID_SET: {
      out.kind = SyncInfo::Kind::IdSet;
      if (ber_scanf(r.get(), "{") == LBER_ERROR) return tl::unexpected(bad("syncInfo syncIdSet"));
      out.cookie = optional_cookie(r);
      out.refresh_deletes = optional_boolean(r, LDAP_TAG_REFRESHDELETES).value_or(false);
      BerVarray uuids = nullptr;
      if (ber_scanf(r.get(), "[W]", &uuids) == LBER_ERROR) return tl::unexpected(bad("syncInfo syncUUIDs"));
      for (BerVarray v = uuids; v && v->bv_val; ++v) {
        std::string text = uuid_text(std::string(v->bv_val, v->bv_len));
        if (text.empty()) {
          ber_bvarray_free(uuids);
          return tl::unexpected(bad("syncInfo syncUUIDs (entryUUID)"));
        }
        out.uuids.push_back(std::move(text));
      }
      ber_bvarray_free(uuids);
      return out;
    }
    default:
      return tl::unexpected(bad("syncInfo message"));
  }
}

Result<SyncDone> decode_sync_done(const std::string& ber) {
  Reader r(ber);
  if (!r.ok() || ber_scanf(r.get(), "{") == LBER_ERROR) return tl::unexpected(bad("Sync Done control"));
  SyncDone out;
  out.cookie = optional_cookie(r);
  out.refresh_deletes = optional_boolean(r, LDAP_TAG_REFRESHDELETES).value_or(false);
  return out;
}

}  // namespace rosterd::ldap
