// What the rules read of one identity: the values of the attributes the rules (and the
// account profile) name, found case-insensitively in the stored SCIM JSON and in the
// DirectoryPerson's own fields. Only registered names are kept, so an identity costs a
// few short strings, not a copy of its JSON.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "mapping/directory.h"
#include "mapping/string_hash.h"

namespace rosterd {

// The attribute names of a rule set, each given a slot. Names compare in ASCII lower case.
// What a name reaches:
//   "title", "userName", "name.givenName"           core attributes and their sub-attributes
//   "emails"                                        every email (the person's `emails`)
//   "emails.type"                                   every value of a sub-attribute
//   "urn:...:enterprise:2.0:User:department"        an extension attribute by its full path
//   "department", "manager" (= manager.value)       the same by bare name, unless the bare
//                                                   name is a core attribute
//   "email"                                         the primary email only
class AttributeNames {
 public:
  AttributeNames();
  int add(std::string_view name);                // the slot of `name`, registered if new
  int find(std::string_view lower_name) const;   // -1 if not registered
  // The slot of `lower_name`; kBelow if only names below it ("name" for "name.givenname")
  // are registered; kUnwanted if neither: the reader skips that part of the JSON.
  static constexpr int kBelow = -1, kUnwanted = -2;
  int lookup(std::string_view lower_name) const;
  std::size_t size() const { return names_.size(); }
  const std::string& name(int slot) const { return names_[static_cast<std::size_t>(slot)]; }
  bool is_core(std::string_view lower_name) const { return core_.contains(lower_name); }

 private:
  std::unordered_map<std::string, int, StringHash, std::equal_to<>> slots_;  // and kBelow
  std::vector<std::string> names_;
  std::unordered_set<std::string, StringHash, std::equal_to<>> core_;
};

// The values of one identity, slot by slot, in document order, each with the index of
// the element of the multi-valued attribute it came from (-1 outside one), so that
// "phoneNumbers.value" and "phoneNumbers.type" can be paired. Reused from identity to
// identity: reset() keeps the strings (and their buffers) for the next one.
class IdentityValues {
 public:
  void reset(std::size_t slots);
  void add(int slot, std::string_view value, int element = -1);
  std::span<const std::string> values(int slot) const;
  std::span<const int> elements(int slot) const;
  // The first non-empty value, or empty.
  std::string_view first(int slot) const;

 private:
  struct Slot {
    std::vector<std::string> values;
    std::vector<int> elements;
    std::size_t size = 0;  // values in use
  };
  std::vector<Slot> slots_;
};

// The account profile of an identity (DESIGN.md section 1), read in the same pass.
struct Profile {
  std::string given_name, family_name, title, phone, country, language;
  std::string manager_id;  // enterprise manager.value: the id of another identity
};

// Reads identities one after the other with a streaming JSON parser (no document is
// built), reusing its buffers. Not thread-safe: one per computation.
class AttributeReader {
 public:
  explicit AttributeReader(const AttributeNames& names);
  AttributeReader(const AttributeReader&) = delete;
  AttributeReader& operator=(const AttributeReader&) = delete;
  ~AttributeReader();

  // Fills `out` with the registered attributes of `person` (slots as in `names`); fills
  // `profile` too if given. Malformed JSON reads as an empty object (the store only keeps
  // valid JSON).
  void read(const DirectoryPerson& person, IdentityValues& out, Profile* profile);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rosterd
