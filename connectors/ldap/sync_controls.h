// The values of RFC 4533 (LDAP content synchronisation) as plain data: the Sync Request
// control a refreshOnly search sends, and the Sync State control (on each entry), the
// syncInfo intermediate message and the Sync Done control (on the result) it gets back.
// Pure encoding and decoding of their BER values, so they are tested without a server.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "connectors/ldap/search_request.h"
#include "core/error.h"

namespace rosterd::ldap {

inline constexpr const char* kSyncRequestOid = "1.3.6.1.4.1.4203.1.9.1.1";
inline constexpr const char* kSyncStateOid = "1.3.6.1.4.1.4203.1.9.1.2";
inline constexpr const char* kSyncDoneOid = "1.3.6.1.4.1.4203.1.9.1.3";
inline constexpr const char* kSyncInfoOid = "1.3.6.1.4.1.4203.1.9.1.4";
// The result code of a search whose cookie the server can no longer serve from (RFC 4533
// e-syncRefreshRequired): the client must read everything again.
inline constexpr int kSyncRefreshRequired = 4096;

// The Sync Request control of a refreshOnly search; without a cookie the server sends
// the whole content.
Control sync_request_control(const std::optional<std::string>& cookie);

struct SyncState {
  enum class Kind { Present = 0, Add = 1, Modify = 2, Delete = 3 };
  Kind kind = Kind::Present;
  std::string uuid;  // the entryUUID in its text form (8-4-4-4-12, lower case)
  std::optional<std::string> cookie;
};
Result<SyncState> decode_sync_state(const std::string& ber);

struct SyncInfo {
  enum class Kind { NewCookie, RefreshDelete, RefreshPresent, IdSet };
  Kind kind = Kind::NewCookie;
  std::optional<std::string> cookie;
  bool refresh_done = true;        // RefreshDelete / RefreshPresent
  bool refresh_deletes = false;    // IdSet: true = the uuids are deleted, false = present
  std::vector<std::string> uuids;  // IdSet, text form
};
Result<SyncInfo> decode_sync_info(const std::string& ber);

struct SyncDone {
  std::optional<std::string> cookie;
  // false: a present phase — every entry the search did not name (as changed or present)
  // is gone; true: a delete phase — only the entries named as deleted are.
  bool refresh_deletes = false;
};
Result<SyncDone> decode_sync_done(const std::string& ber);

// 16 bytes (RFC 4122 order) -> "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"; empty for another size.
std::string uuid_text(const std::string& bytes);

}  // namespace rosterd::ldap
