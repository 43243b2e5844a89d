// The writer: audit and reconcile rows in the job's own transaction, a failing job that
// leaves nothing and spoils nothing, many concurrent writers all durable, close(), and
// read jobs that see one snapshot however much is written meanwhile.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <stdexcept>
#include <string>
#include <thread>

#include "tests/unit/store/identity_store_fixture.h"
#include "tests/unit/store/identity_backends.h"

namespace rosterd::identity_test {
namespace {

using Ids = std::vector<std::string>;

IdentityEvent created_event(const std::string& id) {
  return IdentityEvent{"acme", "okta", "source:okta", "identity.created", id, "ada@acme.example",
                       {{"attribute", "userName"}, {"source", "spoofed"}}};
}

class IdentityWriteTest : public IdentityStoreTest {
 protected:
  std::size_t user_count(const std::string& source = "okta") {
    return must_read<std::size_t>([&](IdentityReader& r) -> Result<std::size_t> {
      ResourceQuery q;
      q.source = source;
      q.count = 0;
      auto page = r.search(q);
      if (!page) return tl::unexpected(page.error());
      return page->total;
    });
  }
  // `jobs` jobs queued behind a held writer, so that they run as one batch: job i inserts
  // user "u<i>" and records its creation; job 1 then fails. Their outcomes, in order.
  std::vector<Result<void>> batch_where_job_one_fails(int jobs, IdentityStore::Rerun rerun);
  // Holds the writer inside a job until release() (so the next jobs queue up as one batch).
  struct Blocker {
    std::promise<void> started, released;
    void release() { released.set_value(); }
  };
  void block_writer(Blocker& b, std::promise<Result<void>>& done) {
    auto go = b.released.get_future().share();
    store_->write_async(
        [&b, go](IdentityWriter&) -> Result<void> {
          b.started.set_value();
          go.wait();
          return {};
        },
        [&done](Result<void> r) { done.set_value(std::move(r)); });
    b.started.get_future().wait();
  }
};

std::vector<Result<void>> IdentityWriteTest::batch_where_job_one_fails(int jobs, IdentityStore::Rerun rerun) {
  Blocker blocker;
  std::promise<Result<void>> first;
  block_writer(blocker, first);
  std::vector<std::promise<Result<void>>> results(static_cast<std::size_t>(jobs));
  for (int i = 0; i < jobs; ++i) {
    const std::string id = "u" + std::to_string(i);
    store_->write_async(
        [id, i](IdentityWriter& w) -> Result<void> {
          if (auto done = w.insert(user("okta", id, id)); !done) return done;
          if (auto done = w.record(created_event(id), at_second(i)); !done) return done;
          if (i == 1) return fail(ErrorCode::Uniqueness, "job 1 fails after writing");
          return {};
        },
        [&results, i](Result<void> r) { results[static_cast<std::size_t>(i)].set_value(std::move(r)); }, rerun);
  }
  blocker.release();
  EXPECT_TRUE(first.get_future().get().has_value());
  std::vector<Result<void>> out;
  for (auto& r : results) out.push_back(r.get_future().get());
  return out;
}

TEST_P(IdentityWriteTest, RecordWritesOneAuditRowAndRequestsAReconcileOnce) {
  must_write([](IdentityWriter& w) { return w.record(created_event("u1"), at_second(1)); });
  must_write([](IdentityWriter& w) { return w.record(created_event("u2"), at_second(2)); });

  auto accounts = GetParam().open_accounts(dir_.path(), StoreOptions{});
  ASSERT_TRUE(accounts.has_value()) << accounts.error().message;
  auto audit = (*accounts)->audit(AuditQuery{});
  ASSERT_TRUE(audit.has_value()) << audit.error().message;
  ASSERT_EQ(audit->size(), 2u);
  const AuditEntry& e = audit->front();
  EXPECT_EQ(e.at, at_second(1));
  EXPECT_EQ(e.actor, "source:okta");
  EXPECT_EQ(e.operation, "identity.created");
  EXPECT_EQ(e.event, "identity.created");
  EXPECT_EQ(e.space, "acme");
  EXPECT_EQ(e.account_id, "");
  EXPECT_FALSE(e.event_id.empty());
  EXPECT_NE(e.event_id, (*audit)[1].event_id);
  const std::vector<std::pair<std::string, std::string>> details{
      {"source", "okta"}, {"resource_id", "u1"}, {"label", "ada@acme.example"}, {"attribute", "userName"}};
  EXPECT_EQ(e.details, details);
  // The oldest request stands: the reconcile has been owed since then.
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM reconcile_queue"), 1);
  auto conn = connect();
  auto rows = conn->query("SELECT space, requested_at FROM reconcile_queue", {});
  ASSERT_TRUE(rows.has_value());
  EXPECT_EQ(rows->front().text(0), "acme");
  EXPECT_EQ(rows->front().text(1), format_timestamp(at_second(1)));
}

TEST_P(IdentityWriteTest, AFailedJobLeavesNothingItWrote) {
  auto r = store_->write([](IdentityWriter& w) -> Result<void> {
    if (auto done = w.insert(user("okta", "u1", "ada", {"ada@acme.example"})); !done) return done;
    if (auto done = w.record(created_event("u1"), at_second(1)); !done) return done;
    return fail(ErrorCode::InvalidValue, "changed my mind");
  });
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message, "changed my mind");
  for (const char* table : {"identities", "identity_emails", "audit", "reconcile_queue"})
    EXPECT_EQ(scalar(std::string("SELECT COUNT(*) FROM ") + table), 0) << table;
}

TEST_P(IdentityWriteTest, ASourceStateCommitsWithTheChangesItCoversOrNotAtAll) {
  SourceState state;
  state.source = "corp";
  state.status = "ok";
  state.cursor = "cookie-1";
  state.last_success_at = at_second(5);
  must_write([&](IdentityWriter& w) -> Result<void> {
    if (auto done = w.insert(user("corp", "u1", "ada", {"ada@acme.example"})); !done) return done;
    return w.set_source_state(state);
  });
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM sync_state WHERE source = 'corp' AND cursor = 'cookie-1'"
                   " AND status = 'ok'"), 1);
  // A later read whose write fails keeps neither its changes nor its cursor.
  state.cursor = "cookie-2";
  auto r = store_->write([&](IdentityWriter& w) -> Result<void> {
    if (auto done = w.insert(user("corp", "u2", "bob", {"bob@acme.example"})); !done) return done;
    if (auto done = w.set_source_state(state); !done) return done;
    return fail(ErrorCode::Storage, "disk full");
  });
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM sync_state WHERE cursor = 'cookie-1'"), 1);
  EXPECT_EQ(user_count("corp"), 1u);
}

