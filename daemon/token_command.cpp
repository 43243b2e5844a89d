// `rosterd token create --source ID`: a new bearer token for a SCIM source. The token is
// printed once and never stored; the configuration keeps only its SHA-256 digest.
#include <openssl/rand.h>

#include <array>
#include <ostream>

#include "config/load_config.h"
#include "daemon/command_context.h"
#include "daemon/commands.h"
#include "scim/bearer_auth.h"
#include "scim/scim_response.h"

namespace rosterd::cli {

OptionSpec token_options() {
  OptionSpec spec;
  spec.with_value.insert({"source"});
  return spec;
}

int run_token(const std::string& sub, const Args& args, std::ostream& out, std::ostream& err) {
  const bool json = args.flag("json");
  if (sub != "create")
    return report_error(Error{ErrorCode::Usage, "usage: rosterd token create --source ID", {}}, json, out, err);
  const auto source = args.value("source");
  if (!source || source->empty())
    return report_error(Error{ErrorCode::Usage, "token create: --source ID is required", {}}, json, out, err);
  // With a configuration at hand, check that the source exists and speaks SCIM.
  std::string path;
  if (auto v = args.value("config")) path = *v;
  else if (const char* env = std::getenv("ROSTERD_CONFIG"); env && *env) path = env;
  if (!path.empty()) {
    auto config = load_config(path);
    if (!config) return report_error(config.error(), json, out, err);
    bool found = false;
    for (const SourceConfig& s : config->sources) found = found || (s.id == *source && s.kind == "scim");
    if (!found)
      return report_error(Error{ErrorCode::Usage, path + ": no SCIM source '" + *source + "'", {}}, json, out, err);
  }
  std::array<unsigned char, 32> random{};
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1)
    return report_error(Error{ErrorCode::Internal, "the system's random generator failed", {}}, json, out, err);
  scim::TokenDigest bytes{};
  std::copy(random.begin(), random.end(), bytes.begin());
  const std::string token = scim::to_hex(bytes);
  const std::string digest = "sha256:" + scim::to_hex(scim::sha256(token));
  if (json) {
    out << R"({"source":)" << scim::json_string(*source) << R"(,"token":)" << scim::json_string(token)
        << R"(,"digest":)" << scim::json_string(digest) << "}\n";
    return 0;
  }
  out << "token for source '" << *source << "' (shown once; give it to the identity provider):\n"
      << "  " << token << "\n\n"
      << "add its digest to the source's tokens in the configuration, then restart rosterd:\n"
      << "      - \"" << digest << "\"\n";
  return 0;
}

}  // namespace rosterd::cli
