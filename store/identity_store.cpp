#include "store/identity_store.h"

#include <future>

namespace rosterd {

// Must not be called from a `done` callback (the writer's own thread would wait for itself).
Result<void> IdentityStore::write(WriteJob job) {
  auto promise = std::make_shared<std::promise<Result<void>>>();
  auto outcome = promise->get_future();
  write_async(std::move(job), [promise](Result<void> r) { promise->set_value(std::move(r)); });
  return outcome.get();
}

}  // namespace rosterd
