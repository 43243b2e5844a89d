#include "scim/scim_response.h"

#include "core/json_text.h"

namespace rosterd::scim {

std::string json_string(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  append_json_string(out, text);
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
  HttpResponse response = json_response(status, error_body(status, detail, scim_type));
  if (status == 503) response.headers.emplace_back("Retry-After", std::string(kRetryAfterSeconds));
  return response;
}

HttpResponse error_response(const Error& error) {
  return error_response(error.http_status(), error.message, error.scim_type());
}

}  // namespace rosterd::scim
