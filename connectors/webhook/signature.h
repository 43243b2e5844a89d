// The signature of a webhook request, Stripe's scheme: HMAC-SHA256 keyed by the space's
// secret over "<unix seconds>.<body>", sent as
//   X-Rosterd-Signature: t=<unix seconds>,v1=<lower-case hex>
// The receiver recomputes it and compares in constant time; the timestamp inside the
// signed text lets it refuse replays older than its tolerance.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "connectors/webhook/webhook_secret.h"

namespace rosterd::webhook {

// Lower-case hex of HMAC-SHA256(key, data).
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

// "t=<unix_seconds>,v1=<hex>" for the header's value.
std::string signature_header(const WebhookSecret& secret, std::int64_t unix_seconds,
                             std::string_view body);

}  // namespace rosterd::webhook
