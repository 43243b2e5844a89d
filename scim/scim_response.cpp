#include "scim/scim_response.h"

namespace rosterd::scim {

std::string json_string(std::string_view text) {
  constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size() + 2);
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
  return out;
}

HttpResponse json_response(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.headers.emplace_back("Content-Type", std::string(kScimContentType));
  response.body = std::move(body);
  return response;
}

HttpResponse empty_response(int status) {
  HttpResponse response;
  response.status = status;
  return response;
}

std::string error_body(int status, std::string_view detail, std::string_view scim_type) {
  std::string body = R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":")";
  body += std::to_string(status);
  body += '"';
  if (!scim_type.empty()) body += R"(,"scimType":)" + json_string(scim_type);
  body += R"(,"detail":)" + json_string(detail) + "}";
  return body;
}

HttpResponse error_response(int status, std::string_view detail, std::string_view scim_type) {
  return json_response(status, error_body(status, detail, scim_type));
}

HttpResponse error_response(const Error& error) {
  return error_response(error.http_status(), error.message, error.scim_type());
}

}  // namespace rosterd::scim
