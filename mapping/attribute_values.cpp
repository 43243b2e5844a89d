#include "mapping/attribute_values.h"

#include <array>
#include <boost/json/basic_parser_impl.hpp>

#include "core/email.h"
#include "core/resource_schema.h"
#include "mapping/attribute_handler.h"

namespace rosterd {
namespace {

namespace json = boost::json;
using boost::system::error_code;

bool same_name(std::string_view a, std::string_view lower) {
  if (a.size() != lower.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (((a[i] >= 'A' && a[i] <= 'Z') ? static_cast<char>(a[i] - 'A' + 'a') : a[i]) != lower[i]) return false;
  return true;
}

// What the profile reads, registered by every reader next to the rules' own names.
enum ProfileSlot {
  kGivenName, kFamilyName, kTitle, kPhone, kPhoneType, kPhonePrimary, kCountry, kAddressPrimary,
  kPreferredLanguage, kLocale, kManager, kProfileSlots
};
constexpr std::array<std::string_view, kProfileSlots> kProfileNames{
    "name.givenname", "name.familyname", "title", "phonenumbers.value", "phonenumbers.type",
    "phonenumbers.primary", "addresses.country", "addresses.primary", "preferredlanguage", "locale",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user:manager"};

// Of a multi-valued attribute read through (value, type, primary) slots: the value of the
// element whose type is `type` (if given), else of the primary one, else the first value.
std::string pick(const IdentityValues& v, int value, int type, int primary, std::string_view wanted) {
  constexpr int kNone = -2;  // -1 is a value outside any array
  const auto values = v.values(value);
  if (values.empty()) return {};
  const auto element_with = [&](int slot, std::string_view text) {
    const auto texts = v.values(slot);
    const auto elements = v.elements(slot);
    for (std::size_t i = 0; i < texts.size(); ++i)
      if (same_name(texts[i], text)) return elements[i];
    return kNone;
  };
  int element = wanted.empty() ? kNone : element_with(type, wanted);
  if (element == kNone) element = element_with(primary, "true");
  const auto elements = v.elements(value);
  for (std::size_t i = 0; element != kNone && i < values.size(); ++i)
    if (elements[i] == element) return values[i];
  return values.front();
}

}  // namespace

// ---- AttributeNames ----------------------------------------------------------------------

AttributeNames::AttributeNames() {
  for (const AttributeSpec& spec : ResourceSchema::user().attributes())
    if (spec.schema_urn().empty() && !spec.is_sub_attribute())
      core_.insert(ascii_lower(spec.local_name()));
}

int AttributeNames::add(std::string_view name) {
  std::string lower = ascii_lower(name);
  const auto it = slots_.find(lower);
  if (it != slots_.end() && it->second >= 0) return it->second;
  const int slot = static_cast<int>(names_.size());
  for (std::size_t i = 0; i < lower.size(); ++i)
    if (lower[i] == '.' || lower[i] == ':') slots_.try_emplace(lower.substr(0, i), kBelow);
  names_.push_back(lower);
  slots_.insert_or_assign(std::move(lower), slot);
  return slot;
}

int AttributeNames::find(std::string_view lower_name) const {
  const auto it = slots_.find(lower_name);
  return it == slots_.end() || it->second < 0 ? -1 : it->second;
}

int AttributeNames::lookup(std::string_view lower_name) const {
  const auto it = slots_.find(lower_name);
  return it == slots_.end() ? kUnwanted : it->second;
}

// ---- IdentityValues ----------------------------------------------------------------------

void IdentityValues::reset(std::size_t slots) {
  slots_.resize(slots);
  for (Slot& s : slots_) s.size = 0;
}

void IdentityValues::add(int slot, std::string_view value, int element) {
  Slot& s = slots_[static_cast<std::size_t>(slot)];
  if (s.size < s.values.size()) {
    s.values[s.size].assign(value.data(), value.size());
    s.elements[s.size] = element;
  } else {
    s.values.emplace_back(value);
    s.elements.push_back(element);
  }
  ++s.size;
}

std::span<const std::string> IdentityValues::values(int slot) const {
  if (slot < 0 || static_cast<std::size_t>(slot) >= slots_.size()) return {};
  const Slot& s = slots_[static_cast<std::size_t>(slot)];
  return {s.values.data(), s.size};
}

std::span<const int> IdentityValues::elements(int slot) const {
  if (slot < 0 || static_cast<std::size_t>(slot) >= slots_.size()) return {};
  const Slot& s = slots_[static_cast<std::size_t>(slot)];
  return {s.elements.data(), s.size};
}

std::string_view IdentityValues::first(int slot) const {
  for (const auto& v : values(slot))
    if (!v.empty()) return v;
  return {};
}

// ---- AttributeReader ---------------------------------------------------------------------

struct AttributeReader::Impl {
  AttributeNames names;  // the caller's, plus what the profile reads
  std::array<int, kProfileSlots> profile{};
  json::basic_parser<AttributeHandler> parser;

  explicit Impl(const AttributeNames& n) : names(n), parser(json::parse_options{}, names) {
    for (std::size_t i = 0; i < kProfileSlots; ++i) profile[i] = names.add(kProfileNames[i]);
  }

  void add_fields(const DirectoryPerson& p, IdentityValues& out) const {
    const auto put = [&](std::string_view n, std::string_view value) {
      if (const int slot = names.find(n); slot >= 0) out.add(slot, value);
    };
    put("username", p.user_name);
    put("displayname", p.display_name);
    for (const auto& e : p.emails) put("emails", e);
    if (!p.emails.empty()) put("email", p.emails.front());
    put("active", p.active ? "true" : "false");
    put("id", p.id);
  }

  void read_profile(const IdentityValues& v, Profile& p) const {
    const auto slot = [&](ProfileSlot s) { return profile[static_cast<std::size_t>(s)]; };
    p.given_name = v.first(slot(kGivenName));
    p.family_name = v.first(slot(kFamilyName));
    p.title = v.first(slot(kTitle));
    p.phone = pick(v, slot(kPhone), slot(kPhoneType), slot(kPhonePrimary), "work");
    p.country = pick(v, slot(kCountry), -1, slot(kAddressPrimary), {});
    p.language = v.first(slot(kPreferredLanguage));
    if (p.language.empty()) p.language = v.first(slot(kLocale));
    p.manager_id = v.first(slot(kManager));
  }
};

AttributeReader::AttributeReader(const AttributeNames& names) : impl_(std::make_unique<Impl>(names)) {}
AttributeReader::~AttributeReader() = default;

void AttributeReader::read(const DirectoryPerson& person, IdentityValues& out, Profile* profile) {
  Impl& impl = *impl_;
  out.reset(impl.names.size());
  impl.add_fields(person, out);
  impl.parser.reset();
  impl.parser.handler().start(out);
  error_code ec;
  const std::string& text = person.attributes_json;
  const std::size_t used = impl.parser.write_some(false, text.data(), text.size(), ec);
  if (ec || used != text.size()) {  // keep nothing of a document that does not parse
    out.reset(impl.names.size());
    impl.add_fields(person, out);
  }
  if (profile) impl.read_profile(out, *profile);
}

}  // namespace rosterd