TEST_P(IdentityWriteTest, AFailingJobInABatchDoesNotTouchTheOthers) {
  const auto results = batch_where_job_one_fails(3, IdentityStore::Rerun::No);
  EXPECT_TRUE(results[0].has_value());
  ASSERT_FALSE(results[1].has_value());
  EXPECT_EQ(results[1].error().message, "job 1 fails after writing");
  EXPECT_TRUE(results[2].has_value());

  EXPECT_TRUE(find(ResourceType::User, "okta", "u0").has_value());
  EXPECT_FALSE(find(ResourceType::User, "okta", "u1").has_value());
  EXPECT_TRUE(find(ResourceType::User, "okta", "u2").has_value());
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit"), 2);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit WHERE details LIKE '%\"u1\"%'"), 0);
}

// Jobs that may run again (SCIM's) go as one batch whose writes ride with the next job's
// statements: a job failing by itself is still rolled back alone.
TEST_P(IdentityWriteTest, AFailingJobInABatchOfRerunnableJobsDoesNotTouchTheOthers) {
  const auto results = batch_where_job_one_fails(4, IdentityStore::Rerun::Allowed);
  for (int i : {0, 2, 3}) EXPECT_TRUE(results[static_cast<std::size_t>(i)].has_value()) << i;
  ASSERT_FALSE(results[1].has_value());
  EXPECT_EQ(results[1].error().message, "job 1 fails after writing");
  EXPECT_EQ(user_count(), 3u);
  EXPECT_FALSE(find(ResourceType::User, "okta", "u1").has_value());
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit"), 3);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit WHERE details LIKE '%\"u1\"%'"), 0);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM reconcile_queue"), 1);
}

// A write the database refuses only when it is sent (PostgreSQL checks that text is UTF-8;
// the id and userName checks before it pass). Sent with the next job's statements, its
// failure cannot be told from that job's: the batch runs again with each job settled on
// its own, and only the job that wrote it fails.
TEST_P(IdentityWriteTest, AWriteRefusedWhenItRidesWithTheNextJobFailsOnlyItsOwnJob) {
  if (GetParam().name == "Sqlite") GTEST_SKIP() << "SQLite runs every write at once and stores any bytes";
  Blocker blocker;
  std::promise<Result<void>> first;
  block_writer(blocker, first);
  std::promise<Result<void>> results[3];
  std::atomic<int> runs_of_last{0};
  for (int i = 0; i < 3; ++i) {
    const std::string id = "u" + std::to_string(i);
    store_->write_async(
        [id, i, &runs_of_last](IdentityWriter& w) -> Result<void> {
          if (i == 2) ++runs_of_last;
          ResourceRecord r = user("okta", id, id);
          if (i == 1) r.display_name = "bad \xff byte";
          if (auto done = w.insert(r); !done) return done;
          return w.record(created_event(id), at_second(i));
        },
        [&results, i](Result<void> r) { results[i].set_value(std::move(r)); }, IdentityStore::Rerun::Allowed);
  }
  blocker.release();
  EXPECT_TRUE(first.get_future().get().has_value());
  EXPECT_TRUE(results[0].get_future().get().has_value());
  EXPECT_FALSE(results[1].get_future().get().has_value());
  auto last = results[2].get_future().get();
  EXPECT_TRUE(last.has_value()) << last.error().message;
  EXPECT_EQ(runs_of_last.load(), 2);  // once riding (refused with job 1's write), once alone
  EXPECT_TRUE(find(ResourceType::User, "okta", "u0").has_value());
  EXPECT_FALSE(find(ResourceType::User, "okta", "u1").has_value());
  EXPECT_TRUE(find(ResourceType::User, "okta", "u2").has_value());
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit"), 2);
}

