// `ordertrail quote`: the checkout promise of a market at an instant.
#include <charconv>

#include "commands.hpp"
#include "io.hpp"
#include "present.hpp"
#include "sanitize.hpp"
#include "support.hpp"

namespace ordertrail::cli {
namespace {

// The working-day counts a quote accepts on the command line (the core's
// quote_json refuses the same).
constexpr int max_days = 366;

bool parse_int(std::string_view s, int& out) {
  if (s.empty()) return false;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc{} && r.ptr == s.data() + s.size();
}

std::string view(const quote& q, const policy& p, const style& st) {
  const calendar& cal = p.cal;
  std::string out;
  auto row = [&](std::string_view label, const std::string& value) { out += "  " + column(label, 32) + value + "\n"; };
  out += st.bold("Checkout promise") + " for market " + sanitize(q.market) + " (policy " + sanitize(q.policy_version) +
         ", times in " + sanitize(q.time_zone) + ")\n";
  out += "  " + column("Order placed", 32) + local_datetime(cal, q.at) + "  (" + format_instant(q.at) + ")\n\n";
  row("Pay by", local_when(cal, q.pay_by));
  row("Free cancellation until", local_when(cal, q.free_cancellation_until));
  row("Seller dispatches by",
      local_when(cal, q.dispatch_by) + "  (" +
          (q.release_date
               ? "pre-order: the working day after the release on " + weekday_date(*q.release_date)
               : std::to_string(q.handling_days) + " working day" + (q.handling_days == 1 ? "" : "s") + " of handling" +
                     (q.type == order_kind::normal ? "" : ", " + std::string(to_string(q.type)))) +
          ")");
  row("Estimated delivery", weekday_date(q.delivery_earliest) + " to " + weekday_date(q.delivery_latest) + "  (" +
                                std::to_string(q.transit_days[0]) + "-" + std::to_string(q.transit_days[1]) +
                                " working days in transit)");
  row("Ship-by deadline (auto-cancel)", local_when(cal, q.ship_by));
  out += std::string(34, ' ') + sanitize(q.ship_by_basis) + "\n";
  row("Refund claim if not received", "from " + local_when(cal, q.not_received_claim_from));
  row("Auto-cancel if not delivered", local_when(cal, q.delivery_auto_cancel));
  row("Returns", "within " + std::to_string(q.return_window_days) + " days of delivery");
  return out;
}

}  // namespace

int cmd_quote(const quote_options& opt, const common_options& c) {
  if (opt.market.empty() && opt.policy_file.empty()) {
    diag("quote: --market is required (or --policy FILE); see 'ordertrail help quote'");
    return exit_usage;
  }
  quote_request r;
  const auto at = resolve_instant(opt.at, "--at");
  if (!at) return exit_usage;
  r.at = *at;
  if (opt.handling_days) {
    if (*opt.handling_days < 0 || *opt.handling_days > max_days) {
      diag("--handling-days: a number of working days from 0 to " + std::to_string(max_days));
      return exit_usage;
    }
    r.handling_days = *opt.handling_days;
  }
  if (!opt.transit_days.empty()) {
    const auto dash = opt.transit_days.find('-');
    int a = 0;
    int b = 0;
    const std::string_view s(opt.transit_days);
    if (dash == std::string::npos || !parse_int(s.substr(0, dash), a) || !parse_int(s.substr(dash + 1), b) || a < 0 ||
        b < a || b > max_days) {
      diag("--transit-days: expected A-B working days with 0 <= A <= B <= " + std::to_string(max_days) + ", got \"" +
           sanitize(opt.transit_days) + "\"");
      return exit_usage;
    }
    r.transit_days = std::array<int, 2>{a, b};
  }
  if (!opt.order_type.empty()) {
    const auto k = order_kind_from(opt.order_type);
    if (k) r.type = *k;
    if (!k) {
      diag("--order-type: normal, pre_order, made_to_order or back_order, not \"" + sanitize(opt.order_type) + "\"");
      return exit_usage;
    }
  }
  if (!opt.release_date.empty()) {
    const auto d = parse_date(opt.release_date);
    if (!d) {
      diag("--release-date: a date YYYY-MM-DD, not \"" + sanitize(opt.release_date) + "\"");
      return exit_usage;
    }
    r.release_date = *d;
  }
  int code = exit_ok;
  std::optional<policy> p;
  if (!opt.policy_file.empty()) {
    p = load_policy_file(opt.policy_file, code, opt.json);
    if (!p) return code;
  } else {
    auto b = builtin_policy(opt.market);
    if (!b) {
      diag("--market: " + error_text(b.err()));
      return exit_usage;
    }
    p = std::move(*b);
  }
  if (!opt.market.empty() && !opt.policy_file.empty() && p->market != opt.market) {
    return report_invalid(
        "quote",
        error{"policy_market_mismatch", "/market",
              "the quote is asked for market \"" + opt.market + "\" but the policy is for \"" + p->market + "\""},
        opt.json);
  }
  auto q = make_quote(*p, r);
  if (!q) return report_invalid("quote", q.err(), opt.json);
  if (opt.json) return print_stdout(to_json(*q) + "\n", exit_ok);
  return print_stdout(view(*q, *p, style(colour_enabled(c.colour, 1))), exit_ok);
}

}  // namespace ordertrail::cli
