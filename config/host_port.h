// A listening address as the configuration writes it: "host:port", or "[ipv6]:port", with a
// port from 1 to 65535. The host is not resolved here; "0.0.0.0" listens on every interface.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rosterd {

struct HostPort {
  std::string host;  // without the brackets of an IPv6 address
  std::uint16_t port = 0;
};

std::optional<HostPort> parse_host_port(std::string_view text);

}  // namespace rosterd
