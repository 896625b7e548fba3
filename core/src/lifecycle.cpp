#include "lifecycle.hpp"

#include <algorithm>
#include <limits>
#include <numeric>
#include <string_view>
#include <unordered_map>

#include "deadline_math.hpp"

namespace ordertrail::detail {
namespace {

instant return_window_end(const policy& p, instant delivered_at) {
  const civil_date delivered = p.cal.local_date(delivered_at);
  return p.cal.end_of_day(civil_date{date::sys_days{delivered} + date::days{p.return_window_days}});
}

bool is_shipped(const lifecycle& s) { return s.shipped_at || s.delivered_at; }

bool return_open(const lifecycle& s) {
  return s.ret == return_stage::requested || s.ret == return_stage::approved || s.ret == return_stage::shipped ||
         s.ret == return_stage::received;
}

bool ended(const lifecycle& s) { return s.cancelled || s.completed_at; }

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
int compare_content(const order& o, const event& a, const event& b) {
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
  if (int c = cmp(a.items.size(), b.items.size())) return c;
  for (std::size_t i = 0; i < a.items.size(); ++i) {
    if (int c = a.items[i].sku.compare(b.items[i].sku)) return c < 0 ? -1 : 1;
    if (int c = cmp(a.items[i].qty.value_or(-1), b.items[i].qty.value_or(-1))) return c;
  }
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
  std::vector<std::size_t> by_id;
  for (std::size_t i = 0; i < n; ++i)
    if (!o.events[i].id.empty()) by_id.push_back(i);
  std::stable_sort(by_id.begin(), by_id.end(),
                   [&](std::size_t a, std::size_t b) { return o.events[a].id < o.events[b].id; });
  for (std::size_t first = 0, k = 1; k < by_id.size(); first = k++) {
    while (k < by_id.size() && o.events[by_id[k]].id == o.events[by_id[first]].id) {
      const event& e = o.events[by_id[k]];
      skip[e.index] = event_skip::duplicate;
      if (compare_content(o, e, o.events[by_id[first]]) == 0) {
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
  std::stable_sort(order_of.begin(), order_of.end(),
                   [&](std::size_t a, std::size_t b) { return compare_content(o, o.events[a], o.events[b]) < 0; });
  for (std::size_t k = 0; k < order_of.size();) {
    std::size_t m = k + 1;
    while (m < order_of.size() && compare_content(o, o.events[order_of[k]], o.events[order_of[m]]) == 0) ++m;
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

// The first line of each sku, for matching returned items in linear time.
std::unordered_map<std::string_view, std::size_t> line_by_sku(const order& o) {
  std::unordered_map<std::string_view, std::size_t> m;
  m.reserve(o.items.size());
  for (std::size_t i = 0; i < o.items.size(); ++i) m.emplace(o.items[i].sku, i);
  return m;
}

class history {
 public:
  history(const order& o, const policy& p, lifecycle& s) : o_(o), p_(p), s_(s) {}

  // Applies `e` as if at `at` (its own instant, or placed_at for an event
  // dated before the order existed). Returns whether it was applied.
  bool apply(const event& e, instant at) {
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
        s_.delivery_attempt_failed = true;
        return true;
      case event_type::delivered:
        return deliver(e, at);
      case event_type::lost:
        return lose(e, at);
      case event_type::edd_revised:
        return revise(e);
      case event_type::return_requested:
        return request_return(e, at);
      case event_type::return_approved:
        return answer_return(e, at, return_stage::approved);
      case event_type::return_rejected:
        return answer_return(e, at, return_stage::rejected);
      case event_type::return_shipped:
        return advance_return(e, return_stage::approved, return_stage::shipped);
      case event_type::return_received:
        return advance_return(e, return_stage::shipped, return_stage::received);
      case event_type::refunded:
        return refund(e);
      case event_type::completed:
        s_.completed_at = at;
        return true;
    }
    return false;
  }

  static constexpr std::size_t automatic_index = std::numeric_limits<std::size_t>::max() - 1;

 private:
  // Money and scans are real whatever the state (SPEC 1.2).
  static bool after_complete_is_normal(event_type t) {
    return t == event_type::payment_succeeded || t == event_type::refunded;
  }
  static bool after_cancel_is_normal(event_type t) {
    return t == event_type::payment_succeeded || t == event_type::payment_failed || t == event_type::refunded ||
           t == event_type::edd_revised;
  }

  void anomaly_(const event& e, std::string code, std::string text) {
    if (e.index == automatic_index) return;
    s_.anomalies.push_back({std::move(code), e.index, std::move(text)});
  }
  void not_for_party(const event& e, std::string why) {
    anomaly_(e, "event_not_for_party", std::move(why) + "; applied");
  }

  bool pay(const event& e, instant at) {
    const std::int64_t before = s_.paid_minor;
    s_.paid_minor += e.amount_minor.value_or(o_.total_minor);  // sums are bounded at parse (order.cpp)
    if (before <= o_.total_minor && s_.paid_minor > o_.total_minor) {
      anomaly_(e, "paid_exceeds_total",
               "payments now total " + std::to_string(s_.paid_minor) + ", more than the order's " +
                   std::to_string(o_.total_minor) + "; the excess is due back to the buyer (overpaid)");
    }
    if (!s_.paid_at) s_.paid_at = at;
    if (!s_.confirmed_at) s_.confirmed_at = at;
    return true;
  }

  void cancel(const event& e, instant at, std::string reason, responsibility r) {
    s_.cancelled = cancellation_info{at, e.by, std::move(reason), r, e.index == automatic_index};
    if (s_.request == request_outcome::pending) {
      s_.request = request_outcome::overtaken;
      s_.request_closed_at = at;
    }
  }

  bool cancel_direct(const event& e, instant at) {
    const order_status st = status_of(s_, p_, at);
    const bool buyer_may = st == order_status::unpaid || st == order_status::on_hold;
    if (e.by == party::buyer && !buyer_may) {
      anomaly_(e, "cancel_not_allowed",
               "the buyer cancelled directly while the order was " + std::string(to_string(st)) +
                   ", where the buyer may only request cancellation; the cancellation was applied");
    }
    responsibility r = *responsibility_of(e.reason);
    if (!may_initiate(e.reason, e.by)) {
      r = side_of(e.by);
      anomaly_(e, "reason_not_for_party",
               "the " + std::string(to_string(e.by)) + " may not cancel for \"" + e.reason +
                   "\"; the cancellation was applied, " + std::string(to_string(r)) + " responsible");
    }
    cancel(e, at, e.reason, r);
    return true;
  }

  bool request(const event& e, instant at) {
    // Requests are for AWAITING_SHIPMENT / AWAITING_COLLECTION: during
    // ON_HOLD the buyer cancels directly instead.
    const order_status st = status_of(s_, p_, at);
    const bool open = st == order_status::awaiting_shipment || st == order_status::awaiting_collection;
    if (!open || s_.request == request_outcome::pending) {
      anomaly_(e, "request_not_allowed",
               s_.request == request_outcome::pending
                   ? "a cancellation request was made while another was pending; ignored"
                   : "a cancellation request is possible only while the order awaits shipment (" +
                         std::string(to_string(st)) + " now); ignored");
      return false;
    }
    const bool other = e.by != party::none && e.by != party::buyer;
    if (other)
      not_for_party(e, "a cancellation request is the buyer's to make, not the " + std::string(to_string(e.by)) +
                           "'s; if approved, the cancellation is the seller's responsibility");
    s_.request = request_outcome::pending;
    s_.request_at = at;
    s_.request_closed_at.reset();
    s_.request_by_other = other;
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
      anomaly_(e, "no_open_request",
               "cancel_request_approved with no pending cancellation request; the order was cancelled all the same");
    }
    const bool by_other = s_.request == request_outcome::pending && s_.request_by_other;
    event by = e;
    if (by.by == party::none) by.by = party::seller;
    cancel(by, at, "buyer_request_approved", by_other ? responsibility::seller : responsibility::buyer);
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

  bool pack(const event& e, instant at) {
    if (is_shipped(s_)) {
      anomaly_(e, "impossible_transition", "ready_to_ship after the parcel was shipped; applied");
    } else {
      require_paid(e);
    }
    if (!s_.packed_at) s_.packed_at = at;
    return true;
  }

  bool ship(const event& e, instant at) {
    if (s_.delivered_at) {
      anomaly_(e, "impossible_transition", "shipped after delivery; applied");
    } else {
      require_paid(e);
    }
    if (!s_.shipped_at) s_.shipped_at = at;
    s_.shipped_with_tracking = !e.carrier.empty() && !e.tracking_number.empty();
    if (s_.request == request_outcome::pending) {
      s_.request = request_outcome::superseded;
      s_.request_closed_at = at;
    }
    return true;
  }

  bool deliver(const event& e, instant at) {
    if (!s_.shipped_at) anomaly_(e, "impossible_transition", "delivered with no shipment before it; applied");
    if (!s_.delivered_at) s_.delivered_at = at;
    if (s_.request == request_outcome::pending) {
      s_.request = request_outcome::superseded;
      s_.request_closed_at = at;
    }
    return true;
  }

  bool lose(const event& e, instant at) {
    if (!s_.shipped_at) anomaly_(e, "impossible_transition", "lost with no shipment before it; applied");
    if (!s_.lost_at) s_.lost_at = at;
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

  // Value of the returnable items a return request names (every returnable
  // item if it names none): each line counted once, at most its quantity.
  std::int64_t return_value(const event& e) {
    if (e.items.empty()) return returnable_value(o_);
    if (!sku_index_) sku_index_ = line_by_sku(o_);
    std::vector<std::int64_t> qty(o_.items.size(), 0);
    std::size_t unknown = 0, not_returnable = 0;
    std::string_view unknown_sku, not_returnable_sku;
    for (const auto& r : e.items) {
      const auto it = sku_index_->find(r.sku);
      if (it == sku_index_->end()) {
        if (unknown++ == 0) unknown_sku = r.sku;
        continue;
      }
      const item& line = o_.items[it->second];
      if (!line.returnable) {
        if (not_returnable++ == 0) not_returnable_sku = line.sku;
        continue;
      }
      qty[it->second] = std::min(line.qty, qty[it->second] + r.qty.value_or(line.qty));
    }
    if (unknown > 0)
      anomaly_(e, "unknown_line",
               std::to_string(unknown) + " returned item(s) name a sku the order does not have (\"" +
                   std::string(utf8_prefix(unknown_sku, 128)) + "\"); not counted");
    if (not_returnable > 0)
      anomaly_(e, "not_returnable",
               std::to_string(not_returnable) + " returned item(s) are not returnable (\"" +
                   std::string(utf8_prefix(not_returnable_sku, 128)) + "\"); not counted");
    std::int64_t v = 0;
    for (std::size_t i = 0; i < qty.size(); ++i) v += qty[i] * o_.items[i].unit_price_minor;
    return v;  // at most the sum of the line values, bounded at parse
  }

  bool request_return(const event& e, instant at) {
    if (!s_.delivered_at) {
      anomaly_(e, "impossible_transition", "return_requested before delivery; applied");
    } else {
      const instant closed = return_window_end(p_, *s_.delivered_at);
      if (at >= closed)
        anomaly_(e, "return_outside_window",
                 "return requested after the return window closed at " + format_instant(closed) + "; applied");
    }
    s_.ret = return_stage::requested;
    s_.return_requested_at = at;
    s_.return_answered_at.reset();
    s_.return_value_minor = return_value(e);
    s_.return_was_refunded = false;
    return true;
  }

  bool answer_return(const event& e, instant at, return_stage to) {
    if (s_.ret != return_stage::requested) {
      anomaly_(e, "no_open_request", "\"" + std::string(to_string(e.type)) + "\" with no open return request; ignored");
      return false;
    }
    s_.ret = to;
    s_.return_answered_at = at;
    return true;
  }

  bool advance_return(const event& e, return_stage from, return_stage to) {
    const bool ok = s_.ret == from || (to == return_stage::received && s_.ret == return_stage::approved);
    if (!ok) {
      anomaly_(e, "no_open_request",
               "\"" + std::string(to_string(e.type)) + "\" with no matching open return; ignored");
      return false;
    }
    s_.ret = to;
    return true;
  }

  bool refund(const event& e) {
    const std::int64_t room = std::max<std::int64_t>(0, s_.paid_minor - s_.refunded_minor);
    const std::int64_t amount = *e.amount_minor;
    if (amount > room) {
      anomaly_(e, "refund_exceeds_paid",
               "refund of " + std::to_string(amount) + " exceeds what was paid and not yet refunded (" +
                   std::to_string(room) + "); counted as " + std::to_string(room));
    }
    s_.refunded_minor += std::min(amount, room);
    if (s_.ret == return_stage::received || s_.ret == return_stage::shipped || s_.ret == return_stage::approved) {
      s_.ret = return_stage::refunded;
      s_.return_was_refunded = true;
    }
    return true;
  }

  const order& o_;
  const policy& p_;
  lifecycle& s_;
  std::optional<std::unordered_map<std::string_view, std::size_t>> sku_index_;
};

deadline_state state_of(instant due, std::optional<instant> satisfied, std::optional<instant> ended, instant now) {
  if (satisfied) return *satisfied < due ? deadline_state::met : deadline_state::missed;
  if (ended && *ended < due) return deadline_state::moot;
  return now >= due ? deadline_state::missed : deadline_state::pending;
}

std::optional<instant> earliest(std::optional<instant> a, std::optional<instant> b) {
  if (!a) return b;
  if (!b) return a;
  return std::min(*a, *b);
}

std::optional<instant> ended_at(const lifecycle& s) {
  return earliest(s.cancelled ? std::optional<instant>(s.cancelled->at) : std::nullopt, s.completed_at);
}

}  // namespace

std::int64_t returnable_value(const order& o) {
  if (o.items.empty()) return o.total_minor;
  std::int64_t v = 0;
  for (const auto& it : o.items)
    if (it.returnable) v += it.unit_price_minor * it.qty;  // bounded at parse (order.cpp)
  return v;
}

order_status status_of(const lifecycle& s, const policy& p, instant now) {
  if (s.cancelled) return order_status::cancelled;
  if (s.completed_at) return order_status::completed;
  if (s.delivered_at) return order_status::delivered;
  if (s.shipped_at) return order_status::in_transit;
  if (s.packed_at) return order_status::awaiting_collection;
  if (s.confirmed_at) {
    return now < *s.confirmed_at + std::chrono::hours{p.remorse_window_hours} ? order_status::on_hold
                                                                              : order_status::awaiting_shipment;
  }
  return order_status::unpaid;
}

const deadline* deadline_set::find(deadline_id id) const {
  for (const auto& d : list)
    if (d.id == id) return &d;
  return nullptr;
}

result<estimate> original_est_delivery(const order& o, const policy& p) {
  if (o.promised.est_delivery && !(*o.promised.est_delivery < p.cal.local_date(o.placed_at)))
    return estimate{*o.promised.est_delivery, true, true};
  const int handling = o.promised.handling_days.value_or(p.default_handling_days);
  const int transit_max = o.promised.transit_days ? (*o.promised.transit_days)[1] : p.default_transit_days[1];
  const civil_date day0 = p.cal.day0(o.placed_at);
  auto dispatch = working_date_after(p, day0, handling);
  if (!dispatch) return dispatch.err();
  auto est = working_date_after(p, *dispatch, transit_max);
  if (!est) return est.err();
  return estimate{*est, false, p.cal.covers(day0, *est)};
}

result<deadline_set> place_deadlines(const order& o, const policy& p, const lifecycle& s, instant now, bool text) {
  deadline_set out;
  out.list.reserve(8);
  const auto end = ended_at(s);
  auto add = [&](deadline_id id, std::string_view input, placed_deadline pd, std::optional<instant> satisfied,
                 std::optional<instant> ended, std::string_view consequence, bool not_applicable = false) {
    if (pd.due_at > max_instant) {
      out.warnings.push_back({"out_of_range", std::string(to_string(id)) + ", counted from " + std::string(input) +
                                                  ", would fall after 9999-12-31T23:59:59Z; it is left out"});
      return;
    }
    if (!pd.calendar_covered) {
      out.warnings.push_back({"holidays_not_covered", std::string(to_string(id)) +
                                                          " counts working days in a year the policy's holidays do "
                                                          "not cover (" +
                                                          p.cal.coverage_text() +
                                                          "); weekends only were skipped there"});
    }
    auto st = state_of(pd.due_at, satisfied, ended, now);
    if (not_applicable && st == deadline_state::missed && !satisfied) st = deadline_state::moot;
    out.list.push_back({id, pd.due_at, st, std::move(pd.basis), text ? std::string(consequence) : std::string(),
                        pd.local_date, pd.calendar_covered});
  };

  if (!s.cod) {
    add(deadline_id::payment, "placed_at", hours_after(o.placed_at, p.payment_window_hours, "placement", text),
        s.paid_at, end, "an unpaid order is cancelled automatically (payment_timeout, buyer responsible)");
  }
  if (!s.confirmed_at) return out;

  const auto remorse_end = earliest(earliest(end, s.packed_at), s.shipped_at);
  const bool buyer_cancelled_in_time = s.cancelled && s.cancelled->by == party::buyer;
  add(deadline_id::remorse, s.cod ? "placed_at" : "the payment",
      hours_after(*s.confirmed_at, p.remorse_window_hours, s.cod ? "placement (cash on delivery)" : "payment", text),
      buyer_cancelled_in_time ? std::optional<instant>(s.cancelled->at) : std::nullopt,
      buyer_cancelled_in_time ? std::nullopt : remorse_end, "the buyer can no longer cancel instantly");

  const instant ship_from = p.ship_by_start == ship_by_from::paid ? *s.confirmed_at : o.placed_at;
  auto ship = working_days_after(p, ship_from, p.ship_by_working_days,
                                 p.ship_by_start == ship_by_from::paid ? "paid" : "placed", text);
  if (!ship) return ship.err();
  auto satisfied = earliest(s.shipped_at, s.delivered_at);
  if (p.ship_by_satisfier == ship_by_satisfied_by::ready_to_ship) satisfied = earliest(satisfied, s.packed_at);
  add(deadline_id::ship_by, p.ship_by_start == ship_by_from::paid ? "the payment" : "placed_at", std::move(*ship),
      satisfied, end,
      p.ship_by_satisfier == ship_by_satisfied_by::shipped
          ? "an order not shipped by then is cancelled automatically (seller_late_ship, seller responsible, full "
            "refund)"
          : "an order not ready to ship by then is cancelled automatically (seller_late_ship, seller responsible, full "
            "refund)",
      s.ship_by_not_applicable);

  if (s.request_at) {
    const bool answered = s.request == request_outcome::approved || s.request == request_outcome::rejected;
    const bool dropped = s.request == request_outcome::withdrawn || s.request == request_outcome::superseded ||
                         s.request == request_outcome::overtaken;
    const bool auto_answered =
        answered && s.cancelled && s.cancelled->automatic && s.cancelled->reason == "buyer_request_approved";
    add(deadline_id::cancel_request_response, "the cancellation request",
        hours_after(*s.request_at, p.cancel_request_response_hours, "the cancellation request", text),
        answered && !auto_answered ? s.request_closed_at : std::nullopt, dropped ? s.request_closed_at : end,
        p.on_no_response == no_response_outcome::approve ? "an unanswered request is approved automatically"
                                                         : "an unanswered request is rejected automatically");
  }

  auto est = original_est_delivery(o, p);
  if (!est) return est.err();
  const std::string_view est_what =
      est->from_promise ? "the original estimated delivery" : "the estimated delivery (from the policy defaults)";
  const std::string est_input =
      (est->from_promise ? "promise.est_delivery " : "the estimated delivery ") + format_date(est->date);
  auto claim = calendar_days_after(p, est->date, p.not_received_claim_after_days, est_what, text);
  claim.calendar_covered = est->calendar_covered;
  add(deadline_id::not_received_claim, est_input, std::move(claim), s.delivered_at, end,
      "the buyer may claim a refund for an order not received");
  auto delivery = calendar_days_after(p, est->date, p.delivery_grace_days, est_what, text);
  delivery.calendar_covered = est->calendar_covered;
  add(deadline_id::delivery, est_input, std::move(delivery), s.delivered_at, earliest(end, s.lost_at),
      "an undelivered order is cancelled automatically (seller_late_delivery, seller responsible, full refund)",
      s.delivery_not_applicable);

  if (s.delivered_at) {
    add(deadline_id::return_window, "the delivery",
        calendar_days_after(p, p.cal.local_date(*s.delivered_at), p.return_window_days, "delivery on", text),
        s.return_requested_at, end, "returns are no longer accepted and the order completes");
  }
  if (s.return_requested_at) {
    const bool answered = s.ret != return_stage::requested && s.return_answered_at;
    add(deadline_id::return_response, "the return request",
        hours_after(*s.return_requested_at, p.return_response_hours, "the return request", text),
        answered ? s.return_answered_at : std::nullopt, end, "an unanswered return request is approved automatically");
  }
  return out;
}

namespace {

// The due instants the replay needs, computed once per order.
class due_times {
 public:
  due_times(const order& o, const policy& p) : o_(o), p_(p) {}

  [[nodiscard]] instant payment() const { return o_.placed_at + std::chrono::hours{p_.payment_window_hours}; }

  result<instant> ship_by(const lifecycle& s) {
    const instant from = p_.ship_by_start == ship_by_from::paid ? *s.confirmed_at : o_.placed_at;
    if (!ship_by_ || ship_from_ != from) {
      auto d = p_.cal.working_day_after(p_.cal.day0(from), p_.ship_by_working_days);
      if (!d) return d.err();
      ship_by_ = p_.cal.end_of_day(*d);
      ship_from_ = from;
    }
    return *ship_by_;
  }

  result<instant> delivery() {
    if (!delivery_) {
      auto est = original_est_delivery(o_, p_);
      if (!est) return est.err();
      delivery_ = p_.cal.end_of_day(civil_date{date::sys_days{est->date} + date::days{p_.delivery_grace_days}});
    }
    return *delivery_;
  }

  [[nodiscard]] instant request_response(const lifecycle& s) const {
    return *s.request_at + std::chrono::hours{p_.cancel_request_response_hours};
  }
  [[nodiscard]] instant return_response(const lifecycle& s) const {
    return *s.return_requested_at + std::chrono::hours{p_.return_response_hours};
  }
  [[nodiscard]] instant return_window(const lifecycle& s) const { return return_window_end(p_, *s.delivered_at); }

 private:
  const order& o_;
  const policy& p_;
  std::optional<instant> ship_by_;
  instant ship_from_{};
  std::optional<instant> delivery_;
};

// The automatic actions, in the order SPEC 4.5 decides them at one instant.
enum class action_kind { payment_timeout, late_ship, late_delivery, request_response, return_response, complete, lost };
constexpr std::array<action_kind, 6> deadline_kinds{action_kind::payment_timeout, action_kind::late_ship,
                                                    action_kind::late_delivery,   action_kind::request_response,
                                                    action_kind::return_response, action_kind::complete};

struct candidate {
  action_kind kind{};
  instant due{};
};

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
      const bool packed_counts = p.ship_by_satisfier == ship_by_satisfied_by::ready_to_ship && s.packed_at;
      if (!s.confirmed_at || is_shipped(s) || packed_counts) return opt{};
      auto due = t.ship_by(s);
      if (!due) return due.err();
      return opt{candidate{kind, *due}};
    }
    case action_kind::late_delivery: {
      if (!(s.packed_at || s.shipped_at) || s.delivered_at || s.lost_at) return opt{};
      auto due = t.delivery();
      if (!due) return due.err();
      return opt{candidate{kind, *due}};
    }
    case action_kind::request_response:
      if (s.request != request_outcome::pending) return opt{};
      return opt{candidate{kind, t.request_response(s)}};
    case action_kind::return_response:
      if (s.ret != return_stage::requested) return opt{};
      return opt{candidate{kind, t.return_response(s)}};
    case action_kind::complete:
      if (!s.delivered_at || return_open(s)) return opt{};
      return opt{candidate{kind, t.return_window(s)}};
    case action_kind::lost:
      if (!s.lost_at || s.delivered_at) return opt{};
      return opt{candidate{kind, *s.lost_at}};
  }
  return opt{};
}

due_entry action_of(action_kind kind, const policy& p, const lifecycle& s, instant at) {
  auto make = [&](due_action a, std::string reason, responsibility r, event_type type, std::string event_reason) {
    return due_entry{a, std::move(reason), r, at, synthetic_event{type, at, party::platform, std::move(event_reason)}};
  };
  switch (kind) {
    case action_kind::payment_timeout:
      return make(due_action::auto_cancel, "payment_timeout", responsibility::buyer, event_type::cancelled,
                  "payment_timeout");
    case action_kind::late_ship:
      return make(due_action::auto_cancel, "seller_late_ship", responsibility::seller, event_type::cancelled,
                  "seller_late_ship");
    case action_kind::late_delivery:
      return make(due_action::auto_cancel, "seller_late_delivery", responsibility::seller, event_type::cancelled,
                  "seller_late_delivery");
    case action_kind::lost:
      return make(due_action::auto_cancel, "lost_in_transit", responsibility::carrier, event_type::cancelled,
                  "lost_in_transit");
    case action_kind::request_response:
      if (p.on_no_response == no_response_outcome::approve)
        return make(due_action::auto_approve, "buyer_request_approved",
                    s.request_by_other ? responsibility::seller : responsibility::buyer,
                    event_type::cancel_request_approved, "");
      return make(due_action::auto_reject, "seller_no_response", responsibility::none,
                  event_type::cancel_request_rejected, "seller_no_response");
    case action_kind::return_response:
      return make(due_action::auto_approve_return, "seller_no_response", responsibility::seller,
                  event_type::return_approved, "seller_no_response");
    case action_kind::complete:
      return make(due_action::auto_complete, "return_window_closed", responsibility::none, event_type::completed, "");
  }
  return {};
}

// Whether a recorded event is the record of automatic action `a` (the event
// the back end was told to append): same type, by the platform, same reason.
bool records(const event& e, const due_entry& a) {
  return e.type == a.event.type && (e.by == party::platform || e.by == party::none) && e.reason == a.event.reason;
}

// Whether an event has the shape of an automatic action's record: such an
// event recorded at an instant is decided after the others of that instant,
// so that it is taken as the action whatever its place among them.
bool looks_automatic(const event& e) {
  if (e.by != party::platform) return false;
  switch (e.type) {
    case event_type::cancelled:
      return e.reason == "payment_timeout" || e.reason == "seller_late_ship" || e.reason == "seller_late_delivery" ||
             e.reason == "lost_in_transit";
    case event_type::cancel_request_approved:
    case event_type::completed:
      return e.reason.empty();
    case event_type::cancel_request_rejected:
    case event_type::return_approved:
      return e.reason == "seller_no_response";
    default:
      return false;
  }
}

// The replay of section 4.5 over the effective history.
class replay {
 public:
  replay(const order& o, const policy& p, instant now, simulation& sim)
      : o_(o), p_(p), now_(now), sim_(sim), effective_(o, p, sim.effective), times_(o, p) {}

  // `batch`: the events recorded at instant D, in document order.
  result<bool> at_instant(instant d, const std::vector<std::size_t>& batch) {
    batch_ = &batch;
    consumed_.assign(batch.size(), false);
    // 1. the deadline actions due at D, decided on the state before D.
    for (const auto kind : deadline_kinds) {
      auto c = candidate_of(kind, p_, sim_.effective, times_);
      if (!c) return c.err();
      if (*c && (*c)->due == d) fire(kind, d);
    }
    // 2. the recorded events at D, in document order; records of automatic
    // actions last; 3. after each, what it causes at D.
    for (const bool deferred : {false, true}) {
      for (std::size_t k = 0; k < batch.size(); ++k) {
        const event& e = o_.events[batch[k]];
        if (consumed_[k] || looks_automatic(e) != deferred) continue;
        consumed_[k] = true;
        const bool applied = effective_.apply(e, d);
        record(e, d, applied, false, applied ? event_skip::none : event_skip::anomaly);
        if (auto r = consequences(d); !r) return r.err();
      }
    }
    last_ = d;
    return true;
  }

  // The next instant after the last one at which a deadline action falls due.
  result<std::optional<instant>> next_deadline() {
    std::optional<instant> next;
    for (const auto kind : deadline_kinds) {
      auto c = candidate_of(kind, p_, sim_.effective, times_);
      if (!c) return c.err();
      if (*c && (!last_ || (*c)->due > *last_)) next = earliest(next, (*c)->due);
    }
    return next;
  }

  void record(const event& e, instant at, bool applied, bool automatic, event_skip skipped) {
    sim_.effective.outcomes.push_back({e.index, e.type, at, applied, automatic, skipped});
  }

 private:
  // Applies automatic action `kind` at D: as the recorded event of the batch
  // that records it (not due), or as due.
  void fire(action_kind kind, instant d) {
    due_entry a = action_of(kind, p_, sim_.effective, d);
    event e;
    e.type = a.event.type;
    e.at = d;
    e.by = party::platform;
    e.reason = a.event.reason;
    e.index = history::automatic_index;
    effective_.apply(e, d);
    for (std::size_t k = 0; k < batch_->size(); ++k) {
      const event& r = o_.events[(*batch_)[k]];
      if (!consumed_[k] && records(r, a)) {
        consumed_[k] = true;
        record(r, d, true, true, event_skip::none);
        return;
      }
    }
    sim_.due.push_back(std::move(a));
  }

  // Step 3: what the event just applied at D causes at D.
  result<bool> consequences(instant d) {
    const lifecycle& s = sim_.effective;
    // A deadline whose instant passed while its condition was false never
    // fires: note it when the condition becomes true too late.
    for (const auto kind : {action_kind::late_ship, action_kind::late_delivery}) {
      auto c = candidate_of(kind, p_, s, times_);
      if (!c) return c.err();
      const bool passed = *c && (*c)->due <= d;
      if (passed && kind == action_kind::late_ship) sim_.effective.ship_by_not_applicable = true;
      if (passed && kind == action_kind::late_delivery) sim_.effective.delivery_not_applicable = true;
    }
    for (const auto kind :
         {action_kind::lost, action_kind::request_response, action_kind::return_response, action_kind::complete}) {
      auto c = candidate_of(kind, p_, s, times_);
      if (!c) return c.err();
      if (!*c) continue;
      // An order whose return window closed while a return was open
      // completes when the return closes; the other actions here are those
      // an event at D starts and that are due at once.
      const bool now_due = kind == action_kind::complete ? (*c)->due <= d : (*c)->due == d && started_at(kind, d);
      if (now_due) fire(kind, d);
    }
    return true;
  }

  [[nodiscard]] bool started_at(action_kind kind, instant d) const {
    const lifecycle& s = sim_.effective;
    switch (kind) {
      case action_kind::lost:
        return s.lost_at == d;
      case action_kind::request_response:
        return s.request_at == d;
      case action_kind::return_response:
        return s.return_requested_at == d;
      default:
        return false;
    }
  }

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

result<simulation> simulate(const order& o, const policy& p, instant now) {
  simulation sim;
  sim.real.cod = sim.effective.cod = o.payment_method == "cod";
  if (sim.real.cod) sim.real.confirmed_at = sim.effective.confirmed_at = o.placed_at;

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
  std::stable_sort(order_of.begin(), order_of.end(),
                   [&](std::size_t a, std::size_t b) { return at_of(o.events[a]) < at_of(o.events[b]); });

  history real(o, p, sim.real);
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
  for (const auto& x : sim.effective.outcomes) real.apply(o.events[x.event_index], x.at);
  for (; k < order_of.size(); ++k) {
    const event& e = o.events[order_of[k]];
    ++sim.effective.future_events;
    effective.record(e, at_of(e), false, false, event_skip::future);
  }
  for (const auto& e : o.events)
    if (skip[e.index] != event_skip::none) effective.record(e, at_of(e), false, false, skip[e.index]);
  // Replay order: by instant, and within one as the replay took them (the
  // records of automatic actions first); copies and future events by instant.
  std::stable_sort(sim.effective.outcomes.begin(), sim.effective.outcomes.end(),
                   [](const event_outcome& a, const event_outcome& b) { return a.at < b.at; });
  std::stable_sort(sim.effective.anomalies.begin(), sim.effective.anomalies.end(),
                   [](const anomaly& a, const anomaly& b) { return a.event_index < b.event_index; });
  return sim;
}

}  // namespace ordertrail::detail
