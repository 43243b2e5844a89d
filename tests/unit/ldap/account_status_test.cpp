// userAccountControl's ACCOUNTDISABLE bit and the OpenLDAP status rule.
#include <gtest/gtest.h>

#include "connectors/ldap/account_status.h"

namespace rosterd::ldap {
namespace {

TEST(UacDisabled, ReadsBitTwoWhateverTheOtherFlags) {
  EXPECT_FALSE(uac_disabled("512").value());    // NORMAL_ACCOUNT
  EXPECT_TRUE(uac_disabled("514").value());     // NORMAL_ACCOUNT | ACCOUNTDISABLE
  EXPECT_TRUE(uac_disabled("66050").value());   // ... | DONT_EXPIRE_PASSWORD
  EXPECT_FALSE(uac_disabled("66048").value());
  EXPECT_FALSE(uac_disabled("0").value());
  EXPECT_TRUE(uac_disabled("2").value());
}

TEST(UacDisabled, AcceptsTheSignedFormSomeToolsWrite) {
  EXPECT_TRUE(uac_disabled("-2147483646").value());   // 0x80000002
  EXPECT_FALSE(uac_disabled("-2147483648").value());  // 0x80000000
  EXPECT_TRUE(uac_disabled("4294967295").value());    // 0xFFFFFFFF
}

TEST(UacDisabled, RefusesWhatIsNotA32BitNumber) {
  EXPECT_FALSE(uac_disabled(""));
  EXPECT_FALSE(uac_disabled("TRUE"));
  EXPECT_FALSE(uac_disabled("514 "));
  EXPECT_FALSE(uac_disabled("4294967296"));
}

TEST(StatusRule, LockedAttributePresentDisables) {
  const StatusRule rule{"pwdAccountLockedTime", "", {}};
  EXPECT_TRUE(disabled_by_rule(rule, {"000001010000Z"}, {}));
  EXPECT_FALSE(disabled_by_rule(rule, {}, {}));
}

TEST(StatusRule, AttributeWithValuesDisablesOnAMatchIgnoringCase) {
  const StatusRule rule{"", "nsAccountLock", {"TRUE"}};
  EXPECT_TRUE(disabled_by_rule(rule, {}, {"true"}));
  EXPECT_TRUE(disabled_by_rule(rule, {}, {"no", "TRUE"}));
  EXPECT_FALSE(disabled_by_rule(rule, {}, {"FALSE"}));
  EXPECT_FALSE(disabled_by_rule(rule, {}, {}));
}

TEST(StatusRule, AttributeWithoutValuesDisablesWhenPresent) {
  const StatusRule rule{"", "loginDisabled", {}};
  EXPECT_TRUE(disabled_by_rule(rule, {}, {"anything"}));
  EXPECT_FALSE(disabled_by_rule(rule, {}, {}));
}

TEST(StatusRule, NoRuleNeverDisables) {
  EXPECT_FALSE(disabled_by_rule(StatusRule{}, {"x"}, {"y"}));
}

}  // namespace
}  // namespace rosterd::ldap
