#include "store/identity_store.h"

#include <future>

#include "core/try.h"

namespace rosterd {

Result<std::optional<UserWithRelated>> IdentityReader::find_user(std::string_view source, std::string_view id) {
  ROSTERD_ASSIGN(std::optional<ResourceRecord> record, find(ResourceType::User, source, id));
  if (!record) return std::optional<UserWithRelated>();
  const std::string ids[] = {record->id};
  ROSTERD_ASSIGN(std::vector<RelatedToUser> related, related_users(source, ids));
  return std::optional<UserWithRelated>(UserWithRelated{std::move(*record), std::move(related.front())});
}

Result<std::optional<UserWithRelated>> IdentityStore::find_user(std::string_view source, std::string_view id) {
  std::optional<UserWithRelated> out;
  ROSTERD_TRY(read([&](IdentityReader& reader) -> Result<void> {
    ROSTERD_ASSIGN(out, reader.find_user(source, id));
    return {};
  }));
  return out;
}

// Must not be called from a `done` callback (the writer's own thread would wait for itself).
Result<void> IdentityStore::write(WriteJob job) {
  auto promise = std::make_shared<std::promise<Result<void>>>();
  auto outcome = promise->get_future();
  write_async(std::move(job), [promise](Result<void> r) { promise->set_value(std::move(r)); });
  return outcome.get();
}

}  // namespace rosterd
