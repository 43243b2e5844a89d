#include "scim/request_target.h"

#include "scim/ascii_case.h"
#include "scim/utf8.h"

namespace rosterd::scim {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> decode(std::string_view text, bool plus_is_space, std::string_view what) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      const int high = i + 1 < text.size() ? hex_value(text[i + 1]) : -1;
      const int low = i + 2 < text.size() ? hex_value(text[i + 2]) : -1;
      if (high < 0 || low < 0)
        return fail(ErrorCode::InvalidSyntax, "malformed percent-encoding in the " + std::string(what));
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  for (std::size_t i = 0; i < out.size();) {
    const std::size_t n = utf8_sequence_length(std::string_view(out).substr(i));
    if (n == 0) return fail(ErrorCode::InvalidSyntax, "the " + std::string(what) + " is not valid UTF-8");
    i += n;
  }
  return out;
}

}  // namespace

const std::string* RequestTarget::param(std::string_view name) const {
  for (const auto& [key, value] : query)
    if (equals_ignoring_case(key, name)) return &value;
  return nullptr;
}

Result<RequestTarget> parse_request_target(std::string_view target) {
  RequestTarget out;
  const auto mark = target.find('?');
  auto path = decode(target.substr(0, mark), false, "request path");
  if (!path) return tl::unexpected(path.error());
  out.path = std::move(*path);
  if (mark == std::string_view::npos) return out;
  std::string_view query = target.substr(mark + 1);
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    auto key = decode(pair.substr(0, eq), true, "query string");
    if (!key) return tl::unexpected(key.error());
    auto value = decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1), true,
                        "query string");
    if (!value) return tl::unexpected(value.error());
    out.query.emplace_back(std::move(*key), std::move(*value));
  }
  return out;
}

std::vector<std::string_view> path_segments(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    const auto slash = path.find('/');
    const std::string_view part = path.substr(0, slash);
    if (!part.empty()) out.push_back(part);
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

}  // namespace rosterd::scim
