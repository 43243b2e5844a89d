#include "mapping/attribute_handler.h"

#include <charconv>

#include "core/email.h"
#include "core/resource_schema.h"

namespace rosterd {
namespace {

bool same_name(std::string_view a, std::string_view lower) {
  if (a.size() != lower.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (((a[i] >= 'A' && a[i] <= 'Z') ? static_cast<char>(a[i] - 'A' + 'a') : a[i]) != lower[i]) return false;
  return true;
}

// Top-level names filled from the DirectoryPerson's fields: their JSON copies are skipped
// ("emails" keeps its sub-attributes: emails.type and such).
enum class FieldRule { Normal, SkipPlain, Skip };
FieldRule field_rule(std::string_view lower) {
  if (lower == "emails") return FieldRule::SkipPlain;
  if (lower == "username" || lower == "displayname" || lower == "active" || lower == "id")
    return FieldRule::Skip;
  return FieldRule::Normal;
}

}  // namespace

std::size_t AttributeHandler::ChildHash::operator()(const ChildKeyView& k) const {
  return std::hash<std::string_view>{}(k.key) ^ (static_cast<std::size_t>(k.parent) * 2 + k.extension) * 0x9E3779B97F4A7C15ULL;
}

AttributeHandler::AttributeHandler(const AttributeNames& names) : names_(names) {
  nodes_.resize(2);  // kRoot, kDead
  nodes_[kDead].dead = true;
}

void AttributeHandler::start(IdentityValues& out) {
  out_ = &out;
  stack_.clear();
  pending_ = outer_array_ = -1;
  key_.clear();
  text_.clear();
}

void AttributeHandler::add_name(Node& n, std::string name) const {
  if (n.count == 2) return;
  const int slot = names_.lookup(name);
  if (slot == AttributeNames::kUnwanted) return;
  n.slots[n.count] = slot;
  n.names[n.count++] = std::move(name);
}

void AttributeHandler::add_top_name(Node& n, std::string_view lower) const {
  const FieldRule rule = field_rule(lower);
  if (rule == FieldRule::Skip) return;
  if (rule == FieldRule::SkipPlain) n.skip_plain = true;
  add_name(n, std::string(lower));
}

// What the member `raw_key` of the object `f` is called.
AttributeHandler::Node AttributeHandler::make_child(const Frame& f, std::string_view raw_key) {
  const std::string lower = ascii_lower(raw_key);
  Node n;
  if (f.root) {
    n.urn = lower.starts_with("urn:");
    if (n.urn) n.urn_text = lower;
    add_top_name(n, lower);
  } else if (f.extension) {
    const std::string urn = nodes_[static_cast<std::size_t>(f.node)].urn_text;
    if (f.core || !names_.is_core(lower)) add_top_name(n, lower);
    if (!f.core) add_name(n, urn + ":" + lower);
  } else {
    const Node& parent = nodes_[static_cast<std::size_t>(f.node)];
    for (std::uint8_t i = 0; i < parent.count; ++i) add_name(n, parent.names[i] + "." + lower);
    n.value_key = lower == "value";
  }
  n.dead = n.count == 0 && !n.urn;
  return n;
}

int AttributeHandler::child(const Frame& f, std::string_view raw_key) {
  const auto it = children_.find(ChildKeyView{f.node, f.extension, raw_key});
  if (it != children_.end()) return it->second;
  nodes_.push_back(make_child(f, raw_key));
  const int id = static_cast<int>(nodes_.size() - 1);
  children_.emplace(ChildKey{f.node, f.extension, std::string(raw_key)}, id);
  return id;
}

// A key or string in one piece comes straight from the parser's buffer; one in parts
// (escapes, or split input) is assembled in key_ / text_ first.
bool AttributeHandler::on_key(string_view s, std::size_t, error_code&) {
  std::string_view key(s.data(), s.size());
  if (!key_.empty()) key = key_.append(key);
  const Frame& f = stack_.back();
  const bool dead = !f.root && !f.extension && nodes_[static_cast<std::size_t>(f.node)].dead;
  pending_ = dead ? -1 : child(f, key);
  key_.clear();
  return true;
}

bool AttributeHandler::on_string(string_view s, std::size_t, error_code&) {
  std::string_view text(s.data(), s.size());
  if (!text_.empty()) text = text_.append(text);
  scalar(&text);
  text_.clear();
  return true;
}

bool AttributeHandler::on_bool(bool b, error_code&) {
  const std::string_view text = b ? "true" : "false";
  scalar(&text);
  return true;
}

template <typename Number>
bool AttributeHandler::number(Number n) {
  char digits[32];
  const auto r = std::to_chars(digits, digits + sizeof digits, n);
  const std::string_view text(digits, static_cast<std::size_t>(r.ptr - digits));
  scalar(&text);
  return true;
}

template bool AttributeHandler::number(std::int64_t);
template bool AttributeHandler::number(std::uint64_t);
template bool AttributeHandler::number(double);

void AttributeHandler::record(const Node& n, std::string_view value) {
  for (std::uint8_t i = 0; i < n.count; ++i)
    if (n.slots[i] >= 0) out_->add(n.slots[i], value, element());
}

void AttributeHandler::scalar(const std::string_view* value) {
  if (stack_.empty()) return;  // a document that is a bare scalar
  Frame& f = stack_.back();
  if (f.array) {
    ++f.element;
    const Node& n = nodes_[static_cast<std::size_t>(f.node)];
    if (value && !n.skip_plain) record(n, *value);
    return;
  }
  if (value && pending_ >= 0) {
    const Node& n = nodes_[static_cast<std::size_t>(pending_)];
    if (!n.skip_plain) record(n, *value);
    const Node& parent = nodes_[static_cast<std::size_t>(f.node)];
    if (n.value_key && !parent.skip_plain && !f.extension) record(parent, *value);  // manager = manager.value
  }
  pending_ = -1;
}

bool AttributeHandler::begin(bool array) {
  Frame f;
  f.array = array;
  if (stack_.empty()) {
    f.root = !array;
    f.node = array ? kDead : kRoot;
  } else if (Frame& parent = stack_.back(); parent.array) {
    ++parent.element;
    f.node = parent.node;
  } else if (pending_ < 0) {
    f.node = kDead;  // the value of a member nothing is registered for
  } else {
    f.node = pending_;
    const Node& n = nodes_[static_cast<std::size_t>(pending_)];
    if (n.urn && parent.root && !array) {
      f.extension = true;
      f.core = same_name(kUserSchemaUrn, n.urn_text);
    }
  }
  pending_ = -1;
  stack_.push_back(f);
  if (array && outer_array_ < 0) outer_array_ = static_cast<int>(stack_.size() - 1);
  return true;
}

bool AttributeHandler::end() {
  if (outer_array_ == static_cast<int>(stack_.size() - 1)) outer_array_ = -1;
  stack_.pop_back();
  pending_ = -1;
  return true;
}

}  // namespace rosterd
