// IdentityStore over the shared SQL layer: reads on pooled connections in the callers'
// threads, writes through one GroupCommitWriter. The same for every database; a driver
// (store/sqlite, store/postgres) only says how to open a connection.
#pragma once

#include <memory>

#include "store/identity_store.h"
#include "store/sql/group_commit_writer.h"
#include "store/sql/list_order_cache.h"
#include "store/sql/reader_pool.h"
#include "store/sql/sql_connection.h"
#include "store/sql/user_read_combiner.h"
#include "store/store_options.h"

namespace rosterd::sql {

class SqlIdentityStore final : public IdentityStore {
 public:
  // `writer` must be migrated already; `readers` opens connections to the same database,
  // at most `max_readers` at once (0: no limit; see ReaderPool). Opens one reader at
  // once, so a database that cannot be read fails here.
  static Result<std::unique_ptr<SqlIdentityStore>> open(std::unique_ptr<SqlConnection> writer,
                                                        ReaderPool::Connect readers,
                                                        StoreOptions options,
                                                        std::size_t max_readers = 0);
  ~SqlIdentityStore() override;

  Result<void> read(const ReadJob& job) override;
  Result<std::optional<UserWithRelated>> find_user(std::string_view source, std::string_view id) override;
  Result<std::optional<UserWithRelated>> find_user_by_name(std::string_view source,
                                                           std::string_view user_name) override;
  void write_async(WriteJob job, WriteDone done, Rerun rerun = Rerun::No) override;
  void close() override;

 private:
  SqlIdentityStore(std::unique_ptr<SqlConnection> writer, ReaderPool::Connect readers,
                   StoreOptions options, std::size_t max_readers);

  Result<std::optional<UserWithRelated>> find_one(UserLookup lookup);
  Result<UserReadCombiner::Answers> read_users(std::span<const UserLookup> lookups);

  ReaderPool readers_;
  ListOrderCache order_cache_;
  // On a database across the network (PostgreSQL) only: SQLite's reads are page-cache
  // reads made on the HTTP I/O threads, which must not wait for each other.
  std::unique_ptr<UserReadCombiner> combiner_;
  GroupCommitWriter writer_;
};

}  // namespace rosterd::sql
