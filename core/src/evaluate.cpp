#include <algorithm>
#include <array>
#include <functional>

#include "deadline_math.hpp"
#include "lifecycle.hpp"
#include "ordertrail/evaluation.hpp"
#include "ordertrail/json_writer.hpp"
#include "ordertrail/money.hpp"

namespace ordertrail {

std::string_view to_string(order_status s) {
  switch (s) {
    case order_status::unpaid:
      return "UNPAID";
    case order_status::on_hold:
      return "ON_HOLD";
    case order_status::awaiting_shipment:
      return "AWAITING_SHIPMENT";
    case order_status::partially_shipping:
      return "PARTIALLY_SHIPPING";
    case order_status::awaiting_collection:
      return "AWAITING_COLLECTION";
    case order_status::in_transit:
      return "IN_TRANSIT";
    case order_status::delivered:
      return "DELIVERED";
    case order_status::completed:
      return "COMPLETED";
    case order_status::cancelled:
      return "CANCELLED";
  }
  return "UNPAID";
}

std::string_view to_string(responsibility r) {
  static constexpr std::array<std::string_view, 5> names{"none", "buyer", "seller", "platform", "carrier"};
  return names[static_cast<std::size_t>(r)];
}

responsibility side_of(party by) {
  switch (by) {
    case party::buyer:
      return responsibility::buyer;
    case party::seller:
      return responsibility::seller;
    default:
      return responsibility::platform;
  }
}

std::string_view to_string(event_skip s) {
  static constexpr std::array<std::string_view, 4> names{"", "duplicate", "future", "anomaly"};
  return names[static_cast<std::size_t>(s)];
}

std::string_view to_string(obligation_id d) {
  static constexpr std::array<std::string_view, 11> names{
      "payment",         "dispatch_by",      "ship_by",        "cancel_request_response", "delivery",
      "return_response", "return_ship_back", "return_receipt", "return_receipt_response", "case_refund",
      "appeal_decision"};
  return names[static_cast<std::size_t>(d)];
}

std::string_view to_string(obligation_state s) {
  static constexpr std::array<std::string_view, 4> names{"pending", "met", "missed", "moot"};
  return names[static_cast<std::size_t>(s)];
}

std::string_view to_string(moot_reason r) {
  static constexpr std::array<std::string_view, 7> names{"",
                                                         "order_cancelled",
                                                         "order_completed",
                                                         "superseded_by_shipment",
                                                         "request_withdrawn",
                                                         "not_applicable",
                                                         "case_closed"};
  return names[static_cast<std::size_t>(r)];
}

std::string_view to_string(miss_outcome m) {
  static constexpr std::array<std::string_view, due_action_count> names{
      "auto_cancel",   "auto_approve",    "auto_reject",     "auto_approve_case",
      "late_dispatch", "auto_close_case", "auto_refund_case"};
  return names[static_cast<std::size_t>(m)];
}

std::string_view to_string(window_id w) {
  static constexpr std::array<std::string_view, 6> names{
      "free_cancellation", "cancel_request", "not_received_claim", "return", "delivered_not_received_claim", "appeal"};
  return names[static_cast<std::size_t>(w)];
}

std::string_view to_string(window_state s) {
  static constexpr std::array<std::string_view, 5> names{"upcoming", "open", "used", "closed", "void"};
  return names[static_cast<std::size_t>(s)];
}

std::string_view to_string(void_reason r) {
  static constexpr std::array<std::string_view, 9> names{
      "",           "order_cancelled", "packed",       "shipped",
      "delivered",  "completed",       "nothing_paid", "no_eligible_units",
      "case_closed"};
  return names[static_cast<std::size_t>(r)];
}

std::string_view to_string(cancel_mode m) {
  static constexpr std::array<std::string_view, 5> names{"instant", "request", "contact_seller", "not_allowed",
                                                         "lines"};
  return names[static_cast<std::size_t>(m)];
}

std::string_view to_string(due_action a) {
  static constexpr std::array<std::string_view, due_action_count> names{
      "auto_cancel",   "auto_approve",    "auto_reject",     "auto_approve_case",
      "auto_complete", "auto_close_case", "auto_refund_case"};
  return names[static_cast<std::size_t>(a)];
}

std::string_view to_string(case_status s) {
  static constexpr std::array<std::string_view, 9> names{
      "requested", "approved", "awaiting_return", "returned", "received", "rejected", "appealed", "refunded", "closed"};
  return names[static_cast<std::size_t>(s)];
}

std::string_view to_string(case_close c) {
  static constexpr std::array<std::string_view, 7> names{
      "", "withdrawn", "not_shipped_back", "rejected", "appeal_lost", "units_cancelled", "delivered"};
  return names[static_cast<std::size_t>(c)];
}

std::string_view to_string(refund_kind k) {
  static constexpr std::array<std::string_view, 5> names{"automatic", "return_and_refund", "refund_only", "none",
                                                         "mixed"};
  return names[static_cast<std::size_t>(k)];
}

std::string_view to_string(package_status s) {
  static constexpr std::array<std::string_view, 6> names{"packed", "in_transit", "delivered",
                                                         "lost",   "refused",    "returned_to_sender"};
  return names[static_cast<std::size_t>(s)];
}

const obligation* evaluation::find(obligation_id id) const {
  for (const auto& d : obligations)
    if (d.id == id) return &d;
  return nullptr;
}

const window* evaluation::find(window_id id) const {
  for (const auto& w : windows)
    if (w.id == id) return &w;
  return nullptr;
}

namespace {

using detail::case_state;
using detail::lifecycle;
using detail::request_outcome;

std::optional<instant> due_of(const evaluation& e, obligation_id id) {
  const obligation* d = e.find(id);
  return d ? std::optional<instant>(d->due_at) : std::nullopt;
}
std::optional<instant> closes_of(const evaluation& e, window_id id) {
  const window* w = e.find(id);
  return w ? w->closes_at : std::nullopt;
}

std::string not_allowed_reason(order_status s) {
  switch (s) {
    case order_status::in_transit:
      return "already_shipped";
    case order_status::delivered:
      return "already_delivered";
    case order_status::completed:
      return "order_completed";
    default:
      return "already_cancelled";
  }
}

// The seller's cancellation in status `st` (docs/RULES.md "Cancellation matrix").
seller_cancellation seller_mode(const policy& p, order_status st) {
  if (!contains(p.seller_statuses, st))
    return {cancel_mode::not_allowed, st == order_status::on_hold ? "remorse_window" : "not_allowed_in_status"};
  if (st == order_status::partially_shipping)
    return p.seller_line_cancel ? seller_cancellation{cancel_mode::lines, ""}
                                : seller_cancellation{cancel_mode::not_allowed, "line_cancel_not_allowed"};
  return {cancel_mode::immediate, ""};
}

void decide_cancellation(evaluation& e, const policy& p) {
  const order_status s = e.effective_status;
  const auto ship_by = due_of(e, obligation_id::ship_by);
  const auto response = due_of(e, obligation_id::cancel_request_response);
  switch (s) {
    case order_status::unpaid:
      e.buyer_cancel = {cancel_mode::immediate, due_of(e, obligation_id::payment), ""};
      e.seller_cancel = seller_mode(p, s);
      return;
    case order_status::on_hold:
      e.buyer_cancel = {cancel_mode::immediate, closes_of(e, window_id::free_cancellation), ""};
      e.seller_cancel = seller_mode(p, s);
      return;
    case order_status::awaiting_shipment:
    case order_status::awaiting_collection:
    case order_status::partially_shipping:
      if (e.flags.cancel_request_pending) {
        e.buyer_cancel = {cancel_mode::request, response, "cancel_request_pending"};
      } else if (!p.buyer_can_request_cancel) {
        e.buyer_cancel = {cancel_mode::contact_seller, ship_by, "seller_must_cancel"};
      } else if (contains(p.buyer_request_statuses, s)) {
        e.buyer_cancel = {cancel_mode::request, ship_by, ""};
      } else {
        e.buyer_cancel = {cancel_mode::contact_seller, ship_by,
                          s == order_status::partially_shipping ? "partially_shipped" : "after_packing"};
      }
      e.seller_cancel = seller_mode(p, s);
      return;
    case order_status::in_transit:
      // A request left open by the shipment (shipment_closes_request false)
      // can still be withdrawn or answered.
      if (e.flags.cancel_request_pending)
        e.buyer_cancel = {cancel_mode::request, response, "cancel_request_pending"};
      else
        e.buyer_cancel = {cancel_mode::not_allowed, std::nullopt, not_allowed_reason(s)};
      e.seller_cancel = {cancel_mode::not_allowed, not_allowed_reason(s)};
      return;
    default:
      e.buyer_cancel = {cancel_mode::not_allowed, std::nullopt, not_allowed_reason(s)};
      e.seller_cancel = {cancel_mode::not_allowed, not_allowed_reason(s)};
  }
}

// What the cancelled units are still owed (not for a whole-order
// cancellation, which is owed what remains paid).
std::int64_t cancelled_units_due(const lifecycle& s) {
  std::int64_t due = 0;
  for (const auto l : s.cancelled_lines) {
    const auto& ln = s.lines[l];
    due += std::max<std::int64_t>(0, ln.cancel_entitled - ln.refunded);
  }
  return due;
}

// What the units in transit that no case holds are worth (goods and
// shipping shares), at most what their lines still hold: a not-received
// claim's amount.
std::int64_t undelivered_value(const lifecycle& s) {
  std::int64_t v = 0;
  for (std::size_t l = 0; l < s.lines.size(); ++l) {
    const auto& ln = s.lines[l];
    const std::int64_t q = detail::unclaimed_in_transit(s, l);
    if (q == 0) continue;
    const std::int64_t taken = ln.qty - q;  // every other unit counts before these
    const std::int64_t worth =
        detail::units_value(ln.allocated, ln.qty, taken, q) + detail::units_value(ln.share, ln.qty, taken, q);
    v += std::min(worth, detail::line_room(ln));
  }
  return v;
}

refund_kind kind_of(const case_state& c) {
  return c.refund_only ? refund_kind::refund_only : refund_kind::return_and_refund;
}

std::vector<line_qty> units_of_case(const order& o, const case_state& c) {
  std::vector<line_qty> out;
  out.reserve(c.lines.size());
  for (const auto& r : c.lines) out.push_back({std::string(detail::line_id_of(o, r.line)), r.qty});
  return out;
}

// Whether the money of case `c` is due now (approved, or received back).
bool refund_due(const case_state& c) { return c.status == case_status::approved || c.status == case_status::received; }

// The cases' rows of the refund (docs/RULES.md "Refund"): what cases owe
// now, else what an open case will owe, else a rejection. False when no
// case is open.
template <class Grant, class Refuse>
bool decide_refund_of_cases(const lifecycle& s, std::int64_t remaining, Grant grant, Refuse refuse) {
  for (const bool now : {true, false}) {
    std::int64_t owed = 0;
    std::optional<refund_kind> kind;
    std::string reason;
    for (const auto& c : s.cases) {
      if (!c.open() || c.status == case_status::rejected || refund_due(c) != now) continue;
      const std::int64_t o = detail::case_owed(s, c);
      if (o <= 0) continue;
      owed += o;
      kind = !kind || *kind == kind_of(c) ? kind_of(c) : refund_kind::mixed;
      if (reason.empty())
        reason = !now                                ? "return_in_progress"
                 : c.status == case_status::received ? "return_received"
                 : c.reason.empty()                  ? "case_approved"
                                                     : std::string(c.reason);
    }
    if (owed > 0 && remaining > 0) {
      grant(*kind, std::min(owed, remaining), std::nullopt, std::move(reason));
      return true;
    }
  }
  for (const auto& c : s.cases)
    if (c.status == case_status::rejected) {
      refuse("return_rejected");
      return true;
    }
  if (!s.case_open()) return false;
  refuse(remaining > 0 ? "case_open" : "already_refunded");
  return true;
}

// The refund a live order is owed for what it is (not counting cancelled
// units): its cases, a claim in transit, the return window.
template <class Grant, class Refuse>
void decide_refund_of_units(evaluation& e, const policy& p, const lifecycle& s, std::int64_t remaining, Grant grant,
                            Refuse refuse) {
  if (e.effective_status == order_status::completed) return refuse("order_completed");
  if (s.paid_minor == 0) return refuse("nothing_paid");
  if (decide_refund_of_cases(s, remaining, grant, refuse)) return;
  if (e.effective_status == order_status::in_transit) {
    const window* claim = e.find(window_id::not_received_claim);
    if (claim && claim->state == window_state::open && remaining > 0)
      return grant(refund_kind::refund_only, std::min(undelivered_value(s), remaining),
                   due_of(e, obligation_id::delivery), "not_received");
    return refuse("order_active");
  }
  if (e.effective_status == order_status::delivered) {
    // policy/1 had one return at a time: its end comes before the window.
    if (!p.case_clocks && !s.cases.empty()) {
      const auto& last = s.cases.back();
      if (last.closed_reason == case_close::rejected) return refuse("return_rejected");
      if (last.status == case_status::refunded) return refuse(remaining > 0 ? "return_refunded" : "already_refunded");
    }
    const std::int64_t value = std::min(e.returnable_value_minor, remaining);
    if (value <= 0) {
      bool rejected = false, refunded = false;
      for (const auto& c : s.cases) {
        rejected = rejected || c.closed_reason == case_close::rejected || c.closed_reason == case_close::appeal_lost;
        refunded = refunded || c.refunded > 0;
      }
      return refuse(remaining == 0 ? "already_refunded"
                    : rejected     ? "return_rejected"
                    : refunded     ? "return_refunded"
                                   : "items_not_returnable");
    }
    const window* w = e.find(window_id::return_window);
    if (w == nullptr || w->state != window_state::open) return refuse("return_window_closed");
    return grant(refund_kind::return_and_refund, value, w->closes_at, "return_window_open");
  }
  refuse("order_active");
}

// `refund.parts`: each open case's money (due now or later), and the
// cancelled units' money not refunded yet.
void refund_parts(evaluation& e, const order& o, const lifecycle& s, std::int64_t units_due) {
  for (const auto& c : s.cases) {
    if (!c.open() || c.status == case_status::rejected) continue;
    const std::int64_t owed = detail::case_owed(s, c);
    if (owed <= 0) continue;
    const auto* k = detail::running_clock(c);
    e.refund.parts.push_back({kind_of(c), owed, c.id, units_of_case(o, c),
                              k != nullptr ? std::optional<instant>(k->due) : std::nullopt,
                              refund_due(c) ? "refund_due" : "case_open"});
  }
  if (units_due > 0)
    e.refund.parts.push_back({refund_kind::automatic, units_due, "", {}, std::nullopt, "units_cancelled"});
}

void decide_refund(evaluation& e, const order& o, const policy& p, const lifecycle& s) {
  const std::int64_t remaining = std::max<std::int64_t>(0, s.paid_minor - s.refunded_minor);
  // Paid beyond the total is due back at once; refunds count against it first.
  const std::int64_t overpaid = std::max<std::int64_t>(0, s.paid_minor - o.total_minor - s.refunded_minor);
  refund_info& r = e.refund;
  auto grant = [&](refund_kind k, std::int64_t amount, std::optional<instant> until, std::string reason) {
    r.eligible = true;
    r.kind = k;
    r.amount_minor = amount;
    r.until = until;
    r.reason = std::move(reason);
  };
  auto refuse = [&](std::string reason) { r.reason = std::move(reason); };

  if (e.effective_status == order_status::cancelled) {
    if (remaining > 0) {
      const auto& why = s.cancelled->reason;
      grant(refund_kind::automatic, remaining, std::nullopt,
            why == "lost_in_transit" || why == "seller_late_delivery" ? why : "order_cancelled");
    } else {
      refuse(s.paid_minor > 0 ? "already_refunded" : "nothing_paid");
    }
    return;
  }
  if (overpaid > 0) return grant(refund_kind::automatic, overpaid, std::nullopt, "overpaid");
  decide_refund_of_units(e, p, s, remaining, grant, refuse);
  // Cancelled units not refunded are owed at once, whatever else is.
  const std::int64_t units_due = std::min(cancelled_units_due(s), remaining);
  refund_parts(e, o, s, units_due);
  if (units_due <= 0) return;
  if (!r.eligible) return grant(refund_kind::automatic, units_due, std::nullopt, "units_cancelled");
  r.kind = refund_kind::mixed;
  r.amount_minor = std::min(r.amount_minor + units_due, remaining);
}

// What the seller should do now (docs/RULES.md "Next actions").
template <class Add>
void seller_next_actions(const evaluation& e, Add add) {
  switch (e.effective_status) {
    case order_status::on_hold:
    case order_status::awaiting_shipment:
    case order_status::awaiting_collection:
    case order_status::partially_shipping: {
      const obligation* dispatch = e.find(obligation_id::dispatch_by);
      const bool late = dispatch && dispatch->state == obligation_state::missed;
      if (e.flags.cancel_request_pending)
        add("answer_cancel_request", "seller", due_of(e, obligation_id::cancel_request_response), 1);
      add("ship_order", "seller", late ? due_of(e, obligation_id::ship_by) : due_of(e, obligation_id::dispatch_by),
          e.flags.cancel_request_pending ? 2 : 1);
      break;
    }
    case order_status::in_transit:
      if (e.flags.cancel_request_pending)
        add("answer_cancel_request", "seller", due_of(e, obligation_id::cancel_request_response), 1);
      break;
    case order_status::cancelled:
      if (e.flags.parcel_in_transit) add("intercept_parcel", "seller", std::nullopt, 1);
      if (e.refund.eligible) add("refund_buyer", "seller", std::nullopt, 2);
      break;
    default:
      break;
  }
}

template <class Add>
void buyer_next_actions(const evaluation& e, const lifecycle& s, Add add) {
  const auto ship_by = due_of(e, obligation_id::ship_by);
  switch (e.effective_status) {
    case order_status::unpaid: {
      const auto pay_by = due_of(e, obligation_id::payment);
      if (s.payment_failed) add("review_payment_method", "buyer", pay_by, 1);
      add("pay_now", "buyer", pay_by, 1);
      add("cancel_now", "buyer", pay_by, 3);
      break;
    }
    case order_status::on_hold:
      add("wait_for_shipment", "buyer", ship_by, 1);
      add("cancel_now", "buyer", closes_of(e, window_id::free_cancellation), 2);
      break;
    case order_status::awaiting_shipment:
    case order_status::awaiting_collection:
      add("wait_for_shipment", "buyer", ship_by, 1);
      if (e.flags.cancel_request_pending)
        add("withdraw_cancellation_request", "buyer", due_of(e, obligation_id::cancel_request_response), 2);
      else
        add(e.buyer_cancel.mode == cancel_mode::request ? "request_cancellation" : "contact_seller", "buyer", ship_by,
            2);
      break;
    case order_status::partially_shipping:
      // Some units are on their way, the rest still to ship.
      add("track_shipment", "buyer", due_of(e, obligation_id::delivery), 1);
      add("wait_for_shipment", "buyer", ship_by, 2);
      if (e.flags.cancel_request_pending)
        add("withdraw_cancellation_request", "buyer", due_of(e, obligation_id::cancel_request_response), 2);
      else
        add("contact_seller", "buyer", ship_by, 3);
      break;
    case order_status::in_transit: {
      const auto delivery = due_of(e, obligation_id::delivery);
      if (s.delivery_attempt_failed) add("verify_address", "buyer", delivery, 1);
      const bool claimed =
          std::any_of(s.cases.begin(), s.cases.end(), [](const case_state& c) { return c.open() && c.not_received(); });
      if (e.refund.kind == refund_kind::refund_only && e.refund.reason == "not_received" && !claimed)
        add("claim_refund_not_received", "buyer", delivery, 1);
      add("track_shipment", "buyer", delivery, 1);
      add("wait_for_delivery", "buyer", delivery, 2);
      if (e.flags.cancel_request_pending)
        add("withdraw_cancellation_request", "buyer", due_of(e, obligation_id::cancel_request_response), 2);
      break;
    }
    case order_status::delivered:
      if (e.refund.reason == "return_rejected" && !e.flags.case_open) add("open_dispute", "buyer", std::nullopt, 1);
      if (e.refund.reason == "return_window_open")
        add("return_item", "buyer", closes_of(e, window_id::return_window), 2);
      break;
    case order_status::cancelled: {
      if (e.flags.parcel_in_transit) add("refuse_delivery", "buyer", std::nullopt, 1);
      add("check_email", "buyer", std::nullopt, 1);
      if (e.flags.parcel_in_transit) add("return_item", "buyer", std::nullopt, 2);
      const auto& why = s.cancelled->reason;
      if (why == "payment_failed" || why == "payment_timeout") add("review_payment_method", "buyer", std::nullopt, 2);
      if (why == "address_undeliverable" || why == "cannot_ship_to_address" || why == "delivery_restricted")
        add("verify_address", "buyer", std::nullopt, 2);
      if (why == "out_of_stock" || why == "pricing_error" || why == "seller_late_ship" ||
          why == "seller_late_delivery" || why == "lost_in_transit")
        add("reorder", "buyer", std::nullopt, 2);
      add("contact_support", "buyer", std::nullopt, 3);
      break;
    }
    case order_status::completed:
      add("contact_support", "buyer", std::nullopt, 3);
      break;
  }
}

// What each party must do for the open cases, with the clock's due
// instant (docs/RULES.md "Next actions").
template <class Add>
void case_next_actions(const lifecycle& s, bool appeals, Add add) {
  for (const auto& c : s.cases) {
    const auto* k = detail::running_clock(c);
    const std::optional<instant> until = k != nullptr ? std::optional<instant>(k->due) : std::nullopt;
    switch (c.status) {
      case case_status::requested:
        add("answer_return", "seller", until, 1);
        break;
      case case_status::approved:
      case case_status::received:
        add("refund_return", "seller", until, 1);
        break;
      case case_status::awaiting_return:
        add("ship_return", "buyer", until, 1);
        break;
      case case_status::returned:  // policy/1: no receipt clock, not pressing
        add("receive_return", "seller", until, k != nullptr ? 1 : 2);
        break;
      case case_status::rejected:
        add(appeals ? "appeal" : "open_dispute", "buyer", until, 1);
        break;
      case case_status::appealed:
        add("decide_appeal", "support", until, 1);
        break;
      default:
        break;
    }
  }
}

void decide_next_actions(evaluation& e, const policy& p, const lifecycle& s) {
  auto add = [&](std::string code, std::string actor, std::optional<instant> until, int priority) {
    e.next_actions.push_back({std::move(code), std::move(actor), until, priority, false});
  };
  buyer_next_actions(e, s, add);
  seller_next_actions(e, add);
  case_next_actions(s, p.case_clocks, add);
  if (!e.anomalies.empty()) add("review_anomalies", "support", std::nullopt, 2);
  // Exactly one primary per actor: its first of the lowest priority.
  for (std::size_t i = 0; i < e.next_actions.size(); ++i) {
    auto& a = e.next_actions[i];
    bool best = true;
    for (std::size_t k = 0; k < e.next_actions.size() && best; ++k) {
      const auto& b = e.next_actions[k];
      if (k == i || b.actor != a.actor) continue;
      if (b.priority < a.priority || (b.priority == a.priority && k < i)) best = false;
    }
    a.primary = best;
  }
}

// The least instant after `now` at which a clock changes state or a
// recorded event starts to count (SPEC 4.5).
// Whether delivery is late at now (`flags.delivery_late`), and the instant
// it becomes so by the estimate's day ending (nullopt when delivery is not
// owed, there is no estimate, or it already is late).
struct lateness {
  bool late = false;
  std::optional<instant> from;
};
lateness delivery_lateness(const evaluation& e, const policy& p, instant now) {
  const bool owed = std::any_of(e.obligations.begin(), e.obligations.end(), [](const obligation& d) {
    return d.id == obligation_id::delivery && d.state == obligation_state::pending;
  });
  if (!owed || !e.est_delivery) return {};
  const civil_date estimate = e.revised_est_delivery.value_or(*e.est_delivery);
  const instant over = p.cal.start_of_day(civil_date{date::sys_days{estimate} + date::days{1}});
  if ((e.revised_est_delivery && *e.revised_est_delivery > *e.est_delivery) || now >= over) return {true, {}};
  return {false, over};
}

std::optional<instant> next_check(const evaluation& e, instant now, std::optional<instant> late_from) {
  std::optional<instant> next;
  auto consider = [&](std::optional<instant> t) {
    if (t && *t > now && (!next || *t < *next)) next = t;
  };
  consider(late_from);
  for (const auto& d : e.obligations)
    if (d.state == obligation_state::pending) consider(d.due_at);
  for (const auto& w : e.windows) {
    if (w.state == window_state::upcoming) consider(w.opens_at);
    if (w.state == window_state::upcoming || w.state == window_state::open) consider(w.closes_at);
    // A delivered order with no return open completes at the return window's
    // close, whether the window is open, used by a return now closed, or void
    // with nothing to return (auto_complete).
    if ((w.id == window_id::return_window || w.id == window_id::delivered_not_received_claim) &&
        e.effective_status == order_status::delivered && !e.flags.case_open)
      consider(w.closes_at);
  }
  for (const auto& x : e.events)
    if (x.skipped == event_skip::future) consider(x.at);
  // The recorded status leaves ON_HOLD when the remorse window ends, even
  // when the effective history voided that window (an automatic action).
  if (e.status == order_status::on_hold) consider(closes_of(e, window_id::free_cancellation));
  return next;
}

// The codes of the catalogue that `by` may give in status `st`.
// `buyer_request_approved` is the reason of an approved request only: given
// to a direct cancellation it would charge the buyer for a cancellation the
// buyer never asked for (RULES "Actions").
std::vector<std::string> reasons_for(const policy& p, party by, order_status st) {
  std::vector<std::string> out;
  for (const auto& r : p.reasons)
    if ((r.initiators & party_bit(by)) != 0 && contains(r.statuses, st) && r.code != "buyer_request_approved")
      out.push_back(r.code);
  return out;
}

using action_adder = std::function<allowed_action&(event_type, party, std::optional<instant>)>;

// One entry per case in `states`, naming it, with that case's running clock
// as `until` (none for a withdrawal or a closure: they may come at any time).
void add_case_steps(const lifecycle& s, const action_adder& add, event_type t, party by,
                    std::initializer_list<case_status> states) {
  for (const auto& c : s.cases) {
    if (std::find(states.begin(), states.end(), c.status) == states.end()) continue;
    const auto* k = detail::running_clock(c);
    const bool timed = t != event_type::return_withdrawn && t != event_type::case_closed && k != nullptr;
    add(t, by, timed ? std::optional<instant>(k->due) : std::nullopt).case_ids = {c.id};
  }
}

// The buyer's reasons in status `st`: `not_shipped_on_time` (seller
// responsible) only once the dispatch_by obligation is missed, so that a
// buyer cannot charge the seller's fault rate for a lateness that is not
// there (RULES "Actions").
std::vector<std::string> buyer_reasons(const evaluation& e, const policy& p, order_status st) {
  auto out = reasons_for(p, party::buyer, st);
  const obligation* d = e.find(obligation_id::dispatch_by);
  if (d == nullptr || d->state != obligation_state::missed) std::erase(out, std::string("not_shipped_on_time"));
  return out;
}

// The units a cancellation may name: free or packed (shipped ones leave by
// a package, or with the whole order).
std::vector<line_qty> cancellable_units(const order& o, const lifecycle& s) {
  std::vector<line_qty> out;
  for (std::size_t l = 0; l < s.lines.size(); ++l)
    if (const auto k = s.lines[l].free + s.lines[l].packed; k > 0)
      out.push_back({std::string(detail::line_id_of(o, l)), k});
  return out;
}

// The units a new case of kind `k` may take now, per line.
std::vector<line_qty> claimable_items(const order& o, const policy& p, const lifecycle& s, detail::claim k,
                                      instant now) {
  std::vector<line_qty> out;
  const auto per_line = detail::claimable(p, s, k, now);
  for (std::size_t l = 0; l < per_line.size(); ++l)
    if (per_line[l] > 0) out.push_back({std::string(detail::line_id_of(o, l)), per_line[l]});
  return out;
}

std::vector<std::string> package_ids_in(const lifecycle& s, std::initializer_list<package_status> states) {
  std::vector<std::string> out;
  for (const auto& pk : s.packages)
    if (!pk.units_cancelled && std::find(states.begin(), states.end(), pk.status) != states.end()) out.push_back(pk.id);
  return out;
}

// The buyer's entries: cancellation, requests, and the cases.
void buyer_actions(evaluation& e, const order& o, const policy& p, const lifecycle& s, instant now,
                   const action_adder& add) {
  const order_status st = e.effective_status;
  const bool live = st != order_status::cancelled && st != order_status::completed;
  if (e.buyer_cancel.mode == cancel_mode::immediate) {
    if (auto reasons = buyer_reasons(e, p, st); !reasons.empty()) {
      auto& a = add(event_type::cancelled, party::buyer, e.buyer_cancel.until);
      a.reasons = std::move(reasons);
      a.items = cancellable_units(o, s);
      a.whole_order = true;
    }
  }
  if (e.flags.cancel_request_pending) {
    add(event_type::cancel_request_withdrawn, party::buyer, due_of(e, obligation_id::cancel_request_response));
  } else if (e.buyer_cancel.mode == cancel_mode::request) {
    add(event_type::cancel_requested, party::buyer, e.buyer_cancel.until).reasons = buyer_reasons(e, p, st);
  }
  // A request in each buyer window open, with the reasons it takes.
  auto case_reasons = [&](std::string_view only) {
    std::vector<std::string> out;
    for (const auto& r : p.case_reasons) {
      const bool claim = r.code == "not_received" || r.code == "delivered_not_received";
      if (only.empty() ? !claim : r.code == only) out.push_back(r.code);
    }
    return out;
  };
  // Nothing paid, nothing to claim (the replay refuses it: case_not_allowed),
  // and no case past the bound (too_many_returns).
  if (live && s.paid_minor > 0 && s.cases.size() < max_return_requests) {
    struct claim_window {
      window_id w;
      std::string_view only;
      detail::claim k;
    };
    for (const auto& [w, only, k] :
         {claim_window{window_id::return_window, "", detail::claim::delivered},
          claim_window{window_id::not_received_claim, "not_received", detail::claim::not_received},
          claim_window{window_id::delivered_not_received_claim, "delivered_not_received",
                       detail::claim::delivered_not_received}}) {
      const window* win = e.find(w);
      if (win == nullptr || win->state != window_state::open) continue;
      // An open window with no unit a new case could take (a claim window
      // open while the parcel is still with the seller) offers nothing.
      auto items = claimable_items(o, p, s, k, now);
      if (items.empty()) continue;
      auto& a = add(event_type::return_requested, party::buyer, win->closes_at);
      a.reasons = case_reasons(only);
      a.items = std::move(items);
    }
  }
  add_case_steps(s, add, event_type::return_withdrawn, party::buyer,
                 {case_status::requested, case_status::approved, case_status::awaiting_return, case_status::rejected,
                  case_status::appealed});
  add_case_steps(s, add, event_type::return_shipped, party::buyer, {case_status::awaiting_return});
  add_case_steps(s, add, event_type::appeal_opened, party::buyer, {case_status::rejected});
}

// The seller's entries; the platform and the operator take them too
// (`by` other than the seller: its own reasons and packages, the whole order).
void seller_actions(evaluation& e, const order& o, const policy& p, const lifecycle& s, party by,
                    const action_adder& add) {
  const order_status st = e.effective_status;
  const bool live = st != order_status::cancelled && st != order_status::completed;
  const bool seller = by == party::seller;
  const bool may_cancel =
      seller ? e.seller_cancel.mode == cancel_mode::immediate || e.seller_cancel.mode == cancel_mode::lines
             : live && s.units_open() > 0;
  if (may_cancel) {
    if (auto reasons = reasons_for(p, by, st); !reasons.empty()) {
      auto& a = add(event_type::cancelled, by, std::nullopt);
      a.reasons = std::move(reasons);
      // A seller the policy does not let cancel some units names none (nor a package).
      if (!seller || p.seller_line_cancel) a.items = cancellable_units(o, s);
      // The platform cancels the whole order only while nothing was
      // delivered: a delivery is not undone (RULES "Events after delivery").
      a.whole_order = seller ? e.seller_cancel.mode == cancel_mode::immediate : s.units_delivered == 0;
      if (!seller)
        a.package_ids = package_ids_in(s, {package_status::packed, package_status::in_transit});
      else if (p.seller_line_cancel)
        a.package_ids = package_ids_in(s, {package_status::packed});
    }
  }
  if (e.flags.cancel_request_pending) {
    add(event_type::cancel_request_approved, by, due_of(e, obligation_id::cancel_request_response));
    add(event_type::cancel_request_rejected, by, due_of(e, obligation_id::cancel_request_response));
  }
  if (live && s.confirmed_at && s.units_free > 0) {
    auto& a = add(event_type::ready_to_ship, by, due_of(e, obligation_id::dispatch_by));
    for (std::size_t l = 0; l < s.lines.size(); ++l)
      if (s.lines[l].free > 0) a.items.push_back({std::string(detail::line_id_of(o, l)), s.lines[l].free});
  }
  if (live && s.confirmed_at && s.units_free + s.units_packed > 0) {
    auto& a = add(event_type::shipped, by, due_of(e, obligation_id::dispatch_by));
    a.items = cancellable_units(o, s);
    a.package_ids = package_ids_in(s, {package_status::packed});
  }
  if (live && s.confirmed_at && s.units_open() > 0) add(event_type::edd_revised, by, std::nullopt);
  add_case_steps(s, add, event_type::return_approved, by, {case_status::requested});
  add_case_steps(s, add, event_type::return_rejected, by, {case_status::requested, case_status::received});
  add_case_steps(s, add, event_type::return_received, by, {case_status::returned, case_status::awaiting_return});
  if (s.paid_minor > s.refunded_minor)
    add(event_type::refunded, by, std::nullopt).max_amount_minor = s.paid_minor - s.refunded_minor;
}

// The carrier's facts (by the carrier, or the platform and the operator for it).
void carrier_actions(const evaluation& e, const order& o, const lifecycle& s, party by, const action_adder& add) {
  const order_status st = e.effective_status;
  const bool live = st != order_status::cancelled && st != order_status::completed;
  // Scans are facts: every shipped package, its units cancelled or not.
  std::vector<std::string> shipped;
  for (const auto& pk : s.packages)
    if (pk.status != package_status::packed) shipped.push_back(pk.id);
  if (!shipped.empty()) add(event_type::tracking_update, by, std::nullopt).package_ids = shipped;
  if (live) {
    const auto moving = package_ids_in(s, {package_status::in_transit});
    if (!moving.empty()) {
      for (const auto t : {event_type::delivered, event_type::delivery_attempt_failed, event_type::lost,
                           event_type::delivery_refused, event_type::returned_to_sender})
        add(t, by, std::nullopt).package_ids = moving;
    }
  }
  if (s.cod && s.units_delivered > 0 && s.paid_minor < o.total_minor)
    add(event_type::payment_succeeded, by, std::nullopt).max_amount_minor = o.total_minor - s.paid_minor;
}

// What each party may record now (`actions`, docs/RULES.md "Actions"):
// the same matrix as `cancellation`, the packages and units that remain.
// `decide` allows exactly these.
void decide_actions(evaluation& e, const order& o, const policy& p, const lifecycle& s, instant now) {
  const order_status st = e.effective_status;
  const action_adder add = [&](event_type t, party by, std::optional<instant> until) -> allowed_action& {
    e.actions.push_back({t, by, until, {}, {}, false, {}, {}, std::nullopt});
    return e.actions.back();
  };
  buyer_actions(e, o, p, s, now, add);
  seller_actions(e, o, p, s, party::seller, add);
  // The carrier collects the packed units (the seller's `shipped`).
  for (std::size_t i = 0, n = e.actions.size(); i < n; ++i)
    if (e.actions[i].type == event_type::shipped && e.actions[i].by == party::seller) {
      allowed_action a = e.actions[i];
      a.by = party::carrier;
      e.actions.push_back(std::move(a));
      break;
    }
  carrier_actions(e, o, s, party::carrier, add);
  // The platform: the seller's entries, the carrier's facts, payments, the
  // cases' rulings and completion.
  const std::size_t platform_from = e.actions.size();
  seller_actions(e, o, p, s, party::platform, add);
  carrier_actions(e, o, s, party::platform, add);
  if (st == order_status::unpaid) {
    add(event_type::payment_succeeded, party::platform, due_of(e, obligation_id::payment)).max_amount_minor =
        o.total_minor - s.paid_minor;
    add(event_type::payment_failed, party::platform, due_of(e, obligation_id::payment));
  }
  add_case_steps(s, add, event_type::appeal_decided, party::platform, {case_status::appealed});
  // The platform closes a case with a closing reason that fits its state:
  // not shipped back (awaiting return), rejected (rejected), or withdrawn.
  const std::size_t closes_from = e.actions.size();
  add_case_steps(s, add, event_type::case_closed, party::platform,
                 {case_status::requested, case_status::approved, case_status::awaiting_return, case_status::returned,
                  case_status::received, case_status::rejected, case_status::appealed});
  for (std::size_t i = closes_from; i < e.actions.size(); ++i) {
    auto& a = e.actions[i];
    const auto c =
        std::find_if(s.cases.begin(), s.cases.end(), [&](const auto& x) { return x.id == a.case_ids.front(); });
    if (c->status == case_status::awaiting_return) a.reasons.push_back("not_shipped_back");
    if (c->status == case_status::rejected) a.reasons.push_back("rejected");
    a.reasons.push_back("withdrawn");
  }
  if (st == order_status::delivered && !e.flags.case_open) add(event_type::completed, party::platform, std::nullopt);
  // The operator may record what the platform may (its cancellations with
  // the reasons the catalogue gives the operator).
  for (std::size_t i = platform_from, n = e.actions.size(); i < n; ++i) {
    allowed_action a = e.actions[i];
    a.by = party::operator_;
    if (a.type == event_type::cancelled) {
      a.reasons = reasons_for(p, party::operator_, st);
      if (a.reasons.empty()) continue;
    }
    e.actions.push_back(std::move(a));
  }
}

void explain(evaluation& e, const order& o, const policy& p, const lifecycle& s, const lifecycle& eff) {
  auto add = [&](std::string rule, std::string text) { e.explanation.push_back({std::move(rule), std::move(text)}); };
  std::string status = "From the events, the order is " + std::string(to_string(e.status));
  if (e.status == order_status::on_hold)
    status +=
        ": paid less than " + std::to_string(p.remorse_window_hours) + " h ago, the buyer may still cancel at once";
  add("status", status + ".");
  if (eff.future_events > 0)
    add("future_events", std::to_string(eff.future_events) + " event(s) dated after now were not considered.");
  if (s.cod) add("cash_on_delivery", "Cash on delivery: the order is confirmed at placement and paid on delivery.");
  for (const auto& d : e.due) {
    add("due_" + std::string(to_string(d.action)),
        std::string(to_string(d.action)) + " fell due at " + format_instant(d.at) + " (" + d.reason +
            (d.responsible != responsibility::none ? ", " + std::string(to_string(d.responsible)) + " responsible"
                                                   : "") +
            "): the back end should append the event.");
  }
  if (e.effective_status != e.status)
    add("effective_status",
        "After the due automatic actions the order is " + std::string(to_string(e.effective_status)) + ".");
  for (const auto& d : e.obligations) {
    std::string text = std::string(to_string(d.id)) + " (" + std::string(to_string(d.who)) + ") due " +
                       format_instant(d.due_at) + " (" + d.basis + "): " + std::string(to_string(d.state));
    if (d.moot != moot_reason::none) text += ", " + std::string(to_string(d.moot));
    add(std::string(to_string(d.id)), text + ".");
  }
  for (const auto& w : e.windows) {
    std::string text = std::string(to_string(w.id)) + " (" + std::string(to_string(w.who)) + ") from " +
                       format_instant(w.opens_at) + " until " +
                       (w.closes_at           ? format_instant(*w.closes_at)
                        : w.closes_on.empty() ? std::string("no end in range")
                                              : "the next " + w.closes_on) +
                       " (" + w.basis + "): " + std::string(to_string(w.state));
    if (w.voided != void_reason::none) text += ", " + std::string(to_string(w.voided));
    add("window_" + std::string(to_string(w.id)), text + ".");
  }
  if (eff.cancelled) {
    const auto& c = *eff.cancelled;
    add("cancellation", "Cancelled at " + format_instant(c.at) + " by " +
                            std::string(c.by == party::none ? "platform" : to_string(c.by)) + " for " + c.reason +
                            ": " + std::string(to_string(c.responsible)) + " responsible" +
                            (c.automatic ? ", automatically." : "."));
  }
  for (const auto& c : eff.line_cancellations) {
    std::string units;
    for (const auto& x : c.items) {
      if (!units.empty()) units += ", ";
      units += std::to_string(x.qty) + " x " + x.line_id;
    }
    add("line_cancellation", "Cancelled " + units + " at " + format_instant(c.at) + " by " +
                                 std::string(c.by == party::none ? "platform" : to_string(c.by)) + " for " + c.reason +
                                 ": " + std::string(to_string(c.responsible)) + " responsible" +
                                 (c.automatic ? ", automatically" : "") + "; the order goes on with the rest.");
  }
  if (s.request == request_outcome::superseded)
    add("cancel_request_superseded", "The pending cancellation request was closed by the shipment.");
  for (const auto& c : e.cases) {
    std::string text = "Case " + c.case_id + " (" + (c.refund_only ? "refund_only" : "return_and_refund") +
                       (c.reason.empty() ? "" : ", " + c.reason) + ") opened " + format_instant(c.opened_at) + ": " +
                       std::string(to_string(c.status));
    if (c.closed_reason != case_close::none) text += " (" + std::string(to_string(c.closed_reason)) + ")";
    if (c.closed_at) text += " at " + format_instant(*c.closed_at);
    text += "; worth " + money_text(c.amount_minor, o.currency) + ", refunded " +
            money_text(c.refunded_minor, o.currency) + ".";
    add("case", text);
  }
  std::string refund = "Paid " + money_text(eff.paid_minor, o.currency) + ", refunded " +
                       money_text(eff.refunded_minor, o.currency) + ". ";
  refund += e.refund.eligible ? "Refund due: " + std::string(to_string(e.refund.kind)) + " of " +
                                    money_text(e.refund.amount_minor, o.currency) + " (" + e.refund.reason + ")."
                              : "No refund due (" + e.refund.reason + ").";
  add("refund", refund);
  if (!e.anomalies.empty())
    add("anomalies", std::to_string(e.anomalies.size()) + " event(s) did not fit the order's history; see anomalies.");
}

void fill_facts(evaluation& e, const order& o, const lifecycle& s) {
  auto& f = e.facts;
  f.placed_at = o.placed_at;
  f.confirmed_at = s.confirmed_at;
  f.paid_at = s.paid_at;
  f.first_shipped_at = s.shipped_at;
  f.delivered_at = s.delivered_at();
  // A computed estimate past 9999-12-31 is left out (warning out_of_range
  // on the clocks counted from it).
  if (e.est_delivery && e.est_delivery->year() <= date::year{9999}) f.est_delivery = e.est_delivery;
  f.revised_est_delivery = s.revised_est_delivery;
  f.order_type = std::string(to_string(o.type));
  f.payment_method = o.payment_method;
  f.currency = o.currency;
  f.total_minor = o.total_minor;
  f.shipping_minor = s.shipping_minor;
  f.paid_minor = s.paid_minor;
  f.refunded_minor = s.refunded_minor;
}

void fill_lines(evaluation& e, const order& o, const lifecycle& s) {
  e.lines.reserve(s.lines.size());
  for (std::size_t i = 0; i < s.lines.size(); ++i) {
    const auto& ln = s.lines[i];
    line_view v;
    v.line_id = std::string(detail::line_id_of(o, i));
    if (o.items.empty()) {
      v.sku = "_order";
      v.unit_price_minor = ln.allocated;
    } else {
      const item& it = o.items[i];
      v.sku = it.sku;
      v.name = it.name;
      v.unit_price_minor = it.unit_price_minor;
      v.returnable = it.returnable;
    }
    v.qty = ln.qty;
    v.allocated_minor = ln.allocated;
    v.shipping_share_minor = ln.share;
    v.cancelled_qty = ln.cancelled;
    v.packed_qty = ln.packed;
    v.shipped_qty = ln.shipped + ln.delivered;
    v.delivered_qty = ln.delivered;
    v.returned_qty = ln.returned;
    v.refunded_minor = ln.refunded;
    v.refundable_minor = detail::line_room(ln);
    v.status = detail::line_status(ln, e.effective_status);
    e.lines.push_back(std::move(v));
  }
  e.packages.reserve(s.packages.size());
  for (const auto& pk : s.packages) {
    package_view v;
    v.package_id = pk.id;
    for (const auto& [l, k] : pk.units) v.items.push_back({std::string(detail::line_id_of(o, l)), k});
    v.carrier = std::string(pk.carrier);
    v.tracking_number = std::string(pk.tracking_number);
    v.status = pk.status;
    v.packed_at = pk.packed_at;
    v.shipped_at = pk.shipped_at;
    v.delivered_at = pk.delivered_at;
    v.lost_at = pk.lost_at;
    v.delivery_attempt_failed = pk.attempt_failed;
    v.units_cancelled = pk.units_cancelled;
    v.scans.reserve(pk.scans.size());
    for (const auto& x : pk.scans) v.scans.push_back({x.at, std::string(x.status), std::string(x.text)});
    e.packages.push_back(std::move(v));
  }
}

}  // namespace

result<evaluation> evaluate(const order& o, const policy& p, instant now, const evaluate_options& options) {
  if (p.market != o.market) {
    return error{"policy_market_mismatch", "/market",
                 "the order is for market \"" + o.market + "\" but the policy is for \"" + p.market + "\""};
  }
  if (p.currency != o.currency) {
    return error{"currency_mismatch", "/currency",
                 "the order is in " + o.currency + " but the policy of market " + p.market + " is in " + p.currency};
  }
  if (now < o.placed_at) {
    return error{"now_before_placed", "/placed_at",
                 "the order was placed at " + format_instant(o.placed_at) + ", after the evaluation instant " +
                     format_instant(now)};
  }
  detail::simulation simulated;
  if (auto r = detail::simulate(o, p, now, simulated); !r) return r.err();
  detail::simulation* sim = &simulated;
  const lifecycle& s = sim->recorded();
  lifecycle& eff = sim->effective;
  if (!sim->est) {  // the replay did not need it
    auto est = detail::original_est_delivery(o, p);
    if (!est) return est.err();
    sim->est = *est;
  }
  const detail::estimate* est = &*sim->est;
  auto clocks = detail::place_clocks(o, p, eff, now, options.explain, *est, sim->dispatch);
  if (!clocks) return clocks.err();

  result<evaluation> out{std::in_place};  // filled in place, returned without a move
  evaluation& e = *out;
  e.order_id = o.order_id;
  e.market = o.market;
  e.policy_version = p.version;
  e.now = now;
  e.status = detail::status_of(s, p, now);
  e.effective_status = detail::status_of(eff, p, now);
  e.flags.cancel_request_pending = eff.request == request_outcome::pending && !eff.cancelled;
  e.flags.parcel_in_transit = eff.cancelled && eff.parcel_in_transit;
  e.flags.case_open = eff.case_open();
  e.flags.lost = eff.lost_at.has_value();
  e.cancelled = eff.cancelled;
  e.obligations = std::move(clocks->obligations);
  e.windows = std::move(clocks->windows);
  e.due = std::move(sim->due);
  e.anomalies = std::move(eff.anomalies);
  if (o.promised.est_delivery && !est->from_promise) {
    e.anomalies.push_back({"est_delivery_before_placed", anomaly::no_event,
                           "promise.est_delivery " + format_date(*o.promised.est_delivery) +
                               " is before the order was placed; the estimate from the policy defaults (" +
                               format_date(est->date) + ") is used"});
  }
  // The state at `now`, not a past event's: a later collection clears it
  // (docs/RULES.md "Delivery exceptions and cash on delivery").
  if (eff.cod && eff.paid_minor == 0 && eff.units_delivered > 0) {
    e.anomalies.push_back({"cod_not_collected", anomaly::no_event,
                           "cash on delivery: a parcel was delivered but no collection (payment_succeeded) is "
                           "recorded by now; nothing counts as paid"});
  }
  e.warnings = std::move(clocks->warnings);
  // The platform's status against the one the recorded events give (docs/RULES.md
  // "Platform-stamped deadlines"): TikTok's PARTIALLY_SHIPPING counts a packed
  // package as shipped, so it agrees with AWAITING_SHIPMENT when units are packed.
  if (o.platform && !o.platform->status.empty()) {
    const std::string_view ours = to_string(e.status);
    const std::string& theirs = o.platform->status;
    const bool known =
        std::any_of(all_statuses.begin(), all_statuses.end(), [&](order_status x) { return to_string(x) == theirs; });
    const bool agree = theirs == ours || (theirs == "PARTIALLY_SHIPPING" &&
                                          e.status == order_status::awaiting_shipment && s.units_packed > 0);
    if (known && !agree)
      e.warnings.push_back(
          {"status_mismatch", "the platform" +
                                  (o.platform->name.empty() ? std::string() : " (" + o.platform->name + ")") +
                                  " says " + theirs + "; the recorded events give " + std::string(ours)});
  }
  e.events = std::move(eff.outcomes);
  e.paid_minor = eff.paid_minor;
  e.refunded_minor = eff.refunded_minor;
  e.paid_at = eff.paid_at;
  e.confirmed = eff.confirmed_at.has_value();
  e.shipped_at = eff.shipped_at;
  e.delivered_at = eff.delivered_at();
  e.est_delivery = est->date;
  e.revised_est_delivery = eff.revised_est_delivery;
  e.returnable_value_minor = detail::returnable_value(o, p, eff, now);
  e.cases.reserve(eff.cases.size());
  for (const auto& c : eff.cases)
    e.cases.push_back({c.id, c.refund_only, std::string(c.reason), c.status, c.closed_reason, units_of_case(o, c),
                       c.amount, c.refunded, c.opened_at, c.closed_at, c.keep_item});
  if (options.views) {
    fill_facts(e, o, eff);
    fill_lines(e, o, eff);
  }
  e.refund.currency = o.currency;
  decide_cancellation(e, p);
  decide_refund(e, o, p, eff);
  decide_next_actions(e, p, eff);
  decide_actions(e, o, p, eff, now);
  const lateness late = delivery_lateness(e, p, now);
  e.flags.delivery_late = late.late;
  e.next_check_at = next_check(e, now, late.from);
  if (options.explain) explain(e, o, p, s, eff);
  if (options.views) {
    e.line_cancellations = std::move(eff.line_cancellations);
    e.refunds = std::move(eff.refunds);
  }
  return out;
}

namespace {

void write_date(json_writer& w, std::string_view k, const std::optional<civil_date>& d) {
  w.key(k);
  if (d)
    w.value(format_date(*d));
  else
    w.null();
}

void write_facts(json_writer& w, const order_facts& f) {
  w.key("facts")
      .begin_object()
      .field("placed_at", f.placed_at)
      .field("confirmed_at", f.confirmed_at)
      .field("paid_at", f.paid_at)
      .field("first_shipped_at", f.first_shipped_at)
      .field("delivered_at", f.delivered_at);
  write_date(w, "est_delivery", f.est_delivery);
  write_date(w, "revised_est_delivery", f.revised_est_delivery);
  w.field("order_type", f.order_type)
      .key("payment_method")
      .string_or_null(f.payment_method)
      .field("currency", f.currency)
      .field("total_minor", f.total_minor)
      .field("shipping_minor", f.shipping_minor)
      .field("paid_minor", f.paid_minor)
      .field("refunded_minor", f.refunded_minor)
      .end_object();
}

void write_lines(json_writer& w, const evaluation& e) {
  w.key("lines").begin_array();
  for (const auto& l : e.lines) {
    w.begin_object()
        .field("line_id", l.line_id)
        .field("sku", l.sku)
        .field("name", l.name)
        .field("qty", l.qty)
        .field("unit_price_minor", l.unit_price_minor)
        .field("returnable", l.returnable)
        .field("allocated_minor", l.allocated_minor)
        .field("shipping_share_minor", l.shipping_share_minor)
        .field("cancelled_qty", l.cancelled_qty)
        .field("packed_qty", l.packed_qty)
        .field("shipped_qty", l.shipped_qty)
        .field("delivered_qty", l.delivered_qty)
        .field("returned_qty", l.returned_qty)
        .field("refunded_minor", l.refunded_minor)
        .field("refundable_minor", l.refundable_minor)
        .field("status", to_string(l.status))
        .field("status_code", static_cast<int>(l.status))
        .end_object();
  }
  w.end_array();
  w.key("packages").begin_array();
  for (const auto& p : e.packages) {
    w.begin_object().field("package_id", p.package_id);
    write_units(w.key("items"), p.items);
    w.key("carrier")
        .string_or_null(p.carrier)
        .key("tracking_number")
        .string_or_null(p.tracking_number)
        .field("status", to_string(p.status))
        .field("packed_at", p.packed_at)
        .field("shipped_at", p.shipped_at)
        .field("delivered_at", p.delivered_at)
        .field("lost_at", p.lost_at)
        .field("delivery_attempt_failed", p.delivery_attempt_failed)
        .field("units_cancelled", p.units_cancelled);
    w.key("scans").begin_array();
    for (const auto& x : p.scans)
      w.begin_object().field("at", x.at).key("status").string_or_null(x.status).field("text", x.text).end_object();
    w.end_array().end_object();
  }
  w.end_array();
}

void write_clocks(json_writer& w, const evaluation& e) {
  w.key("obligations").begin_array();
  for (const auto& d : e.obligations) {
    w.begin_object()
        .field("id", to_string(d.id))
        .field("party", to_string(d.who))
        .field("due_at", d.due_at)
        .field("state", to_string(d.state))
        .field("met_at", d.met_at)
        .key("moot_reason")
        .string_or_null(to_string(d.moot))
        .field("basis", d.basis)
        .field("on_miss", to_string(d.on_miss))
        .key("package_id")
        .null()
        .key("case_id")
        .string_or_null(d.case_id)
        .field("source", d.computed_due_at ? "platform" : "computed")
        .field("computed_due_at", d.computed_due_at)
        .field("calendar_covered", d.calendar_covered)
        .end_object();
  }
  w.end_array();
  w.key("windows").begin_array();
  for (const auto& x : e.windows) {
    w.begin_object()
        .field("id", to_string(x.id))
        .field("party", to_string(x.who))
        .field("opens_at", x.opens_at)
        .field("closes_at", x.closes_at)
        .key("closes_on")
        .string_or_null(x.closes_on)
        .field("state", to_string(x.state))
        .field("used_at", x.used_at)
        .key("void_reason")
        .string_or_null(to_string(x.voided))
        .field("basis", x.basis)
        .key("package_id")
        .null()
        .key("case_id")
        .string_or_null(x.case_id)
        .key("amount_minor");
    if (x.amount_minor)
      w.value(*x.amount_minor);
    else
      w.null();
    w.field("calendar_covered", x.calendar_covered).end_object();
  }
  w.end_array();
  w.key("cases").begin_array();
  for (const auto& c : e.cases) {
    w.begin_object()
        .field("case_id", c.case_id)
        .field("type", c.refund_only ? "refund_only" : "return_and_refund")
        .key("reason")
        .string_or_null(c.reason)
        .field("status", to_string(c.status))
        .key("closed_reason")
        .string_or_null(to_string(c.closed_reason));
    write_units(w.key("items"), c.items);
    w.field("amount_minor", c.amount_minor)
        .field("refunded_minor", c.refunded_minor)
        .field("opened_at", c.opened_at)
        .field("closed_at", c.closed_at)
        .field("keep_item", c.keep_item)
        .end_object();
  }
  w.end_array();
}

void write_actions(json_writer& w, const evaluation& e) {
  w.key("actions").begin_array();
  for (const auto& a : e.actions) {
    w.begin_object().field("type", to_string(a.type)).field("by", to_string(a.by)).field("until", a.until);
    w.key("reasons").begin_array();
    for (const auto& r : a.reasons) w.value(r);
    w.end_array();
    write_units(w.key("items"), a.items);
    w.field("whole_order", a.whole_order);
    w.key("package_ids").begin_array();
    for (const auto& id : a.package_ids) w.value(id);
    w.end_array();
    w.key("case_ids").begin_array();
    for (const auto& id : a.case_ids) w.value(id);
    w.end_array();
    w.key("max_amount_minor");
    if (a.max_amount_minor)
      w.value(*a.max_amount_minor);
    else
      w.null();
    w.end_object();
  }
  w.end_array();
}

}  // namespace

std::string to_json(const evaluation& e) {
  std::string out;
  out.reserve(2048);
  json_writer w(out);
  w.begin_object()
      .field("schema", "ordertrail.evaluation/2")
      .field("order_id", e.order_id)
      .field("market", e.market)
      .field("policy_version", e.policy_version)
      .field("now", e.now)
      .field("status", to_string(e.status))
      .field("status_code", static_cast<int>(e.status))
      .field("effective_status", to_string(e.effective_status))
      .field("effective_status_code", static_cast<int>(e.effective_status));
  write_facts(w, e.facts);
  write_lines(w, e);
  w.key("flags")
      .begin_object()
      .field("cancel_request_pending", e.flags.cancel_request_pending)
      .field("case_open", e.flags.case_open)
      .field("parcel_in_transit", e.flags.parcel_in_transit)
      .field("lost", e.flags.lost)
      .field("delivery_late", e.flags.delivery_late)
      .end_object();
  w.key("cancellation").begin_object();
  w.key("buyer")
      .begin_object()
      .field("mode", to_string(e.buyer_cancel.mode))
      .field("until", e.buyer_cancel.until)
      .key("reason")
      .string_or_null(e.buyer_cancel.reason)
      .end_object();
  w.key("seller")
      .begin_object()
      .field("mode", to_string(e.seller_cancel.mode))
      .key("reason")
      .string_or_null(e.seller_cancel.reason)
      .end_object();
  w.end_object();
  w.key("cancelled");
  if (e.cancelled) {
    const auto& c = *e.cancelled;
    w.begin_object()
        .field("at", c.at)
        .field("by", c.by == party::none ? std::string_view("platform") : to_string(c.by))
        .field("reason", c.reason)
        .field("responsibility", to_string(c.responsible))
        .field("automatic", c.automatic)
        .end_object();
  } else {
    w.null();
  }
  w.key("line_cancellations").begin_array();
  for (const auto& c : e.line_cancellations) {
    w.begin_object()
        .field("at", c.at)
        .field("by", c.by == party::none ? std::string_view("platform") : to_string(c.by))
        .field("reason", c.reason)
        .field("responsibility", to_string(c.responsible))
        .field("automatic", c.automatic);
    write_units(w.key("items"), c.items);
    w.end_object();
  }
  w.end_array();
  write_clocks(w, e);
  w.key("due");
  write_due(w, e.due);
  w.key("refund")
      .begin_object()
      .field("eligible", e.refund.eligible)
      .field("kind", to_string(e.refund.kind))
      .field("amount_minor", e.refund.amount_minor)
      .field("currency", e.refund.currency)
      .field("until", e.refund.until)
      .field("reason", e.refund.reason);
  w.key("parts").begin_array();
  for (const auto& x : e.refund.parts) {
    w.begin_object()
        .field("kind", to_string(x.kind))
        .field("amount_minor", x.amount_minor)
        .key("case_id")
        .string_or_null(x.case_id)
        .key("items");
    if (x.items.empty())
      w.null();
    else
      write_units(w, x.items);
    w.field("until", x.until).field("reason", x.reason).end_object();
  }
  w.end_array().end_object();
  w.key("refunds").begin_array();
  for (const auto& r : e.refunds) {
    w.begin_object().field("at", r.at).field("amount_minor", r.amount_minor).key("reason").string_or_null(r.reason);
    w.key("case_id").string_or_null(r.case_id);
    w.key("items").begin_array();
    for (const auto& x : r.items)
      w.begin_object().field("line_id", x.line_id).field("amount_minor", x.amount_minor).end_object();
    w.end_array().end_object();
  }
  w.end_array();
  write_actions(w, e);
  w.key("next_actions").begin_array();
  for (const auto& a : e.next_actions) {
    w.begin_object()
        .field("code", a.code)
        .field("actor", a.actor)
        .field("until", a.until)
        .field("priority", a.priority)
        .field("primary", a.primary)
        .end_object();
  }
  w.end_array();
  w.field("next_check_at", e.next_check_at);
  w.key("explanation").begin_array();
  for (const auto& x : e.explanation) w.begin_object().field("rule", x.rule).field("text", x.text).end_object();
  w.end_array();
  w.key("anomalies").begin_array();
  for (const auto& a : e.anomalies) {
    w.begin_object().field("code", a.code).key("event_index");
    if (a.event_index == anomaly::no_event)
      w.null();
    else
      w.value(static_cast<std::int64_t>(a.event_index));
    w.field("text", a.text).end_object();
  }
  w.end_array();
  w.key("warnings").begin_array();
  for (const auto& x : e.warnings) w.begin_object().field("code", x.code).field("text", x.text).end_object();
  w.end_array();
  w.key("events").begin_array();
  for (const auto& x : e.events) {
    w.begin_object()
        .field("event_index", static_cast<std::int64_t>(x.event_index))
        .field("type", to_string(x.type))
        .field("at", x.at)
        .field("applied", x.applied)
        .field("automatic", x.automatic)
        .key("skipped")
        .string_or_null(to_string(x.skipped));
    w.key("package_ids").begin_array();
    if (!x.package_id.empty()) w.value(x.package_id);
    for (const auto& id : x.more_package_ids) w.value(id);
    w.end_array().end_object();
  }
  w.end_array();
  w.end_object();
  return out;
}

namespace detail {

result<const policy*> policy_for(const order& o, std::string_view policy_json, std::optional<policy>& storage) {
  if (policy_json.empty()) {
    if (const policy* p = embedded_policy(o.market)) return p;
    return builtin_policy(o.market).err();
  }
  auto parsed = parse_policy(policy_json);
  if (!parsed) return parsed.err();
  storage = std::move(*parsed);
  return &*storage;
}

}  // namespace detail

std::string evaluate_json(std::string_view order_json, std::string_view now_rfc3339, std::string_view policy_json) {
  auto now = parse_instant(now_rfc3339, "/now");
  if (!now) return to_json(now.err());
  auto o = parse_order(order_json);
  if (!o) return to_json(o.err());
  std::optional<policy> custom;
  auto p = detail::policy_for(*o, policy_json, custom);
  if (!p) return to_json(p.err());
  auto e = evaluate(*o, **p, *now);
  if (!e) return to_json(e.err());
  return to_json(*e);
}

}  // namespace ordertrail
