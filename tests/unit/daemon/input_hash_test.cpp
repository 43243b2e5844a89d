// The input hash of a plan is taken while the canonical text is written, piece by piece
// (a first sync's text is some 100 MB): it must be the hash of that very text, or a plan
// stored by one version would be refused by `rosterd apply` for no reason.
#include <gtest/gtest.h>

#include "daemon/reconcile/space_planner.h"
#include "tests/unit/core/reconcile_fixture.h"

namespace rosterd::core_test {
namespace {

class InputHash : public ReconcileTest {
 protected:
  InputHash() {
    want("new@acme.example");
    want("kept@acme.example").title = "Sourcer";
    has("kept@acme.example");
    has("leaver@acme.example");
    gone("leaver@acme.example", "denied by rule no-contractors");
    input.queue = {{"new@acme.example", "recruiter", kEarlier}};
  }
};

TEST_F(InputHash, IsTheHashOfTheWholeCanonicalText) {
  const std::string text = canonical_text(input);
  ASSERT_NE(text.find("new@acme.example"), std::string::npos);
  EXPECT_EQ(input_hash(input), "sha256:" + sha256_hex(text));
}

TEST_F(InputHash, ChangesWithEveryKindOfRecord) {
  const std::string base = input_hash(input);
  auto changed = input;
  changed.current.back().title = "Other";
  EXPECT_NE(input_hash(changed), base) << "an account";
  changed = input;
  changed.queue.clear();
  EXPECT_NE(input_hash(changed), base) << "the queue";
  changed = input;
  changed.desired.excluded.clear();
  EXPECT_NE(input_hash(changed), base) << "the excluded people";
}

}  // namespace
}  // namespace rosterd::core_test
