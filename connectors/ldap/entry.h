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
struct berelement;
struct berval;

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
  ~Entry() override;
  Entry(const Entry&) = delete;
  Entry& operator=(const Entry&) = delete;

  std::string dn() const override;
  std::vector<std::string> values(const std::string& attribute) const override;
  std::vector<std::string> attribute_names() const override;
  // The first value, or nullopt when the attribute is absent.
  std::optional<std::string> first(const std::string& attribute) const;
  bool has(const std::string& attribute) const;
  // Controls attached to this entry (RFC 4533's sync state control travels this way).
  std::vector<Control> controls() const;

 private:
  // The entry's attributes, read in one pass on first use: libldap's per-attribute lookup
  // scans the entry from its start each time, which at ten attributes and 100,000 entries
  // was most of a full read's own CPU. Names and values point into the message.
  struct Attribute {
    std::string_view name;
    std::vector<std::string_view> values;
  };
  const std::vector<Attribute>* attributes() const;

  ::ldap* handle_;
  ::ldapmsg* message_;
  mutable bool parsed_ = false;
  mutable bool parse_failed_ = false;
  mutable std::string_view dn_;
  mutable std::vector<Attribute> attributes_;
  mutable std::vector<::berval*> value_arrays_;  // the BerVarrays behind the values
  mutable ::berelement* ber_ = nullptr;          // the BerElement the names point into
};

}  // namespace rosterd::ldap
