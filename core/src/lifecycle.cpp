#include "lifecycle.hpp"

#include <algorithm>
#include <limits>
#include <numeric>
#include <set>

#include "deadline_math.hpp"

namespace ordertrail::detail {
namespace {

std::int64_t saturating_add(std::int64_t a, std::int64_t b) {
  std::int64_t r = 0;
  return __builtin_add_overflow(a, b, &r) ? std::numeric_limits<std::int64_t>::max() : r;
}

instant return_window_end(const policy& p, instant delivered_at) {
  const civil_date delivered = p.cal.local_date(delivered_at);
  return p.cal.end_of_day(civil_date{date::sys_days{delivered} + date::days{p.return_window_days}});
}

bool is_shipped(const lifecycle& s) { return s.shipped_at || s.delivered_at; }

bool return_open(const lifecycle& s) {
  return s.ret == return_stage::requested || s.ret == return_stage::approved || s.ret == return_stage::shipped ||
         s.ret == return_stage::received;
}

// Value of the items a return request names (all returnable items if none).
std::int64_t return_value(const order& o, const event& e) {
  if (e.items.empty()) return returnable_value(o);
  std::int64_t v = 0;
  for (const auto& r : e.items) {
    for (const auto& it : o.items) {
      if (it.sku == r.sku && it.returnable) {
        v = saturating_add(v, it.unit_price_minor * std::min(r.qty.value_or(it.qty), it.qty));
        break;
      }
    }
  }
  return v;
}

class history {
 public:
  history(const order& o, const policy& p, lifecycle& s) : o_(o), p_(p), s_(s) {}

  void apply(const event& e) {
    if (s_.completed_at) {
      anomaly_(e, "event_after_completed",
               "\"" + std::string(to_string(e.type)) + "\" after the order was completed was not applied");
      return;
    }
    if (s_.cancelled && !after_cancel_is_normal(e.type)) {
      anomaly_(e, "event_after_cancelled",
               "\"" + std::string(to_string(e.type)) + "\" after the order was cancelled was not applied");
      return;
    }
    switch (e.type) {
      case event_type::payment_succeeded: return pay(e);
      case event_type::payment_failed: s_.payment_failed = true; return;
      case event_type::cancelled: return cancel_direct(e);
      case event_type::cancel_requested: return request(e);
      case event_type::cancel_request_withdrawn: return close_request(e, request_outcome::withdrawn);
      case event_type::cancel_request_approved: return approve_request(e);
      case event_type::cancel_request_rejected: return close_request(e, request_outcome::rejected);
      case event_type::ready_to_ship: return pack(e);
      case event_type::shipped: return ship(e);
      case event_type::delivery_attempt_failed: s_.delivery_attempt_failed = true; return;
      case event_type::delivered: return deliver(e);
      case event_type::lost: return lose(e);
      case event_type::edd_revised: s_.revised_est_delivery = e.est_delivery; return;
      case event_type::return_requested: return request_return(e);
      case event_type::return_approved: return answer_return(e, return_stage::approved);
      case event_type::return_rejected: return answer_return(e, return_stage::rejected);
      case event_type::return_shipped: return advance_return(e, return_stage::approved, return_stage::shipped);
      case event_type::return_received: return advance_return(e, return_stage::shipped, return_stage::received);
      case event_type::refunded: return refund(e);
      case event_type::completed: s_.completed_at = e.at; return;
    }
  }

 private:
  static bool after_cancel_is_normal(event_type t) {
    return t == event_type::payment_succeeded || t == event_type::payment_failed || t == event_type::refunded ||
           t == event_type::edd_revised;
  }

  void anomaly_(const event& e, std::string code, std::string text) {
    s_.anomalies.push_back({std::move(code), e.index, std::move(text)});
  }

  void pay(const event& e) {
    s_.paid_minor = saturating_add(s_.paid_minor, e.amount_minor.value_or(o_.total_minor));
    if (!s_.paid_at) s_.paid_at = e.at;
    if (!s_.confirmed_at) s_.confirmed_at = e.at;
  }

  void cancel(const event& e, std::string reason, responsibility r, bool automatic) {
    s_.cancelled = cancellation_info{e.at, e.by, std::move(reason), r, automatic};
    if (s_.request == request_outcome::pending) {
      s_.request = request_outcome::overtaken;
      s_.request_closed_at = e.at;
    }
  }