TEST_P(IdentityWriteTest, AJobThatThrowsFailsAloneAsAnInternalError) {
  auto r = store_->write([](IdentityWriter& w) -> Result<void> {
    (void)w.insert(user("okta", "u1", "ada"));
    throw std::runtime_error("boom");
  });
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::Internal);
  EXPECT_NE(r.error().message.find("boom"), std::string::npos);
  EXPECT_EQ(user_count(), 0u);
  must_insert({user("okta", "u2", "grace")});
  EXPECT_EQ(user_count(), 1u);
}

TEST_P(IdentityWriteTest, ManyThreadsWritingAtOnceAreAllDurableAndVisible) {
  constexpr int kThreads = 8, kEach = 40;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const std::string id = "t" + std::to_string(t) + "-" + std::to_string(i);
        auto r = store_->write([&](IdentityWriter& w) { return w.insert(user("okta", id, id)); });
        if (!r) ++failures;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(user_count(), static_cast<std::size_t>(kThreads * kEach));

  store_.reset();  // what was acknowledged is on disk
  auto reopened = GetParam().open(dir_.path(), StoreOptions{});
  ASSERT_TRUE(reopened.has_value());
  store_ = std::move(*reopened);
  EXPECT_EQ(user_count(), static_cast<std::size_t>(kThreads * kEach));
}

TEST_P(IdentityWriteTest, CloseRunsTheQueuedJobsThenRefusesWrites) {
  constexpr int kJobs = 100;
  std::atomic<int> ok{0};
  for (int i = 0; i < kJobs; ++i) {
    const std::string id = "u" + std::to_string(i);
    store_->write_async([id](IdentityWriter& w) { return w.insert(user("okta", id, id)); },
                        [&ok](Result<void> r) { ok += r ? 1 : 0; });
  }
  store_->close();
  EXPECT_EQ(ok.load(), kJobs);
  EXPECT_EQ(user_count(), static_cast<std::size_t>(kJobs));  // reads still work

  auto late = store_->write([](IdentityWriter& w) { return w.insert(user("okta", "late", "late")); });
  ASSERT_FALSE(late.has_value());
  EXPECT_EQ(late.error().code, ErrorCode::Unavailable);
  store_->close();  // again: nothing happens
}

TEST_P(IdentityWriteTest, AReadJobSeesOneSnapshotWhileWritesCommit) {
  must_insert({user("okta", "u1", "ada")});
  std::size_t before = 0, during = 0;
  Result<void> written;
  auto r = store_->read([&](IdentityReader& reader) -> Result<void> {
    ResourceQuery q;
    q.source = "okta";
    auto page = reader.search(q);
    if (!page) return tl::unexpected(page.error());
    before = page->total;
    written = store_->write([](IdentityWriter& w) { return w.insert(user("okta", "u2", "grace")); });
    page = reader.search(q);
    if (!page) return tl::unexpected(page.error());
    during = page->total;
    auto found = reader.find(ResourceType::User, "okta", "u2");
    if (!found) return tl::unexpected(found.error());
    EXPECT_FALSE(found->has_value());
    return {};
  });
  ASSERT_TRUE(r.has_value()) << r.error().message;
  ASSERT_TRUE(written.has_value()) << written.error().message;
  EXPECT_EQ(before, 1u);
  EXPECT_EQ(during, 1u);
  EXPECT_EQ(user_count(), 2u);
}

TEST_P(IdentityWriteTest, ConcurrentReadersEachGetAConnection) {
  must_insert({user("okta", "u1", "ada")});
  constexpr int kReaders = 6;
  std::promise<void> all_in;
  auto all_in_future = all_in.get_future().share();
  std::atomic<int> inside{0}, ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kReaders; ++t)
    threads.emplace_back([&] {
      auto r = store_->read([&](IdentityReader& reader) -> Result<void> {
        // Every reader holds its transaction open until all are inside at once.
        if (++inside == kReaders) all_in.set_value();
        all_in_future.wait();
        auto found = reader.find(ResourceType::User, "okta", "u1");
        if (!found) return tl::unexpected(found.error());
        return found->has_value() ? Result<void>{} : fail(ErrorCode::NotFound, "u1");
      });
      if (r) ++ok;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), kReaders);
}

INSTANTIATE_TEST_SUITE_P(Backends, IdentityWriteTest, identity_backends(), backend_name);

}  // namespace
}  // namespace rosterd::identity_test
