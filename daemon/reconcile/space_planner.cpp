#include "daemon/reconcile/space_planner.h"

#include <openssl/evp.h>

#include <cassert>
#include <memory>

#include "core/try.h"

namespace rosterd {

namespace {

std::string hex(const unsigned char* bytes, unsigned int size) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (unsigned int i = 0; i < size; ++i) {
    out.push_back(kHex[bytes[i] >> 4]);
    out.push_back(kHex[bytes[i] & 0xf]);
  }
  return out;
}

struct DigestContextFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

}  // namespace

std::string sha256_hex(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr);
  return hex(digest, size);
}

std::string input_hash(const ReconcileInput& input) {
  const std::unique_ptr<EVP_MD_CTX, DigestContextFree> ctx(EVP_MD_CTX_new());
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  const bool ok = ctx && EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) == 1;
  assert(ok && "OpenSSL cannot make a SHA-256 context");
  write_canonical_text(input, [&ctx](std::string_view piece) {
    EVP_DigestUpdate(ctx.get(), piece.data(), piece.size());
  });
  EVP_DigestFinal_ex(ctx.get(), digest, &size);
  (void)ok;
  return "sha256:" + hex(digest, size);
}

Result<std::shared_ptr<const Planner>> Planner::create(const Config& config) {
  std::shared_ptr<Planner> planner(new Planner(config));
  for (const SpaceConfig& space : planner->config_.spaces) {
    ROSTERD_ASSIGN(auto rules, RuleSet::compile(planner->config_, space.space.id));
    planner->rules_.emplace(space.space.id, std::move(rules));
  }
  return std::shared_ptr<const Planner>(std::move(planner));
}

const RuleSet* Planner::rules(std::string_view space) const {
  const auto it = rules_.find(space);
  return it == rules_.end() ? nullptr : &it->second;
}

SpacePlan Planner::plan_from(std::string_view space, SpaceInputs inputs, Timestamp now,
                             IncrementalMapper* mapper, KeepDirectory keep) const {
  SpacePlan out;
  out.space = std::string(space);
  const SpaceConfig* space_config = config_.find_space(space);
  const RuleSet* rules = this->rules(space);
  out.input.policy = space_config ? space_policy(*space_config) : SpacePolicy{};
  out.input.roles = &config_.roles;
  if (mapper) {
    mapper->update(inputs.directory);
    out.input.desired = mapper->take();
  } else if (rules) {
    out.input.desired = rules->desired_state(inputs.directory);
  }
  out.input.desired.space = out.space;
  if (keep == KeepDirectory::No) inputs.directory = Directory{};
  // These move: at 100,000 accounts a second copy costs tens of megabytes. `inputs`
  // keeps the directory (explain reads it).
  out.input.current = std::move(inputs.accounts);
  out.input.queue = std::move(inputs.queue);
  out.input.sources = std::move(inputs.sources);
  out.input.now = now;
  out.inputs = std::move(inputs);
  out.result = reconcile(out.input);
  out.input_hash = input_hash(out.input);
  return out;
}

Result<SpacePlan> Planner::plan(std::string_view space, AccountStore& accounts,
                                IdentityStore& identities, Timestamp now,
                                IncrementalMapper* mapper, KeepDirectory keep) const {
  if (!config_.find_space(space))
    return fail(ErrorCode::NotFound, "no space '" + std::string(space) + "' in the configuration");
  ROSTERD_ASSIGN(auto inputs, read_space_inputs(config_, space, accounts, identities));
  return plan_from(space, std::move(inputs), now, mapper, keep);
}

}  // namespace rosterd
