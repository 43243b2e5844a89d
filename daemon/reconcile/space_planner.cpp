#include "daemon/reconcile/space_planner.h"

#include <openssl/evp.h>

#include <cassert>
#include <memory>

#include "core/run_beside.h"
#include "core/try.h"
#include "daemon/free_memory.h"

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

DesiredState Planner::desired_state(std::string_view space, const Directory& directory,
                                    IncrementalMapper* mapper) const {
  DesiredState desired;
  if (mapper) {
    mapper->update(directory);
    desired = mapper->take();
  } else if (const RuleSet* rules = this->rules(space)) {
    desired = rules->desired_state(directory);
  }
  desired.space = std::string(space);
  return desired;
}

SpacePlan Planner::finish(std::string_view space, SpaceInputs inputs, DesiredState desired, Timestamp now) const {
  SpacePlan out;
  out.space = std::string(space);
  const SpaceConfig* space_config = config_.find_space(space);
  out.input.policy = space_config ? space_policy(*space_config) : SpacePolicy{};
  out.input.roles = &config_.roles;
  out.input.desired = std::move(desired);
  // These move: at 100,000 accounts a second copy costs tens of megabytes. `inputs`
  // keeps the directory, if the caller kept it (explain reads it).
  out.input.current = std::move(inputs.accounts);
  out.input.queue = std::move(inputs.queue);
  out.input.sources = std::move(inputs.sources);
  out.input.now = now;
  out.inputs = std::move(inputs);
  // Both only read the input: the fingerprint is taken on a second thread meanwhile.
  auto hash = run_beside([&out] { return input_hash(out.input); });
  out.result = reconcile(out.input);
  out.input_hash = hash.get();
  return out;
}

SpacePlan Planner::plan_from(std::string_view space, SpaceInputs inputs, Timestamp now,
                             IncrementalMapper* mapper, KeepDirectory keep) const {
  DesiredState desired = desired_state(space, inputs.directory, mapper);
  if (keep == KeepDirectory::No) inputs.directory = Directory{};
  return finish(space, std::move(inputs), std::move(desired), now);
}

Result<SpacePlan> Planner::plan(std::string_view space, AccountStore& accounts,
                                IdentityStore& identities, Timestamp now,
                                IncrementalMapper* mapper, KeepDirectory keep) const {
  if (!config_.find_space(space))
    return fail(ErrorCode::NotFound, "no space '" + std::string(space) + "' in the configuration");
  // The identities are read and mapped on a second thread while this one reads the
  // accounts (an AccountStore belongs to the thread that uses it; identity reads borrow a
  // connection of their own). Neither waits for the other: at 100,000 people the
  // identities and their mapping take about twice as long as the accounts.
  struct Mapped {
    DirectoryInputs directory;
    DesiredState desired;
  };
  auto mapped = run_beside([&]() -> Result<Mapped> {
    Mapped m;
    ROSTERD_ASSIGN(m.directory, read_directory_inputs(config_, space, identities));
    m.desired = desired_state(space, m.directory.directory, mapper);
    if (keep == KeepDirectory::No) {
      m.directory.directory = Directory{};
      // Freed in this thread's malloc arena, where the caller's thread would never reuse
      // it: given back, so that reconcile's allocations do not come on top of it.
      return_free_memory();
    }
    return m;
  });
  auto account_side = read_account_inputs(space, accounts);
  auto directory_side = mapped.get();
  if (!directory_side) return tl::unexpected(directory_side.error());
  if (!account_side) {
    // The mapper lent its state to this plan: without it, its next use maps everyone again.
    if (mapper) mapper->give_back(std::move(directory_side->desired));
    return tl::unexpected(account_side.error());
  }
  SpaceInputs inputs = combine_space_inputs(config_, space, std::move(directory_side->directory),
                                            std::move(*account_side));
  return finish(space, std::move(inputs), std::move(directory_side->desired), now);
}

}  // namespace rosterd
