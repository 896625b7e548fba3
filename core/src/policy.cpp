#include "ordertrail/policy.hpp"

#include <array>
#include <tuple>

#include "json_in.hpp"

namespace ordertrail::detail {
extern const std::pair<std::string_view, std::string_view> embedded_policies[];
extern const std::size_t embedded_policy_count;
}  // namespace ordertrail::detail

namespace ordertrail {
namespace {

using detail::json_ctx;
using detail::json_kind;
using detail::object_view;
using detail::presence;
using detail::value_view;

template <class Enum, std::size_t N>
std::optional<Enum> choose(json_ctx& c, const object_view& obj, std::string_view base, std::string_view key,
                           const std::array<std::pair<std::string_view, Enum>, N>& choices) {
  std::string s;
  if (!detail::read_string(c, obj, base, key, presence::required, s)) return std::nullopt;
  for (const auto& [name, value] : choices)
    if (s == name) return value;
  std::string allowed;
  for (const auto& [name, value] : choices) allowed += (allowed.empty() ? "" : ", ") + std::string(name);
  c.fail("invalid_value", detail::pointer_append(base, key), "\"" + std::string(key) + "\" must be one of: " + allowed);
  return std::nullopt;
}

// The default cancellation reason catalogue (docs/RULES.md "Reasons
// catalogue"): for policy/1 documents and policy/2 ones without `reasons`.
constexpr party_set buyer_side = party_bit(party::buyer) | party_bit(party::platform) | party_bit(party::operator_);
constexpr party_set seller_side = party_bit(party::seller) | party_bit(party::platform) | party_bit(party::operator_);
constexpr party_set platform_only = party_bit(party::platform);
constexpr party_set platform_side = party_bit(party::platform) | party_bit(party::operator_);
constexpr party_set carrier_side = party_bit(party::platform) | party_bit(party::carrier) | party_bit(party::operator_);
constexpr status_set before_transit =
    status_bit(order_status::unpaid) | status_bit(order_status::on_hold) | status_bit(order_status::awaiting_shipment) |
    status_bit(order_status::awaiting_collection) | status_bit(order_status::partially_shipping);
constexpr status_set confirmed_before_transit = before_transit & ~status_bit(order_status::unpaid);
constexpr status_set awaiting = status_bit(order_status::awaiting_shipment) |
                                status_bit(order_status::awaiting_collection) |
                                status_bit(order_status::partially_shipping);
constexpr status_set in_transit = status_bit(order_status::partially_shipping) | status_bit(order_status::in_transit);
constexpr status_set unpaid_only = status_bit(order_status::unpaid);

struct default_reason {
  std::string_view code;
  responsibility who;
  party_set initiators;
  status_set statuses;
};
constexpr std::array<default_reason, 24> default_reasons{{
    {"changed_mind", responsibility::buyer, buyer_side, before_transit},
    {"wrong_item_selected", responsibility::buyer, buyer_side, before_transit},
    {"duplicate_order", responsibility::buyer, buyer_side, before_transit},
    {"better_price_elsewhere", responsibility::buyer, buyer_side, before_transit},
    {"need_to_change_address", responsibility::buyer, buyer_side, before_transit},
    {"forgot_coupon", responsibility::buyer, buyer_side, before_transit},
    {"payment_timeout", responsibility::buyer, platform_only, unpaid_only},
    {"buyer_request_approved", responsibility::buyer, seller_side,
     confirmed_before_transit | status_bit(order_status::in_transit)},
    {"returned_to_shipper_refused", responsibility::buyer, carrier_side, in_transit},
    {"out_of_stock", responsibility::seller, seller_side, before_transit},
    {"pricing_error", responsibility::seller, seller_side, before_transit},
    {"cannot_ship_to_address", responsibility::seller, seller_side, before_transit},
    {"buyer_requested_off_platform", responsibility::seller, seller_side, before_transit},
    {"not_shipped_on_time", responsibility::seller, buyer_side, confirmed_before_transit},
    {"seller_late_ship", responsibility::seller, platform_only, awaiting},
    {"seller_late_delivery", responsibility::seller, platform_only,
     status_bit(order_status::awaiting_collection) | in_transit},
    {"payment_failed", responsibility::platform, platform_side, unpaid_only},
    {"account_issue", responsibility::platform, platform_side, before_transit | status_bit(order_status::in_transit)},
    {"risk_control", responsibility::platform, platform_side, before_transit | status_bit(order_status::in_transit)},
    {"address_undeliverable", responsibility::platform, platform_side,
     before_transit | status_bit(order_status::in_transit)},
    {"delivery_restricted", responsibility::platform, platform_side,
     before_transit | status_bit(order_status::in_transit)},
    {"lost_in_transit", responsibility::carrier, carrier_side, in_transit},
    {"package_damaged", responsibility::carrier, carrier_side, in_transit},
    {"delivery_failed", responsibility::carrier, carrier_side, in_transit},
}};

// The default after-sales reason catalogue (SPEC 3 `case_reasons`).
struct default_case_reason {
  std::string_view code;
  bool return_and_refund, refund_only;
  responsibility who;
};
constexpr std::array<default_case_reason, 9> default_case_reasons{{
    {"changed_mind", true, false, responsibility::buyer},
    {"wrong_item_selected", true, false, responsibility::buyer},
    {"not_received", false, true, responsibility::carrier},
    {"delivered_not_received", false, true, responsibility::carrier},
    {"package_damaged", true, true, responsibility::carrier},
    {"defective", true, true, responsibility::seller},
    {"wrong_item", true, true, responsibility::seller},
    {"missing_item", true, true, responsibility::seller},
    {"not_as_described", true, true, responsibility::seller},
}};

std::vector<case_reason_entry> default_case_catalogue() {
  std::vector<case_reason_entry> out;
  out.reserve(default_case_reasons.size());
  for (const auto& r : default_case_reasons)
    out.push_back({std::string(r.code), r.return_and_refund, r.refund_only, r.who});
  return out;
}

std::vector<reason_entry> default_catalogue() {
  std::vector<reason_entry> out;
  out.reserve(default_reasons.size());
  for (const auto& r : default_reasons) out.push_back({std::string(r.code), r.initiators, r.statuses, r.who});
  return out;
}

constexpr std::array<std::pair<std::string_view, order_status>, 9> status_names{{
    {"UNPAID", order_status::unpaid},
    {"ON_HOLD", order_status::on_hold},
    {"AWAITING_SHIPMENT", order_status::awaiting_shipment},
    {"PARTIALLY_SHIPPING", order_status::partially_shipping},
    {"AWAITING_COLLECTION", order_status::awaiting_collection},
    {"IN_TRANSIT", order_status::in_transit},
    {"DELIVERED", order_status::delivered},
    {"COMPLETED", order_status::completed},
    {"CANCELLED", order_status::cancelled},
}};

// An array of distinct names from `names` (statuses, parties) as a bit set.
template <class Names, class Bit>
bool read_set(json_ctx& c, const object_view& obj, std::string_view base, std::string_view key, presence pr,
              const Names& names, Bit bit, unsigned& out) {
  const value_view* v = detail::read_array(c, obj, base, key, pr);
  if (v == nullptr) return false;
  unsigned set = 0;
  const auto items = v->elements();
  const auto path = detail::pointer_append(base, key);
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto at = detail::pointer_append(path, i);
    if (items[i].kind() != json_kind::string) {
      c.fail("invalid_type", at, "expected a string, not " + std::string(detail::kind_name(items[i].kind())));
      return false;
    }
    unsigned b = 0;
    for (const auto& [name, value] : names)
      if (items[i].string() == name) b = bit(value);
    if (b == 0) {
      std::string allowed;
      for (const auto& [name, value] : names) allowed += (allowed.empty() ? "" : ", ") + std::string(name);
      c.fail("invalid_value", at, "must be one of: " + allowed);
      return false;
    }
    if (set & b) {
      c.fail("invalid_value", at, "listed twice");
      return false;
    }
    set |= b;
  }
  out = set;
  return true;
}

constexpr std::array<std::pair<std::string_view, party>, 5> party_names{{
    {"buyer", party::buyer},
    {"seller", party::seller},
    {"platform", party::platform},
    {"operator", party::operator_},
    {"carrier", party::carrier},
}};
constexpr std::array<std::pair<std::string_view, responsibility>, 5> responsibility_names{{
    {"none", responsibility::none},
    {"buyer", responsibility::buyer},
    {"seller", responsibility::seller},
    {"platform", responsibility::platform},
    {"carrier", responsibility::carrier},
}};

constexpr std::size_t max_reasons = 200;

void read_reasons(json_ctx& c, const object_view& j, policy& p) {
  const value_view* v = detail::read_array(c, j, "", "reasons", presence::optional);
  if (v == nullptr) return;
  const auto entries = v->elements();
  if (entries.size() > max_reasons) {
    c.fail("invalid_value", "/reasons", "at most " + std::to_string(max_reasons) + " reasons");
    return;
  }
  p.reasons.clear();
  for (std::size_t i = 0; i < entries.size() && !c.failed(); ++i) {
    const auto path = detail::pointer_append("/reasons", i);
    if (!detail::expect_object(c, entries[i], path)) return;
    const object_view r(entries[i]);
    reason_entry e;
    detail::read_string(c, r, path, "code", presence::required, e.code, 64);
    if (!c.failed() && e.code.empty()) c.fail("invalid_value", path + "/code", "code must not be empty");
    if (!c.failed() && p.find_reason(e.code) != nullptr) c.fail("invalid_value", path + "/code", "code listed twice");
    read_set(c, r, path, "initiators", presence::required, party_names, party_bit, e.initiators);
    read_set(c, r, path, "statuses", presence::required, status_names, status_bit, e.statuses);
    if (auto who = choose<responsibility, 5>(c, r, path, "responsibility", responsibility_names)) e.responsible = *who;
    p.reasons.push_back(std::move(e));
  }
}

void read_case_reasons(json_ctx& c, const object_view& j, policy& p) {
  const value_view* v = detail::read_array(c, j, "", "case_reasons", presence::optional);
  if (v == nullptr) return;
  const auto entries = v->elements();
  if (entries.size() > max_reasons) {
    c.fail("invalid_value", "/case_reasons", "at most " + std::to_string(max_reasons) + " reasons");
    return;
  }
  p.case_reasons.clear();
  constexpr std::array<std::pair<std::string_view, unsigned>, 2> type_names{
      {{"return_and_refund", 1u}, {"refund_only", 2u}}};
  for (std::size_t i = 0; i < entries.size() && !c.failed(); ++i) {
    const auto path = detail::pointer_append("/case_reasons", i);
    if (!detail::expect_object(c, entries[i], path)) return;
    const object_view r(entries[i]);
    case_reason_entry e;
    detail::read_string(c, r, path, "code", presence::required, e.code, 64);
    if (!c.failed() && e.code.empty()) c.fail("invalid_value", path + "/code", "code must not be empty");
    if (!c.failed() && p.find_case_reason(e.code) != nullptr)
      c.fail("invalid_value", path + "/code", "code listed twice");
    unsigned types = 0;
    read_set(
        c, r, path, "types", presence::required, type_names, [](unsigned b) { return b; }, types);
    if (!c.failed() && types == 0) c.fail("invalid_value", path + "/types", "at least one case type");
    e.return_and_refund = (types & 1u) != 0;
    e.refund_only = (types & 2u) != 0;
    if (auto who = choose<responsibility, 5>(c, r, path, "responsibility", responsibility_names)) e.responsible = *who;
    p.case_reasons.push_back(std::move(e));
  }
}

// `aftersale.*` (docs/RULES.md "After-sales cases").
void read_aftersale(json_ctx& c, const object_view& j, policy& p) {
  const value_view* av = detail::read_object(c, j, "", "aftersale", presence::optional);
  if (av == nullptr) return;
  const object_view aj(*av);
  if (aj.find("return_window_from") != nullptr) {
    if (auto f = choose<return_window_from, 2>(c, aj, "/aftersale", "return_window_from",
                                               {{{"last_delivery", return_window_from::last_delivery},
                                                 {"each_delivery", return_window_from::each_delivery}}}))
      p.return_from = *f;
  }
  constexpr std::int64_t max_hours = 24 * 366;
  constexpr std::int64_t max_days = 366;
  const std::array<std::tuple<std::string_view, int*, std::int64_t>, 6> fields{{
      {"delivered_not_received_days", &p.delivered_not_received_days, max_days},
      {"buyer_ship_back_days", &p.buyer_ship_back_days, max_days},
      {"return_receipt_days", &p.return_receipt_days, max_days},
      {"seller_receipt_response_hours", &p.seller_receipt_response_hours, max_hours},
      {"appeal_window_hours", &p.appeal_window_hours, max_hours},
      {"appeal_decision_hours", &p.appeal_decision_hours, max_hours},
  }};
  for (const auto& [key, field, max] : fields) {
    std::int64_t n = *field;
    if (detail::read_int(c, aj, "/aftersale", key, presence::optional, 0, max, n)) *field = static_cast<int>(n);
  }
}

constexpr std::array<std::string_view, 7> weekday_names{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

int read_hours_or_days(json_ctx& c, const object_view& j, std::string_view key, std::int64_t max) {
  std::int64_t v = 0;
  detail::read_int(c, j, "", key, presence::required, 0, max, v);
  return static_cast<int>(v);
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

void read_calendar(json_ctx& c, const object_view& j, policy& p) {
  std::string rule;
  detail::read_string(c, j, "", "tz_rule", presence::required, rule, 128);
  if (c.failed()) return;
  auto z = zone::parse(rule, "/tz_rule");
  if (!z) {
    c.fail(z.err().code, z.err().path, z.err().message);
    return;
  }

  unsigned mask = 0;
  if (const value_view* weekend = detail::read_array(c, j, "", "weekend", presence::required)) {
    const auto days = weekend->elements();
    for (std::size_t i = 0; i < days.size() && !c.failed(); ++i) {
      const auto path = detail::pointer_append("/weekend", i);
      if (days[i].kind() != json_kind::string) {
        c.fail("invalid_type", path, "expected a string, not " + std::string(detail::kind_name(days[i].kind())));
        break;
      }
      std::size_t found = weekday_names.size();
      for (std::size_t k = 0; k < weekday_names.size(); ++k)
        if (days[i].string() == weekday_names[k]) found = k;
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
  if (const value_view* list = detail::read_array(c, j, "", "holidays", presence::required)) {
    const auto entries = list->elements();
    for (std::size_t i = 0; i < entries.size() && !c.failed(); ++i) {
      const auto path = detail::pointer_append("/holidays", i);
      const value_view& h = entries[i];
      std::string text;
      std::string name;
      const bool is_object = h.kind() == json_kind::object;
      if (h.kind() == json_kind::string) {
        text = h.string();
      } else if (is_object) {
        const object_view ho(h);
        detail::read_string(c, ho, path, "date", presence::required, text, 10);
        detail::read_string(c, ho, path, "name", presence::optional, name, 200);
      } else {
        c.fail("invalid_type", path, "a holiday is a \"YYYY-MM-DD\" string or {date, name}");
      }
      if (c.failed()) break;
      auto d = parse_date(text, is_object ? detail::pointer_append(path, "date") : path);
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

// `sla.*`, `cancellation.*` and `reasons`, with the defaults of the
// document's schema (docs/RULES.md "Cancellation matrix").
void read_v2_groups(json_ctx& c, const object_view& j, policy& p) {
  const bool v1 = p.schema_version == 1;
  p.seller_statuses = before_transit & ~(v1 ? status_bit(order_status::on_hold) : 0u);
  p.buyer_request_statuses =
      status_bit(order_status::awaiting_shipment) | (v1 ? status_bit(order_status::awaiting_collection) : 0u);
  p.reasons = default_catalogue();
  p.case_reasons = default_case_catalogue();
  p.case_clocks = !v1;
  if (const value_view* cv = detail::read_object(c, j, "", "cancellation", presence::optional)) {
    const object_view cj(*cv);
    detail::read_bool(c, cj, "/cancellation", "seller_line_cancel", presence::optional, p.seller_line_cancel);
    if (!v1) {
      read_set(c, cj, "/cancellation", "buyer_request_statuses", presence::optional, status_names, status_bit,
               p.buyer_request_statuses);
      read_set(c, cj, "/cancellation", "seller_statuses", presence::optional, status_names, status_bit,
               p.seller_statuses);
      detail::read_bool(c, cj, "/cancellation", "shipment_closes_request", presence::optional,
                        p.shipment_closes_request);
      if (cj.find("after_dispatch_by") != nullptr) {
        if (auto a = choose<after_dispatch_by, 2>(
                c, cj, "/cancellation", "after_dispatch_by",
                {{{"same", after_dispatch_by::same}, {"approve", after_dispatch_by::approve}}}))
          p.request_after_dispatch_by = *a;
      }
    }
  }
  if (v1) return;
  if (const value_view* sv = detail::read_object(c, j, "", "sla", presence::optional)) {
    const object_view sj(*sv);
    std::int64_t n = p.dispatch_working_days;
    if (detail::read_int(c, sj, "/sla", "dispatch_working_days", presence::optional, 0, 366, n))
      p.dispatch_working_days = static_cast<int>(n);
    n = p.made_to_order_extra_working_days;
    if (detail::read_int(c, sj, "/sla", "made_to_order_extra_working_days", presence::optional, 0, 366, n))
      p.made_to_order_extra_working_days = static_cast<int>(n);
    n = p.pre_order_extra_working_days;
    if (detail::read_int(c, sj, "/sla", "pre_order_extra_working_days", presence::optional, 0, 366, n))
      p.pre_order_extra_working_days = static_cast<int>(n);
  }
  read_reasons(c, j, p);
  read_case_reasons(c, j, p);
  read_aftersale(c, j, p);
  if (const value_view* cv = detail::read_object(c, j, "", "cod", presence::optional)) {
    const object_view cj(*cv);
    if (cj.find("refusal_responsibility") != nullptr)
      if (auto who = choose<responsibility, 5>(c, cj, "/cod", "refusal_responsibility", responsibility_names))
        p.cod_refusal_responsibility = *who;
  }
}

}  // namespace

const case_reason_entry* policy::find_case_reason(std::string_view code) const {
  for (const auto& r : case_reasons)
    if (r.code == code) return &r;
  return nullptr;
}

const reason_entry* policy::find_reason(std::string_view code) const {
  for (const auto& r : reasons)
    if (r.code == code) return &r;
  return nullptr;
}

result<policy> parse_policy(std::string_view text) {
  detail::document scanned;
  auto doc = detail::parse_document(scanned, text, max_policy_bytes, 8);
  if (!doc) return doc.err();
  json_ctx c;
  if (!detail::expect_object(c, *doc, "")) return *c.err;
  const object_view j(*doc);
  policy p;
  std::string schema;
  if (detail::read_string(c, j, "", "schema", presence::optional, schema, 64)) {
    if (schema == "ordertrail.policy/1")
      p.schema_version = 1;
    else if (schema != "ordertrail.policy/2")
      c.fail("invalid_value", "/schema", "schema must be \"ordertrail.policy/2\" or \"ordertrail.policy/1\"");
  } else {
    p.schema_version = 1;  // a document without schema is read as v1 (its shape predates /2)
  }
  detail::read_string(c, j, "", "market", presence::required, p.market, 16);
  if (!c.failed() && p.market.empty()) c.fail("invalid_value", "/market", "market must not be empty");
  detail::read_string(c, j, "", "version", presence::required, p.version, 64);
  detail::read_string(c, j, "", "currency", presence::required, p.currency, 3);
  if (!c.failed() && p.currency.size() != 3)
    c.fail("invalid_value", "/currency", "currency is a 3-letter ISO 4217 code");
  detail::read_string(c, j, "", "time_zone", presence::required, p.time_zone, 64);
  if (!c.failed()) read_calendar(c, j, p);

  constexpr std::int64_t max_hours = 24 * 366;
  constexpr std::int64_t max_days = 366;
  p.payment_window_hours = read_hours_or_days(c, j, "payment_window_hours", max_hours);
  p.remorse_window_hours = read_hours_or_days(c, j, "remorse_window_hours", max_hours);
  detail::read_bool(c, j, "", "buyer_can_request_cancel", presence::required, p.buyer_can_request_cancel);
  p.cancel_request_response_hours = read_hours_or_days(c, j, "cancel_request_response_hours", max_hours);
  read_v2_groups(c, j, p);
  if (auto o = choose<no_response_outcome, 2>(
          c, j, "", "no_response_outcome",
          {{{"approve", no_response_outcome::approve}, {"reject", no_response_outcome::reject}}}))
    p.on_no_response = *o;
  if (const value_view* sbv = detail::read_object(c, j, "", "ship_by", presence::required)) {
    const object_view sb(*sbv);
    std::int64_t n = 0;
    detail::read_int(c, sb, "/ship_by", "working_days", presence::required, 1, max_days, n);
    p.ship_by_working_days = static_cast<int>(n);
    if (auto f = choose<ship_by_from, 2>(c, sb, "/ship_by", "from",
                                         {{{"placed", ship_by_from::placed}, {"paid", ship_by_from::paid}}}))
      p.ship_by_start = *f;
    if (auto s = choose<ship_by_satisfied_by, 2>(
            c, sb, "/ship_by", "satisfied_by",
            {{{"shipped", ship_by_satisfied_by::shipped}, {"ready_to_ship", ship_by_satisfied_by::ready_to_ship}}}))
      p.ship_by_satisfier = *s;
  }
  if (p.schema_version == 1) p.dispatch_working_days = p.ship_by_working_days;  // dispatch_by = ship_by (v1)
  p.delivery_grace_days = read_hours_or_days(c, j, "delivery_grace_days", max_days);
  std::int64_t tolerance = 0;
  if (detail::read_int(c, j, "", "platform_tolerance_minutes", presence::optional, 0, 525600, tolerance))
    p.platform_tolerance_minutes = static_cast<int>(tolerance);
  p.not_received_claim_after_days = read_hours_or_days(c, j, "not_received_claim_after_days", max_days);
  p.return_window_days = read_hours_or_days(c, j, "return_window_days", max_days);
  p.return_response_hours = read_hours_or_days(c, j, "return_response_hours", max_hours);
  p.default_handling_days = read_hours_or_days(c, j, "default_handling_days", max_days);
  detail::read_day_range(c, j, "", "default_transit_days", presence::required, max_days, p.default_transit_days);
  if (const value_view* mv = detail::read_object(c, j, "", "metrics", presence::required)) {
    const object_view m(*mv);
    std::int64_t w = 0;
    detail::read_int(c, m, "/metrics", "window_days", presence::required, 1, max_days, w);
    p.metrics.window_days = static_cast<int>(w);
    detail::read_permille(c, m, "/metrics", "max_seller_fault_cancellation_rate",
                          p.metrics.max_seller_fault_cancellation_permille);
    detail::read_permille(c, m, "/metrics", "max_late_dispatch_rate", p.metrics.max_late_dispatch_permille);
    detail::read_permille(c, m, "/metrics", "min_valid_tracking_rate", p.metrics.min_valid_tracking_permille);
  }
  if (const value_view* notes = detail::read_array(c, j, "", "notes", presence::optional)) {
    const auto entries = notes->elements();
    for (std::size_t i = 0; i < entries.size() && !c.failed(); ++i) {
      const auto path = detail::pointer_append("/notes", i);
      if (!detail::expect_object(c, entries[i], path)) break;
      const object_view no(entries[i]);
      policy_note n;
      detail::read_string(c, no, path, "field", presence::required, n.field, 128);
      detail::read_string(c, no, path, "text", presence::required, n.text, 2000);
      p.notes.push_back(std::move(n));
    }
  }
  if (c.failed()) return *c.err;
  return p;
}

const std::vector<std::string>& builtin_markets() {
  static const std::vector<std::string> markets = [] {
    std::vector<std::string> m;
    for (std::size_t i = 0; i < detail::embedded_policy_count; ++i) m.emplace_back(detail::embedded_policies[i].first);
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
    return error{
        "unknown_market", "/market",
        "no embedded policy for market \"" + std::string(utf8_prefix(market, 16)) + "\" (known: " + known + ")"};
  }
  return parse_policy(text);
}

}  // namespace ordertrail
