#include "daemon/http/scim_error_response.h"

#include <string>

namespace rosterd::http {
namespace {

void append_json_string(std::string& out, std::string_view text) {
  constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      out += "\\u00";
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    } else {
      out += c;
    }
  }
  out += '"';
}

}  // namespace

scim::HttpResponse scim_error_response(int status, std::string_view detail) {
  scim::HttpResponse response;
  response.status = status;
  response.headers.emplace_back("Content-Type", "application/scim+json");
  std::string& body = response.body;
  body = R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":")";
  body += std::to_string(status);
  body += R"(","detail":)";
  append_json_string(body, detail);
  body += '}';
  return response;
}

}  // namespace rosterd::http
