// Internal: the replay of an order's history, instant by instant (SPEC 4.5,
// docs/RULES.md "Automatic actions"), and the deadlines that follow from it.
//
// Time runs forward: at each instant D the deadline actions due at D are
// decided on the state the history left just before D, then the events
// recorded at D are applied in document order, then what they cause at D.
// Nothing with a later `at` makes, moves or dates an action at D.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ordertrail/evaluation.hpp"

namespace ordertrail::detail {

// superseded: closed by a shipment or delivery; overtaken: the order was
// cancelled for another reason while the request was pending.
enum class request_outcome { none, pending, withdrawn, approved, rejected, superseded, overtaken };
enum class return_stage { none, requested, approved, rejected, shipped, received, refunded };

struct lifecycle {
  // Payment
  bool cod = false;
  std::optional<instant> confirmed_at;  // first payment, or placed_at for COD
  std::optional<instant> paid_at;
  std::int64_t paid_minor = 0;
  std::int64_t refunded_minor = 0;
  bool payment_failed = false;
  // Fulfilment
  std::optional<instant> packed_at;
  std::optional<instant> shipped_at;
  bool shipped_with_tracking = false;
  bool delivery_attempt_failed = false;
  std::optional<instant> delivered_at;
  std::optional<instant> lost_at;
  std::optional<civil_date> revised_est_delivery;
  // End states
  std::optional<cancellation_info> cancelled;
  std::optional<instant> completed_at;
  // Cancel request (the latest one)
  request_outcome request = request_outcome::none;
  std::optional<instant> request_at;
  std::optional<instant> request_closed_at;
  bool request_by_other = false;  // recorded by someone other than the buyer
  // Return (the latest one)
  return_stage ret = return_stage::none;
  std::optional<instant> return_requested_at;
  std::optional<instant> return_answered_at;
  std::int64_t return_value_minor = 0;  // value of the items being returned
  bool return_was_refunded = false;     // a refund followed a return
  // Deadlines whose instant passed while their condition was false: they
  // never fire (SPEC 4.5), so they are moot, not missed.
  bool ship_by_not_applicable = false;
  bool delivery_not_applicable = false;

  std::size_t future_events = 0;  // events after `now`, not applied
  std::vector<anomaly> anomalies;
  std::vector<event_outcome> outcomes;  // every event, in replay order
};

// The status the applied events give at `now` (RULES "Status").
order_status status_of(const lifecycle& s, const policy& p, instant now);

// The deadlines that follow from a state (placing every due_at).
struct deadline_set {
  std::vector<deadline> list;
  std::vector<warning> warnings;  // out_of_range, holidays_not_covered
  [[nodiscard]] const deadline* find(deadline_id id) const;
};

// The order's history up to `now`, twice: `real` applies the recorded events
// only (it gives `status`); `effective` also applies, at their instants, the
// automatic actions that fell due, which it lists in `due`.
struct simulation {
  lifecycle real;
  lifecycle effective;
  std::vector<due_entry> due;
};
result<simulation> simulate(const order& o, const policy& p, instant now);

// Computes the deadlines of state `s` (states relative to `now`).
// `text`: also write each deadline's basis and consequence.
result<deadline_set> place_deadlines(const order& o, const policy& p, const lifecycle& s, instant now,
                                     bool text = true);

// The original estimated delivery date: the promise's, else (or when the
// promise's is before the placement date) the quote's.
struct estimate {
  civil_date date;
  bool from_promise = false;
  bool calendar_covered = true;  // a computed estimate counts working days
};
result<estimate> original_est_delivery(const order& o, const policy& p);

// Value the buyer would get back for returning the order's returnable items.
std::int64_t returnable_value(const order& o);

}  // namespace ordertrail::detail
