#include "ordertrail/policy.hpp"

#include <array>
#include <cmath>

#include "json_in.hpp"

namespace ordertrail::detail {
extern const std::pair<std::string_view, std::string_view> embedded_policies[];
extern const std::size_t embedded_policy_count;
}  // namespace ordertrail::detail

namespace ordertrail {
namespace {

using detail::json;
using detail::json_ctx;
using detail::presence;

constexpr std::array<std::string_view, 7> weekday_names{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

int read_hours_or_days(json_ctx& c, const json& j, std::string_view key, std::int64_t max) {
  std::int64_t v = 0;
  detail::read_int(c, j, "", key, presence::required, 0, max, v);
  return static_cast<int>(v);
}

// A rate in [0, 1] with at most three decimals, as permille.
int read_rate(json_ctx& c, const json& obj, std::string_view base, std::string_view key) {
  const auto it = obj.find(std::string(key));
  const auto path = detail::pointer_append(base, key);
  if (it == obj.end()) {
    c.fail("missing_field", path, "required field \"" + std::string(key) + "\" is missing");
    return 0;
  }
  if (!it->is_number()) {
    c.fail("invalid_type", path, "\"" + std::string(key) + "\" must be a number from 0 to 1");
    return 0;
  }
  const double v = it->get<double>();
  const double permille = v * 1000.0;
  if (!(v >= 0.0 && v <= 1.0) || std::fabs(permille - std::round(permille)) > 1e-6) {
    c.fail("invalid_value", path, "\"" + std::string(key) + "\" must be from 0 to 1 with at most 3 decimals");
    return 0;
  }
  return static_cast<int>(std::lround(permille));
}

std::optional<std::chrono::minutes> parse_hhmm(std::string_view s) {
  if (s.size() != 5 || s[2] != ':') return std::nullopt;
  for (const auto i : {0, 1, 3, 4})
    if (s[static_cast<std::size_t>(i)] < '0' || s[static_cast<std::size_t>(i)] > '9') return std::nullopt;
  const int h = (s[0] - '0') * 10 + (s[1] - '0');
  const int m = (s[3] - '0') * 10 + (s[4] - '0');
  if (h > 23 || m > 59) return std::nullopt;
  return std::chrono::minutes{h * 60 + m};
}

template <class Enum, std::size_t N>
std::optional<Enum> choose(json_ctx& c, const json& obj, std::string_view base, std::string_view key,
                           const std::array<std::pair<std::string_view, Enum>, N>& choices) {
  std::string s;
  if (!detail::read_string(c, obj, base, key, presence::required, s)) return std::nullopt;
  for (const auto& [name, value] : choices)
    if (s == name) return value;
  std::string allowed;
  for (const auto& [name, value] : choices) allowed += (allowed.empty() ? "" : ", ") + std::string(name);
  c.fail("invalid_value", detail::pointer_append(base, key),
         "\"" + std::string(key) + "\" must be one of: " + allowed);
  return std::nullopt;
}

void read_calendar(json_ctx& c, const json& j, policy& p) {
  std::string rule;
  detail::read_string(c, j, "", "tz_rule", presence::required, rule, 128);
  if (c.failed()) return;
  auto z = zone::parse(rule, "/tz_rule");
  if (!z) {
    c.fail(z.err().code, z.err().path, z.err().message);
    return;
  }

  unsigned mask = 0;
  if (const json* weekend = detail::read_array(c, j, "", "weekend", presence::required)) {
    for (std::size_t i = 0; i < weekend->size() && !c.failed(); ++i) {
      const auto path = detail::pointer_append("/weekend", i);
      const json& d = (*weekend)[i];
      std::size_t found = weekday_names.size();
      if (d.is_string())
        for (std::size_t k = 0; k < weekday_names.size(); ++k)
          if (d.get_ref<const std::string&>() == weekday_names[k]) found = k;
      if (found == weekday_names.size()) {
        c.fail("invalid_value", path, "weekend days are Mon, Tue, Wed, Thu, Fri, Sat or Sun");
      } else if (mask & (1U << found)) {
        c.fail("invalid_value", path, "weekend day listed twice");
      } else {
        mask |= 1U << found;
      }
    }
    if (!c.failed() && mask == 0x7FU)
      c.fail("no_working_days", "/weekend", "every day of the week is a weekend day: no day is a working day");
  }

  std::vector<holiday> holidays;
  if (const json* list = detail::read_array(c, j, "", "holidays", presence::required)) {
    for (std::size_t i = 0; i < list->size() && !c.failed(); ++i) {
      const auto path = detail::pointer_append("/holidays", i);
      const json& h = (*list)[i];
      std::string text;
      std::string name;
      if (h.is_string()) {
        text = h.get<std::string>();
      } else if (h.is_object()) {
        detail::read_string(c, h, path, "date", presence::required, text, 10);
        detail::read_string(c, h, path, "name", presence::optional, name, 200);
      } else {
        c.fail("invalid_type", path, "a holiday is a \"YYYY-MM-DD\" string or {date, name}");
      }
      if (c.failed()) break;
      auto d = parse_date(text, h.is_object() ? detail::pointer_append(path, "date") : path);
      if (!d) {
        c.fail(d.err().code, d.err().path, d.err().message);
        break;
      }
      if (!holidays.empty() && !(holidays.back().date < *d)) {
        c.fail("invalid_value", path,
               "holidays must be in strictly ascending order: " + format_date(*d) + " comes after " +
                   format_date(holidays.back().date));
        break;
      }
      holidays.push_back({*d, std::move(name)});
    }
  }

  std::optional<std::chrono::minutes> cutoff;
  std::string cutoff_text;
  if (detail::read_string(c, j, "", "cutoff", presence::optional, cutoff_text, 16)) {
    cutoff = parse_hhmm(cutoff_text);
    if (!cutoff) c.fail("invalid_value", "/cutoff", "cutoff must be a local time \"HH:MM\"");
  }
  if (!c.failed()) p.cal = calendar(std::move(*z), mask, std::move(holidays), cutoff);
}

}  // namespace

result<policy> parse_policy(std::string_view text) {
  auto doc = detail::parse_document(text, max_policy_bytes, 8);
  if (!doc) return doc.err();
  const json& j = *doc;
  json_ctx c;
  if (!detail::expect_object(c, j, "")) return *c.err;
  policy p;
  std::string schema;
  if (detail::read_string(c, j, "", "schema", presence::optional, schema) && schema != "ordertrail.policy/1")
    c.fail("invalid_value", "/schema", "schema must be \"ordertrail.policy/1\"");
  detail::read_string(c, j, "", "market", presence::required, p.market, 16);
  if (!c.failed() && p.market.empty()) c.fail("invalid_value", "/market", "market must not be empty");
  detail::read_string(c, j, "", "version", presence::required, p.version, 64);
  detail::read_string(c, j, "", "currency", presence::required, p.currency, 3);
  if (!c.failed() && p.currency.size() != 3) c.fail("invalid_value", "/currency", "currency is a 3-letter ISO 4217 code");
  detail::read_string(c, j, "", "time_zone", presence::required, p.time_zone, 64);
  if (!c.failed()) read_calendar(c, j, p);

  constexpr std::int64_t max_hours = 24 * 366;
  constexpr std::int64_t max_days = 366;
  p.payment_window_hours = read_hours_or_days(c, j, "payment_window_hours", max_hours);
  p.remorse_window_hours = read_hours_or_days(c, j, "remorse_window_hours", max_hours);
  detail::read_bool(c, j, "", "buyer_can_request_cancel", presence::required, p.buyer_can_request_cancel);
  p.cancel_request_response_hours = read_hours_or_days(c, j, "cancel_request_response_hours", max_hours);
  if (auto o = choose<no_response_outcome, 2>(
          c, j, "", "no_response_outcome",
          {{{"approve", no_response_outcome::approve}, {"reject", no_response_outcome::reject}}}))
    p.on_no_response = *o;
  if (const json* sb = detail::read_object(c, j, "", "ship_by", presence::required)) {
    std::int64_t n = 0;
    detail::read_int(c, *sb, "/ship_by", "working_days", presence::required, 1, max_days, n);
    p.ship_by_working_days = static_cast<int>(n);
    if (auto f = choose<ship_by_from, 2>(c, *sb, "/ship_by", "from",
                                         {{{"placed", ship_by_from::placed}, {"paid", ship_by_from::paid}}}))
      p.ship_by_start = *f;
    if (auto s = choose<ship_by_satisfied_by, 2>(
            c, *sb, "/ship_by", "satisfied_by",
            {{{"shipped", ship_by_satisfied_by::shipped}, {"ready_to_ship", ship_by_satisfied_by::ready_to_ship}}}))
      p.ship_by_satisfier = *s;
  }
  p.delivery_grace_days = read_hours_or_days(c, j, "delivery_grace_days", max_days);
  p.not_received_claim_after_days = read_hours_or_days(c, j, "not_received_claim_after_days", max_days);
  p.return_window_days = read_hours_or_days(c, j, "return_window_days", max_days);
  p.return_response_hours = read_hours_or_days(c, j, "return_response_hours", max_hours);
  p.default_handling_days = read_hours_or_days(c, j, "default_handling_days", max_days);
  if (const json* t = detail::read_array(c, j, "", "default_transit_days", presence::required)) {
    if (t->size() != 2 || !(*t)[0].is_number_integer() || !(*t)[1].is_number_integer() || (*t)[0].get<int>() < 0 ||
        (*t)[1].get<int>() < (*t)[0].get<int>() || (*t)[1].get<int>() > max_days) {
      c.fail("invalid_value", "/default_transit_days", "default_transit_days is [min, max] with 0 <= min <= max <= 366");
    } else {
      p.default_transit_days = {(*t)[0].get<int>(), (*t)[1].get<int>()};
    }
  }
  if (const json* m = detail::read_object(c, j, "", "metrics", presence::required)) {
    std::int64_t w = 0;
    detail::read_int(c, *m, "/metrics", "window_days", presence::required, 1, max_days, w);
    p.metrics.window_days = static_cast<int>(w);
    p.metrics.max_seller_fault_cancellation_permille =
        read_rate(c, *m, "/metrics", "max_seller_fault_cancellation_rate");
    p.metrics.max_late_dispatch_permille = read_rate(c, *m, "/metrics", "max_late_dispatch_rate");
    p.metrics.min_valid_tracking_permille = read_rate(c, *m, "/metrics", "min_valid_tracking_rate");
  }
  if (const json* notes = detail::read_array(c, j, "", "notes", presence::optional)) {
    for (std::size_t i = 0; i < notes->size() && !c.failed(); ++i) {
      const auto path = detail::pointer_append("/notes", i);
      if (!detail::expect_object(c, (*notes)[i], path)) break;
      policy_note n;
      detail::read_string(c, (*notes)[i], path, "field", presence::required, n.field, 128);
      detail::read_string(c, (*notes)[i], path, "text", presence::required, n.text, 2000);
      p.notes.push_back(std::move(n));
    }
  }
  if (c.failed()) return *c.err;
  return p;
}

const std::vector<std::string>& builtin_markets() {
  static const std::vector<std::string> markets = [] {
    std::vector<std::string> m;
    for (std::size_t i = 0; i < detail::embedded_policy_count; ++i)
      m.emplace_back(detail::embedded_policies[i].first);
    return m;
  }();
  return markets;
}

std::string_view builtin_policy_json(std::string_view market) {
  for (std::size_t i = 0; i < detail::embedded_policy_count; ++i)
    if (detail::embedded_policies[i].first == market) return detail::embedded_policies[i].second;
  return {};
}

namespace {
// Parsed once (thread-safe static initialisation); shipped policies are
// checked by the tests, so one that fails to parse is simply absent here and
// builtin_policy reports its error.
const std::vector<std::pair<std::string, policy>>& parsed_embedded() {
  static const std::vector<std::pair<std::string, policy>> parsed = [] {
    std::vector<std::pair<std::string, policy>> out;
    for (std::size_t i = 0; i < detail::embedded_policy_count; ++i) {
      auto p = parse_policy(detail::embedded_policies[i].second);
      if (p) out.emplace_back(std::string(detail::embedded_policies[i].first), std::move(*p));
    }
    return out;
  }();
  return parsed;
}
}  // namespace

const policy* embedded_policy(std::string_view market) {
  for (const auto& [m, p] : parsed_embedded())
    if (m == market) return &p;
  return nullptr;
}

result<policy> builtin_policy(std::string_view market) {
  if (const policy* p = embedded_policy(market)) return *p;
  const auto text = builtin_policy_json(market);
  if (text.empty()) {
    std::string known;
    for (const auto& m : builtin_markets()) known += (known.empty() ? "" : ", ") + m;
    return error{"unknown_market", "/market",
                 "no embedded policy for market \"" + std::string(utf8_prefix(market, 16)) + "\" (known: " + known + ")"};
  }
  return parse_policy(text);
}

}  // namespace ordertrail
