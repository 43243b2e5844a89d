// Helpers for the config tests: YAML built line by line so that the expected line numbers
// can be read off the test, and the outcome of parse_config as text.
#pragma once

#include <gtest/gtest.h>

#include <initializer_list>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "config/load_config.h"

namespace rosterd::testing {

// Joins lines with '\n': the first line given is line 1 of the file.
inline std::string yaml_lines(std::initializer_list<std::string_view> lines) {
  std::string out;
  for (const auto line : lines) {
    out += line;
    out += '\n';
  }
  return out;
}

// The error message of a refused configuration, or "(accepted)".
inline std::string errors_of(std::string_view yaml, const std::string& file = "rosterd.yaml") {
  const auto config = parse_config(yaml, file);
  if (config) return "(accepted)";
  EXPECT_EQ(config.error().code, ErrorCode::Config);
  return config.error().message;
}

inline std::vector<std::string> error_lines(std::string_view yaml) {
  std::vector<std::string> out;
  std::istringstream in(errors_of(yaml));
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// The Config of an accepted configuration (a failed expectation otherwise).
inline Config accepted(std::string_view yaml, const std::string& file = "rosterd.yaml") {
  auto config = parse_config(yaml, file);
  EXPECT_TRUE(config.has_value()) << config.error().message;
  return config ? std::move(*config) : Config{};
}

}  // namespace rosterd::testing
