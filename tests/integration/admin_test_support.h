// What the admin endpoint tests share: GET/POST over a fresh connection to `rosterd
// serve`, the admin listener's port from the log, and waiting for a condition with a
// generous deadline (never a fixed sleep as the signal).
#pragma once

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <sstream>
#include <string>
#include <thread>

#include "tests/integration/service_fixture.h"
#include "tests/support/http_client.h"

namespace rosterd::testing {

inline Reply http(std::uint16_t port, const std::string& method, const std::string& path,
                  const std::string& authorization = "", const std::string& body = "") {
  HttpClient client(port);
  if (!client.connected()) return Reply{};
  std::string request = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  if (!authorization.empty()) request += "Authorization: " + authorization + "\r\n";
  if (!body.empty())
    request += "Content-Type: application/scim+json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  request += "\r\n" + body;
  client.send(request);
  auto reply = client.read_reply(method == "HEAD");
  return reply ? *reply : Reply{};
}

// The port of the listener `name` ("scim", "admin") from its "listening" log line; 0 if
// not logged.
inline std::uint16_t listener_port(const std::string& log, const std::string& name) {
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    if (line.find(R"("event":"listening")") == std::string::npos) continue;
    if (line.find("\"listener\":\"" + name + "\"") == std::string::npos) continue;
    const std::string address(boost::json::parse(line).at("address").as_string());
    return static_cast<std::uint16_t>(std::stoi(address.substr(address.rfind(':') + 1)));
  }
  return 0;
}

// Polls `condition` every 50 ms until it holds or `limit` passes; the poll paces the
// checks, the condition is the signal.
inline bool eventually(const std::function<bool()>& condition, std::chrono::seconds limit = std::chrono::seconds(60)) {
  const auto give_up = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < give_up) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return condition();
}

}  // namespace rosterd::testing
