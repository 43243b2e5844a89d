#include "daemon/log.h"

#include <unistd.h>

#include "scim/scim_response.h"
#include "store/store_options.h"

namespace rosterd {

void log_event(std::string_view level, std::string_view event, std::initializer_list<LogField> fields) {
  std::string line = R"({"ts":)" + scim::json_string(format_timestamp(system_now())) +
                     R"(,"level":)" + scim::json_string(level) + R"(,"event":)" + scim::json_string(event);
  for (const auto& [key, value] : fields) line += "," + scim::json_string(key) + ":" + scim::json_string(value);
  line += "}\n";
  for (std::size_t done = 0; done < line.size();) {
    const ssize_t n = ::write(STDERR_FILENO, line.data() + done, line.size() - done);
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace rosterd