  void cancel_direct(const event& e) {
    const order_status st = status_of(s_, p_, e.at);
    const bool buyer_may =
        st == order_status::unpaid || st == order_status::on_hold;
    if (e.by == party::buyer && !buyer_may) {
      anomaly_(e, "cancel_not_allowed",
               "the buyer cancelled directly while the order was " + std::string(to_string(st)) +
                   ", where the buyer may only request cancellation; the cancellation was applied");
    }
    cancel(e, e.reason, *responsibility_of(e.reason), e.index == automatic_index);
  }

  void request(const event& e) {
    // Requests are for AWAITING_SHIPMENT / AWAITING_COLLECTION: during
    // ON_HOLD the buyer cancels directly instead.
    const order_status st = status_of(s_, p_, e.at);
    const bool open = st == order_status::awaiting_shipment || st == order_status::awaiting_collection;
    if (!open || s_.request == request_outcome::pending) {
      anomaly_(e, "request_not_allowed",
               s_.request == request_outcome::pending
                   ? "a cancellation request was made while another was pending; ignored"
                   : "a cancellation request is possible only while the order awaits shipment (" +
                         std::string(to_string(st)) + " now); ignored");
      return;
    }
    s_.request = request_outcome::pending;
    s_.request_at = e.at;
    s_.request_closed_at.reset();
  }

  void close_request(const event& e, request_outcome outcome) {
    if (s_.request != request_outcome::pending) {
      anomaly_(e, "no_open_request",
               "\"" + std::string(to_string(e.type)) + "\" with no pending cancellation request; ignored");
      return;
    }
    s_.request = outcome;
    s_.request_closed_at = e.at;
  }

  void approve_request(const event& e) {
    if (s_.request != request_outcome::pending) {
      anomaly_(e, "no_open_request",
               "cancel_request_approved with no pending cancellation request; the order was cancelled all the same");
    }
    event by = e;
    if (by.by == party::none) by.by = party::seller;
    cancel(by, "buyer_request_approved", responsibility::buyer, e.index == automatic_index);
    s_.request = request_outcome::approved;
    s_.request_closed_at = e.at;
  }

  void require_paid(const event& e) {
    if (!s_.confirmed_at) {
      anomaly_(e, "impossible_transition",
               "\"" + std::string(to_string(e.type)) + "\" on an order that was never paid; applied");
    }
  }

  void pack(const event& e) {
    if (is_shipped(s_)) {
      anomaly_(e, "impossible_transition", "ready_to_ship after the parcel was shipped; applied");
    } else {
      require_paid(e);
    }
    if (!s_.packed_at) s_.packed_at = e.at;
  }

  void ship(const event& e) {
    if (s_.delivered_at) {
      anomaly_(e, "impossible_transition", "shipped after delivery; applied");
    } else {
      require_paid(e);
    }
    if (!s_.shipped_at) s_.shipped_at = e.at;
    s_.shipped_with_tracking = !e.carrier.empty() && !e.tracking_number.empty();
    if (s_.request == request_outcome::pending) {
      s_.request = request_outcome::superseded;
      s_.request_closed_at = e.at;
    }
  }

  void deliver(const event& e) {
    if (!s_.shipped_at) anomaly_(e, "impossible_transition", "delivered with no shipment before it; applied");
    if (!s_.delivered_at) s_.delivered_at = e.at;
    if (s_.request == request_outcome::pending) {
      s_.request = request_outcome::superseded;
      s_.request_closed_at = e.at;
    }
  }

  void lose(const event& e) {
    if (!s_.shipped_at) anomaly_(e, "impossible_transition", "lost with no shipment before it; applied");
    if (!s_.lost_at) s_.lost_at = e.at;
  }

  void request_return(const event& e) {
    if (!s_.delivered_at) {
      anomaly_(e, "impossible_transition", "return_requested before delivery; applied");
    } else {
      const instant closed = return_window_end(p_, *s_.delivered_at);
      if (e.at >= closed)
        anomaly_(e, "return_outside_window",
                 "return requested after the return window closed at " + format_instant(closed) + "; applied");
    }
    s_.ret = return_stage::requested;
    s_.return_requested_at = e.at;
    s_.return_answered_at.reset();
    s_.return_value_minor = return_value(o_, e);
  }

