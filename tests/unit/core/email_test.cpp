// email_problem() accepts what an admin panel accepts and explains what it refuses;
// email_key() is the case-insensitive form used for uniqueness.
#include <gtest/gtest.h>

#include <string>

#include "core/email.h"

namespace rosterd {
namespace {

TEST(EmailProblem, AcceptsOrdinaryAddresses) {
  for (const char* email : {"ada@acme.example", "Ada.Lovelace@Acme.Example", "ada+jobs@acme.example",
                            "a@b.co", "first_last@mail.acme-corp.example", "o'brien@acme.example",
                            "x-y.z@sub.domain.acme.example", "Ünïcode@acme.example"})
    EXPECT_EQ(email_problem(email), std::nullopt) << email;
}

TEST(EmailProblem, RefusesEachMalformedAddressWithAReason) {
  for (const char* email :
       {"", "ada", "ada.acme.example", "ada@acme@example", "@acme.example", "ada@", "ada@acme",
        "ada lovelace@acme.example", "ada@acme .example", " ada@acme.example", "ada@acme.example ",
        "ada\t@acme.example", "ada\n@acme.example", "<ada>@acme.example", "ada,bob@acme.example",
        "ada;@acme.example", "\"ada\"@acme.example", "ada(x)@acme.example", "ada@[1.2.3.4]",
        "ada\\@acme.example", ".ada@acme.example", "ada.@acme.example", "a..da@acme.example",
        "ada@.acme.example", "ada@acme.example.", "ada@acme..example", "ada@-acme.example",
        "ada\x7f@acme.example"}) {
    const auto problem = email_problem(email);
    ASSERT_TRUE(problem.has_value()) << "accepted '" << email << "'";
    EXPECT_FALSE(problem->empty()) << email;
  }
}

TEST(EmailProblem, ExplainsTheFirstThingThatIsWrong) {
  EXPECT_EQ(email_problem(""), "is empty");
  EXPECT_EQ(email_problem("ada.acme.example"), "has no '@'");
  EXPECT_EQ(email_problem("a@b@c.example"), "has more than one '@'");
  EXPECT_EQ(email_problem("ada@acme"), "has a domain without a '.'");
}

TEST(EmailProblem, EnforcesTheRfc5321LengthsAtTheirExactLimits) {
  const std::string local64(64, 'a');
  EXPECT_EQ(email_problem(local64 + "@acme.example"), std::nullopt);
  EXPECT_TRUE(email_problem(local64 + "a@acme.example").has_value());

  // 254 characters in all is the longest address.
  const std::string tail = "@" + std::string(63, 'b') + "." + std::string(63, 'c') + ".";
  const std::string domain_end = ".example";
  std::string longest = std::string(64, 'a') + tail;
  longest += std::string(254 - longest.size() - domain_end.size(), 'd') + domain_end;
  ASSERT_EQ(longest.size(), 254u);
  EXPECT_EQ(email_problem(longest), std::nullopt);
  std::string too_long = longest;  // one more letter in the domain; the local part stays 64
  too_long.insert(too_long.size() - domain_end.size(), "d");
  ASSERT_EQ(too_long.size(), 255u);
  EXPECT_TRUE(email_problem(too_long).has_value());
}

TEST(EmailKey, LowersAsciiLettersOnly) {
  EXPECT_EQ(email_key("Ada.LOVELACE@Acme.Example"), "ada.lovelace@acme.example");
  EXPECT_EQ(email_key("ÄDA@acme.example"), "Äda@acme.example");  // non-ASCII bytes unchanged
  EXPECT_EQ(email_key("a+B_9@x.example"), "a+b_9@x.example");
  EXPECT_EQ(ascii_lower("[AZ]@`az{"), "[az]@`az{");  // the neighbours of A-Z stay as they are
}

}  // namespace
}  // namespace rosterd
