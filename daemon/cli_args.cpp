#include "daemon/cli_args.h"

#include <algorithm>

namespace rosterd::cli {
namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::optional<std::string> closest(std::string_view word, const std::vector<std::string>& known) {
  std::optional<std::string> best;
  std::size_t best_distance = 3;
  for (const auto& k : known) {
    const std::size_t d = edit_distance(word, k);
    if (d < best_distance) {
      best_distance = d;
      best = k;
    }
  }
  return best;
}

std::optional<std::string> Args::value(std::string_view name) const {
  const auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

Result<Args> Args::parse(const std::vector<std::string>& tokens, const OptionSpec& spec) {
  Args args;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const std::string& t = tokens[i];
    if (t == "--") {
      args.positionals_.insert(args.positionals_.end(), tokens.begin() + long(i) + 1, tokens.end());
      break;
    }
    if (t.size() < 3 || t.rfind("--", 0) != 0) {
      args.positionals_.push_back(t);
      continue;
    }
    std::string name = t.substr(2);
    std::optional<std::string> inline_value;
    if (const auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name.resize(eq);
    }
    if (spec.with_value.count(name)) {
      if (!inline_value && i + 1 >= tokens.size())
        return fail(ErrorCode::Usage, "option --" + name + " needs a value");
      if (args.values_.count(name)) return fail(ErrorCode::Usage, "option --" + name + " given twice");
      args.values_[name] = inline_value ? *inline_value : tokens[++i];
    } else if (spec.flags.count(name)) {
      if (inline_value) return fail(ErrorCode::Usage, "option --" + name + " takes no value");
      args.flags_.insert(name);
    } else {
      std::vector<std::string> known(spec.with_value.begin(), spec.with_value.end());
      known.insert(known.end(), spec.flags.begin(), spec.flags.end());
      std::string message = "unknown option --" + name;
      if (auto guess = closest(name, known)) message += "; did you mean --" + *guess + "?";
      return fail(ErrorCode::Usage, message);
    }
  }
  return args;
}

}  // namespace rosterd::cli
