#include "daemon/http/scim_error_response.h"

#include "scim/scim_response.h"

namespace rosterd::http {

scim::HttpResponse scim_error_response(int status, std::string_view detail) {
  return scim::error_response(status, detail);
}

}  // namespace rosterd::http
