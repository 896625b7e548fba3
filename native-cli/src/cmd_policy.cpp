// `ordertrail policy list | show MARKET | check FILE`.
#include <algorithm>
#include <array>
#include <vector>

#include "commands.hpp"
#include "io.hpp"
#include "json_text.hpp"
#include "present.hpp"
#include "sanitize.hpp"
#include "support.hpp"
#include "tzdb.hpp"

namespace ordertrail::cli {
namespace {

// "AWAITING_SHIPMENT, AWAITING_COLLECTION" (a policy's status set).
std::string status_names(status_set set) {
  const std::string names = names_of(set, ", ");
  return names.empty() ? "never" : names;
}

constexpr std::size_t shown_differences = 20;

std::string weekend_text(const calendar& cal) {
  std::string s;
  for (unsigned i = 1; i <= 7; ++i) {  // Monday first
    const date::weekday wd{i % 7};
    if ((cal.weekend_mask() >> wd.c_encoding()) & 1U) s += (s.empty() ? "" : ", ") + std::string(weekday_abbrev(wd));
  }
  return s.empty() ? "none" : s;
}

std::string hhmm(std::chrono::minutes m) {
  const auto v = m.count();
  std::array<char, 8> b{};
  std::snprintf(b.data(), b.size(), "%02d:%02d", static_cast<int>(v / 60), static_cast<int>(v % 60));
  return b.data();
}

std::string years_text(const calendar& cal) {
  if (cal.holidays().empty()) return "none";
  return std::to_string(cal.first_holiday_year()) + "-" + std::to_string(cal.last_holiday_year()) + " (" +
         std::to_string(cal.holidays().size()) + ")";
}

// Holiday coverage (SPEC 2): the calendar years from the first to the last
// listed holiday. A working-day count that touches a date outside them uses
// weekends only and is flagged by the core (calendar_covered: false, warning
// holidays_not_covered). Years inside the coverage that list no holiday are
// still counted as covered; they are named so that a gap in a table shows.
struct holiday_coverage {
  bool any = false;
  int first = 0;
  int last = 0;
  std::vector<int> empty_years;
};

holiday_coverage coverage_of(const calendar& cal) {
  holiday_coverage c;
  if (cal.holidays().empty()) return c;
  c.any = true;
  c.first = cal.first_holiday_year();
  c.last = cal.last_holiday_year();
  std::vector<bool> listed(static_cast<std::size_t>(c.last - c.first) + 1, false);
  for (const auto& h : cal.holidays())
    listed[static_cast<std::size_t>(static_cast<int>(h.date.year()) - c.first)] = true;
  for (int y = c.first; y <= c.last; ++y)
    if (!listed[static_cast<std::size_t>(y - c.first)]) c.empty_years.push_back(y);
  return c;
}

std::string coverage_text(const calendar& cal, const holiday_coverage& c) {
  constexpr std::string_view flagged = "(calendar_covered: false, warning holidays_not_covered)";
  if (!c.any)
    return "No holidays listed: every working-day count uses weekends only and is flagged " + std::string(flagged) +
           "\n";
  const std::string years =
      c.first == c.last ? std::to_string(c.first) : std::to_string(c.first) + "-" + std::to_string(c.last);
  std::string out = "Holidays cover " + years + " (" + std::to_string(cal.holidays().size()) +
                    " listed); working-day counts outside " + (c.first == c.last ? "that year" : "those years") +
                    " use weekends only and are flagged " + std::string(flagged) + "\n";
  if (!c.empty_years.empty()) {
    std::string list;
    for (const int y : c.empty_years) list += (list.empty() ? "" : ", ") + std::to_string(y);
    out += "Note: no holiday listed in " + list +
           ", inside the covered years: counts there skip weekends only, unflagged\n";
  }
  return out;
}

int list(const policy_options& opt) {
  std::vector<policy> all;
  for (const auto& m : builtin_markets()) {
    auto p = builtin_policy(m);
    if (!p) return report_invalid("embedded policy " + m, p.err(), opt.json);
    all.push_back(std::move(*p));
  }
  std::string out;
  if (opt.json) {
    json_out w(out);
    w.begin_object().field("schema", "ordertrail.policies/1");
    w.key("policies").begin_array();
    for (const auto& p : all) {
      w.begin_object()
          .field("market", p.market)
          .field("version", p.version)
          .field("currency", p.currency)
          .field("time_zone", p.time_zone)
          .field("tz_rule", p.cal.tz().rule());
      w.key("holiday_years").begin_array();
      if (!p.cal.holidays().empty()) w.value(p.cal.first_holiday_year()).value(p.cal.last_holiday_year());
      w.end_array().end_object();
    }
    w.end_array().end_object();
    out += '\n';
  } else {
    out = pad("MARKET", 8) + pad("VERSION", 12) + pad("CURRENCY", 10) + pad("TIME ZONE", 22) + "HOLIDAYS\n";
    for (const auto& p : all)
      out += pad(sanitize(p.market), 8) + pad(sanitize(p.version), 12) + pad(sanitize(p.currency), 10) +
             pad(sanitize(p.time_zone), 22) + years_text(p.cal) + "\n";
  }
  return print_stdout(out, exit_ok);
}

// A month as a grid, Monday first: "  3 " a working day, "  8-" a weekend
// day, " 17*" a holiday, "~" after the number a day that is not 24 hours long.
std::string month_grid(const policy& p, date::year_month ym) {
  const calendar& cal = p.cal;
  static constexpr std::array<std::string_view, 12> months{"January",   "February", "March",    "April",
                                                           "May",       "June",     "July",     "August",
                                                           "September", "October",  "November", "December"};
  std::string out = std::string(months[static_cast<unsigned>(ym.month()) - 1]) + " " +
                    std::to_string(static_cast<int>(ym.year())) + "\n Mon  Tue  Wed  Thu  Fri  Sat  Sun\n";
  const date::sys_days first{ym / 1};
  const unsigned lead = (date::weekday{first}.c_encoding() + 6) % 7;
  out += std::string(static_cast<std::size_t>(lead) * 5, ' ');
  std::vector<const holiday*> listed;
  const unsigned last = static_cast<unsigned>((ym / date::last).day());
  for (unsigned d = 1; d <= last; ++d) {
    const civil_date day = ym / date::day{d};
    const auto length = cal.end_of_day(day) - cal.start_of_day(day);
    std::string cell = (d < 10 ? "  " : " ") + std::to_string(d);
    if (const holiday* h = cal.holiday_on(day)) {
      cell += "*";
      listed.push_back(h);
    } else if (cal.is_weekend(day)) {
      cell += "-";
    } else {
      cell += " ";
    }
    cell += length != std::chrono::hours{24} ? "~" : " ";
    out += cell;
    if (date::weekday{date::sys_days{day}} == date::Sunday || d == last) {
      while (!out.empty() && out.back() == ' ') out.pop_back();
      out += "\n";
    }
  }
  out += "(* holiday, - weekend, ~ a day that is not 24 hours long in " + sanitize(p.time_zone) + ")\n";
  for (const auto* h : listed)
    out +=
        "  " + weekday_date(h->date) + "  " + (h->name.empty() ? std::string("(no name)") : sanitize(h->name)) + "\n";
  return out;
}

int show(const policy_options& opt, const common_options& c) {
  if (opt.target.empty()) {
    diag("policy show: which market? see 'ordertrail policy list'");
    return exit_usage;
  }
  auto p = builtin_policy(opt.target);
  if (!p) {
    diag("policy show: " + error_text(p.err()));
    return exit_usage;
  }
  if (opt.json) {
    std::string text(builtin_policy_json(opt.target));
    if (text.empty() || text.back() != '\n') text += '\n';
    return print_stdout(text, exit_ok);
  }
  const style st(colour_enabled(c.colour, 1));
  const calendar& cal = p->cal;
  std::string out;
  if (!opt.month.empty()) {
    auto d = parse_date(opt.month + "-01");
    if (opt.month.size() != 7 || !d) {
      diag("--month: expected YYYY-MM, got \"" + sanitize(opt.month) + "\"");
      return exit_usage;
    }
    out = st.bold("Market " + sanitize(p->market)) + " (policy " + sanitize(p->version) + "), " +
          sanitize(p->time_zone) + "\n\n" + month_grid(*p, d->year() / d->month());
    return print_stdout(out, exit_ok);
  }
  auto row = [&](std::string_view label, const std::string& value) { out += "  " + column(label, 32) + value + "\n"; };
  auto hours = [](int h) { return std::to_string(h) + (h == 1 ? " hour" : " hours"); };
  auto days = [](int d, std::string_view kind) {
    return std::to_string(d) + " " + std::string(kind) + (d == 1 ? " day" : " days");
  };
  out += st.bold("Market " + sanitize(p->market)) + " (policy " + sanitize(p->version) + ", currency " +
         sanitize(p->currency) + ")\n\n";
  out += st.bold("Calendar") + "\n";
  row("Time zone", sanitize(p->time_zone) + " (rule " + sanitize(cal.tz().rule()) + ")");
  row("Weekend", weekend_text(cal));
  row("Daily cutoff",
      cal.cutoff() ? hhmm(*cal.cutoff()) + " local: orders at or after it count from the next day" : "none");
  row("Holidays", years_text(cal));
  out += "\n" + st.bold("Windows") + "\n";
  row("Payment", hours(p->payment_window_hours) + " after placement");
  row("Free cancellation", hours(p->remorse_window_hours) + " after payment");
  row("Buyer may request cancellation", p->buyer_can_request_cancel ? "yes" : "no: the buyer contacts the seller");
  row("Seller answers a cancel request",
      std::string("within ") + hours(p->cancel_request_response_hours) + ", else " +
          (p->on_no_response == no_response_outcome::approve ? "approved" : "rejected"));
  row("Requests allowed while", status_names(p->buyer_request_statuses));
  row("Request at/after dispatch-by",
      p->request_after_dispatch_by == after_dispatch_by::approve ? "approved at once" : "answered like any other");
  row("Shipment closes a request", p->shipment_closes_request ? "yes" : "no: it can still be approved");
  row("Seller may cancel while",
      status_names(p->seller_statuses) + (p->seller_line_cancel ? "; some items only too" : "; whole order only"));
  row("Dispatch by", days(p->dispatch_working_days, "working") + " after " +
                         (p->ship_by_start == ship_by_from::placed ? "placement" : "payment") +
                         " (late dispatch metric)");
  row("Ship by (auto-cancel)",
      days(p->ship_by_working_days, "working") + " after " +
          (p->ship_by_start == ship_by_from::placed ? "placement" : "payment") + " (" +
          (p->ship_by_satisfier == ship_by_satisfied_by::shipped ? "shipped" : "ready to ship") + ")");
  row("Made-to-order, back-order", "dispatch after the handling time; auto-cancel " +
                                       days(p->made_to_order_extra_working_days, "working") + " after that");
  row("Pre-order", "dispatch the working day after the release; auto-cancel " +
                       days(p->pre_order_extra_working_days, "working") + " after that");
  row("Delivery", days(p->delivery_grace_days, "calendar") + " after the original estimate");
  row("Not-received claim", days(p->not_received_claim_after_days, "calendar") + " after the original estimate");
  row("Return window", days(p->return_window_days, "calendar") + " after delivery");
  row("Seller answers a return", "within " + hours(p->return_response_hours));
  row("Quote defaults", "handling " + days(p->default_handling_days, "working") + ", transit " +
                            std::to_string(p->default_transit_days[0]) + "-" +
                            std::to_string(p->default_transit_days[1]) + " working days");
  if (!cal.holidays().empty()) {
    out += "\n" + st.bold("Holidays") + "\n";
    for (const auto& h : cal.holidays())
      out += "  " + weekday_date(h.date) + "  " + (h.name.empty() ? std::string("(no name)") : sanitize(h.name)) + "\n";
  }
  if (!p->notes.empty()) {
    out += "\n" + st.bold("Notes") + "\n";
    for (const auto& n : p->notes) out += "  " + sanitize(n.field) + ": " + sanitize(n.text) + "\n";
  }
  return print_stdout(out, exit_ok);
}

struct difference {
  std::string kind;  // zone_not_found, start_of_day, offset
  std::string where;
  std::string rule;
  std::string os;
  std::string text;
};

int check(const policy_options& opt, const common_options& c) {
  if (opt.target.empty()) {
    diag("policy check: which file? see 'ordertrail help policy'");
    return exit_usage;
  }
  std::string text;
  if (auto err = read_document(opt.target, max_policy_bytes, text)) {
    diag(*err);
    return exit_io;
  }
  auto p = parse_policy(text);
  const std::string name = display_name(opt.target);
  if (!p) return report_invalid(name, p.err(), opt.json);
  const calendar& cal = p->cal;

  int first = cal.first_holiday_year();
  int last = cal.last_holiday_year();
  if (cal.holidays().empty()) {  // no holiday years: this year and the next two
    const auto now = resolve_instant(opt.now, "--now");
    if (!now) return exit_usage;
    first = static_cast<int>(civil_date{std::chrono::floor<date::days>(*now)}.year());
    last = first + 2;
  }
  std::vector<difference> diffs;
  std::size_t days_checked = 0;
  std::size_t transitions_checked = 0;
  std::string zone_error;
  const auto os = os_zone::locate(p->time_zone, zone_error);
  if (!os) {
    diffs.push_back(
        {"zone_not_found", "", "", "",
         "time_zone \"" + sanitize(p->time_zone) + "\" is not in the OS tz database: " + sanitize(zone_error)});
  } else {
    const date::sys_days from{date::year{first} / 1 / 1};
    const date::sys_days to{date::year{last + 1} / 1 / 1};
    for (auto d = from; d < to; d += date::days{1}) {
      ++days_checked;
      const civil_date day{d};
      const instant mine = cal.start_of_day(day);
      const instant theirs = os->start_of_day(d);
      if (mine != theirs)
        diffs.push_back({"start_of_day", format_date(day), format_instant(mine), format_instant(theirs),
                         weekday_date(day) + " starts at " + format_instant(mine) + " by the tz_rule, at " +
                             format_instant(theirs) + " by the OS database"});
    }
    const instant begin = os->start_of_day(from);
    const instant end = os->start_of_day(to);
    std::vector<instant> probes{begin};
    for (const auto& t : os->transitions(begin, end)) {
      ++transitions_checked;
      probes.push_back(t.at - std::chrono::seconds{1});
      probes.push_back(t.at);
    }
    // Also the rule's own transitions, which the OS list would miss if the
    // rule changes offset where the OS database does not.
    for (auto d = from; d < to; d += date::days{1}) {
      const instant s = cal.start_of_day(civil_date{d});
      const instant e = cal.end_of_day(civil_date{d});
      if (cal.tz().offset_at(s) != cal.tz().offset_at(e - std::chrono::seconds{1})) {
        instant lo = s;
        instant hi = e - std::chrono::seconds{1};
        while (hi - lo > std::chrono::seconds{1}) {
          const instant mid = lo + (hi - lo) / 2;
          (cal.tz().offset_at(mid) == cal.tz().offset_at(lo) ? lo : hi) = mid;
        }
        probes.push_back(lo);
        probes.push_back(hi);
      }
    }
    std::sort(probes.begin(), probes.end());
    probes.erase(std::unique(probes.begin(), probes.end()), probes.end());
    for (const instant t : probes) {
      const auto mine = cal.tz().offset_at(t);
      const auto theirs = os->offset_at(t);
      if (mine != theirs)
        diffs.push_back({"offset", format_instant(t), offset_text(mine), offset_text(theirs),
                         "at " + format_instant(t) + " the UTC offset is " + offset_text(mine) + " by the tz_rule, " +
                             offset_text(theirs) + " by the OS database"});
    }
  }
  const std::string version = os_zone::database_version();
  const holiday_coverage coverage = coverage_of(cal);
  std::string out;
  if (opt.json) {
    json_out w(out);
    w.begin_object()
        .field("schema", "ordertrail.policy_check/1")
        .field("file", name)
        .field("valid", true)
        .field("market", p->market)
        .field("version", p->version)
        .field("time_zone", p->time_zone)
        .field("tz_rule", cal.tz().rule())
        .field("tzdb_version", version);
    w.key("holiday_years").begin_array();
    if (coverage.any) w.value(coverage.first).value(coverage.last);
    w.end_array().field("holidays_listed", cal.holidays().size());
    w.key("years_without_holidays").begin_array();
    for (const int y : coverage.empty_years) w.value(y);
    w.end_array();
    w.key("years").begin_array().value(first).value(last).end_array();
    w.field("days_checked", days_checked).field("transitions_checked", transitions_checked);
    w.key("differences").begin_array();
    for (const auto& d : diffs) {
      w.begin_object().field("kind", d.kind).field("where", d.where).field("rule", d.rule).field("os", d.os);
      w.field("text", d.text).end_object();
    }
    w.end_array().field("ok", diffs.empty()).end_object();
    out += '\n';
  } else {
    const style st(colour_enabled(c.colour, 1));
    out += name + ": a valid policy (market " + sanitize(p->market) + ", version " + sanitize(p->version) + ")\n";
    out += coverage_text(cal, coverage);
    out += "Time zone " + sanitize(p->time_zone) + ", tz_rule \"" + sanitize(cal.tz().rule()) +
           "\", checked against the OS tz database (version " + sanitize(version) + ") for " + std::to_string(first) +
           "-" + std::to_string(last) + ": " + std::to_string(days_checked) + " day starts, " +
           std::to_string(transitions_checked) + " offset changes\n";
    if (diffs.empty()) {
      out += st.green("No difference.") + "\n";
    } else {
      out += st.red(std::to_string(diffs.size()) + (diffs.size() == 1 ? " difference:" : " differences:")) + "\n";
      for (std::size_t i = 0; i < diffs.size() && i < shown_differences; ++i) out += "  " + diffs[i].text + "\n";
      if (diffs.size() > shown_differences)
        out += "  ... and " + std::to_string(diffs.size() - shown_differences) + " more (see --json)\n";
    }
  }
  return print_stdout(out, diffs.empty() ? exit_ok : exit_problem);
}

}  // namespace

int cmd_policy(const policy_options& opt, const common_options& c) {
  if (opt.action == "list") return list(opt);
  if (opt.action == "show") return show(opt, c);
  if (opt.action == "check") return check(opt, c);
  diag("policy: expected list, show MARKET or check FILE; see 'ordertrail help policy'");
  return exit_usage;
}

}  // namespace ordertrail::cli
