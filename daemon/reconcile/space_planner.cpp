#include "daemon/reconcile/space_planner.h"

#include <openssl/evp.h>

#include "core/try.h"

namespace rosterd {

std::string sha256_hex(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (unsigned int i = 0; i < size; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xf]);
  }
  return out;
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
                             IncrementalMapper* mapper) const {
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
  out.input.current = inputs.accounts;
  out.input.queue = inputs.queue;
  out.input.sources = inputs.sources;
  out.input.now = now;
  out.inputs = std::move(inputs);
  out.result = reconcile(out.input);
  out.input_hash = "sha256:" + sha256_hex(canonical_text(out.input));
  return out;
}

Result<SpacePlan> Planner::plan(std::string_view space, AccountStore& accounts,
                                IdentityStore& identities, Timestamp now,
                                IncrementalMapper* mapper) const {
  if (!config_.find_space(space))
    return fail(ErrorCode::NotFound, "no space '" + std::string(space) + "' in the configuration");
  ROSTERD_ASSIGN(auto inputs, read_space_inputs(config_, space, accounts, identities));
  return plan_from(space, std::move(inputs), now, mapper);
}

}  // namespace rosterd
