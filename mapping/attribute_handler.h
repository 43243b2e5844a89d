// The streaming (SAX) handler behind AttributeReader: follows the attribute name of every
// value as Boost.JSON's basic_parser walks a stored identity, and records the values of
// registered names. No document is built. What a JSON position is called (its names, its
// slots) is worked out once per distinct position and remembered, so an identity costs
// one short hash per member, whatever the length of its extension URNs.
#pragma once

#include <array>
#include <boost/json/string_view.hpp>
#include <boost/system/error_code.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "mapping/attribute_values.h"

namespace rosterd {

class AttributeHandler {
 public:
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);
  using error_code = boost::system::error_code;
  using string_view = boost::json::string_view;

  explicit AttributeHandler(const AttributeNames& names);
  void start(IdentityValues& out);

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_object_begin(error_code&) { return begin(false); }
  bool on_object_end(std::size_t, error_code&) { return end(); }
  bool on_array_begin(error_code&) { return begin(true); }
  bool on_array_end(std::size_t, error_code&) { return end(); }
  bool on_key_part(string_view s, std::size_t, error_code&) { return key_.append(s.data(), s.size()), true; }
  bool on_key(string_view s, std::size_t, error_code&);
  bool on_string_part(string_view s, std::size_t, error_code&) { return text_.append(s.data(), s.size()), true; }
  bool on_string(string_view s, std::size_t, error_code&);
  bool on_number_part(string_view, error_code&) { return true; }
  bool on_int64(std::int64_t i, string_view, error_code&) { return number(i); }
  bool on_uint64(std::uint64_t u, string_view, error_code&) { return number(u); }
  bool on_double(double d, string_view, error_code&) { return number(d); }
  bool on_bool(bool b, error_code&);
  bool on_null(error_code&) { return scalar(nullptr), true; }  // counts as an element
  bool on_comment_part(string_view, error_code&) { return true; }
  bool on_comment(string_view, error_code&) { return true; }

 private:
  // A position in identity documents: the value of one member, reached from its parent
  // position by a key; kRoot is the document's root object, kDead where nothing counts.
  static constexpr int kRoot = 0, kDead = 1;
  struct Node {
    std::array<std::string, 2> names;  // lower case; an extension attribute has two
    std::array<int, 2> slots{};        // AttributeNames::lookup() of each name
    std::uint8_t count = 0;
    bool skip_plain = false;  // its own plain values are not recorded ("emails")
    bool value_key = false;   // the key is "value": the parent's value too (manager)
    bool urn = false;         // a top-level key starting with "urn:" (lower case in urn_text)
    bool dead = false;        // nothing at or below it is registered
    std::string urn_text;
  };
  struct Frame {
    int node = 0;
    bool array = false;
    bool root = false;
    bool extension = false;  // a schema extension object directly under the root
    bool core = false;       // ... named by the core schema URN itself
    int element = -1;        // arrays: the current element
  };
  struct ChildKey {
    int parent;
    bool extension;
    std::string key;
  };
  struct ChildKeyView {
    int parent;
    bool extension;
    std::string_view key;
  };
  struct ChildHash {
    using is_transparent = void;
    std::size_t operator()(const ChildKeyView& k) const;
    std::size_t operator()(const ChildKey& k) const { return (*this)(ChildKeyView{k.parent, k.extension, k.key}); }
  };
  struct ChildEqual {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return a.parent == b.parent && a.extension == b.extension && std::string_view(a.key) == std::string_view(b.key);
    }
  };

  int child(const Frame& f, std::string_view raw_key);
  Node make_child(const Frame& f, std::string_view raw_key);
  void add_name(Node& n, std::string name) const;
  void add_top_name(Node& n, std::string_view lower) const;
  void record(const Node& n, std::string_view value);
  void scalar(const std::string_view* value);
  template <typename Number>
  bool number(Number n);
  bool begin(bool array);
  bool end();
  int element() const { return outer_array_ < 0 ? -1 : stack_[static_cast<std::size_t>(outer_array_)].element; }

  const AttributeNames& names_;
  IdentityValues* out_ = nullptr;
  std::vector<Node> nodes_;
  std::unordered_map<ChildKey, int, ChildHash, ChildEqual> children_;
  std::vector<Frame> stack_;
  int pending_ = -1;      // the node of the member whose key was just read
  int outer_array_ = -1;  // the outermost open array: its element numbers the values
  std::string key_, text_;
};

}  // namespace rosterd
