// An immutable value that many owners hold without copying it: Shared<T> copies a
// reference (one atomic increment), compares by value, and reads like the T it holds.
// The desired state of 100,000 people repeats the same facts and losing grants for
// everyone who matched a rule for the same reasons, and every planned operation repeats
// the facts of the account it is for: shared, they are kept once (plan memory issue).
// Safe to read and copy from several threads; nobody can change the value once built.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <memory>
#include <type_traits>
#include <utility>

namespace rosterd {

namespace shared_detail {
// T's element type when T is a container, else a type nothing converts to.
struct NoItem {};
template <class T>
struct ItemOf { using type = NoItem; };
template <class T>
  requires requires { typename T::value_type; }
struct ItemOf<T> { using type = typename T::value_type; };
}  // namespace shared_detail

template <class T>
class Shared {
 public:
  Shared() = default;  // holds T{} (without allocating)
  Shared(T value) : value_(std::make_shared<const T>(std::move(value))) {}  // NOLINT: implicit
  // Shared<std::vector<X>> v = {x1, x2};
  Shared(std::initializer_list<typename shared_detail::ItemOf<T>::type> items)
    requires(!std::is_same_v<typename shared_detail::ItemOf<T>::type, shared_detail::NoItem>)
      : Shared(T(items)) {}

  const T& operator*() const { return value_ ? *value_ : blank(); }
  const T* operator->() const { return &**this; }
  const T& get() const { return **this; }

  // Read-only range access when T is a container.
  auto begin() const { return get().begin(); }
  auto end() const { return get().end(); }
  std::size_t size() const { return get().size(); }
  bool empty() const { return get().empty(); }
  decltype(auto) operator[](std::size_t i) const { return get()[i]; }
  decltype(auto) front() const { return get().front(); }
  decltype(auto) back() const { return get().back(); }

  friend bool operator==(const Shared& a, const Shared& b) {
    return a.value_ == b.value_ || *a == *b;
  }
  friend bool operator==(const Shared& a, const T& b) { return *a == b; }

 private:
  static const T& blank() {
    static const T instance{};
    return instance;
  }
  std::shared_ptr<const T> value_;
};

}  // namespace rosterd
