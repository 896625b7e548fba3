#include "lifecycle.hpp"

#include <algorithm>
#include <limits>
#include <numeric>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "deadline_math.hpp"
#include "ordertrail/money.hpp"

namespace ordertrail::detail {

instant return_window_end(const policy& p, instant delivered_at) {
  const civil_date delivered = p.cal.local_date(delivered_at);
  return p.cal.end_of_day(civil_date{date::sys_days{delivered} + date::days{p.return_window_days}});
}
instant dnr_window_end(const policy& p, instant delivered_at) {
  const civil_date delivered = p.cal.local_date(delivered_at);
  return p.cal.end_of_day(civil_date{date::sys_days{delivered} + date::days{p.delivered_not_received_days}});
}

namespace {

// Units of line `l` that cases hold (case_state::holds_units): those of
// not-received cases (in transit), and of the others (delivered). Kept on
// the line as cases open and release their units.
std::pair<std::int64_t, std::int64_t> held_units(const lifecycle& s, std::size_t l) {
  return {s.lines[l].held_transit, s.lines[l].held_other};
}

// Per line, the delivered units whose own return window (each_delivery) is
// still open at `at`; empty when the window counts from the last delivery.
std::vector<std::int64_t> in_own_window(const policy& p, const lifecycle& s, instant at) {
  std::vector<std::int64_t> out;
  if (p.return_from != return_window_from::each_delivery) return out;
  out.assign(s.lines.size(), 0);
  for (const auto& pk : s.packages)
    if (pk.status == package_status::delivered && !pk.units_cancelled && at < return_window_end(p, *pk.delivered_at))
      for (const auto& [l, q] : pk.units) out[l] += q;
  return out;
}

// The units of line `l` a new case of kind `k` may take (`own`: from
// in_own_window, for the return window).
std::int64_t claimable_units(const lifecycle& s, std::size_t l, claim k, const std::vector<std::int64_t>& own) {
  const auto& ln = s.lines[l];
  const auto [transit, other] = held_units(s, l);
  if (k == claim::not_received) return std::max<std::int64_t>(0, ln.shipped - transit);
  const std::int64_t delivered = k == claim::delivered && !own.empty() ? std::min(own[l], ln.delivered) : ln.delivered;
  // Not-received cases whose units were delivered since hold delivered units.
  const std::int64_t nr_delivered = std::max<std::int64_t>(0, transit - ln.shipped);
  return std::max<std::int64_t>(0, delivered - other - nr_delivered);
}

bool ended(const lifecycle& s) { return s.cancelled || s.completed_at; }

// "AWAITING_SHIPMENT or AWAITING_COLLECTION", for anomaly texts.
std::string status_list(status_set set) {
  const std::string names = names_of(set, " or ");
  return names.empty() ? "(no status)" : names;
}

// The `by` an event means when it names none (for comparing duplicates).
party default_by(event_type t) {
  switch (t) {
    case event_type::cancel_requested:
    case event_type::cancel_request_withdrawn:
    case event_type::return_requested:
    case event_type::return_shipped:
      return party::buyer;
    case event_type::cancel_request_approved:
    case event_type::cancel_request_rejected:
    case event_type::ready_to_ship:
    case event_type::shipped:
    case event_type::return_approved:
    case event_type::return_rejected:
    case event_type::return_received:
      return party::seller;
    case event_type::delivery_attempt_failed:
    case event_type::delivered:
    case event_type::lost:
      return party::carrier;
    default:
      return party::none;
  }
}

// What an event says, normalised (SPEC 1.2 "Duplicates"): instants to the
// second (parse_instant already folds offsets and fractions), strings
// decoded, defaults filled in; `id`, `note` and unknown fields ignored.
// A three-way comparison, so that equal events sort together (O(n log n)).
// Which line an `items` reference means (docs/RULES.md "Lines"): a
// `line_id` first, else the first line with that `sku` (an object's
// `line_id` or `sku` key says which it is).
class line_lookup {
 public:
  explicit line_lookup(const order& o) {
    const std::size_t n = std::max<std::size_t>(1, o.items.size());
    ids_.reserve(n);
    skus_.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      ids_.emplace(line_id_of(o, i), i);
      skus_.emplace(o.items.empty() ? std::string_view("_order") : std::string_view(o.items[i].sku), i);
    }
  }
  [[nodiscard]] std::optional<std::size_t> find(const item_ref& r) const {
    if (r.kind != ref_kind::sku)
      if (const auto it = ids_.find(r.ref); it != ids_.end()) return it->second;
    if (r.kind != ref_kind::line_id)
      if (const auto it = skus_.find(r.ref); it != skus_.end()) return it->second;
    return std::nullopt;
  }

