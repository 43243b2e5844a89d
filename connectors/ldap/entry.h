// One search result entry while its message is alive: read inside the callback that
// receives it, copied out by whoever keeps something. Values are bytes (binary safe:
// objectGUID, certificates); attribute names are matched as the server and libldap do,
// ignoring case. EntryView is what the entry readers need, so tests can hand them
// entries without a server.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/ldap/search_request.h"

struct ldap;
struct ldapmsg;

namespace rosterd::ldap {

class EntryView {
 public:
  virtual ~EntryView() = default;
  // The DN as the server sent it; "" if it cannot be read.
  virtual std::string dn() const = 0;
  // Every value of `attribute` (none if absent), in the server's order.
  virtual std::vector<std::string> values(const std::string& attribute) const = 0;
  // The attribute descriptions as sent, options included ("member;range=0-1499").
  virtual std::vector<std::string> attribute_names() const = 0;
};

class Entry final : public EntryView {
 public:
  Entry(::ldap* handle, ::ldapmsg* message) : handle_(handle), message_(message) {}

  std::string dn() const override;
  std::vector<std::string> values(const std::string& attribute) const override;
  std::vector<std::string> attribute_names() const override;
  // The first value, or nullopt when the attribute is absent.
  std::optional<std::string> first(const std::string& attribute) const;
  bool has(const std::string& attribute) const;
  // Controls attached to this entry (RFC 4533's sync state control travels this way).
  std::vector<Control> controls() const;

 private:
  ::ldap* handle_;
  ::ldapmsg* message_;
};

}  // namespace rosterd::ldap
