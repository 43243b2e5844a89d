// A bind password in transit from where the daemon read it (a file, an environment
// variable) to the bind request. Its only way out is reveal(): it cannot be streamed,
// formatted or compared by accident, so it cannot end up in a log line or an error.
#pragma once

#include <cstddef>
#include <string>
#include <utility>

namespace rosterd::ldap {

class BindPassword {
 public:
  BindPassword() = default;  // empty: no password (anonymous or SASL EXTERNAL)
  explicit BindPassword(std::string value) : value_(std::move(value)) {}
  BindPassword(const BindPassword&) = default;
  BindPassword& operator=(const BindPassword&) = default;
  // Overwritten before the memory goes back to the allocator.
  ~BindPassword() {
    volatile char* p = value_.data();
    for (std::size_t i = 0; i < value_.size(); ++i) p[i] = 0;
  }

  const std::string& reveal() const { return value_; }
  bool empty() const { return value_.empty(); }

 private:
  std::string value_;
};

}  // namespace rosterd::ldap