  void answer_return(const event& e, return_stage to) {
    if (s_.ret != return_stage::requested) {
      anomaly_(e, "no_open_request", "\"" + std::string(to_string(e.type)) + "\" with no open return request; ignored");
      return;
    }
    s_.ret = to;
    s_.return_answered_at = e.at;
  }

  void advance_return(const event& e, return_stage from, return_stage to) {
    const bool ok = s_.ret == from || (to == return_stage::received && s_.ret == return_stage::approved);
    if (!ok) {
      anomaly_(e, "no_open_request", "\"" + std::string(to_string(e.type)) + "\" with no matching open return; ignored");
      return;
    }
    s_.ret = to;
  }

  void refund(const event& e) {
    const std::int64_t room = std::max<std::int64_t>(0, s_.paid_minor - s_.refunded_minor);
    const std::int64_t amount = *e.amount_minor;
    if (amount > room) {
      anomaly_(e, "refund_exceeds_paid",
               "refund of " + std::to_string(amount) + " exceeds what was paid and not yet refunded (" +
                   std::to_string(room) + "); counted as " + std::to_string(room));
    }
    s_.refunded_minor += std::min(amount, room);
    if (s_.ret == return_stage::received || s_.ret == return_stage::shipped || s_.ret == return_stage::approved)
      s_.ret = return_stage::refunded;
  }

 public:
  static constexpr std::size_t automatic_index = std::numeric_limits<std::size_t>::max();