 private:
  std::unordered_map<std::string_view, std::size_t> ids_;
  std::unordered_map<std::string_view, std::size_t> skus_;  // the first line of each sku
};

// An `items` element as the replay reads it: its line (or, for a reference
// no line has, the reference itself), its quantity (absent = the whole
// line) and amount.
struct normal_item {
  std::size_t line = 0;  // npos: unknown, compared by `ref`
  std::string_view ref;
  std::int64_t qty = -1;
  std::int64_t amount = -1;
  // Emscripten 3.1.6's libc++ has no operator<=> for string_view: < by tie.
  friend bool operator<(const normal_item& a, const normal_item& b) {
    return std::tie(a.line, a.ref, a.qty, a.amount) < std::tie(b.line, b.ref, b.qty, b.amount);
  }
};
using normal_items = std::vector<normal_item>;

// The events' `items` normalised (SPEC 1.2 "Duplicates": `{line_id, qty}`,
// defaults filled in), in line order; empty for an event without items.
std::vector<normal_items> normalise_items(const order& o) {
  std::vector<normal_items> out;
  if (std::none_of(o.events.begin(), o.events.end(), [](const event& e) { return !e.items.empty(); })) return out;
  out.resize(o.events.size());
  const line_lookup lines(o);
  for (const auto& e : o.events) {
    if (e.items.empty()) continue;
    auto& v = out[e.index];
    v.reserve(e.items.size());
    for (const auto& r : e.items) {
      normal_item x;
      x.line = lines.find(r).value_or(std::string_view::npos);
      if (x.line == std::string_view::npos) x.ref = r.ref;
      const std::int64_t whole = x.line == std::string_view::npos ? -1 : (o.items.empty() ? 1 : o.items[x.line].qty);
      x.qty = r.qty.value_or(whole);
      x.amount = r.amount_minor.value_or(-1);
      v.push_back(x);
    }
    std::sort(v.begin(), v.end());
  }
  return out;
}

int compare_content(const order& o, const event& a, const event& b, const std::vector<normal_items>& items) {
  auto cmp = [](const auto& x, const auto& y) { return x < y ? -1 : (y < x ? 1 : 0); };
  if (int c = cmp(a.type, b.type)) return c;
  if (int c = cmp(a.at, b.at)) return c;
  const party ba = a.by == party::none ? default_by(a.type) : a.by;
  const party bb = b.by == party::none ? default_by(b.type) : b.by;
  if (int c = cmp(ba, bb)) return c;
  if (int c = a.reason.compare(b.reason)) return c < 0 ? -1 : 1;
  const std::int64_t default_amount = a.type == event_type::payment_succeeded ? o.total_minor : -1;
  if (int c = cmp(a.amount_minor.value_or(default_amount), b.amount_minor.value_or(default_amount))) return c;
  if (int c = a.carrier.compare(b.carrier)) return c < 0 ? -1 : 1;
  if (int c = a.tracking_number.compare(b.tracking_number)) return c < 0 ? -1 : 1;
  if (a.est_delivery != b.est_delivery) return a.est_delivery < b.est_delivery ? -1 : 1;
  if (int c = a.package_id.compare(b.package_id)) return c < 0 ? -1 : 1;
  if (int c = a.case_id.compare(b.case_id)) return c < 0 ? -1 : 1;
  if (items.empty()) return 0;
  const auto& ia = items[a.index];
  const auto& ib = items[b.index];
  if (int c = cmp(ia.size(), ib.size())) return c;
  for (std::size_t i = 0; i < ia.size(); ++i)
    if (int c = cmp(ia[i], ib[i])) return c;
  return 0;
}

// Marks the copies among the events (SPEC 1.2): the same `id` twice is one
// event (duplicate_event, or conflicting_duplicate when the content differs);
// an event without an id equal to an earlier one (ids aside) is a copy. The
// first in document order stays.
std::vector<event_skip> find_copies(const order& o, std::vector<anomaly>& anomalies) {
  const auto n = o.events.size();
  std::vector<event_skip> skip(n, event_skip::none);
  if (n < 2) return skip;
  const auto items = normalise_items(o);  // empty when no event has items
  std::vector<std::size_t> by_id;
  for (std::size_t i = 0; i < n; ++i)
    if (!o.events[i].id.empty()) by_id.push_back(i);
  // (id, document order): a stable order without stable_sort's buffer.
  std::sort(by_id.begin(), by_id.end(), [&](std::size_t a, std::size_t b) {
    const int c = o.events[a].id.compare(o.events[b].id);
    return c != 0 ? c < 0 : a < b;
  });
  for (std::size_t first = 0, k = 1; k < by_id.size(); first = k++) {
    while (k < by_id.size() && o.events[by_id[k]].id == o.events[by_id[first]].id) {
      const event& e = o.events[by_id[k]];
      skip[e.index] = event_skip::duplicate;
      if (compare_content(o, e, o.events[by_id[first]], items) == 0) {
        anomalies.push_back({"duplicate_event", e.index,
                             "an event with the id \"" + e.id +
                                 "\" and the same content was already applied; "
                                 "applied once"});
      } else {
        anomalies.push_back({"conflicting_duplicate", e.index,
                             "an event with the id \"" + e.id + "\" but other content (\"" +
                                 std::string(to_string(e.type)) +
                                 "\") came after the first one with that id; only "
                                 "the first was applied"});
      }
      ++k;
    }
    if (k == by_id.size()) break;
  }
  // Events without an id: sort by content (ties in document order), so that
  // each run of equal events is one event, the first in the document.
  std::vector<std::size_t> order_of(n);
  std::iota(order_of.begin(), order_of.end(), 0);
  std::erase_if(order_of, [&](std::size_t i) { return skip[i] != event_skip::none; });
  std::sort(order_of.begin(), order_of.end(), [&](std::size_t a, std::size_t b) {
    const int c = compare_content(o, o.events[a], o.events[b], items);
    return c != 0 ? c < 0 : a < b;
  });
  for (std::size_t k = 0; k < order_of.size();) {
    std::size_t m = k + 1;
    while (m < order_of.size() && compare_content(o, o.events[order_of[k]], o.events[order_of[m]], items) == 0) ++m;
    // In a run, the first in document order stays; later id-less copies go.
    for (std::size_t r = k + 1; r < m; ++r) {
      const event& e = o.events[order_of[r]];
      if (!e.id.empty()) continue;
      skip[e.index] = event_skip::duplicate;
      anomalies.push_back({"duplicate_event", e.index, "a copy of an earlier event; applied once"});
    }
    k = m;
  }
  return skip;
}

// Where units are (line_state's disjoint buckets).
enum class bucket { free, packed, shipped, delivered, cancelled };
constexpr std::array<std::int64_t line_state::*, 5> line_bucket{
    &line_state::free, &line_state::packed, &line_state::shipped, &line_state::delivered, &line_state::cancelled};
constexpr std::array<std::int64_t lifecycle::*, 5> total_bucket{&lifecycle::units_free, &lifecycle::units_packed,
                                                                &lifecycle::units_shipped, &lifecycle::units_delivered,
                                                                &lifecycle::units_cancelled};

void move_units(lifecycle& s, std::size_t line, bucket from, bucket to, std::int64_t k) {
  if (k <= 0) return;
  s.lines[line].*line_bucket[static_cast<std::size_t>(from)] -= k;
  s.lines[line].*line_bucket[static_cast<std::size_t>(to)] += k;
  s.*total_bucket[static_cast<std::size_t>(from)] -= k;
  s.*total_bucket[static_cast<std::size_t>(to)] += k;
}

using units = std::vector<std::pair<std::size_t, std::int64_t>>;  // (line, qty), in line order

// Merges (line, qty) pairs: in line order, one entry per line.
void normalise(units& u) {
  // Entries of one line are merged, so their order does not matter.
  std::sort(u.begin(), u.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::size_t w = 0;
  for (std::size_t r = 0; r < u.size(); ++r) {
    if (w > 0 && u[w - 1].first == u[r].first)
      u[w - 1].second += u[r].second;
    else
      u[w++] = u[r];
  }
  u.resize(w);
}

std::int64_t count(const units& u) {
  std::int64_t n = 0;
  for (const auto& [l, k] : u) n += k;
  return n;
}

class history {
 public:
  history(const order& o, const policy& p, lifecycle& s) : o_(o), p_(p), s_(s) {}

  // Applies `e` as if at `at` (its own instant, or placed_at for an event
  // dated before the order existed). Returns whether it was applied.
  bool apply(const event& e, instant at) {
    touched_.clear();
    if (s_.completed_at && !after_complete_is_normal(e.type)) {
      anomaly_(e, "event_after_completed",
               "\"" + std::string(to_string(e.type)) + "\" after the order was completed was not applied");
      return false;
    }
    if (s_.cancelled && !after_cancel_is_normal(e.type)) {
      anomaly_(e, "event_after_cancelled",
               "\"" + std::string(to_string(e.type)) + "\" after the order was cancelled was not applied");
      return false;
    }
    switch (e.type) {
      case event_type::payment_succeeded:
        return pay(e, at);
      case event_type::payment_failed:
        s_.payment_failed = true;
        return true;
      case event_type::cancelled:
        return cancel_direct(e, at);
      case event_type::cancel_requested:
        return request(e, at);
      case event_type::cancel_request_withdrawn:
        return close_request(e, at, request_outcome::withdrawn);
      case event_type::cancel_request_approved:
        return approve_request(e, at);
      case event_type::cancel_request_rejected:
        if (e.by == party::buyer) not_for_party(e, "the buyer cannot reject its own cancellation request");
        return close_request(e, at, request_outcome::rejected);
      case event_type::ready_to_ship:
        return pack(e, at);
      case event_type::shipped:
        return ship(e, at);
      case event_type::delivery_attempt_failed:
        return attempt_failed(e);
      case event_type::delivered:
        return deliver(e, at);
      case event_type::lost:
        return lose(e, at);
      case event_type::edd_revised:
        return revise(e);
      case event_type::return_requested:
        return request_case(e, at);
      case event_type::return_approved:
        return approve_case(e, at);
      case event_type::return_rejected:
        return reject_case(e, at);
      case event_type::return_shipped:
        return ship_case_back(e, at);
      case event_type::return_received:
        return receive_case(e, at);
      case event_type::return_withdrawn:
        return withdraw_case(e, at);
      case event_type::appeal_opened:
        return open_appeal(e, at);
      case event_type::appeal_decided:
        return decide_appeal(e, at);
      case event_type::case_closed:
        return close_case_event(e, at);
      case event_type::refunded:
        return refund(e, at);
      case event_type::completed:
        s_.completed_at = at;
        return true;
      case event_type::tracking_update:
        return track(e, at);
      case event_type::delivery_refused:
      case event_type::returned_to_sender:
        return leave_transit(e, at);
    }
    return false;
  }

  static constexpr std::size_t automatic_index = std::numeric_limits<std::size_t>::max() - 1;

  // The responsibility the next automatic cancellation applied carries.
  void force_responsibility(responsibility r) { forced_ = r; }

  // The packages the last applied event acted on (ids), taken once.
  // Moves them into `x` (the first, then the rest: usually none).
  void take_touched(event_outcome& x) {
    if (touched_.empty()) return;
    x.package_id = touched_.front();
    x.more_package_ids.assign(touched_.begin() + 1, touched_.end());
    touched_.clear();  // keeps its capacity for the next event
  }

  // The units an event's `items` name (unknown lines reported), merged, in
  // line order; each line at most its quantity.
  units resolve(const event& e, bool quiet = false) {
    units u;
    u.reserve(e.items.size());
    std::size_t unknown = 0;
    std::string_view unknown_ref;
    for (const auto& r : e.items) {
      const auto l = find_line(r);
      if (!l) {
        if (unknown++ == 0) unknown_ref = r.ref;
        continue;
      }
      u.emplace_back(*l, r.qty.value_or(s_.lines[*l].qty));
    }
    if (unknown > 0 && !quiet)
      anomaly_(e, "unknown_line",
               std::to_string(unknown) + " item(s) name a line or sku the order does not have (\"" +
                   std::string(utf8_prefix(unknown_ref, 128)) + "\"); not counted");
    normalise(u);
    for (auto& [l, k] : u) k = std::min(k, s_.lines[l].qty);
    return u;
  }

  // The units a recorded event names, as event items: its `items`, else the
  // units of its `package_id`; empty for the whole order.
  std::vector<line_qty> named_units(const event& e) {
    units u;
    if (!e.items.empty()) {
      u = resolve(e, true);
    } else if (!e.package_id.empty()) {
      if (const auto i = find_package(e.package_id)) u = s_.packages[*i].units;
    }
    std::vector<line_qty> out;
    out.reserve(u.size());
    for (const auto& [l, k] : u) out.push_back({std::string(line_id_of(o_, l)), k});
    return out;
  }

  // The package `id`, or nullopt.
  std::optional<std::size_t> find_package(std::string_view id) const {
    // A few packages (the usual case) are searched in place; many through an
    // index kept from the first time it is needed.
    if (s_.packages.size() <= small_packages) {
      for (std::size_t i = 0; i < s_.packages.size(); ++i)
        if (s_.packages[i].id == id) return i;
      return std::nullopt;
    }
    if (package_index_.size() != s_.packages.size()) {
      package_index_.clear();
      for (std::size_t i = 0; i < s_.packages.size(); ++i) package_index_.emplace(s_.packages[i].id, i);
    }
    const auto it = package_index_.find(std::string(id));
    return it == package_index_.end() ? std::nullopt : std::optional<std::size_t>(it->second);
  }

 private:
  // Money and scans are real whatever the state (SPEC 1.2).
  static bool after_complete_is_normal(event_type t) {
    return t == event_type::payment_succeeded || t == event_type::refunded || t == event_type::tracking_update;
  }
  static bool after_cancel_is_normal(event_type t) {
    return t == event_type::payment_succeeded || t == event_type::payment_failed || t == event_type::refunded ||
           t == event_type::edd_revised || t == event_type::tracking_update;
  }

  void anomaly_(const event& e, std::string code, std::string text) {
    if (e.index == automatic_index) return;
    s_.anomalies.push_back({std::move(code), e.index, std::move(text)});
  }
  void not_for_party(const event& e, std::string why) {
    anomaly_(e, "event_not_for_party", std::move(why) + "; applied");
  }

  std::optional<std::size_t> find_line(const item_ref& r) {
    if (!lines_) lines_.emplace(o_);  // built when an event first names a line
    return lines_->find(r);
  }

  std::string next_package_id() {
    for (;;) {
      std::string id = std::to_string(++numeral_);
      if (!find_package(id)) return id;
    }
  }

  // A new package; `packed_at` only for one a `ready_to_ship` packed.
  std::size_t new_package(std::string id, std::optional<instant> packed_at) {
    package_state pk;
    pk.id = std::move(id);
    pk.packed_at = packed_at;
    s_.packages.push_back(std::move(pk));
    if (!package_index_.empty()) package_index_.emplace(s_.packages.back().id, s_.packages.size() - 1);
    return s_.packages.size() - 1;
  }

  void add_units(package_state& pk, units u) {
    if (pk.units.empty()) {
      pk.units = std::move(u);  // already in line order, one entry per line
      return;
    }
    pk.units.insert(pk.units.end(), u.begin(), u.end());
    normalise(pk.units);
  }

  // Takes up to `k` units of `line` out of packed packages (the last first);
  // emptied packed packages disappear.
  void unpack(std::size_t line, std::int64_t k) {
    for (std::size_t i = s_.packages.size(); i-- > 0 && k > 0;) {
      auto& pk = s_.packages[i];
      if (pk.status != package_status::packed) continue;
      for (auto& [l, q] : pk.units) {
        if (l != line || q == 0) continue;
        const std::int64_t t = std::min(q, k);
        q -= t;
        k -= t;
      }
      std::erase_if(pk.units, [](const auto& x) { return x.second == 0; });
    }
    const auto before = s_.packages.size();
    std::erase_if(s_.packages,
                  [](const package_state& pk) { return pk.status == package_status::packed && pk.units.empty(); });
    if (s_.packages.size() != before) package_index_.clear();
  }

  // A packed package taken apart: its units are free again.
  void drop_package(std::size_t i) {
    for (const auto& [l, k] : s_.packages[i].units) move_units(s_, l, bucket::packed, bucket::free, k);
    s_.packages.erase(s_.packages.begin() + static_cast<std::ptrdiff_t>(i));
    package_index_.clear();
  }

  // The free units of `wanted` (or every free unit when `all`); the units
  // asked for that are not free are reported.
  units take_free(const event& e, const units& wanted, bool all) {
    units u;
    if (all) {
      if (s_.units_free == 0) return u;
      for (std::size_t l = 0; l < s_.lines.size(); ++l)
        if (s_.lines[l].free > 0) u.emplace_back(l, s_.lines[l].free);
      return u;
    }
    std::int64_t missing = 0;
    for (const auto& [l, k] : wanted) {
      const std::int64_t t = std::min(k, s_.lines[l].free);
      missing += k - t;
      if (t > 0) u.emplace_back(l, t);
    }
    if (missing > 0)
      anomaly_(e, "units_unavailable",
               std::to_string(missing) + " unit(s) named are already packed, shipped or cancelled; the rest applied");
    return u;
  }

  bool pay(const event& e, instant at) {
    const std::int64_t before = s_.paid_minor;
    s_.paid_minor += e.amount_minor.value_or(o_.total_minor);  // sums are bounded at parse (order.cpp)
    if (before <= o_.total_minor && s_.paid_minor > o_.total_minor) {
      anomaly_(e, "paid_exceeds_total",
               "payments now total " + money_text(s_.paid_minor, o_.currency) + ", more than the order's " +
                   money_text(o_.total_minor, o_.currency) + "; the excess is due back to the buyer (overpaid)");
    }
    if (!s_.paid_at) s_.paid_at = at;
    if (!s_.confirmed_at) s_.confirmed_at = at;
    return true;
  }

  void note_reason(std::string_view reason) {
    if (reason == "seller_late_ship") s_.late_ship_cancelled = true;
    if (reason == "seller_late_delivery") s_.late_delivery_cancelled = true;
  }

  // The whole order: every unit.
  void cancel(const event& e, instant at, std::string reason, responsibility r) {
    note_reason(reason);
    for (const auto& pk : s_.packages)
      if (pk.status == package_status::in_transit && !pk.units_cancelled) s_.parcel_in_transit = true;
    s_.cancelled = cancellation_info{at, e.by, std::move(reason), r, e.index == automatic_index};
    for (std::size_t l = 0; l < s_.lines.size(); ++l) {
      auto& ln = s_.lines[l];
      for (const auto b : {bucket::free, bucket::packed, bucket::shipped, bucket::delivered})
        move_units(s_, l, b, bucket::cancelled, ln.*line_bucket[static_cast<std::size_t>(b)]);
      ln.cancel_value = ln.allocated;
      ln.cancel_entitled = ln.allocated + ln.share;
      ln.has_cancellation = true;
    }
    s_.cancelled_lines.resize(s_.lines.size());
    std::iota(s_.cancelled_lines.begin(), s_.cancelled_lines.end(), std::size_t{0});
    s_.owed_lines.clear();
    for (std::size_t l = 0; l < s_.lines.size(); ++l)
      if (s_.lines[l].cancel_entitled > s_.lines[l].refunded) s_.owed_lines.insert(s_.owed_lines.end(), l);
    for (auto& pk : s_.packages) pk.units_cancelled = true;  // every unit, delivered ones too
    if (s_.request == request_outcome::pending) {
      s_.request = request_outcome::overtaken;
      s_.request_closed_at = at;
    }
    close_cases_after(at, false);
  }

  // Some units: `u` taken from the buckets that may give them (free, then
  // packed; shipped units only from `pkg`, a package whose units all go).
  void cancel_units(const event& e, instant at, const units& u, std::optional<std::size_t> pkg, std::string reason,
                    responsibility r) {
    note_reason(reason);
    line_cancellation c{at, e.by, std::move(reason), r, e.index == automatic_index, {}};
    bool in_transit_taken = false;
    for (const auto& [l, k] : u) {
      auto& ln = s_.lines[l];
      const std::int64_t v = units_value(ln.allocated, ln.qty, ln.cancelled, k);
      const std::int64_t sh = units_value(ln.share, ln.qty, ln.cancelled, k);
      std::int64_t left = k;
      if (!pkg) {
        const std::int64_t f = std::min(left, ln.free);
        move_units(s_, l, bucket::free, bucket::cancelled, f);
        left -= f;
        const std::int64_t pk = std::min(left, ln.packed);
        unpack(l, pk);
        move_units(s_, l, bucket::packed, bucket::cancelled, pk);
        left -= pk;
      }
      const std::int64_t sp = std::min(left, ln.shipped);
      move_units(s_, l, bucket::shipped, bucket::cancelled, sp);
      in_transit_taken = in_transit_taken || (sp > 0 && !pkg);
      ln.cancel_value += v;
      ln.cancel_entitled += v + sh;
      if (!ln.has_cancellation) {
        ln.has_cancellation = true;
        s_.cancelled_lines.push_back(l);
      }
      if (ln.cancel_entitled > ln.refunded) s_.owed_lines.insert(l);
      c.items.push_back({std::string(line_id_of(o_, l)), k});
    }
    if (pkg) s_.packages[*pkg].units_cancelled = true;
    // Units in transit taken without a package: a late-delivery
    // cancellation, which takes every one of them.
    if (in_transit_taken)
      for (auto& pk : s_.packages)
        if (pk.status == package_status::in_transit || pk.status == package_status::lost) pk.units_cancelled = true;
    close_cases_after(at, false);
    if (s_.units_open() + s_.units_delivered == 0) {
      // Every unit is cancelled: this is the order's cancellation.
      s_.cancelled = cancellation_info{c.at, c.by, std::move(c.reason), c.responsible, c.automatic};
      if (s_.request == request_outcome::pending) {
        s_.request = request_outcome::overtaken;
        s_.request_closed_at = at;
      }
      return;
    }
    s_.line_cancellations.push_back(std::move(c));
    note_ship_by_reached();
  }

  // Units a cancellation of some units can take: free and packed ones; a
  // late-delivery cancellation also those in transit.
  units cancellable(const event& e, const units& wanted) {
    const bool in_transit_too = e.reason == "seller_late_delivery";
    units u;
    std::int64_t missing = 0;
    for (const auto& [l, k] : wanted) {
      const auto& ln = s_.lines[l];
      const std::int64_t room = ln.free + ln.packed + (in_transit_too ? ln.shipped : 0);
      const std::int64_t t = std::min(k, room);
      missing += k - t;
      if (t > 0) u.emplace_back(l, t);
    }
    if (missing > 0)
      anomaly_(e, "units_unavailable",
               std::to_string(missing) + " unit(s) named are already shipped or cancelled; not cancelled");
    return u;
  }

  // The responsibility of a cancellation by `e.by` for `e.reason` in status
  // `st`, reporting a reason the catalogue does not allow there.
  responsibility checked_responsibility(const event& e, order_status st) {
    if (e.index == automatic_index && forced_) {
      // An automatic action carries its own responsibility (a refused parcel:
      // the buyer, the carrier or per `cod.refusal_responsibility`).
      const responsibility r = *forced_;
      forced_.reset();
      return r;
    }
    const auto r = check_reason(p_, e.reason, e.by, st);
    if (!r.anomaly.empty()) {
      std::string why = r.anomaly == "unknown_reason"
                            ? "the market's reason catalogue has no \"" + std::string(utf8_prefix(e.reason, 64)) + "\""
                        : r.anomaly == "reason_not_for_party"
                            ? "the " + std::string(to_string(e.by)) + " may not cancel for \"" + e.reason + "\""
                            : "\"" + e.reason + "\" is not a reason for a cancellation while the order is " +
                                  std::string(to_string(st));
      anomaly_(e, std::string(r.anomaly),
               why + "; the cancellation was applied, " + std::string(to_string(r.responsible)) + " responsible");
    }
    return r.responsible;
  }

  bool cancel_direct(const event& e, instant at) {
    const order_status st = status_of(s_, p_, at);
    const bool buyer_may = st == order_status::unpaid || st == order_status::on_hold;
    if (e.by == party::buyer && !buyer_may) {
      anomaly_(e, "cancel_not_allowed",
               "the buyer cancelled directly while the order was " + std::string(to_string(st)) +
                   ", where the buyer may only request cancellation; the cancellation was applied");
    }
    if (e.items.empty() && e.package_id.empty()) {
      // Every unit delivered: nothing is left to cancel (SPEC 4.2: after
      // delivery, a return or a claim), and a delivery is not undone.
      if (s_.units_open() == 0 && s_.units_delivered > 0) {
        anomaly_(e, "impossible_transition",
                 "a cancellation of an order whose every unit was delivered; not applied (a return or a claim is "
                 "the way back)");
        return false;
      }
      cancel(e, at, e.reason, checked_responsibility(e, st));
      return true;
    }
    std::optional<std::size_t> pkg;
    units u;
    if (!e.package_id.empty()) {
      pkg = find_package(e.package_id);
      if (!pkg) {
        anomaly_(e, "unknown_package",
                 "no package \"" + std::string(utf8_prefix(e.package_id, 64)) + "\" in this order; not applied");
        return false;
      }
      const auto& pk = s_.packages[*pkg];
      if (pk.units_cancelled || pk.status == package_status::delivered) {
        anomaly_(e, "units_unavailable",
                 "package \"" + std::string(utf8_prefix(pk.id, 64)) +
                     "\" was delivered or its units cancelled; not applied");
        return false;
      }
      u = pk.units;
      touch(*pkg);
      if (pk.status == package_status::packed) {
        drop_package(*pkg);  // its units are free again, and cancelled from there
        pkg.reset();
      }
    } else {
      u = cancellable(e, resolve(e));
    }
    if (u.empty()) {
      anomaly_(e, "units_unavailable", "the cancellation names no unit that can still be cancelled; not applied");
      return false;
    }
    if (e.by == party::seller && !p_.seller_line_cancel && count(u) < s_.units_open())
      anomaly_(e, "line_cancel_not_allowed",
               "the market's policy does not let the seller cancel some units only; the cancellation was applied");
    cancel_units(e, at, u, pkg, e.reason, checked_responsibility(e, st));
    return true;
  }

  bool request(const event& e, instant at) {
    // Requests are for the policy's `cancellation.buyer_request_statuses`
    // (one made before a partial shipment stays open); during ON_HOLD the
    // buyer cancels directly instead.
    const order_status st = status_of(s_, p_, at);
    const bool open = contains(p_.buyer_request_statuses, st) && st != order_status::on_hold &&
                      st != order_status::unpaid && st != order_status::cancelled;
    if (!open || s_.request == request_outcome::pending) {
      anomaly_(e, "request_not_allowed",
               s_.request == request_outcome::pending
                   ? "a cancellation request was made while another was pending; ignored"
                   : "the market's policy takes cancellation requests only while the order is " +
                         status_list(p_.buyer_request_statuses) + " (" + std::string(to_string(st)) + " now); ignored");
      return false;
    }
    const bool other = e.by != party::none && e.by != party::buyer;
    if (other)
      not_for_party(e, "a cancellation request is the buyer's to make, not the " + std::string(to_string(e.by)) +
                           "'s; if approved, the cancellation is the seller's responsibility");
    responsibility r = other ? responsibility::seller : responsibility::buyer;
    if (!e.reason.empty()) {
      const auto c = check_reason(p_, e.reason, party::buyer, st);
      if (!c.anomaly.empty())
        anomaly_(e, std::string(c.anomaly),
                 "\"" + std::string(utf8_prefix(e.reason, 64)) +
                     "\" is not a reason the catalogue lets a buyer request cancellation for here; the request stands");
      else if (!other && c.responsible != responsibility::buyer && c.responsible != responsibility::none)
        r = c.responsible;  // e.g. not_shipped_on_time: the seller's
    }
    s_.request = request_outcome::pending;
    s_.request_at = at;
    if (!s_.first_request_at) s_.first_request_at = at;
    s_.request_closed_at.reset();
    s_.request_by_other = other;
    s_.request_responsibility = r;
    return true;
  }

  bool close_request(const event& e, instant at, request_outcome outcome) {
    if (s_.request != request_outcome::pending) {
      anomaly_(e, "no_open_request",
               "\"" + std::string(to_string(e.type)) + "\" with no pending cancellation request; ignored");
      return false;
    }
    s_.request = outcome;
    s_.request_closed_at = at;
    return true;
  }

  bool approve_request(const event& e, instant at) {
    if (e.by == party::buyer) not_for_party(e, "the buyer cannot approve its own cancellation request");
    if (s_.request != request_outcome::pending) {
      // Nothing left to cancel (every unit delivered): a delivery is a fact
      // an approval of nothing cannot undo.
      if (s_.units_open() == 0) {
        anomaly_(e, "no_open_request",
                 "cancel_request_approved with no pending cancellation request and every unit delivered; not applied");
        return false;
      }
      anomaly_(e, "no_open_request",
               "cancel_request_approved with no pending cancellation request; the order was cancelled all the same");
    }
    event by = e;
    if (by.by == party::none) by.by = party::seller;
    const responsibility r = s_.request == request_outcome::pending ? s_.request_responsibility : responsibility::buyer;
    if (s_.units_shipped + s_.units_delivered > 0 && s_.units_free + s_.units_packed > 0) {
      // A partial shipment: the approval cancels the units not shipped.
      units u;
      for (std::size_t l = 0; l < s_.lines.size(); ++l)
        if (const auto k = s_.lines[l].free + s_.lines[l].packed; k > 0) u.emplace_back(l, k);
      cancel_units(by, at, u, std::nullopt, "buyer_request_approved", r);
    } else {
      cancel(by, at, "buyer_request_approved", r);
    }
    s_.request = request_outcome::approved;
    s_.request_closed_at = at;
    return true;
  }

  void require_paid(const event& e) {
    if (!s_.confirmed_at) {
      anomaly_(e, "impossible_transition",
               "\"" + std::string(to_string(e.type)) + "\" on an order that was never paid; applied");
    }
  }

  void reached(instant at, bool shipment) {
    if (!s_.request_statuses_left_at && s_.confirmed_at) {
      const order_status st = status_of(s_, p_, at);
      if (st != order_status::awaiting_shipment && st != order_status::on_hold &&
          !contains(p_.buyer_request_statuses, st))
        s_.request_statuses_left_at = at;
    }
    if (!s_.packed_at) s_.packed_at = at;
    s_.last_reach_at = at;
    if (shipment) s_.last_ship_at = at;
    note_ship_by_reached();
  }

  // Every unit not cancelled has reached `ship_by.satisfied_by`: when the
  // last of them did (kept once set).
  void note_ship_by_reached() {
    if (s_.ship_by_reached_at) return;
    const bool packing_counts = p_.ship_by_satisfier == ship_by_satisfied_by::ready_to_ship;
    const std::int64_t waiting = s_.units_free + (packing_counts ? 0 : s_.units_packed);
    if (waiting > 0 || s_.units_open() + s_.units_delivered == 0) return;
    s_.ship_by_reached_at = packing_counts ? s_.last_reach_at : s_.last_ship_at;
  }

  bool pack(const event& e, instant at) {
    std::optional<std::size_t> pkg = e.package_id.empty() ? std::nullopt : find_package(e.package_id);
    if (pkg && s_.packages[*pkg].status != package_status::packed) {
      anomaly_(e, "impossible_transition",
               "ready_to_ship for package \"" + std::string(utf8_prefix(e.package_id, 64)) +
                   "\", already shipped; not applied");
      return false;
    }
    units u = take_free(e, e.items.empty() ? units{} : resolve(e), e.items.empty());
    if (u.empty() && !pkg) {
      anomaly_(e, "nothing_to_ship",
               s_.units_shipped + s_.units_delivered > 0 ? "ready_to_ship after every unit was shipped; not applied"
                                                         : "ready_to_ship with no unit left to pack; not applied");
      return false;
    }
    require_paid(e);
    if (!pkg) pkg = new_package(e.package_id.empty() ? next_package_id() : e.package_id, at);
    for (const auto& [l, k] : u) move_units(s_, l, bucket::free, bucket::packed, k);
    add_units(s_.packages[*pkg], std::move(u));
    reached(at, false);
    touch(*pkg);
    return true;
  }

  void dispatch(std::size_t i, const event& e, instant at) {
    touch(i);
    auto& pk = s_.packages[i];
    pk.status = package_status::in_transit;
    pk.shipped_at = at;
    if (!e.carrier.empty()) pk.carrier = e.carrier;
    if (!e.tracking_number.empty()) pk.tracking_number = e.tracking_number;
    for (const auto& [l, k] : pk.units) move_units(s_, l, bucket::packed, bucket::shipped, k);
    if (!s_.shipped_at) s_.shipped_at = at;
    reached(at, true);
  }

  bool ship(const event& e, instant at) {
    std::optional<std::size_t> pkg = e.package_id.empty() ? std::nullopt : find_package(e.package_id);
    if (pkg && s_.packages[*pkg].status != package_status::packed) {
      auto& pk = s_.packages[*pkg];
      anomaly_(e, "impossible_transition",
               "package \"" + std::string(utf8_prefix(pk.id, 64)) +
                   "\" was already shipped; its carrier and "
                   "tracking were updated");
      if (!e.carrier.empty()) pk.carrier = e.carrier;
      if (!e.tracking_number.empty()) pk.tracking_number = e.tracking_number;
      touch(*pkg);
      return true;
    }
    std::optional<std::size_t> one;  // the package shipped, unless every packed one is
    if (pkg) {
      if (!e.items.empty()) {
        const units u = take_free(e, resolve(e), false);
        add_units(s_.packages[*pkg], u);
        for (const auto& [l, k] : u) move_units(s_, l, bucket::free, bucket::packed, k);
      }
      one = *pkg;
    } else if (e.items.empty() && e.package_id.empty() && s_.units_packed > 0) {
      // every packed package (below)
    } else {
      units u;
      if (!e.items.empty()) {
        // Named units: free ones first, then out of packed packages.
        const units wanted = resolve(e);
        std::int64_t missing = 0;
        for (const auto& [l, k] : wanted) {
          const auto& ln = s_.lines[l];
          const std::int64_t t = std::min(k, ln.free + ln.packed);
          missing += k - t;
          if (t > 0) u.emplace_back(l, t);
        }
        if (missing > 0)
          anomaly_(e, "units_unavailable",
                   std::to_string(missing) + " unit(s) named are already shipped or cancelled; the rest shipped");
      } else if (s_.units_free + s_.units_packed > 0) {
        for (std::size_t l = 0; l < s_.lines.size(); ++l)
          if (const auto k = s_.lines[l].free + s_.lines[l].packed; k > 0) u.emplace_back(l, k);
      }
      if (u.empty()) {
        anomaly_(e, "nothing_to_ship",
                 s_.units_delivered > 0 ? "shipped after delivery, with no unit left to ship; not applied"
                                        : "shipped with no unit left to ship; not applied");
        return false;
      }
      for (const auto& [l, k] : u) {
        const std::int64_t f = std::min(k, s_.lines[l].free);
        move_units(s_, l, bucket::free, bucket::packed, f);
        if (k > f) {
          unpack(l, k - f);
        }
      }
      const auto i = new_package(e.package_id.empty() ? next_package_id() : e.package_id, std::nullopt);
      add_units(s_.packages[i], u);
      one = i;
    }
    require_paid(e);
    if (one) {
      dispatch(*one, e, at);
    } else {
      for (std::size_t i = 0; i < s_.packages.size(); ++i)
        if (s_.packages[i].status == package_status::packed) dispatch(i, e, at);
    }
    supersede_request(at);
    return true;
  }

  // A shipment or delivery closes a pending request once no unit is left
  // unshipped (a partial shipment leaves it open: its approval cancels the rest).
  void supersede_request(instant at) {
    if (p_.shipment_closes_request && s_.request == request_outcome::pending && s_.units_free + s_.units_packed == 0) {
      s_.request = request_outcome::superseded;
      s_.request_closed_at = at;
    }
  }

  // The package a package-level event is for (SPEC 1.2 "Packages").
  // nullopt with an anomaly when it names an unknown one; `none` when no
  // package is in transit.
  std::optional<std::size_t> package_for(const event& e, bool& none) {
    none = false;
    if (!e.package_id.empty()) {
      const auto pkg = find_package(e.package_id);
      if (!pkg)
        anomaly_(e, "unknown_package",
                 "no package \"" + std::string(utf8_prefix(e.package_id, 64)) + "\" in this order; not applied");
      return pkg;
    }
    std::optional<std::size_t> latest;
    std::size_t in_transit = 0;
    for (std::size_t i = 0; i < s_.packages.size(); ++i) {
      const auto& pk = s_.packages[i];
      if (pk.status != package_status::in_transit) continue;
      ++in_transit;
      if (!latest || !(*pk.shipped_at < *s_.packages[*latest].shipped_at)) latest = i;
    }
    if (in_transit > 1)
      anomaly_(e, "ambiguous_package",
               "\"" + std::string(to_string(e.type)) + "\" names no package and " + std::to_string(in_transit) +
                   " are in transit; applied to the latest shipped, \"" +
                   std::string(utf8_prefix(s_.packages[*latest].id, 64)) + "\"");
    none = in_transit == 0;
    return latest;
  }

  // For a delivery or loss with no package in transit (v1 applied them): a
  // packed package, else a new one with every unit neither shipped nor
  // cancelled. nullopt when there is none.
  std::optional<std::size_t> implicit_package() {
    for (std::size_t i = 0; i < s_.packages.size(); ++i)
      if (s_.packages[i].status == package_status::packed) return i;
    if (s_.units_free == 0) return std::nullopt;
    const units u = take_free(event{}, {}, true);
    const auto i = new_package(next_package_id(), std::nullopt);
    add_units(s_.packages[i], u);
    for (const auto& [l, k] : u) move_units(s_, l, bucket::free, bucket::packed, k);
    return i;
  }

  bool attempt_failed(const event& e) {
    bool none = false;
    const auto pkg = package_for(e, none);
    if (pkg) {
      s_.packages[*pkg].attempt_failed = true;
      touch(*pkg);
    }
    if (!pkg && !none) return false;
    s_.delivery_attempt_failed = true;
    return true;
  }

  bool deliver(const event& e, instant at) {
    bool none = false;
    auto pkg = package_for(e, none);
    if (!pkg && !none) return false;
    if (pkg && s_.packages[*pkg].status == package_status::packed) {
      anomaly_(e, "impossible_transition", "delivered with no shipment before it; applied");
    } else if (pkg && s_.packages[*pkg].status == package_status::delivered) {
      anomaly_(
          e, "impossible_transition",
          "package \"" + std::string(utf8_prefix(s_.packages[*pkg].id, 64)) + "\" was already delivered; not applied");
      return false;
    }
    if (!pkg) {
      pkg = implicit_package();
      if (!pkg) {
        anomaly_(e, "impossible_transition", "delivered with no package to deliver; not applied");
        return false;
      }
      anomaly_(e, "impossible_transition", "delivered with no shipment before it; applied");
    }
    touch(*pkg);
    auto& pk = s_.packages[*pkg];
    const bool cancelled_units = pk.units_cancelled;
    if (cancelled_units)
      anomaly_(e, "impossible_transition",
               "package \"" + std::string(utf8_prefix(pk.id, 64)) +
                   "\" was delivered after its units were cancelled; they stay cancelled");
    const package_status was = pk.status;
    pk.status = package_status::delivered;
    pk.delivered_at = at;
    if (!cancelled_units) {
      for (const auto& [l, k] : pk.units)
        move_units(s_, l, was == package_status::packed ? bucket::packed : bucket::shipped, bucket::delivered, k);
      if (was == package_status::packed) reached(at, true);
      s_.last_delivery_at = s_.last_delivery_at ? std::max(*s_.last_delivery_at, at) : at;
      if (!s_.first_delivery_at) s_.first_delivery_at = at;
      close_cases_after(at, true);
    }
    supersede_request(at);
    return true;
  }

  bool lose(const event& e, instant at) {
    bool none = false;
    auto pkg = package_for(e, none);
    if (!pkg && !none) return false;
    if (!pkg || s_.packages[*pkg].status == package_status::packed) {
      if (!pkg) pkg = implicit_package();
      if (!pkg) {
        anomaly_(e, "impossible_transition", "lost with no package to lose; not applied");
        return false;
      }
      anomaly_(e, "impossible_transition", "lost with no shipment before it; applied");
      auto& pk = s_.packages[*pkg];
      for (const auto& [l, k] : pk.units) move_units(s_, l, bucket::packed, bucket::shipped, k);
      pk.status = package_status::in_transit;
    }
    auto& pk = s_.packages[*pkg];
    if (pk.status == package_status::delivered || pk.status == package_status::lost) {
      anomaly_(e, "impossible_transition",
               "package \"" + std::string(utf8_prefix(pk.id, 64)) + "\" was already " +
                   std::string(to_string(pk.status)) + "; not applied");
      return false;
    }
    touch(*pkg);
    pk.status = package_status::lost;
    pk.lost_at = at;
    pk.left_at = at;
    pk.left_reason = e.reason;
    if (!s_.lost_at) s_.lost_at = at;
    return true;
  }

  // A carrier's scan: kept on its package (the package the event names, else
  // the one in transit); it changes no state (SPEC 1.2).
  bool track(const event& e, instant at) {
    bool none = false;
    auto pkg = package_for(e, none);
    if (!pkg && none && s_.packages.size() == 1) pkg = 0;  // a scan after delivery or loss
    if (!pkg) {
      if (none) anomaly_(e, "unknown_package", "a tracking update with no package shipped; not applied");
      return false;
    }
    touch(*pkg);
    s_.packages[*pkg].scans.push_back({at, e.status, e.text});
    return true;
  }

  // The parcel was refused at the door or came back to the sender: it leaves
  // transit, and its units are cancelled by an automatic action at this
  // instant (SPEC 4.1; docs/RULES.md "Delivery exceptions").
  bool leave_transit(const event& e, instant at) {
    bool none = false;
    auto pkg = package_for(e, none);
    if (!pkg) {
      if (none)
        anomaly_(e, "impossible_transition",
                 "\"" + std::string(to_string(e.type)) + "\" with no package in transit; not applied");
      return false;
    }
    auto& pk = s_.packages[*pkg];
    if (pk.status != package_status::in_transit) {
      anomaly_(e, "impossible_transition",
               "package \"" + std::string(utf8_prefix(pk.id, 64)) + "\" is " + std::string(to_string(pk.status)) +
                   ", not in transit; not applied");
      return false;
    }
    touch(*pkg);
    pk.status = e.type == event_type::delivery_refused ? package_status::refused : package_status::returned_to_sender;
    pk.left_at = at;
    pk.left_reason = e.reason;
    return true;
  }

  bool revise(const event& e) {
    if (*e.est_delivery < p_.cal.local_date(o_.placed_at)) {
      anomaly_(e, "est_delivery_before_placed",
               "a revised estimate of " + format_date(*e.est_delivery) + " is before the order was placed; ignored");
      return false;
    }
    s_.revised_est_delivery = e.est_delivery;
    return true;
  }

  // ---- After-sales cases (SPEC 4.4; docs/RULES.md "After-sales cases") ----

  [[nodiscard]] bool returnable(std::size_t l) const { return o_.items.empty() || o_.items[l].returnable; }

  std::optional<std::size_t> find_case(std::string_view id) const {
    for (std::size_t i = 0; i < s_.cases.size(); ++i)
      if (s_.cases[i].id == id) return i;
    return std::nullopt;
  }

  // What kind of request a case is, for the window it needs.
  [[nodiscard]] static claim claim_of(const event& e, const policy& p) {
    if (e.refund_only && e.reason == "not_received") return claim::not_received;
    if (e.refund_only && e.reason == "delivered_not_received" && p.case_clocks) return claim::delivered_not_received;
    return claim::delivered;
  }
  // Opens (+1) or releases (-1) a case's hold on its units.
  void hold(const case_state& c, std::int64_t sign) {
    for (const auto& r : c.lines)
      (c.not_received() ? s_.lines[r.line].held_transit : s_.lines[r.line].held_other) += sign * r.qty;
  }
  [[nodiscard]] std::pair<std::int64_t, std::int64_t> held(std::size_t l) const { return held_units(s_, l); }

  // Whether the window a case of kind `k` needs is open at `at`, and why not.
  std::string window_closed(claim k, instant at) {
    if (s_.paid_minor == 0) return s_.cod ? "nothing was paid for a cash-on-delivery order" : "nothing was paid";
    switch (k) {
      case claim::not_received: {
        auto est = original_est_delivery(o_, p_);
        if (!est) return "the estimated delivery cannot be placed";
        const civil_date base = est->date;
        const instant opens =
            p_.cal.end_of_day(civil_date{date::sys_days{base} + date::days{p_.not_received_claim_after_days}});
        const instant closes = p_.cal.end_of_day(civil_date{date::sys_days{base} + date::days{p_.delivery_grace_days}});
        if (at < opens) return "the not_received_claim window opens at " + format_instant(opens);
        if (at >= closes) return "the not_received_claim window closed at " + format_instant(closes);
        return {};
      }
      case claim::delivered_not_received:
        if (!s_.first_delivery_at) return "nothing was delivered";
        if (at >= dnr_window_end(p_, *s_.last_delivery_at))
          return "the delivered_not_received_claim window closed at " +
                 format_instant(dnr_window_end(p_, *s_.last_delivery_at));
        return {};
      case claim::delivered:
        if (p_.return_from == return_window_from::last_delivery) {
          const auto last = s_.delivered_at();
          if (!last) return "the order is not delivered yet";
          if (at >= return_window_end(p_, *last))
            return "the return window closed at " + format_instant(return_window_end(p_, *last));
        } else if (!s_.first_delivery_at) {
          return "nothing was delivered";
        }
        return {};
    }
    return {};
  }

  bool request_case(const event& e, instant at) {
    if (s_.cases.size() >= max_return_requests) {
      anomaly_(e, "too_many_returns",
               "more than " + std::to_string(max_return_requests) + " return requests on one order; not applied");
      return false;
    }
    if (!e.case_id.empty() && find_case(e.case_id)) {
      anomaly_(e, "case_exists",
               "a case \"" + std::string(utf8_prefix(e.case_id, 64)) + "\" was already opened; not applied");
      return false;
    }
    const claim k = claim_of(e, p_);
    if (const auto why = window_closed(k, at); !why.empty()) {
      anomaly_(e, "case_not_allowed",
               "a " + std::string(e.refund_only ? "refund_only" : "return_and_refund") + " case for \"" +
                   std::string(utf8_prefix(e.reason, 64)) + "\": " + why + "; not applied");
      return false;
    }
    // The reason and who answers for it (the catalogue; a reason it does not
    // know, or none, is the buyer's).
    responsibility who = responsibility::buyer;
    if (!e.reason.empty() && p_.case_clocks) {
      const case_reason_entry* r = p_.find_case_reason(e.reason);
      if (r == nullptr) {
        anomaly_(e, "unknown_reason",
                 "the market's case reason catalogue has no \"" + std::string(utf8_prefix(e.reason, 64)) +
                     "\"; the case was opened, buyer responsible");
      } else {
        who = r->responsible;
        if (!(e.refund_only ? r->refund_only : r->return_and_refund))
          anomaly_(e, "reason_not_for_type",
                   "\"" + e.reason + "\" is not a reason for a " +
                       (e.refund_only ? "refund_only" : "return_and_refund") + " case; the case was opened");
      }
    }
    // The units: those named, else every unit the kind may take.
    units wanted;
    if (e.items.empty()) {
      for (std::size_t l = 0; l < s_.lines.size(); ++l) wanted.emplace_back(l, s_.lines[l].qty);
    } else {
      wanted = resolve(e);
    }
    case_state c;
    if (e.case_id.empty()) {
      // R1, R2, ... by the number of cases: the next such id no case has
      // taken (a request may have named "R2" itself).
      for (std::size_t n = s_.cases.size() + 1; c.id.empty() || find_case(c.id); ++n) c.id = "R" + std::to_string(n);
    } else {
      c.id = e.case_id;
    }
    c.refund_only = e.refund_only;
    c.reason = e.reason;
    c.responsible = who;
    c.opened_at = at;
    const auto own = in_own_window(p_, s_, at);
    std::int64_t skipped_returnable = 0, skipped_taken = 0, skipped_late = 0;
    std::string_view not_returnable_id;
    const bool with_shipping = who != responsibility::buyer;
    std::int64_t room = std::max<std::int64_t>(0, s_.paid_minor - s_.refunded_minor);
    if (wanted.empty()) return false;  // every item named is unknown (reported)
    for (const auto& [l, want] : wanted) {
      if (!e.refund_only && !returnable(l)) {
        if (skipped_returnable++ == 0) not_returnable_id = line_id_of(o_, l);
        continue;
      }
      const std::int64_t free = claimable_units(s_, l, k, own);
      const std::int64_t q = std::min(want, free);
      if (!e.items.empty() && q < want) {
        // Past their own return window (each_delivery), or held / not there.
        const std::int64_t late = own.empty() ? 0 : std::min(want, claimable_units(s_, l, k, {})) - q;
        skipped_late += late;
        skipped_taken += want - q - late;
      }
      if (q <= 0) continue;
      auto& ln = s_.lines[l];
      const auto [transit, other] = held(l);
      const std::int64_t r = std::min(ln.qty - q, ln.cancelled + transit + other);
      std::int64_t amount = std::min(units_value(ln.allocated, ln.qty, r, q), goods_left(ln));
      if (with_shipping) amount += units_value(ln.share, ln.qty, r, q);
      amount = std::min({amount, line_room(ln), room});
      room -= amount;
      c.lines.push_back({l, q, amount, 0});
      c.amount += amount;
    }
    if (skipped_returnable > 0 && c.lines.empty() && skipped_taken == 0) {
      anomaly_(e, "items_not_returnable",
               "the items are not returnable (\"" + std::string(utf8_prefix(not_returnable_id, 128)) +
                   "\"); a return_and_refund case needs returnable items; not applied");
      return false;
    }
    if (skipped_returnable > 0 && !e.items.empty())
      anomaly_(e, "not_returnable",
               std::to_string(skipped_returnable) + " returned item(s) are not returnable (\"" +
                   std::string(utf8_prefix(not_returnable_id, 128)) + "\"); not counted");
    if (skipped_late > 0)
      anomaly_(e, "case_not_allowed",
               std::to_string(skipped_late) +
                   " unit(s) named are past their own delivery's return window (aftersale.return_window_from "
                   "each_delivery)" +
                   (c.lines.empty() ? "; not applied" : "; the case takes the others"));
    if (skipped_taken > 0)
      anomaly_(e, "case_overlap",
               std::to_string(skipped_taken) + " unit(s) named are in another open case or not " +
                   (k == claim::not_received ? "in transit" : "delivered") +
                   (c.lines.empty() ? "; not applied" : "; the case takes the others"));
    if (c.lines.empty()) {
      if (skipped_taken == 0 && skipped_late == 0)
        anomaly_(e, "case_overlap",
                 std::string("no unit is free for the case (each is in another case, or not ") +
                     (k == claim::not_received ? "in transit" : "delivered") + "); not applied");
      return false;
    }
    const instant due = at + std::chrono::hours{p_.return_response_hours};
    c.clock(case_clock_id::response) = case_clock{at, due, std::nullopt, {}, {}, false};
    switch (k) {
      case claim::not_received:
        if (!s_.claim_used_at) s_.claim_used_at = at;
        break;
      case claim::delivered_not_received:
        if (!s_.dnr_used_at) s_.dnr_used_at = at;
        break;
      case claim::delivered:
        if (!s_.return_used_at) s_.return_used_at = at;
        break;
    }
    hold(c, 1);
    s_.cases.push_back(std::move(c));
    return true;
  }

  // The case a case event is for: the one it names, else the one open case
  // it fits (several: the latest, anomaly ambiguous_case).
  std::optional<std::size_t> case_for(const event& e, std::initializer_list<case_status> fits) {
    if (!e.case_id.empty()) {
      const auto i = find_case(e.case_id);
      if (!i)
        anomaly_(e, "unknown_case",
                 "no case \"" + std::string(utf8_prefix(e.case_id, 64)) + "\" in this order; \"" +
                     std::string(to_string(e.type)) + "\" not applied");
      return i;
    }
    auto fitting = [&](bool any_open) {
      std::vector<std::size_t> out;
      for (std::size_t i = 0; i < s_.cases.size(); ++i) {
        const auto& c = s_.cases[i];
        if (!c.open()) continue;
        if (any_open || std::find(fits.begin(), fits.end(), c.status) != fits.end()) out.push_back(i);
      }
      return out;
    };
    auto found = fitting(false);
    if (found.empty()) found = fitting(true);
    if (found.empty()) {
      anomaly_(e, "no_open_case", "\"" + std::string(to_string(e.type)) + "\" with no open case; not applied");
      return std::nullopt;
    }
    if (found.size() > 1)
      anomaly_(e, "ambiguous_case",
               std::to_string(found.size()) + " cases are open and \"" + std::string(to_string(e.type)) +
                   "\" names none; applied to the latest (\"" +
                   std::string(utf8_prefix(s_.cases[found.back()].id, 64)) + "\")");
    return found.back();
  }

  // `c` is not in a state where `e` applies.
  bool case_mismatch(const event& e, const case_state& c) {
    anomaly_(e, c.open() ? "no_open_request" : "case_closed",
             "\"" + std::string(to_string(e.type)) + "\" while case \"" + std::string(utf8_prefix(c.id, 64)) +
                 "\" is " + std::string(to_string(c.status)) + "; not applied");
    return false;
  }

  // Ends the clock the case's state runs (met at `at`, or fired when the
  // event is the record of its automatic action).
  void stop_clock(case_state& c, case_clock_id id, const event& e, instant at) {
    auto& k = c.clock(id);
    if (!k || k->met_at || k->moot_at || k->fired) return;
    if (e.index == automatic_index || at >= k->due)
      k->fired = true;
    else
      k->met_at = at;
  }
  void start_clock(case_state& c, case_clock_id id, instant at) {
    if (!p_.case_clocks) return;  // policy/1: no case clocks beyond return_response
    case_clock k;
    k.start = at;
    switch (id) {
      case case_clock_id::ship_back:
      case case_clock_id::receipt: {
        const int days = id == case_clock_id::ship_back ? p_.buyer_ship_back_days : p_.return_receipt_days;
        const auto pd = calendar_days_after(p_, p_.cal.local_date(at), days, {}, false);
        k.local_date = pd.local_date;
        k.due = pd.due_at;
        break;
      }
      case case_clock_id::receipt_response:
      case case_clock_id::refund:
        k.due = at + std::chrono::hours{p_.seller_receipt_response_hours};
        break;
      case case_clock_id::appeal_window:
        k.due = at + std::chrono::hours{p_.appeal_window_hours};
        break;
      case case_clock_id::appeal_decision:
        k.due = at + std::chrono::hours{p_.appeal_decision_hours};
        break;
      case case_clock_id::response:
        k.due = at + std::chrono::hours{p_.return_response_hours};
        break;
    }
    c.clock(id) = k;
  }
  void close_case(case_state& c, instant at, case_status to, case_close why) {
    c.status = to;
    c.closed_reason = why;
    c.closed_at = at;
    if (!c.holds_units()) hold(c, -1);
    for (auto& k : c.clocks)
      if (k && !k->met_at && !k->fired && !k->moot_at) k->moot_at = at;
  }

  // The case accepted (by the seller, the platform, or an appeal won):
  // money due at once, or the items to send back first.
  void accept_case(case_state& c, instant at) {
    if (c.refund_only || c.keep_item || c.received) {
      c.status = case_status::approved;
      start_clock(c, case_clock_id::refund, at);
    } else {
      c.status = case_status::awaiting_return;
      start_clock(c, case_clock_id::ship_back, at);
    }
  }

  bool approve_case(const event& e, instant at) {
    const auto i = case_for(e, {case_status::requested});
    if (!i) return false;
    auto& c = s_.cases[*i];
    if (c.status != case_status::requested) return case_mismatch(e, c);
    if (e.by == party::buyer) not_for_party(e, "the buyer cannot approve its own case");
    stop_clock(c, case_clock_id::response, e, at);
    c.keep_item = e.keep_item;
    accept_case(c, at);
    return true;
  }

  bool reject_case(const event& e, instant at) {
    const auto i = case_for(e, {case_status::requested, case_status::received});
    if (!i) return false;
    auto& c = s_.cases[*i];
    if (c.status != case_status::requested && c.status != case_status::received) return case_mismatch(e, c);
    if (e.by == party::buyer) not_for_party(e, "the buyer cannot reject its own case");
    stop_clock(c, c.status == case_status::requested ? case_clock_id::response : case_clock_id::receipt_response, e,
               at);
    if (!p_.case_clocks || c.appealed) {
      // No appeal (policy/1, or one was decided already): closed at once.
      close_case(c, at, case_status::closed, case_close::rejected);
      return true;
    }
    c.status = case_status::rejected;
    start_clock(c, case_clock_id::appeal_window, at);
    return true;
  }

  bool withdraw_case(const event& e, instant at) {
    const auto i = case_for(e, {case_status::requested, case_status::approved, case_status::awaiting_return,
                                case_status::rejected, case_status::appealed});
    if (!i) return false;
    auto& c = s_.cases[*i];
    if (!c.open() || c.status == case_status::returned || c.status == case_status::received) return case_mismatch(e, c);
    if (e.by != party::buyer && e.by != party::none) not_for_party(e, "only the buyer withdraws a case");
    close_case(c, at, case_status::closed, case_close::withdrawn);
    return true;
  }

  // The items of `c` leave the buyer: ship_back stops, the units count as
  // returned.
  void send_back(case_state& c, const event& e, instant at) {
    stop_clock(c, case_clock_id::ship_back, e, at);
    c.status = case_status::returned;
    for (const auto& r : c.lines) {
      auto& ln = s_.lines[r.line];
      ln.returned += std::min(r.qty, std::max<std::int64_t>(0, ln.delivered - ln.returned));
    }
  }

  bool ship_case_back(const event& e, instant at) {
    const auto i = case_for(e, {case_status::awaiting_return});
    if (!i) return false;
    auto& c = s_.cases[*i];
    if (c.status != case_status::awaiting_return) return case_mismatch(e, c);
    send_back(c, e, at);
    start_clock(c, case_clock_id::receipt, at);
    return true;
  }

  bool receive_case(const event& e, instant at) {
    const auto i = case_for(e, {case_status::returned, case_status::awaiting_return});
    if (!i) return false;
    auto& c = s_.cases[*i];
    if (c.status == case_status::awaiting_return) {
      send_back(c, e, at);  // received implies shipped back (no receipt clock: it was never on its way)
    } else if (c.status != case_status::returned) {
      return case_mismatch(e, c);
    }
    stop_clock(c, case_clock_id::receipt, e, at);
    c.status = case_status::received;
    c.received = true;
    start_clock(c, case_clock_id::receipt_response, at);
    return true;
  }

  bool open_appeal(const event& e, instant at) {
    const auto i = case_for(e, {case_status::rejected});
    if (!i) return false;
    auto& c = s_.cases[*i];
    if (c.status != case_status::rejected) return case_mismatch(e, c);
    stop_clock(c, case_clock_id::appeal_window, e, at);
    c.status = case_status::appealed;
    c.appealed = true;
    start_clock(c, case_clock_id::appeal_decision, at);
    return true;
  }

  bool decide_appeal(const event& e, instant at) {
    const auto i = case_for(e, {case_status::appealed});
    if (!i) return false;
    auto& c = s_.cases[*i];
    if (c.status != case_status::appealed) return case_mismatch(e, c);
    if (e.by == party::buyer || e.by == party::seller) not_for_party(e, "the platform decides an appeal");
    stop_clock(c, case_clock_id::appeal_decision, e, at);
    if (e.outcome == party::seller) {
      close_case(c, at, case_status::closed, case_close::appeal_lost);
    } else {
      accept_case(c, at);
    }
    return true;
  }

  // `case_closed` (the record of an automatic close, or the platform's).
  bool close_case_event(const event& e, instant at) {
    const auto i = case_for(e, {case_status::awaiting_return, case_status::rejected});
    if (!i) return false;
    auto& c = s_.cases[*i];
    if (!c.open()) return case_mismatch(e, c);
    case_close why = case_close::rejected;
    // The record of the clock's automatic action fires it; a closure before
    // the clock ran out leaves it moot (close_case): the buyer did not use
    // the window, and did not meet the obligation either.
    auto fire_if_due = [&](case_clock_id id) {
      auto& k = c.clock(id);
      if (k && !k->met_at && !k->moot_at && !k->fired && (e.index == automatic_index || at >= k->due)) k->fired = true;
    };
    if (e.reason == "not_shipped_back") {
      why = case_close::not_shipped_back;
      fire_if_due(case_clock_id::ship_back);
    } else if (e.reason == "rejected") {
      fire_if_due(case_clock_id::appeal_window);
    } else if (e.reason == "withdrawn") {
      why = case_close::withdrawn;
    } else {
      anomaly_(e, "unknown_reason",
               "a case closed for \"" + std::string(utf8_prefix(e.reason, 64)) +
                   "\", which is not a closing reason (not_shipped_back, rejected, withdrawn); closed as rejected");
    }
    if (e.by != party::platform && e.by != party::operator_ && e.by != party::none)
      not_for_party(e, "the platform closes a case");
    close_case(c, at, case_status::closed, why);
    return true;
  }

  // After units were cancelled: the open cases whose units are gone close
  // (units_cancelled); after a delivery, a not-received case still
  // requested whose units arrived closes (delivered).
  void close_cases_after(instant at, bool delivery) {
    if (s_.cases.empty()) return;
    for (auto& c : s_.cases) {
      if (!c.open()) continue;
      bool gone = false;
      for (const auto& r : c.lines) {
        const auto& ln = s_.lines[r.line];
        if (delivery ? (c.not_received() && ln.shipped < r.qty)
                     : (c.not_received() ? ln.shipped + ln.delivered : ln.delivered) < r.qty)
          gone = true;
      }
      if (!gone) continue;
      if (delivery && c.status != case_status::requested) continue;
      close_case(c, at, case_status::closed, delivery ? case_close::delivered : case_close::units_cancelled);
    }
  }

  // A refund's case reached its amount: refunded (closed).
  void settle_cases(instant at) {
    for (auto& c : s_.cases) {
      if (!c.open() || case_owed(s_, c) > 0) continue;  // nothing more can be owed: refunded
      if (c.status == case_status::requested || c.status == case_status::rejected || c.status == case_status::appealed)
        continue;  // money before an answer does not answer it
      c.status = case_status::refunded;
      c.closed_at = at;
      for (auto& k : c.clocks)
        if (k && !k->met_at && !k->fired && !k->moot_at) {
          if (k->due > at)
            k->met_at = at;
          else
            k->fired = true;
        }
    }
  }

  // Cases a refund without case_id may pay: those whose refund is due.
  [[nodiscard]] static bool payable(const case_state& c) {
    return c.status == case_status::approved || c.status == case_status::awaiting_return ||
           c.status == case_status::returned || c.status == case_status::received;
  }

  // Attributes `amount` to the lines (SPEC 1.2 "Refund attribution",
  // docs/RULES.md "Money"); returns what is left unattributed.
  std::int64_t attribute(const event& e, std::int64_t amount, refund_record& rec) {
    units given;  // (line, amount)
    auto pay_line = [&](std::size_t l, std::int64_t room) {
      const std::int64_t t = std::min(amount, std::max<std::int64_t>(0, room));
      if (t <= 0) return std::int64_t{0};
      s_.lines[l].refunded += t;
      amount -= t;
      given.emplace_back(l, t);
      return t;
    };
    auto full_room = [&](std::size_t l) { return line_room(s_.lines[l]); };
    // 1. the lines the event names (an unknown one leaves its amount to the rest).
    for (const auto& r : e.items) {
      if (amount == 0) break;
      if (const auto l = find_line(r)) pay_line(*l, std::min(*r.amount_minor, full_room(*l)));
    }
    // 2. the case it names (open), else the cases whose refund is due, in
    // order of opening.
    for (auto& c : s_.cases) {
      if (amount == 0) break;
      if (!c.open() || (e.case_id.empty() ? !payable(c) : e.case_id != c.id)) continue;
      for (auto& r : c.lines) {
        if (amount == 0) break;
        const std::int64_t t = pay_line(r.line, std::min(r.amount - r.refunded, full_room(r.line)));
        r.refunded += t;
        c.refunded += t;
        if (t > 0 && rec.case_id.empty()) rec.case_id = c.id;
      }
    }
    // 3. money due now: cancelled units not refunded, in line order (the
    // lines still owed are a set, so each refund costs only what it pays).
    for (auto it = s_.owed_lines.begin(); it != s_.owed_lines.end() && amount > 0;) {
      const auto l = *it;
      pay_line(l, s_.lines[l].cancel_entitled - s_.lines[l].refunded);
      it = s_.lines[l].cancel_entitled > s_.lines[l].refunded ? std::next(it) : s_.owed_lines.erase(it);
    }
    // 4. the lines' goods, then their shipping shares, in line order.
    for (; goods_cursor_ < s_.lines.size() && amount > 0; ++goods_cursor_) {
      auto& ln = s_.lines[goods_cursor_];
      pay_line(goods_cursor_, ln.allocated - ln.refunded);
      if (ln.allocated - ln.refunded > 0) break;
    }
    for (; share_cursor_ < s_.lines.size() && amount > 0; ++share_cursor_) {
      pay_line(share_cursor_, full_room(share_cursor_));
      if (full_room(share_cursor_) > 0) break;
    }
    normalise(given);
    for (const auto& [l, t] : given) rec.items.push_back({std::string(line_id_of(o_, l)), t});
    return amount;
  }

  bool refund(const event& e, instant at) {
    const std::int64_t room = std::max<std::int64_t>(0, s_.paid_minor - s_.refunded_minor);
    const std::int64_t amount = *e.amount_minor;
    if (amount > room) {
      anomaly_(e, "refund_exceeds_paid",
               "refund of " + money_text(amount, o_.currency) + " exceeds what was paid and not yet refunded (" +
                   money_text(room, o_.currency) + "); counted as " + money_text(room, o_.currency));
    }
    const std::int64_t counted = std::min(amount, room);
    s_.refunded_minor += counted;
    refund_record rec{at, counted, e.reason, {}, {}};
    const std::int64_t left = attribute(e, counted, rec);
    if (left > 0)
      anomaly_(
          e, "refund_unattributed",
          std::to_string(left) + " of the refund is more than any line still holds; counted toward the order only");
    s_.refunds.push_back(std::move(rec));
    settle_cases(at);
    return true;
  }

  void touch(std::size_t i) { touched_.push_back(s_.packages[i].id); }

  const order& o_;
  const policy& p_;
  lifecycle& s_;
  std::vector<std::string> touched_;
  std::optional<line_lookup> lines_;
  std::optional<responsibility> forced_;
  static constexpr std::size_t small_packages = 16;
  mutable std::unordered_map<std::string, std::size_t> package_index_;  // built when there are many
  std::size_t numeral_ = 0;
  std::size_t goods_cursor_ = 0;
  std::size_t share_cursor_ = 0;
};

std::optional<instant> earliest(std::optional<instant> a, std::optional<instant> b) {
  if (!a) return b;
  if (!b) return a;
  return std::min(*a, *b);
}

}  // namespace

std::vector<std::int64_t> claimable(const policy& p, const lifecycle& s, claim k, instant at) {
  const auto own = k == claim::delivered ? in_own_window(p, s, at) : std::vector<std::int64_t>{};
  std::vector<std::int64_t> out(s.lines.size(), 0);
  for (std::size_t l = 0; l < s.lines.size(); ++l) out[l] = claimable_units(s, l, k, own);
  return out;
}

std::string_view line_id_of(const order& o, std::size_t i) {
  return o.items.empty() ? std::string_view("_order") : std::string_view(o.items[i].line_id);
}

std::int64_t units_value(std::int64_t amount, std::int64_t qty, std::int64_t r, std::int64_t k) {
  const auto a = static_cast<__int128>(amount);
  return static_cast<std::int64_t>(a * (r + k) / qty - a * r / qty);
}

namespace {

// Shares `pool` among the lines in proportion to `weight(i)` (largest
// remainder, ties to the earlier line) into `field`; equal shares by unit
// when the weights are all 0.
template <class Weight>
void share_out(lifecycle& s, std::int64_t pool, std::int64_t line_state::*field, Weight weight) {
  if (pool == 0) return;  // nothing to share: every line keeps 0
  const std::size_t n = s.lines.size();
  __int128 total = 0;
  for (std::size_t i = 0; i < n; ++i) total += weight(i);
  const bool by_unit = total == 0;
  auto w = [&](std::size_t i) -> std::int64_t { return by_unit ? s.lines[i].qty : weight(i); };
  if (by_unit)
    for (std::size_t i = 0; i < n; ++i) total += s.lines[i].qty;
  // The usual cases need no division: nothing to share, one line, or lines
  // that sum to the pool exactly.
  if (n == 1 || total == pool) {
    for (std::size_t i = 0; i < n; ++i) s.lines[i].*field = n == 1 ? pool : w(i);
    return;
  }
  std::vector<std::pair<__int128, std::size_t>> rest;
  rest.reserve(n);
  std::int64_t given = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const __int128 x = static_cast<__int128>(pool) * w(i);
    s.lines[i].*field = static_cast<std::int64_t>(x / total);
    given += s.lines[i].*field;
    rest.emplace_back(x % total, i);
  }
  // Largest remainder first; equal remainders keep line order.
  std::sort(rest.begin(), rest.end(),
            [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
  for (std::size_t k = 0; given < pool && k < rest.size(); ++k, ++given) ++(s.lines[rest[k].second].*field);
}

}  // namespace

void init_lines(const order& o, lifecycle& s) {
  const std::size_t n = o.items.empty() ? 1 : o.items.size();
  s.lines.assign(n, line_state{});
  std::int64_t value = 0;
  s.units_free = 0;
  for (std::size_t i = 0; i < n; ++i) {
    auto& ln = s.lines[i];
    ln.qty = ln.free = o.items.empty() ? 1 : o.items[i].qty;
    s.units_free += ln.qty;
    if (!o.items.empty()) value += o.items[i].qty * o.items[i].unit_price_minor;  // bounded at parse (order.cpp)
  }
  auto weight = [&](std::size_t i) -> std::int64_t {
    return o.items.empty() ? 1 : o.items[i].qty * o.items[i].unit_price_minor;
  };
  const std::int64_t shipping =
      o.shipping_minor.value_or(o.items.empty() ? 0 : std::max<std::int64_t>(0, o.total_minor - value));
  share_out(s, o.total_minor - shipping, &line_state::allocated, weight);
  share_out(s, shipping, &line_state::share, weight);
  s.shipping_minor = shipping;
}

order_status line_status(const line_state& l, order_status order) {
  if (l.cancelled == l.qty || order == order_status::cancelled) return order_status::cancelled;
  if (order == order_status::completed) return order_status::completed;
  const std::int64_t live = l.qty - l.cancelled;
  if (l.delivered == live) return order_status::delivered;
  if (l.shipped + l.delivered == live) return order_status::in_transit;
  if (l.shipped + l.delivered > 0) return order_status::partially_shipping;
  if (l.packed == live) return order_status::awaiting_collection;
  if (order == order_status::unpaid || order == order_status::on_hold) return order;
  return order_status::awaiting_shipment;
}

std::int64_t returnable_value(const order& o, const policy& p, const lifecycle& s, instant at) {
  std::int64_t v = 0;
  const auto own = in_own_window(p, s, at);
  for (std::size_t l = 0; l < s.lines.size(); ++l) {
    if (!o.items.empty() && !o.items[l].returnable) continue;
    const auto& ln = s.lines[l];
    const std::int64_t q = claimable_units(s, l, claim::delivered, own);
    if (q <= 0) continue;
    const auto [transit, other] = held_units(s, l);
    const std::int64_t r = std::min(ln.qty - q, ln.cancelled + transit + other);
    v += std::min(units_value(ln.allocated, ln.qty, r, q), goods_left(ln));
  }
  return v;
}

std::int64_t unclaimed_in_transit(const lifecycle& s, std::size_t l) {
  return std::max<std::int64_t>(0, s.lines[l].shipped - held_units(s, l).first);
}

std::int64_t case_owed(const lifecycle& s, const case_state& c) {
  std::int64_t owed = 0;
  for (const auto& r : c.lines)
    owed += std::max<std::int64_t>(0, std::min(r.amount - r.refunded, line_room(s.lines[r.line])));
  return std::min(owed, std::max<std::int64_t>(0, s.paid_minor - s.refunded_minor));
}

order_status status_of(const lifecycle& s, const policy& p, instant now) {
  if (s.cancelled) return order_status::cancelled;
  if (s.completed_at) return order_status::completed;
  const std::int64_t live = s.units_open() + s.units_delivered;
  if (live == 0) return order_status::cancelled;
  if (s.units_delivered == live) return order_status::delivered;
  if (s.units_shipped + s.units_delivered == live) return order_status::in_transit;
  if (s.units_shipped + s.units_delivered > 0) return order_status::partially_shipping;
  if (s.units_packed == live) return order_status::awaiting_collection;
  if (s.confirmed_at) {
    return now < *s.confirmed_at + std::chrono::hours{p.remorse_window_hours} ? order_status::on_hold
                                                                              : order_status::awaiting_shipment;
  }
  return s.units_packed > 0 ? order_status::awaiting_shipment : order_status::unpaid;
}

result<estimate> original_est_delivery(const order& o, const policy& p) {
  if (o.promised.est_delivery && !(*o.promised.est_delivery < p.cal.local_date(o.placed_at)))
    return estimate{*o.promised.est_delivery, true, true};
  const int handling = o.promised.handling_days.value_or(p.default_handling_days);
  const int transit_max = o.promised.transit_days ? (*o.promised.transit_days)[1] : p.default_transit_days[1];
  const civil_date day0 = p.cal.day0(o.placed_at);
  // The dispatch date of the estimate: H working days after day 0; a
  // pre-order's the working day after max(release_date, day 0).
  auto dispatch = o.type == order_kind::pre_order ? working_date_after(p, std::max(*o.release_date, day0), 1)
                                                  : working_date_after(p, day0, handling);
  if (!dispatch) return dispatch.err();
  auto est = working_date_after(p, *dispatch, transit_max);
  if (!est) return est.err();
  return estimate{*est, false, p.cal.covers(day0, *est)};
}

reason_check check_reason(const policy& p, std::string_view reason, party by, order_status st) {
  const reason_entry* r = p.find_reason(reason);
  if (r == nullptr) return {"unknown_reason", side_of(by)};
  if ((r->initiators & party_bit(by)) == 0) return {"reason_not_for_party", side_of(by)};
  if (!contains(r->statuses, st)) return {"reason_not_for_status", r->responsible};
  return {{}, r->responsible};
}

std::optional<instant> stamped_deadline(const order& o, obligation_id id, std::optional<instant> request_at) {
  if (!o.platform) return std::nullopt;
  const platform_info& pl = *o.platform;
  switch (id) {
    case obligation_id::payment:
      return pl.payment;
    case obligation_id::dispatch_by:
      return pl.dispatch_by;
    case obligation_id::ship_by:
      return pl.ship_by;
    case obligation_id::delivery:
      return pl.delivery;
    case obligation_id::cancel_request_response:  // the answer to a request made at or before it
      if (pl.cancel_request_response && request_at && *pl.cancel_request_response >= *request_at)
        return pl.cancel_request_response;
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

result<dispatch_clocks> dispatch_clocks_of(const order& o, const policy& p, instant anchor, bool text) {
  dispatch_clocks out;
  out.anchor = anchor;
  result<placed_deadline> dispatch{std::in_place};
  std::string_view extra_what;
  int extra = 0;
  const std::string_view what = p.ship_by_start == ship_by_from::paid ? "paid" : "placed";
  switch (o.type) {
    case order_kind::normal:
      dispatch = working_days_after(p, anchor, p.dispatch_working_days, what, text);
      break;
    case order_kind::made_to_order:
    case order_kind::back_order:
      dispatch = working_days_after(
          p, anchor, o.promised.handling_days.value_or(p.default_handling_days),
          std::string(what) + ", the handling time of a " + std::string(to_string(o.type)) + " order", text);
      extra = p.made_to_order_extra_working_days;
      extra_what = "the dispatch date";
      break;
    case order_kind::pre_order: {
      const civil_date base = std::max(*o.release_date, p.cal.day0(anchor));
      dispatch = working_days_after_date(p, base, 1, "the later of release_date and the anchor's day 0", text);
      extra = p.pre_order_extra_working_days;
      extra_what = "the dispatch date";
      break;
    }
  }
  if (!dispatch) return dispatch.err();
  out.dispatch_by = dispatch->due_at;
  out.dispatch_date = *dispatch->local_date;
  out.calendar_covered = dispatch->calendar_covered;
  out.dispatch_basis = std::move(dispatch->basis);
  result<placed_deadline> ship{std::in_place};
  if (o.type == order_kind::normal)
    ship = working_days_after(p, anchor, p.ship_by_working_days, what, text);
  else
    ship = working_days_after_date(p, out.dispatch_date, extra, extra_what, text);
  if (!ship) return ship.err();
  out.ship_by = ship->due_at;
  out.ship_by_date = *ship->local_date;
  out.ship_by_basis = std::move(ship->basis);
  out.ship_covered = ship->calendar_covered;
  return out;
}

namespace {

// One clock's state from what happened (docs/RULES.md "Obligations").
struct stop {
  instant at{};
  moot_reason why = moot_reason::none;
};
std::optional<stop> ended_stop(const lifecycle& s) {
  std::optional<stop> out;
  if (s.cancelled) out = stop{s.cancelled->at, moot_reason::order_cancelled};
  if (s.completed_at && (!out || *s.completed_at < out->at)) out = stop{*s.completed_at, moot_reason::order_completed};
  return out;
}

std::string_view anchor_name(const policy& p) {
  return p.ship_by_start == ship_by_from::paid ? "the confirmation" : "placed_at";
}

}  // namespace

result<clock_set> place_clocks(const order& o, const policy& p, const lifecycle& s, instant now, bool text,
                               const estimate& est_in, const std::optional<dispatch_clocks>& known) {
  clock_set out;
  out.obligations.reserve(6);
  out.windows.reserve(4);
  const auto end = ended_stop(s);
  // A clock computed past 9999-12-31T23:59:59Z is left out; a working-day
  // count outside the holiday years is flagged (SPEC 2).
  auto checked = [&](std::string_view id, std::string_view input, instant at, bool covered) {
    if (at > max_instant) {
      out.warnings.push_back({"out_of_range", std::string(id) + ", counted from " + std::string(input) +
                                                  ", would fall after 9999-12-31T23:59:59Z; it is left out"});
      return false;
    }
    if (!covered)
      out.warnings.push_back({"holidays_not_covered", std::string(id) +
                                                          " counts working days in a year the policy's holidays do "
                                                          "not cover (" +
                                                          p.cal.coverage_text() +
                                                          "); weekends only were skipped there"});
    return true;
  };
  auto oblige = [&](obligation_id id, party who, std::string_view input, placed_deadline pd,
                    std::optional<instant> satisfied, std::optional<stop> stopped, miss_outcome on_miss,
                    bool not_applicable = false) {
    std::optional<instant> computed;
    if (const auto st = stamped_deadline(o, id, s.request_at)) {
      computed = pd.due_at;
      const std::string who_stamps =
          o.platform->name.empty() ? "the platform" : "the platform (" + o.platform->name + ")";
      const auto apart = std::chrono::abs(*st - pd.due_at);
      if (apart > std::chrono::minutes{p.platform_tolerance_minutes})
        out.warnings.push_back(
            {"deadline_mismatch",
             std::string(to_string(id)) + ": " + who_stamps + " stamps " + format_instant(*st) +
                 ", ordertrail computes " +
                 (pd.due_at <= max_instant ? format_instant(pd.due_at) : std::string("after 9999")) + " (" +
                 std::to_string(std::chrono::duration_cast<std::chrono::minutes>(apart).count()) +
                 " min apart; platform_tolerance_minutes " + std::to_string(p.platform_tolerance_minutes) + ")"});
      if (text) pd.basis = "stamped by " + who_stamps + " (platform.deadlines); computed: " + pd.basis;
      pd.due_at = *st;
      pd.local_date.reset();
      pd.calendar_covered = true;
    }
    if (!checked(to_string(id), input, pd.due_at, pd.calendar_covered)) return;
    obligation ob{id,
                  who,
                  pd.due_at,
                  obligation_state::pending,
                  std::nullopt,
                  moot_reason::none,
                  text ? std::move(pd.basis) : std::string(),
                  on_miss,
                  pd.local_date,
                  pd.calendar_covered,
                  {},
                  computed};
    if (satisfied) {
      ob.state = *satisfied < pd.due_at ? obligation_state::met : obligation_state::missed;
      if (ob.state == obligation_state::met) ob.met_at = satisfied;
    } else if (stopped && stopped->at < pd.due_at) {
      ob.state = obligation_state::moot;
      ob.moot = stopped->why;
    } else if (now >= pd.due_at) {
      ob.state = not_applicable ? obligation_state::moot : obligation_state::missed;
      if (not_applicable) ob.moot = moot_reason::not_applicable;
    }
    out.obligations.push_back(std::move(ob));
  };

  if (!s.cod) {
    oblige(obligation_id::payment, party::buyer, "placed_at",
           hours_after(o.placed_at, p.payment_window_hours, "placement", text), s.paid_at, end,
           miss_outcome::auto_cancel);
  }

  // Dispatch and ship-by.
  std::optional<dispatch_clocks> dc;
  if (s.confirmed_at) {
    const instant anchor = p.ship_by_start == ship_by_from::paid ? *s.confirmed_at : o.placed_at;
    if (!text && known && known->anchor == anchor) {
      dc = known;
    } else {
      auto d = dispatch_clocks_of(o, p, anchor, text);
      if (!d) return d.err();
      dc = std::move(*d);
    }
    const auto reached = s.late_ship_cancelled ? std::nullopt : s.ship_by_reached_at;
    const std::string input(anchor_name(p));
    oblige(obligation_id::dispatch_by, party::seller, input,
           placed_deadline{dc->dispatch_by, dc->dispatch_date, dc->dispatch_basis, dc->calendar_covered}, reached, end,
           miss_outcome::late_dispatch,
           *s.confirmed_at >= stamped_deadline(o, obligation_id::dispatch_by).value_or(dc->dispatch_by));
    oblige(obligation_id::ship_by, party::seller, input,
           placed_deadline{dc->ship_by, dc->ship_by_date, dc->ship_by_basis, dc->ship_covered}, reached, end,
           miss_outcome::auto_cancel, s.ship_by_not_applicable);
  }

  if (s.request_at) {
    const bool answered = s.request == request_outcome::approved || s.request == request_outcome::rejected;
    const bool auto_answered =
        answered && s.cancelled && s.cancelled->automatic && s.cancelled->reason == "buyer_request_approved";
    std::optional<stop> dropped = end;
    if (s.request == request_outcome::withdrawn) dropped = stop{*s.request_closed_at, moot_reason::request_withdrawn};
    if (s.request == request_outcome::superseded)
      dropped = stop{*s.request_closed_at, moot_reason::superseded_by_shipment};
    if (s.request == request_outcome::overtaken) dropped = stop{*s.request_closed_at, moot_reason::order_cancelled};
    const instant dispatch_due =
        dc ? stamped_deadline(o, obligation_id::dispatch_by).value_or(dc->dispatch_by) : instant{};
    const bool at_once =
        p.request_after_dispatch_by == after_dispatch_by::approve && dc && *s.request_at >= dispatch_due;
    placed_deadline pd =
        at_once ? placed_deadline{*s.request_at, std::nullopt,
                                  text ? "the request came at or after dispatch_by (" + format_instant(dispatch_due) +
                                             "): approved at once (cancellation.after_dispatch_by)"
                                       : std::string(),
                                  true}
                : hours_after(*s.request_at, p.cancel_request_response_hours, "the cancellation request", text);
    oblige(obligation_id::cancel_request_response, party::seller, "the cancellation request", std::move(pd),
           answered && !auto_answered ? s.request_closed_at : std::nullopt, dropped,
           p.on_no_response == no_response_outcome::approve ? miss_outcome::auto_approve : miss_outcome::auto_reject,
           at_once);
  }

  const estimate* est = &est_in;
  const std::string_view est_what =
      est->from_promise ? "the original estimated delivery" : "the estimated delivery (from the policy defaults)";
  const std::string est_input =
      (est->from_promise ? "promise.est_delivery " : "the estimated delivery ") + format_date(est->date);
  const auto delivered = s.late_delivery_cancelled ? std::nullopt : s.delivered_at();
  std::optional<placed_deadline> delivery;
  if (s.confirmed_at || s.packed_at) {  // its auto-cancel needs no payment: a parcel sent unpaid
    delivery = calendar_days_after(p, est->date, p.delivery_grace_days, est_what, text);
    delivery->calendar_covered = est->calendar_covered;
    oblige(obligation_id::delivery, party::seller, est_input, *delivery, delivered, end, miss_outcome::auto_cancel,
           s.delivery_not_applicable);
  }
  // Windows (docs/RULES.md "Windows"), in their fixed order.
  auto open_state = [&](window& w) {
    if (now < w.opens_at)
      w.state = window_state::upcoming;
    else if (w.closes_at && now >= *w.closes_at)
      w.state = window_state::closed;
    else
      w.state = window_state::open;
  };
  auto before_close = [](const window& w, instant t) { return !w.closes_at || t < *w.closes_at; };
  {
    window w;
    w.id = window_id::free_cancellation;
    w.opens_at = o.placed_at;
    if (s.confirmed_at) {
      auto pd = hours_after(*s.confirmed_at, p.remorse_window_hours, s.cod ? "placement (cash on delivery)" : "payment",
                            text);
      w.closes_at = pd.due_at;
      w.basis = std::move(pd.basis);
    } else {
      w.closes_at = o.placed_at + std::chrono::hours{p.payment_window_hours};
      if (text)
        w.basis = "until the payment is due (" +
                  (*w.closes_at <= max_instant ? format_instant(*w.closes_at) : std::string("after 9999")) +
                  "); after payment, " + std::to_string(p.remorse_window_hours) + " h from the payment";
    }
    if (w.closes_at &&
        !checked("free_cancellation's close", s.confirmed_at ? "the confirmation" : "placed_at", *w.closes_at, true))
      w.closes_at.reset();  // past 9999-12-31T23:59:59Z: left out (warning out_of_range)
    if (s.cancelled && s.cancelled->by == party::buyer && before_close(w, s.cancelled->at)) {
      w.state = window_state::used;
      w.used_at = s.cancelled->at;
    } else if (s.cancelled && before_close(w, s.cancelled->at)) {
      w.state = window_state::void_;
      w.voided = void_reason::order_cancelled;
    } else if (s.packed_at && before_close(w, *s.packed_at)) {
      w.state = window_state::void_;
      w.voided = s.shipped_at && *s.shipped_at == *s.packed_at ? void_reason::shipped : void_reason::packed;
    } else {
      open_state(w);
    }
    out.windows.push_back(std::move(w));
  }
  if (s.confirmed_at && p.buyer_can_request_cancel && out.windows.front().closes_at) {
    window w;
    w.id = window_id::cancel_request;
    w.opens_at = *out.windows.front().closes_at;
    w.closes_at = s.request_statuses_left_at;
    w.closes_on = contains(p.buyer_request_statuses, order_status::awaiting_collection) ? "shipped" : "ready_to_ship";
    if (text)
      w.basis = "from the end of the free cancellation (" + format_instant(w.opens_at) + ") while the order is " +
                status_list(p.buyer_request_statuses) + " (cancellation.buyer_request_statuses)";
    w.used_at = s.first_request_at;
    const bool in_use = s.request == request_outcome::pending || s.request == request_outcome::approved ||
                        s.request == request_outcome::superseded;
    if (in_use) {
      w.state = window_state::used;
    } else if (w.closes_at && *w.closes_at < w.opens_at) {
      w.state = window_state::void_;
      w.voided = s.shipped_at && *s.shipped_at == *w.closes_at ? void_reason::shipped : void_reason::packed;
    } else if (s.cancelled && before_close(w, s.cancelled->at)) {
      w.state = window_state::void_;
      w.voided = void_reason::order_cancelled;
    } else if (s.completed_at && before_close(w, *s.completed_at)) {
      w.state = window_state::void_;
      w.voided = void_reason::completed;
    } else {
      open_state(w);
    }
    out.windows.push_back(std::move(w));
  }
  if (s.confirmed_at && delivery) {
    auto claim = calendar_days_after(p, est->date, p.not_received_claim_after_days, est_what, text);
    if (checked("not_received_claim", est_input, claim.due_at, est->calendar_covered)) {
      window w;
      w.id = window_id::not_received_claim;
      w.opens_at = claim.due_at;
      // The delivery obligation past 9999-12-31 is left out (warned above):
      // the claim stays open from its opening.
      if (delivery->due_at <= max_instant) w.closes_at = delivery->due_at;
      w.calendar_covered = est->calendar_covered;
      if (text) w.basis = "opens " + claim.basis + "; closes with the delivery obligation";
      if (delivered && before_close(w, *delivered)) {
        w.state = window_state::void_;
        w.voided = void_reason::delivered;
      } else if (s.cancelled && before_close(w, s.cancelled->at)) {
        w.state = window_state::void_;
        w.voided = void_reason::order_cancelled;
      } else if (s.cod && s.paid_minor == 0) {
        w.state = window_state::void_;
        w.voided = void_reason::nothing_paid;
      } else {
        w.used_at = s.claim_used_at;
        std::int64_t left = 0;
        for (std::size_t l = 0; l < s.lines.size(); ++l) left += claimable_units(s, l, claim::not_received, {});
        if (s.claim_used_at && left == 0)
          w.state = window_state::used;
        else
          open_state(w);
      }
      out.windows.push_back(std::move(w));
    }
  }
  // return: from the last delivery of the order (or, each_delivery, from
  // the first: each unit then has its own window, the latest closes it).
  const bool each = p.return_from == return_window_from::each_delivery;
  const std::optional<instant> return_opens = each ? s.first_delivery_at : s.delivered_at();
  if (return_opens) {
    auto pd = calendar_days_after(p, p.cal.local_date(*s.last_delivery_at), p.return_window_days,
                                  each ? "the last delivery on" : "delivery on", text);
    if (checked("return", "the delivery", pd.due_at, true)) {
      window w;
      w.id = window_id::return_window;
      w.opens_at = *return_opens;
      w.closes_at = pd.due_at;
      w.basis = std::move(pd.basis);
      const std::int64_t value = returnable_value(o, p, s, std::min(now, *w.closes_at - std::chrono::seconds{1}));
      w.amount_minor = value;
      w.used_at = s.return_used_at;
      if (s.cancelled && before_close(w, s.cancelled->at)) {
        w.state = window_state::void_;
        w.voided = void_reason::order_cancelled;
      } else if (s.completed_at && before_close(w, *s.completed_at)) {
        w.state = window_state::void_;
        w.voided = void_reason::completed;
      } else if (value == 0 && s.return_used_at) {
        w.state = window_state::used;
      } else if (value == 0 && now < *w.closes_at) {
        w.state = window_state::void_;
        w.voided = void_reason::no_eligible_units;
      } else {
        open_state(w);
      }
      out.windows.push_back(std::move(w));
    }
  }
  // delivered_not_received_claim: from the first delivery to the end of the
  // last delivery's local date + delivered_not_received_days.
  if (p.case_clocks && s.first_delivery_at) {
    auto pd = calendar_days_after(p, p.cal.local_date(*s.last_delivery_at), p.delivered_not_received_days,
                                  "delivery on", text);
    if (checked("delivered_not_received_claim", "the delivery", pd.due_at, true)) {
      window w;
      w.id = window_id::delivered_not_received_claim;
      w.opens_at = *s.first_delivery_at;
      w.closes_at = pd.due_at;
      w.basis = std::move(pd.basis);
      w.used_at = s.dnr_used_at;
      std::int64_t left = 0;
      for (std::size_t l = 0; l < s.lines.size(); ++l) left += claimable_units(s, l, claim::delivered_not_received, {});
      if (s.cancelled && before_close(w, s.cancelled->at)) {
        w.state = window_state::void_;
        w.voided = void_reason::order_cancelled;
      } else if (s.completed_at && before_close(w, *s.completed_at)) {
        w.state = window_state::void_;
        w.voided = void_reason::completed;
      } else if (s.paid_minor == 0) {
        w.state = window_state::void_;
        w.voided = void_reason::nothing_paid;  // a claim of nothing (COD not collected): case_not_allowed
      } else if (s.dnr_used_at && left == 0) {
        w.state = window_state::used;
      } else if (left == 0 && now < *w.closes_at) {
        w.state = window_state::void_;
        w.voided = void_reason::no_eligible_units;  // every delivered unit is held by a case
      } else {
        open_state(w);
      }
      out.windows.push_back(std::move(w));
    }
  }
  // Each case's clocks (obligations, in case order) and appeal window.
  for (const auto& c : s.cases) {
    for (std::size_t k = 0; k + 1 < case_clock_count; ++k) {
      const auto& clock = c.clocks[k];
      if (!clock) continue;
      const auto id = static_cast<case_clock_id>(k);
      static constexpr std::array<obligation_id, case_clock_count - 1> ids{
          obligation_id::return_response,         obligation_id::return_ship_back, obligation_id::return_receipt,
          obligation_id::return_receipt_response, obligation_id::case_refund,      obligation_id::appeal_decision};
      static constexpr std::array<miss_outcome, case_clock_count - 1> misses{
          miss_outcome::auto_approve_case, miss_outcome::auto_close_case,  miss_outcome::auto_refund_case,
          miss_outcome::auto_refund_case,  miss_outcome::auto_refund_case, miss_outcome::auto_approve_case};
      placed_deadline pd;
      switch (id) {
        case case_clock_id::response:
          pd = hours_after(clock->start, p.return_response_hours, "the case's request", text);
          break;
        case case_clock_id::ship_back:
          pd = calendar_days_after(p, p.cal.local_date(clock->start), p.buyer_ship_back_days, "approval on", text);
          break;
        case case_clock_id::receipt:
          pd = calendar_days_after(p, p.cal.local_date(clock->start), p.return_receipt_days, "the shipment back on",
                                   text);
          break;
        case case_clock_id::receipt_response:
          pd = hours_after(clock->start, p.seller_receipt_response_hours, "the receipt of the return", text);
          break;
        case case_clock_id::refund:
          pd = hours_after(clock->start, p.seller_receipt_response_hours, "the approval", text);
          break;
        default:
          pd = hours_after(clock->start, p.appeal_decision_hours, "the appeal", text);
          break;
      }
      pd.due_at = clock->due;
      const party who = id == case_clock_id::ship_back         ? party::buyer
                        : id == case_clock_id::appeal_decision ? party::platform
                                                               : party::seller;
      const std::size_t before = out.obligations.size();
      std::optional<stop> closed = end;  // the order's end, or the case's closing, whichever first
      if (clock->moot_at && (!closed || *clock->moot_at < closed->at))
        closed = stop{*clock->moot_at, moot_reason::case_closed};
      oblige(ids[k], who, "the case", std::move(pd), clock->met_at, closed, misses[k]);
      if (out.obligations.size() > before) {
        auto& ob = out.obligations.back();
        ob.case_id = c.id;
        if (clock->fired) {
          ob.state = obligation_state::missed;
          ob.met_at.reset();
        }
      }
    }
  }
  for (const auto& c : s.cases) {
    const auto& clock = c.clock(case_clock_id::appeal_window);
    if (!clock) continue;
    window w;
    w.id = window_id::appeal;
    w.case_id = c.id;
    w.opens_at = clock->start;
    auto pd = hours_after(clock->start, p.appeal_window_hours, "the rejection", text);
    if (!checked("appeal", "the rejection", clock->due, true)) continue;
    w.closes_at = clock->due;
    w.basis = std::move(pd.basis);
    if (clock->met_at) {
      w.state = window_state::used;
      w.used_at = clock->met_at;
    } else if (clock->moot_at) {
      w.state = window_state::void_;
      w.voided = void_reason::case_closed;
    } else if (clock->fired) {
      w.state = window_state::closed;
    } else {
      open_state(w);
    }
    out.windows.push_back(std::move(w));
  }
  return out;
}

namespace {

// The due instants the replay needs, computed once per order.
class due_times {
 public:
  // The estimate and dispatch clocks it computes are kept in `sim` (est,
  // dispatch), so that the evaluation does not compute them again.
  due_times(const order& o, const policy& p, simulation& sim) : o_(o), p_(p), sim_(sim) {}

  // A deadline the platform stamps is the automatic action's instant too.
  [[nodiscard]] instant payment() const {
    return stamped_deadline(o_, obligation_id::payment)
        .value_or(o_.placed_at + std::chrono::hours{p_.payment_window_hours});
  }

  result<instant> ship_by(const lifecycle& s) {
    if (auto st = stamped_deadline(o_, obligation_id::ship_by)) return *st;
    auto c = clocks(s);
    if (!c) return c.err();
    return (*c)->ship_by;
  }
  result<instant> dispatch_by(const lifecycle& s) {
    if (auto st = stamped_deadline(o_, obligation_id::dispatch_by)) return *st;
    auto c = clocks(s);
    if (!c) return c.err();
    return (*c)->dispatch_by;
  }

  result<instant> delivery() {
    if (auto st = stamped_deadline(o_, obligation_id::delivery)) return *st;
    if (!delivery_) {
      if (!sim_.est) {
        auto est = original_est_delivery(o_, p_);
        if (!est) return est.err();
        sim_.est = *est;
      }
      delivery_ = p_.cal.end_of_day(civil_date{date::sys_days{sim_.est->date} + date::days{p_.delivery_grace_days}});
    }
    return *delivery_;
  }

  // The request's answer is due after the response time, or at once for a
  // request at or after dispatch_by (`cancellation.after_dispatch_by`).
  result<instant> request_response(const lifecycle& s) {
    // A stamp at or after the request is its answer's deadline.
    if (auto st = stamped_deadline(o_, obligation_id::cancel_request_response, s.request_at)) return *st;
    if (p_.request_after_dispatch_by == after_dispatch_by::approve && s.confirmed_at) {
      auto d = dispatch_by(s);
      if (!d) return d.err();
      if (*s.request_at >= *d) return *s.request_at;
    }
    return *s.request_at + std::chrono::hours{p_.cancel_request_response_hours};
  }
  // When a delivered order with no open case completes: when its buyer
  // windows (return, delivered_not_received_claim) have closed.
  instant completion(const lifecycle& s) {
    const instant last = *s.last_delivery_at;
    if (!complete_ || complete_from_ != last) {
      complete_ = return_window_end(p_, last);
      if (p_.case_clocks) complete_ = std::max(*complete_, dnr_window_end(p_, last));
      complete_from_ = last;
    }
    return *complete_;
  }

 private:
  // The dispatch clocks from the order's anchor, computed once per anchor.
  result<const dispatch_clocks*> clocks(const lifecycle& s) {
    const instant from = p_.ship_by_start == ship_by_from::paid ? *s.confirmed_at : o_.placed_at;
    if (!sim_.dispatch || sim_.dispatch->anchor != from) {
      auto c = dispatch_clocks_of(o_, p_, from, false);
      if (!c) return c.err();
      sim_.dispatch = std::move(*c);
    }
    return &*sim_.dispatch;
  }

  const order& o_;
  const policy& p_;
  simulation& sim_;
  std::optional<instant> delivery_;
  std::optional<instant> complete_;
  instant complete_from_{};
};

// The automatic actions, in the order SPEC 4.5 decides them at one instant.
enum class action_kind { payment_timeout, late_ship, late_delivery, request_response, case_clock, complete, lost };
constexpr std::array<action_kind, 6> deadline_kinds{action_kind::payment_timeout, action_kind::late_ship,
                                                    action_kind::late_delivery,   action_kind::request_response,
                                                    action_kind::case_clock,      action_kind::complete};

struct candidate {
  action_kind kind{};
  instant due{};
  std::size_t case_index = 0;  // case_clock: the case
};

// The clock a case's state runs (none for a closed case, or for one whose
// state has no clock under the policy).
const std::optional<case_clock>* live_clock(const case_state& c) {
  switch (c.status) {
    case case_status::requested:
      return &c.clock(case_clock_id::response);
    case case_status::awaiting_return:
      return &c.clock(case_clock_id::ship_back);
    case case_status::returned:
      return &c.clock(case_clock_id::receipt);
    case case_status::received:
      return &c.clock(case_clock_id::receipt_response);
    case case_status::approved:
      return &c.clock(case_clock_id::refund);
    case case_status::rejected:
      return &c.clock(case_clock_id::appeal_window);
    case case_status::appealed:
      return &c.clock(case_clock_id::appeal_decision);
    default:
      return nullptr;
  }
}
std::optional<case_clock>* live_clock(case_state& c) {
  return const_cast<std::optional<case_clock>*>(live_clock(std::as_const(c)));
}

}  // namespace

const case_clock* running_clock(const case_state& c) {
  const auto* k = live_clock(c);
  if (k == nullptr || !*k || (*k)->met_at || (*k)->moot_at || (*k)->fired) return nullptr;
  return &**k;
}

namespace {

// The next case clock to run out: the earliest, ties by case_id.
std::optional<candidate> case_candidate(const lifecycle& s) {
  std::optional<candidate> best;
  for (std::size_t i = 0; i < s.cases.size(); ++i) {
    const auto* k = live_clock(s.cases[i]);
    if (k == nullptr || !*k || (*k)->met_at || (*k)->moot_at || (*k)->fired) continue;
    const instant due = (*k)->due;
    if (!best || due < best->due || (due == best->due && s.cases[i].id < s.cases[best->case_index].id))
      best = candidate{action_kind::case_clock, due, i};
  }
  return best;
}

// Units not cancelled that have not reached `ship_by.satisfied_by`.
std::int64_t not_reached(const policy& p, const lifecycle& s) {
  return s.units_free + (p.ship_by_satisfier == ship_by_satisfied_by::ready_to_ship ? 0 : s.units_packed);
}

// The first package lost whose units are not cancelled yet.
std::optional<std::size_t> exited_package(const lifecycle& s) {
  std::optional<std::size_t> first;
  for (std::size_t i = 0; i < s.packages.size(); ++i) {
    const auto& pk = s.packages[i];
    const bool left = pk.status == package_status::lost || pk.status == package_status::refused ||
                      pk.status == package_status::returned_to_sender;
    if (left && !pk.units_cancelled && (!first || *pk.left_at < *s.packages[*first].left_at)) first = i;
  }
  return first;
}

// The action of `kind` that state `s` is heading for, and when; nullopt when
// its condition does not hold now.
result<std::optional<candidate>> candidate_of(action_kind kind, const policy& p, const lifecycle& s, due_times& t) {
  using opt = std::optional<candidate>;
  if (ended(s)) return opt{};
  switch (kind) {
    case action_kind::payment_timeout:
      if (s.confirmed_at) return opt{};
      return opt{candidate{kind, t.payment()}};
    case action_kind::late_ship: {
      if (!s.confirmed_at || not_reached(p, s) == 0) return opt{};
      auto due = t.ship_by(s);
      if (!due) return due.err();
      return opt{candidate{kind, *due}};
    }
    case action_kind::late_delivery: {
      if (s.units_packed + s.units_shipped == 0) return opt{};
      auto due = t.delivery();
      if (!due) return due.err();
      return opt{candidate{kind, *due}};
    }
    case action_kind::request_response: {
      if (s.request != request_outcome::pending) return opt{};
      auto due = t.request_response(s);
      if (!due) return due.err();
      return opt{candidate{kind, *due}};
    }
    case action_kind::case_clock:
      return case_candidate(s);
    case action_kind::complete:
      if (!s.delivered_at() || s.case_open()) return opt{};
      return opt{candidate{kind, t.completion(s)}};
    case action_kind::lost:
      if (const auto i = exited_package(s)) return opt{candidate{kind, *s.packages[*i].left_at}};
      return opt{};
  }
  return opt{};
}

// The units of each line an automatic cancellation takes, as event items;
// empty when they are every unit not cancelled (the whole order).
std::vector<line_qty> units_of(const order& o, const lifecycle& s, auto per_line) {
  std::vector<line_qty> items;
  std::int64_t n = 0;
  for (std::size_t l = 0; l < s.lines.size(); ++l) {
    const std::int64_t k = per_line(s.lines[l]);
    if (k > 0) items.push_back({std::string(line_id_of(o, l)), k});
    n += k;
  }
  if (n == s.units_open() + s.units_delivered) items.clear();
  return items;
}

// The reason and responsibility of the cancellation of a package that left
// transit undelivered (docs/RULES.md "Delivery exceptions"): lost -> the
// carrier; refused -> its reason's when the catalogue knows it (a damaged
// parcel: the carrier), else `cod.refusal_responsibility` for cash on
// delivery and the buyer for a prepaid order; returned to the sender -> its
// reason's, else the carrier.
std::pair<std::string_view, responsibility> exit_cancellation(const policy& p, const lifecycle& s,
                                                              const package_state& pk) {
  const reason_entry* given = pk.left_reason.empty() ? nullptr : p.find_reason(pk.left_reason);
  switch (pk.status) {
    case package_status::refused:
      return {"returned_to_shipper_refused", given   ? given->responsible
                                             : s.cod ? p.cod_refusal_responsibility
                                                     : responsibility::buyer};
    case package_status::returned_to_sender:
      return {"delivery_failed", given ? given->responsible : responsibility::carrier};
    default:
      return {"lost_in_transit", responsibility::carrier};
  }
}

// The automatic action of the clock case `c`'s state runs (SPEC 4.4).
due_entry case_action(const lifecycle& s, const case_state& c, instant at) {
  due_entry a;
  a.at = at;
  a.event.at = at;
  a.event.by = party::platform;
  a.event.case_id = c.id;
  switch (c.status) {
    case case_status::requested:
      a = {due_action::auto_approve_case, "seller_no_response", responsibility::seller, at, a.event};
      a.event.type = event_type::return_approved;
      a.event.reason = "seller_no_response";
      break;
    case case_status::awaiting_return:
      a = {due_action::auto_close_case, "not_shipped_back", responsibility::buyer, at, a.event};
      a.event.type = event_type::case_closed;
      a.event.reason = "not_shipped_back";
      break;
    case case_status::rejected:
      a = {due_action::auto_close_case, "rejected", responsibility::none, at, a.event};
      a.event.type = event_type::case_closed;
      a.event.reason = "rejected";
      break;
    case case_status::appealed:
      a = {due_action::auto_approve_case, "platform_no_decision", responsibility::platform, at, a.event};
      a.event.type = event_type::appeal_decided;
      a.event.outcome = party::buyer;
      break;
    default:  // returned, received, approved: the refund
      a = {due_action::auto_refund_case, "seller_no_response", responsibility::seller, at, a.event};
      a.event.type = event_type::refunded;
      a.event.reason = "seller_no_response";
      a.event.amount_minor = case_owed(s, c);
      break;
  }
  return a;
}

due_entry action_of(action_kind kind, const order& o, const policy& p, const lifecycle& s, instant at,
                    std::size_t case_index) {
  auto make = [&](due_action a, std::string reason, responsibility r, event_type type, std::string event_reason) {
    due_entry d{a, std::move(reason), r, at, {}};
    d.event.type = type;
    d.event.at = at;
    d.event.by = party::platform;
    d.event.reason = std::move(event_reason);
    return d;
  };
  const bool packing_counts = p.ship_by_satisfier == ship_by_satisfied_by::ready_to_ship;
  switch (kind) {
    case action_kind::payment_timeout:
      return make(due_action::auto_cancel, "payment_timeout", responsibility::buyer, event_type::cancelled,
                  "payment_timeout");
    case action_kind::late_ship: {
      auto a = make(due_action::auto_cancel, "seller_late_ship", responsibility::seller, event_type::cancelled,
                    "seller_late_ship");
      a.event.items = units_of(o, s, [&](const line_state& l) { return l.free + (packing_counts ? 0 : l.packed); });
      return a;
    }
    case action_kind::late_delivery: {
      auto a = make(due_action::auto_cancel, "seller_late_delivery", responsibility::seller, event_type::cancelled,
                    "seller_late_delivery");
      a.event.items = units_of(o, s, [](const line_state& l) { return l.free + l.packed + l.shipped; });
      if (s.units_delivered == 0) a.event.items.clear();
      return a;
    }
    case action_kind::lost: {
      const auto& pk = s.packages[*exited_package(s)];
      const auto [reason, who] = exit_cancellation(p, s, pk);
      auto a = make(due_action::auto_cancel, std::string(reason), who, event_type::cancelled, std::string(reason));
      std::int64_t n = 0;
      for (const auto& [l, k] : pk.units) {
        a.event.items.push_back({std::string(line_id_of(o, l)), k});
        n += k;
      }
      if (n == s.units_open() + s.units_delivered)
        a.event.items.clear();
      else
        a.event.package_id = pk.id;
      return a;
    }
    case action_kind::request_response:
      if (p.on_no_response == no_response_outcome::approve)
        return make(due_action::auto_approve, "buyer_request_approved", s.request_responsibility,
                    event_type::cancel_request_approved, "");
      return make(due_action::auto_reject, "seller_no_response", responsibility::none,
                  event_type::cancel_request_rejected, "seller_no_response");
    case action_kind::case_clock:
      return case_action(s, s.cases[case_index], at);
    case action_kind::complete:
      return make(due_action::auto_complete, "return_window_closed", responsibility::none, event_type::completed, "");
  }
  return {};
}

// Whether an event has the shape of an automatic action's record: such an
// event recorded at an instant is decided after the others of that instant,
// so that it is taken as the action whatever its place among them.
bool looks_automatic(const event& e) {
  if (e.by != party::platform) return false;
  switch (e.type) {
    case event_type::cancelled:
      return e.reason == "payment_timeout" || e.reason == "seller_late_ship" || e.reason == "seller_late_delivery" ||
             e.reason == "lost_in_transit" || e.reason == "returned_to_shipper_refused" ||
             e.reason == "delivery_failed";
    case event_type::cancel_request_approved:
    case event_type::completed:
      return e.reason.empty();
    case event_type::cancel_request_rejected:
    case event_type::return_approved:
    case event_type::refunded:
      return e.reason == "seller_no_response";
    case event_type::case_closed:
      return e.reason == "not_shipped_back" || e.reason == "rejected";
    default:
      return false;
  }
}

// The replay of section 4.5 over the effective history.
class replay {
 public:
  replay(const order& o, const policy& p, instant now, simulation& sim)
      : o_(o), p_(p), now_(now), sim_(sim), effective_(o, p, sim.effective), times_(o, p, sim) {}

  // `batch`: the events recorded at instant D, in document order.
  result<bool> at_instant(instant d, const std::vector<std::size_t>& batch) {
    batch_ = &batch;
    consumed_.assign(batch.size(), false);
    // 1. the deadline actions due at D, decided on the state before D (the
    // candidates next_deadline() found on it, until an action changes it).
    bool changed = !cache_valid_;
    for (std::size_t i = 0; i < deadline_kinds.size(); ++i) {
      const auto kind = deadline_kinds[i];
      result<std::optional<candidate>> c = cached_[i];
      if (changed) c = candidate_of(kind, p_, sim_.effective, times_);
      if (!c) return c.err();
      // auto_complete also when its last blocker cleared at D: an earlier
      // action at D (late delivery of the last undelivered units) can leave
      // an order delivered whose return window already closed.
      bool due = *c && ((*c)->due == d || (kind == action_kind::complete && (*c)->due < d));
      while (due) {
        fire(kind, d, (*c)->case_index);
        changed = true;
        if (kind != action_kind::case_clock) break;
        c = candidate_of(kind, p_, sim_.effective, times_);  // the next case's clock at D, by case_id
        if (!c) return c.err();
        due = *c && (*c)->due == d;
      }
    }
    cache_valid_ = false;
    // 2. the recorded events at D, in document order; records of automatic
    // actions last; 3. after each, what it causes at D.
    for (const bool deferred : {false, true}) {
      for (std::size_t k = 0; k < batch.size(); ++k) {
        const event& e = o_.events[batch[k]];
        if (consumed_[k] || looks_automatic(e) != deferred) continue;
        consumed_[k] = true;
        if (fired_) snapshot_ok_ = false;
        const bool applied = effective_.apply(e, d);
        record(e, d, applied, false, applied ? event_skip::none : event_skip::anomaly, true);
        if (auto r = consequences(d, e.type); !r) return r.err();
      }
    }
    last_ = d;
    return true;
  }

  // The next instant after the last one at which a deadline action falls due.
  result<std::optional<instant>> next_deadline() {
    std::optional<instant> next;
    for (std::size_t i = 0; i < deadline_kinds.size(); ++i) {
      auto c = candidate_of(deadline_kinds[i], p_, sim_.effective, times_);
      if (!c) return c.err();
      cached_[i] = *c;
      if (*c && (!last_ || (*c)->due > *last_)) next = earliest(next, (*c)->due);
    }
    cache_valid_ = true;
    return next;
  }

  // Whether an automatic action was applied (as due or as its record).
  [[nodiscard]] bool fired() const { return fired_; }
  // The recorded history's state when every recorded event came before the
  // first automatic action (the usual case: what `status` needs of it).
  std::optional<lifecycle> recorded_snapshot() {
    if (!snapshot_ok_) return std::nullopt;
    return std::move(snap_);  // nullopt when no action fired
  }

  // `touched`: with the packages the effective history's last event acted on.
  void record(const event& e, instant at, bool applied, bool automatic, event_skip skipped, bool touched = false) {
    sim_.effective.outcomes.push_back({e.index, e.type, at, applied, automatic, skipped, {}, {}});
    if (touched) effective_.take_touched(sim_.effective.outcomes.back());
  }

 private:
  // Whether a recorded event is the record of automatic action `a` (the
  // event the back end was told to append): same type, by the platform, same
  // reason, same units.
  bool records(const event& e, const due_entry& a) {
    if (e.type != a.event.type || (e.by != party::platform && e.by != party::none) || e.reason != a.event.reason)
      return false;
    if (!a.event.case_id.empty() && !e.case_id.empty() && e.case_id != a.event.case_id) return false;
    if (a.event.amount_minor && e.amount_minor != a.event.amount_minor) return false;
    if (a.event.outcome != party::none && e.outcome != a.event.outcome) return false;
    const auto named = effective_.named_units(e);
    if (named.size() != a.event.items.size()) return false;
    for (std::size_t i = 0; i < named.size(); ++i)
      if (named[i].line_id != a.event.items[i].line_id || named[i].qty != a.event.items[i].qty) return false;
    return true;
  }

  // Applies automatic action `kind` at D: as the recorded event of the batch
  // that records it (not due), or as due.
  void fire(action_kind kind, instant d, std::size_t case_index = 0) {
    if (!fired_) snapshot();
    fired_ = true;
    due_entry a = action_of(kind, o_, p_, sim_.effective, d, case_index);
    event e;
    e.type = a.event.type;
    e.at = d;
    e.by = party::platform;
    e.reason = a.event.reason;
    e.package_id = a.event.package_id;
    e.case_id = a.event.case_id;
    e.amount_minor = a.event.amount_minor;
    e.keep_item = a.event.keep_item;
    e.outcome = a.event.outcome;
    for (const auto& it : a.event.items) e.items.push_back({it.line_id, ref_kind::line_id, it.qty, std::nullopt});
    e.index = history::automatic_index;
    if (a.event.type == event_type::cancelled) effective_.force_responsibility(a.responsible);
    // A case's clock has run once its action is applied, whatever the
    // action changed (a refund of nothing still ends the receipt clock).
    std::optional<case_clock>* ran = nullptr;
    if (kind == action_kind::case_clock) ran = live_clock(sim_.effective.cases[case_index]);
    effective_.apply(e, d);
    if (ran != nullptr && *ran) (*ran)->fired = true;
    for (std::size_t k = 0; k < batch_->size(); ++k) {
      const event& r = o_.events[(*batch_)[k]];
      if (!consumed_[k] && records(r, a)) {
        consumed_[k] = true;
        snapshot_ok_ = false;  // a recorded event: the recorded history goes on past the snapshot
        record(r, d, true, true, event_skip::none, true);
        return;
      }
    }
    sim_.due.push_back(std::move(a));
  }

  // Step 3: what the event just applied at D causes at D.
  // Only what an event of type `t` can start is checked: a payment starts
  // the late-ship clock's condition, packing or shipping the late-delivery
  // one, a loss its cancellation, a request its answer; any event may clear
  // the last blocker of completion.
  result<bool> consequences(instant d, event_type t) {
    const lifecycle& s = sim_.effective;
    // A deadline whose instant passed while its condition was false never
    // fires: note it when the condition becomes true too late.
    for (const auto kind : {action_kind::late_ship, action_kind::late_delivery}) {
      const bool may_start = kind == action_kind::late_ship
                                 ? t == event_type::payment_succeeded
                                 : t == event_type::ready_to_ship || t == event_type::shipped || t == event_type::lost;
      if (!may_start) continue;
      auto c = candidate_of(kind, p_, s, times_);
      if (!c) return c.err();
      const bool passed = *c && (*c)->due <= d;
      if (passed && kind == action_kind::late_ship) sim_.effective.ship_by_not_applicable = true;
      if (passed && kind == action_kind::late_delivery) sim_.effective.delivery_not_applicable = true;
    }
    for (const auto kind :
         {action_kind::lost, action_kind::request_response, action_kind::case_clock, action_kind::complete}) {
      const bool left_transit =
          t == event_type::lost || t == event_type::delivery_refused || t == event_type::returned_to_sender;
      const bool may_start = (kind == action_kind::lost && left_transit) ||
                             (kind == action_kind::request_response && t == event_type::cancel_requested) ||
                             kind == action_kind::case_clock || kind == action_kind::complete;
      if (!may_start) continue;
      for (;;) {
        auto c = candidate_of(kind, p_, s, times_);
        if (!c) return c.err();
        if (!*c) break;
        // An order whose windows closed while a case was open completes
        // when the last case closes; a case clock started at D and due at
        // once (a zero-hour policy) runs out at D; the other actions here
        // are those an event at D starts and that are due at once.
        const bool now_due = kind == action_kind::complete     ? (*c)->due <= d
                             : kind == action_kind::case_clock ? (*c)->due <= d
                                                               : (*c)->due == d && started_at(kind, d);
        if (!now_due) break;
        fire(kind, d, (*c)->case_index);
        if (kind != action_kind::case_clock) break;
      }
    }
    return true;
  }

  [[nodiscard]] bool started_at(action_kind kind, instant d) const {
    const lifecycle& s = sim_.effective;
    switch (kind) {
      case action_kind::lost:
        return true;  // its candidate is the package lost at D
      case action_kind::request_response:
        return s.request_at == d;
      default:
        return false;
    }
  }

  // The state `status` is read from, taken before the first automatic action.
  void snapshot() {
    const lifecycle& s = sim_.effective;
    snap_.emplace();
    snap_->cod = s.cod;
    snap_->confirmed_at = s.confirmed_at;
    snap_->cancelled = s.cancelled;
    snap_->completed_at = s.completed_at;
    snap_->units_free = s.units_free;
    snap_->units_packed = s.units_packed;
    snap_->units_shipped = s.units_shipped;
    snap_->units_delivered = s.units_delivered;
    snap_->units_cancelled = s.units_cancelled;
    snap_->request = s.request;
  }

  bool fired_ = false;
  bool snapshot_ok_ = true;
  std::optional<lifecycle> snap_;
  // The candidates of deadline_kinds on the state next_deadline() saw.
  std::array<std::optional<candidate>, deadline_kinds.size()> cached_{};
  bool cache_valid_ = false;
  const order& o_;
  const policy& p_;
  instant now_;
  simulation& sim_;
  history effective_;
  due_times times_;
  std::optional<instant> last_;
  const std::vector<std::size_t>* batch_ = nullptr;
  std::vector<bool> consumed_;
};

}  // namespace

result<bool> simulate(const order& o, const policy& p, instant now, simulation& sim) {
  init_lines(o, sim.effective);
  sim.effective.cod = o.payment_method == "cod";
  if (sim.effective.cod) sim.effective.confirmed_at = o.placed_at;

  const auto skip = find_copies(o, sim.effective.anomalies);
  // An event dated before the order existed counts at placed_at.
  auto at_of = [&](const event& e) { return std::max(e.at, o.placed_at); };
  std::vector<std::size_t> order_of;
  order_of.reserve(o.events.size());
  for (const auto& e : o.events) {
    if (e.at < o.placed_at)
      sim.effective.anomalies.push_back({"event_before_placed", e.index,
                                         "\"" + std::string(to_string(e.type)) + "\" at " + format_instant(e.at) +
                                             " is before the order was placed; counted at placed_at"});
    if (skip[e.index] == event_skip::none) order_of.push_back(e.index);
  }
  // By instant, ties in document order (order_of is in document order).
  std::sort(order_of.begin(), order_of.end(), [&](std::size_t a, std::size_t b) {
    const instant x = at_of(o.events[a]), y = at_of(o.events[b]);
    return x != y ? x < y : a < b;
  });

  sim.effective.outcomes.reserve(o.events.size());  // one entry per event: no regrowth
  replay effective(o, p, now, sim);
  std::vector<std::size_t> batch;
  std::size_t k = 0;
  for (;;) {
    auto deadline = effective.next_deadline();
    if (!deadline) return deadline.err();
    const std::optional<instant> next_event =
        k < order_of.size() ? std::optional<instant>(at_of(o.events[order_of[k]])) : std::nullopt;
    std::optional<instant> d = earliest(*deadline, next_event);
    if (!d || *d > now) break;
    batch.clear();
    while (k < order_of.size() && at_of(o.events[order_of[k]]) == *d) batch.push_back(order_of[k++]);
    if (auto r = effective.at_instant(*d, batch); !r) return r.err();
  }
  // The recorded events alone, in the order the replay took them (so the
  // record of an automatic action counts where the action did).
  // When no automatic action was applied, the recorded events alone give the
  // same state: `real` is `effective` (RULES "What comes from which history").
  sim.real_is_effective = !effective.fired();
  if (auto snap = sim.real_is_effective ? std::nullopt : effective.recorded_snapshot()) {
    sim.real = std::move(snap);
  } else if (!sim.real_is_effective) {
    lifecycle& r = sim.real.emplace();
    init_lines(o, r);
    r.cod = sim.effective.cod;
    if (r.cod) r.confirmed_at = o.placed_at;
    history real(o, p, r);
    for (const auto& x : sim.effective.outcomes) real.apply(o.events[x.event_index], x.at);
  }
  for (; k < order_of.size(); ++k) {
    const event& e = o.events[order_of[k]];
    ++sim.effective.future_events;
    effective.record(e, at_of(e), false, false, event_skip::future);
  }
  for (const auto& e : o.events)
    if (skip[e.index] != event_skip::none) effective.record(e, at_of(e), false, false, skip[e.index]);
  // Replay order: by instant, and within one as the replay took them (the
  // records of automatic actions first); copies and future events by instant.
  // (Usually in order already: then no sort, and no sort buffer.)
  const auto by_at = [](const event_outcome& a, const event_outcome& b) { return a.at < b.at; };
  auto& outs = sim.effective.outcomes;
  if (!std::is_sorted(outs.begin(), outs.end(), by_at)) std::stable_sort(outs.begin(), outs.end(), by_at);
  const auto by_event = [](const anomaly& a, const anomaly& b) { return a.event_index < b.event_index; };
  auto& anomalies = sim.effective.anomalies;
  if (!std::is_sorted(anomalies.begin(), anomalies.end(), by_event))
    std::stable_sort(anomalies.begin(), anomalies.end(), by_event);
  return true;
}

}  // namespace ordertrail::detail
