#include "store/sql/sql_identity_store.h"

#include <exception>

#include "core/try.h"
#include "store/random_id.h"
#include "store/sql/sql_identity_reader.h"

namespace rosterd::sql {
namespace {

// As for write jobs: a read job's exception fails the read, not the caller's thread.
Result<void> run_guarded(const IdentityStore::ReadJob& job, IdentityReader& reader) {
  try {
    return job(reader);
  } catch (const std::exception& e) {
    return fail(ErrorCode::Internal, std::string("a read job failed: ") + e.what());
  }
}

}  // namespace

SqlIdentityStore::SqlIdentityStore(std::unique_ptr<SqlConnection> writer,
                                   ReaderPool::Connect readers, StoreOptions options,
                                   std::size_t max_readers)
    : readers_(std::move(readers), max_readers),
      writer_(std::move(writer),
              options.new_id ? std::move(options.new_id) : make_random_id_generator()) {}

Result<std::unique_ptr<SqlIdentityStore>> SqlIdentityStore::open(std::unique_ptr<SqlConnection> writer,
                                                                 ReaderPool::Connect readers,
                                                                 StoreOptions options,
                                                                 std::size_t max_readers) {
  std::unique_ptr<SqlIdentityStore> store(
      new SqlIdentityStore(std::move(writer), std::move(readers), std::move(options), max_readers));
  auto first = store->readers_.acquire();  // returned to the pool when `first` goes
  if (!first) return tl::unexpected(first.error());
  if ((*first)->dialect() == Dialect::Postgres) {
    SqlIdentityStore* self = store.get();
    store->combiner_ = std::make_unique<UserReadCombiner>(
        [self](std::span<const UserLookup> lookups) { return self->read_users(lookups); });
  }
  return store;
}

SqlIdentityStore::~SqlIdentityStore() { close(); }

Result<void> SqlIdentityStore::read(const ReadJob& job) {
  auto conn = readers_.acquire();
  if (!conn) return tl::unexpected(conn.error());
  if (auto begun = (*conn)->begin_read(); !begun) {
    conn->discard();
    return begun;
  }
  SqlIdentityReader reader(**conn, order_cache_);
  Result<void> result = run_guarded(job, reader);
  // Nothing was written: ending the snapshot either way is the same, and ROLLBACK also
  // ends a transaction a failed statement left open.
  if (auto ended = (*conn)->execute("ROLLBACK", {}); !ended) {
    conn->discard();
    if (result) return tl::unexpected(ended.error());
  }
  return result;
}

Result<UserReadCombiner::Answers> SqlIdentityStore::read_users(std::span<const UserLookup> lookups) {
  auto conn = readers_.acquire();
  if (!conn) return tl::unexpected(conn.error());
  auto users = SqlIdentityReader::find_users_at_once(**conn, lookups);
  if (!users) conn->discard();  // as read() does when a snapshot did not end cleanly
  return users;
}

Result<std::optional<UserWithRelated>> SqlIdentityStore::find_one(UserLookup lookup) {
  if (combiner_) return combiner_->find(std::move(lookup));
  ROSTERD_ASSIGN(auto users, read_users(std::span<const UserLookup>(&lookup, 1)));
  return std::move(users.front());
}

Result<std::optional<UserWithRelated>> SqlIdentityStore::find_user(std::string_view source,
                                                                   std::string_view id) {
  return find_one(UserLookup{std::string(source), std::string(id), false});
}

Result<std::optional<UserWithRelated>> SqlIdentityStore::find_user_by_name(std::string_view source,
                                                                           std::string_view user_name) {
  return find_one(UserLookup{std::string(source), std::string(user_name), true});
}

void SqlIdentityStore::write_async(WriteJob job, WriteDone done, Rerun rerun) {
  writer_.submit(std::move(job), std::move(done), rerun);
}

void SqlIdentityStore::close() { writer_.close(); }

}  // namespace rosterd::sql
