// Seeds a SCIM benchmark store: N users and G groups of one source, the first group
// holding the first M users, through the same decode path as POST /Users, in batches
// of 1,000 per transaction. Ids are fixed so the wrk scripts can name them:
//   user n (1-based):  00000000-0000-4000-8000-<n, 12 digits>
//   group g:           00000000-0000-4000-9000-<g, 12 digits>
// and userName user<n>@bench.example.
//   seed_identities --db FILE --source ID [--users N] [--groups G] [--big-group M]
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include <boost/json/parse.hpp>

#include "scim/resource_codec.h"
#include "store/sqlite/open_sqlite_identity_store.h"
#include "store/store_options.h"

namespace {

std::string numbered(const char* prefix, long n) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%s%012ld", prefix, n);
  return buffer;
}

std::string user_body(long n) {
  const std::string name = "user" + std::to_string(n);
  return R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],)"
         R"("userName":")" + name + R"(@bench.example","externalId":"ext-)" + std::to_string(n) +
         R"(","name":{"givenName":"Given)" + std::to_string(n) + R"(","familyName":"Family)" + std::to_string(n) +
         R"("},"displayName":"Given)" + std::to_string(n) + " Family" + std::to_string(n) +
         R"(","emails":[{"value":")" + name + R"(@bench.example","type":"work","primary":true}],)"
         R"("title":"Recruiter","active":true,"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":)"
         R"({"employeeNumber":")" + std::to_string(n) + R"(","department":"Talent"}})";
}

}  // namespace

int main(int argc, char** argv) {
  std::string db, source = "bench";
  long users = 100000, groups = 1000, big_group = 50000;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i];
    const std::string value = argv[i + 1];
    if (key == "--db") db = value;
    else if (key == "--source") source = value;
    else if (key == "--users") users = std::atol(value.c_str());
    else if (key == "--groups") groups = std::atol(value.c_str());
    else if (key == "--big-group") big_group = std::atol(value.c_str());
  }
  if (db.empty()) {
    std::cerr << "usage: seed_identities --db FILE [--source ID] [--users N] [--groups G] [--big-group M]\n";
    return 2;
  }
  auto store = rosterd::open_sqlite_identity_store(db, rosterd::StoreOptions{});
  if (!store) {
    std::cerr << store.error().message << "\n";
    return 3;
  }
  const auto now = rosterd::system_now();
  auto check = [](const rosterd::Result<void>& r) {
    if (!r) {
      std::cerr << "seed failed: " << r.error().message << "\n";
      std::exit(3);
    }
  };
  constexpr long kBatch = 1000;
  for (long first = 1; first <= users; first += kBatch) {
    check((*store)->write([&](rosterd::IdentityWriter& w) -> rosterd::Result<void> {
      for (long n = first; n < first + kBatch && n <= users; ++n) {
        auto decoded = rosterd::scim::decode_resource(rosterd::ResourceType::User,
                                                      boost::json::parse(user_body(n)).as_object());
        if (!decoded) return tl::unexpected(decoded.error());
        rosterd::ResourceRecord r = std::move(decoded->record);
        r.type = rosterd::ResourceType::User;
        r.source = source;
        r.id = numbered("00000000-0000-4000-8000-", n);
        r.created = r.updated = now;
        if (auto inserted = w.insert(r); !inserted) return inserted;
      }
      return {};
    }));
  }
  check((*store)->write([&](rosterd::IdentityWriter& w) -> rosterd::Result<void> {
    for (long g = 1; g <= groups; ++g) {
      rosterd::ResourceRecord r;
      r.type = rosterd::ResourceType::Group;
      r.source = source;
      r.id = numbered("00000000-0000-4000-9000-", g);
      r.display_name = "Group " + std::to_string(g);
      r.attributes = R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":")" +
                     r.display_name + "\"}";
      r.created = r.updated = now;
      if (auto inserted = w.insert(r); !inserted) return inserted;
    }
    return {};
  }));
  const std::string big = numbered("00000000-0000-4000-9000-", 1);
  for (long first = 1; first <= big_group; first += 10 * kBatch) {
    check((*store)->write([&](rosterd::IdentityWriter& w) -> rosterd::Result<void> {
      std::vector<rosterd::MemberRef> members;
      for (long n = first; n < first + 10 * kBatch && n <= big_group; ++n)
        members.push_back(rosterd::MemberRef{numbered("00000000-0000-4000-8000-", n), rosterd::ResourceType::User, {}});
      auto added = w.add_members(source, big, members);
      if (!added) return tl::unexpected(added.error());
      return {};
    }));
  }
  (*store)->close();
  std::cout << "seeded " << users << " users, " << groups << " groups, " << big_group
            << " members in group " << big << "\n";
  return 0;
}
