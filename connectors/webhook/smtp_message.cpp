#include "connectors/webhook/smtp_message.h"

#include <array>
#include <cstdio>

#include "core/try.h"

namespace rosterd::webhook {
namespace {

// A mailbox as it goes into a header and the envelope: local@domain, one line, no spaces,
// no angle brackets or commas (which would add or hide a recipient).
Result<void> check_address(std::string_view address, std::string_view what) {
  ROSTERD_TRY(check_header_value(address, what));
  const auto at = address.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == address.size() ||
      address.find_first_of(" \t<>,;\"()") != std::string_view::npos)
    return fail(ErrorCode::InvalidValue, std::string(what) + " is not an address of the form local@domain: '" +
                                             std::string(address) + "'");
  return {};
}

// The Message-ID's left part: the event id's letters, digits, '-', '_' and '.'.
std::string id_part(std::string_view event_id) {
  std::string out;
  for (const char c : event_id)
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.')
      out += c;
  return out.empty() ? "event" : out;
}

}  // namespace

Result<void> check_header_value(std::string_view value, std::string_view what) {
  for (const char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f)
      return fail(ErrorCode::InvalidValue, std::string(what) + (c == '\r' || c == '\n'
                                                                    ? " contains a line break (CR or LF)"
                                                                    : " contains a control character"));
  }
  return {};
}

std::string rfc5322_date(Timestamp t) {
  static constexpr std::array<const char*, 7> kDays{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd(day);
  const std::chrono::weekday wd(day);
  const std::chrono::hh_mm_ss hms(std::chrono::floor<std::chrono::seconds>(t - day));
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02d:%02d:%02d +0000", kDays[wd.c_encoding()],
                static_cast<unsigned>(ymd.day()), kMonths[static_cast<unsigned>(ymd.month()) - 1],
                static_cast<int>(ymd.year()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
  return buf;
}

std::string invitation_text(const InvitationMail& mail) {
  return "Hello,\r\n"
         "\r\n"
         "You have been invited to the recruiting space \"" + mail.space + "\" with the role \"" + mail.role +
         "\".\r\n"
         "Sign in with this email address to activate your account.\r\n"
         "\r\n"
         "-- \r\n"
         "Sent by rosterd for the administrators of " + mail.space + ".\r\n";
}

Result<std::string> invitation_message(const InvitationMail& mail) {
  ROSTERD_TRY(check_address(mail.from, "the sender (from)"));
  ROSTERD_TRY(check_address(mail.to, "the recipient's email"));
  ROSTERD_TRY(check_header_value(mail.space, "the space"));
  ROSTERD_TRY(check_header_value(mail.role, "the role"));
  ROSTERD_TRY(check_header_value(mail.event_id, "the event id"));
  const std::string domain = mail.from.substr(mail.from.rfind('@') + 1);
  std::string m;
  m += "From: " + mail.from + "\r\n";
  m += "To: " + mail.to + "\r\n";
  m += "Subject: Your invitation to " + mail.space + "\r\n";
  m += "Date: " + rfc5322_date(mail.date) + "\r\n";
  m += "Message-ID: <invitation." + id_part(mail.event_id) + "@" + domain + ">\r\n";
  m += "MIME-Version: 1.0\r\n";
  m += "Content-Type: text/plain; charset=utf-8\r\n";
  m += "Content-Transfer-Encoding: 8bit\r\n";
  m += "Auto-Submitted: auto-generated\r\n";
  m += "\r\n";
  m += invitation_text(mail);
  return m;
}

}  // namespace rosterd::webhook