 private:
  const order& o_;
  const policy& p_;
  lifecycle& s_;
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
    if (it.returnable) v = saturating_add(v, it.unit_price_minor * it.qty);
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

result<civil_date> original_est_delivery(const order& o, const policy& p) {
  if (o.promised.est_delivery) return *o.promised.est_delivery;
  const int handling = o.promised.handling_days.value_or(p.default_handling_days);
  const int transit_max = o.promised.transit_days ? (*o.promised.transit_days)[1] : p.default_transit_days[1];
  auto dispatch = working_date_after(p, p.cal.day0(o.placed_at), handling);
  if (!dispatch) return dispatch.err();
  return working_date_after(p, *dispatch, transit_max);
}

result<deadline_set> place_deadlines(const order& o, const policy& p, const lifecycle& s, instant now, bool text) {
  deadline_set out;
  out.list.reserve(8);
  const auto end = ended_at(s);
  auto add = [&](deadline_id id, placed_deadline pd, std::optional<instant> satisfied, std::optional<instant> ended,
                 std::string_view consequence) {
    const auto st = state_of(pd.due_at, satisfied, ended, now);
    out.list.push_back({id, pd.due_at, st, std::move(pd.basis), text ? std::string(consequence) : std::string(),
                        pd.local_date});
  };

  if (!s.cod) {
    add(deadline_id::payment, hours_after(o.placed_at, p.payment_window_hours, "placement", text), s.paid_at, end,
        "an unpaid order is cancelled automatically (payment_timeout, buyer responsible)");
  }
  if (!s.confirmed_at) return out;

  const auto remorse_end = earliest(earliest(end, s.packed_at), s.shipped_at);
  const bool buyer_cancelled_in_time = s.cancelled && s.cancelled->by == party::buyer;
  add(deadline_id::remorse,
      hours_after(*s.confirmed_at, p.remorse_window_hours, s.cod ? "placement (cash on delivery)" : "payment", text),
      buyer_cancelled_in_time ? std::optional<instant>(s.cancelled->at) : std::nullopt,
      buyer_cancelled_in_time ? std::nullopt : remorse_end,
      "the buyer can no longer cancel instantly");

  const instant ship_from = p.ship_by_start == ship_by_from::paid ? *s.confirmed_at : o.placed_at;
  auto ship = working_days_after(p, ship_from, p.ship_by_working_days,
                                 p.ship_by_start == ship_by_from::paid ? "paid" : "placed", text);
  if (!ship) return ship.err();
  auto satisfied = earliest(s.shipped_at, s.delivered_at);
  if (p.ship_by_satisfier == ship_by_satisfied_by::ready_to_ship) satisfied = earliest(satisfied, s.packed_at);
  add(deadline_id::ship_by, std::move(*ship), satisfied, end,
      p.ship_by_satisfier == ship_by_satisfied_by::shipped
          ? "an order not shipped by then is cancelled automatically (seller_late_ship, seller responsible, full refund)"
          : "an order not ready to ship by then is cancelled automatically (seller_late_ship, seller responsible, full "
            "refund)");

  if (s.request_at) {
    const bool answered = s.request == request_outcome::approved || s.request == request_outcome::rejected;
    const bool dropped = s.request == request_outcome::withdrawn || s.request == request_outcome::superseded ||
                         s.request == request_outcome::overtaken;
    const bool auto_answered = answered && s.cancelled && s.cancelled->automatic &&
                               s.cancelled->reason == "buyer_request_approved";
    add(deadline_id::cancel_request_response,
        hours_after(*s.request_at, p.cancel_request_response_hours, "the cancellation request", text),
        answered && !auto_answered ? s.request_closed_at : std::nullopt,
        dropped ? s.request_closed_at : end,
        p.on_no_response == no_response_outcome::approve ? "an unanswered request is approved automatically"
                                                         : "an unanswered request is rejected automatically");
  }

  auto est = original_est_delivery(o, p);
  if (!est) return est.err();
  const std::string_view est_what =
      o.promised.est_delivery ? "the original estimated delivery" : "the estimated delivery (from the policy defaults)";
  add(deadline_id::not_received_claim, calendar_days_after(p, *est, p.not_received_claim_after_days, est_what, text),
      s.delivered_at, end, "the buyer may claim a refund for an order not received");
  add(deadline_id::delivery, calendar_days_after(p, *est, p.delivery_grace_days, est_what, text), s.delivered_at,
      earliest(end, s.lost_at),
      "an undelivered order is cancelled automatically (seller_late_delivery, seller responsible, full refund)");

  if (s.delivered_at) {
    add(deadline_id::return_window,
        calendar_days_after(p, p.cal.local_date(*s.delivered_at), p.return_window_days, "delivery on", text),
        s.return_requested_at, end, "returns are no longer accepted and the order completes");
  }
  if (s.return_requested_at) {
    const bool answered = s.ret != return_stage::requested && s.return_answered_at;
    add(deadline_id::return_response,
        hours_after(*s.return_requested_at, p.return_response_hours, "the return request", text),
        answered ? s.return_answered_at : std::nullopt, end, "an unanswered return request is approved automatically");
  }
  return out;
}

namespace {

// The due instants the simulation needs, computed once per order and without
// the explanatory text (place_deadlines writes that, once, at the end).
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
      delivery_ = p_.cal.end_of_day(civil_date{date::sys_days{*est} + date::days{p_.delivery_grace_days}});
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

// The earliest automatic action of state `s` due at or before `limit`
// (at the same instant an auto-cancel wins, else the first listed).
result<std::optional<due_entry>> next_automatic_action(const policy& p, const lifecycle& s, due_times& t,
                                                       instant limit) {
  std::optional<due_entry> next;
  auto consider = [&](due_action action, instant at, std::string reason, responsibility r, event_type type) {
    if (at > limit) return;
    if (next && (next->at < at || (next->at == at && !(action == due_action::auto_cancel &&
                                                       next->action != due_action::auto_cancel))))
      return;
    synthetic_event ev{type, at, party::platform, reason};
    if (action == due_action::auto_approve || action == due_action::auto_complete) ev.reason.clear();
    next = due_entry{action, std::move(reason), r, at, std::move(ev)};
  };
  if (s.cancelled || s.completed_at) return next;
  if (!s.confirmed_at)
    consider(due_action::auto_cancel, t.payment(), "payment_timeout", responsibility::buyer, event_type::cancelled);
  const bool packed_counts = p.ship_by_satisfier == ship_by_satisfied_by::ready_to_ship && s.packed_at;
  if (s.confirmed_at && !s.shipped_at && !s.delivered_at && !packed_counts) {
    auto due = t.ship_by(s);
    if (!due) return due.err();
    consider(due_action::auto_cancel, *due, "seller_late_ship", responsibility::seller, event_type::cancelled);
  }
  if (s.shipped_at && !s.delivered_at && !s.lost_at) {
    auto due = t.delivery();
    if (!due) return due.err();
    consider(due_action::auto_cancel, *due, "seller_late_delivery", responsibility::seller, event_type::cancelled);
  }
  if (s.lost_at && !s.delivered_at)
    consider(due_action::auto_cancel, *s.lost_at, "lost_in_transit", responsibility::carrier, event_type::cancelled);
  if (s.request == request_outcome::pending) {
    if (p.on_no_response == no_response_outcome::approve)
      consider(due_action::auto_approve, t.request_response(s), "buyer_request_approved", responsibility::buyer,
               event_type::cancel_request_approved);
    else
      consider(due_action::auto_reject, t.request_response(s), "seller_no_response", responsibility::none,
               event_type::cancel_request_rejected);
  }
  if (s.ret == return_stage::requested)
    consider(due_action::auto_approve_return, t.return_response(s), "seller_no_response", responsibility::seller,
             event_type::return_approved);
  if (s.delivered_at && !return_open(s))
    consider(due_action::auto_complete, t.return_window(s), "return_window_closed", responsibility::none,
             event_type::completed);
  return next;
}

}  // namespace

result<simulation> simulate(const order& o, const policy& p, instant now) {
  simulation sim;
  sim.real.cod = sim.effective.cod = o.payment_method == "cod";
  if (sim.real.cod) sim.real.confirmed_at = sim.effective.confirmed_at = o.placed_at;
  std::vector<std::size_t> order_of(o.events.size());
  std::iota(order_of.begin(), order_of.end(), 0);
  std::stable_sort(order_of.begin(), order_of.end(),
                   [&](std::size_t a, std::size_t b) { return o.events[a].at < o.events[b].at; });
  std::set<std::string> ids;
  std::set<std::string> fingerprints;
  history real(o, p, sim.real);
  history effective(o, p, sim.effective);
  due_times times(o, p);

  // Applies, in time order, the automatic actions due at or before `limit`.
  // When `recorded` is the very event of the action due at its instant, the
  // back end has recorded that action: it is applied as automatic and is no
  // longer due (so appending `due` events makes them disappear). Returns
  // whether `recorded` was taken that way.
  auto catch_up = [&](instant limit, const event* recorded) -> result<bool> {
    for (;;) {
      auto next = next_automatic_action(p, sim.effective, times, limit);
      if (!next) return next.err();
      if (!*next) return false;
      event e;
      e.type = (*next)->event.type;
      e.at = (*next)->event.at;
      e.by = party::platform;
      e.reason = (*next)->event.reason;
      e.index = history::automatic_index;
      const bool is_recorded = recorded != nullptr && recorded->at == e.at && recorded->type == e.type &&
                               (e.type != event_type::cancelled || recorded->reason == e.reason);
      effective.apply(e);
      if (is_recorded) return true;
      sim.due.push_back(std::move(**next));
    }
  };

  for (const std::size_t i : order_of) {
    const event& e = o.events[i];
    if (e.at > now) {
      ++sim.effective.future_events;
      continue;
    }
    // An event without an id and without a fingerprint has no possible copy (order.hpp).
    const bool fresh = e.id.empty() ? e.fingerprint.empty() || fingerprints.insert(e.fingerprint).second
                                    : ids.insert(e.id).second;
    if (!fresh) {
      sim.effective.anomalies.push_back(
          {"duplicate_event", e.index,
           e.id.empty() ? "an exact copy of an earlier event; applied once"
                        : "an event with the id \"" + e.id + "\" was already applied; applied once"});
      continue;
    }
    // An automatic action due at the very instant of an event comes first:
    // acting at the deadline is already late (SPEC 2).
    auto taken = catch_up(e.at, &e);
    if (!taken) return taken.err();
    real.apply(e);
    if (!*taken) effective.apply(e);
  }
  if (auto err = catch_up(now, nullptr); !err) return err.err();
  std::stable_sort(sim.effective.anomalies.begin(), sim.effective.anomalies.end(),
                   [](const anomaly& a, const anomaly& b) { return a.event_index < b.event_index; });
  return sim;
}

}  // namespace ordertrail::detail
