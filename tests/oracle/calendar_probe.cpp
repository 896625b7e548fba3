// calendar_probe — answers calendar questions about the embedded market
// policies, one line per command, so that independent oracles (numpy, Python
// zoneinfo) can check the core's calendar in bulk. Not part of the product.
//
// Commands (stdin, one per line; one answer line each on stdout):
//   add MARKET YYYY-MM-DD N   date of cal.add_working_days(date, N), or `error CODE`
//   start MARKET YYYY-MM-DD   format_instant(cal.start_of_day(date))
//   day0 MARKET RFC3339       the day0 date of the instant
//   holidays MARKET           the policy's holiday dates, space separated
// Any failure prints `error CODE` (CODE `bad_command` for a malformed line).
#include <iostream>
#include <map>
#include <sstream>
#include <string>

#include "ordertrail/ordertrail.hpp"

namespace {

using ordertrail::policy;
using ordertrail::result;

const result<policy>& market_policy(const std::string& market) {
  static std::map<std::string, result<policy>> cache;
  auto it = cache.find(market);
  if (it == cache.end()) it = cache.emplace(market, ordertrail::builtin_policy(market)).first;
  return it->second;
}

std::string answer(const std::string& line) {
  std::istringstream in(line);
  std::string command, market, arg;
  if (!(in >> command >> market)) return "error bad_command";
  const auto& pol = market_policy(market);
  if (!pol) return "error " + pol.err().code;
  const auto& cal = pol->cal;

  if (command == "holidays") {
    std::string out;
    for (const auto& h : cal.holidays()) {
      if (!out.empty()) out += ' ';
      out += ordertrail::format_date(h.date);
    }
    return out;
  }
  if (!(in >> arg)) return "error bad_command";
  if (command == "add") {
    int n = 0;
    if (!(in >> n)) return "error bad_command";
    auto date = ordertrail::parse_date(arg);
    if (!date) return "error " + date.err().code;
    // Both ways the core counts: the walk that lists the dates passed over,
    // and the lookup in the precomputed table. They must agree.
    auto r = cal.add_working_days(*date, n);
    auto fast = cal.working_day_after(*date, n);
    if (r.ok() != fast.ok() || (r.ok() && r->date != *fast) || (!r.ok() && r.err().code != fast.err().code))
      return "error walk_and_table_disagree";
    if (!r) return "error " + r.err().code;
    return ordertrail::format_date(r->date);
  }
  if (command == "start") {
    auto date = ordertrail::parse_date(arg);
    if (!date) return "error " + date.err().code;
    return ordertrail::format_instant(cal.start_of_day(*date));
  }
  if (command == "day0") {
    auto t = ordertrail::parse_instant(arg);
    if (!t) return "error " + t.err().code;
    return ordertrail::format_date(cal.day0(*t));
  }
  return "error bad_command";
}

}  // namespace

int main() {
  std::ios::sync_with_stdio(false);
  std::string line;
  while (std::getline(std::cin, line)) std::cout << answer(line) << '\n';
  std::cout.flush();
  return 0;
}
