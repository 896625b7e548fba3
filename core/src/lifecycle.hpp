// Internal: the replay of an order's history, instant by instant (SPEC 4.5,
// docs/RULES.md "Automatic actions"), and the deadlines that follow from it.
//
// Time runs forward: at each instant D the deadline actions due at D are
// decided on the state the history left just before D, then the events
// recorded at D are applied in document order, then what they cause at D.
// Nothing with a later `at` makes, moves or dates an action at D.
#pragma once

#include <algorithm>
#include <array>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "ordertrail/evaluation.hpp"

namespace ordertrail::detail {

// superseded: closed by a shipment or delivery; overtaken: the order was
// cancelled for another reason while the request was pending.
enum class request_outcome { none, pending, withdrawn, approved, rejected, superseded, overtaken };

// One line's units, in disjoint buckets (free + packed + shipped + delivered
// + cancelled = qty), and its money (docs/RULES.md "Lines and packages").
struct line_state {
  std::int64_t qty = 0;
  std::int64_t free = 0;       // in no package, not cancelled
  std::int64_t packed = 0;     // in packed, unshipped packages
  std::int64_t shipped = 0;    // in shipped packages not delivered (lost ones until cancelled)
  std::int64_t delivered = 0;  // in delivered packages
  std::int64_t cancelled = 0;
  std::int64_t returned = 0;         // units shipped back by the buyer
  std::int64_t allocated = 0;        // A
  std::int64_t share = 0;            // S, the line's share of shipping
  std::int64_t cancel_entitled = 0;  // value + shipping share of the cancelled units
  std::int64_t cancel_value = 0;     // value of the cancelled units alone
  std::int64_t refunded = 0;         // R, refunds attributed to the line
  std::int64_t held_transit = 0;     // units not-received cases hold
  std::int64_t held_other = 0;       // units the other cases hold (delivered)
  bool has_cancellation = false;     // listed in lifecycle::cancelled_lines
};

struct package_state {
  std::string id;
  std::vector<std::pair<std::size_t, std::int64_t>> units;  // (line, qty), in line order
  package_status status = package_status::packed;
  // Views of the order's event strings (a lifecycle never outlives its order).
  std::string_view carrier;
  std::string_view tracking_number;
  std::optional<instant> packed_at;
  std::optional<instant> shipped_at;
  std::optional<instant> delivered_at;
  std::optional<instant> lost_at;
  // When it left transit undelivered (lost, refused at the door, returned to
  // the sender), and the reason the event gave.
  std::optional<instant> left_at;
  std::string_view left_reason;
  struct scan {
    instant at{};
    std::string_view status, text;  // views of the event's strings
  };
  std::vector<scan> scans;  // tracking_update, in the order applied
  bool attempt_failed = false;
  bool units_cancelled = false;  // its units were cancelled (lost, or the whole order)
};

// An after-sales case (SPEC 4.4; docs/RULES.md "After-sales cases").
struct case_line {
  std::size_t line = 0;
  std::int64_t qty = 0;
  std::int64_t amount = 0;    // fixed at the request
  std::int64_t refunded = 0;  // refunds attributed to the case on this line
};
// A case's clocks, in the order they are listed (obligation_id order):
// receipt runs while the return is on its way back (`returned`),
// receipt_response once it was received.
enum class case_clock_id { response, ship_back, receipt, receipt_response, refund, appeal_decision, appeal_window };
inline constexpr std::size_t case_clock_count = 7;
struct case_clock {
  instant start{};  // what it counts from
  instant due{};
  std::optional<civil_date> local_date;  // a date deadline's local date
  std::optional<instant> met_at;         // answered in time (or late: then missed)
  std::optional<instant> moot_at;        // the case closed first
  bool fired = false;                    // its automatic action was applied
};
struct case_state {
  std::string id;
  bool refund_only = false;
  bool keep_item = false;
  bool received = false;    // the items reached the seller
  bool appealed = false;    // an appeal was opened (once per case)
  std::string_view reason;  // a view of the request's string
  responsibility responsible = responsibility::buyer;
  case_status status = case_status::requested;
  case_close closed_reason = case_close::none;
  std::vector<case_line> lines;
  std::int64_t amount = 0;
  std::int64_t refunded = 0;
  instant opened_at{};
  std::optional<instant> closed_at;
  std::array<std::optional<case_clock>, case_clock_count> clocks{};
  [[nodiscard]] bool open() const { return status != case_status::refunded && status != case_status::closed; }
  // It keeps its units from new cases: open, closed with money paid, or
  // rejected for good (docs/RULES.md "After-sales cases").
  [[nodiscard]] bool holds_units() const {
    return open() || refunded > 0 || closed_reason == case_close::rejected || closed_reason == case_close::appeal_lost;
  }
  [[nodiscard]] bool not_received() const { return refund_only && reason == "not_received"; }
  [[nodiscard]] std::optional<case_clock>& clock(case_clock_id which) {
    return clocks[static_cast<std::size_t>(which)];
  }
  [[nodiscard]] const std::optional<case_clock>& clock(case_clock_id which) const {
    return clocks[static_cast<std::size_t>(which)];
  }
};

struct lifecycle {
  // Payment
  bool cod = false;
  std::optional<instant> confirmed_at;  // first payment, or placed_at for COD
  std::optional<instant> paid_at;
  std::int64_t paid_minor = 0;
  std::int64_t refunded_minor = 0;
  std::int64_t shipping_minor = 0;  // given, or the default of SPEC 1.1
  bool payment_failed = false;
  // Lines and packages
  std::vector<line_state> lines;
  std::vector<package_state> packages;  // in order of creation
  std::int64_t units_free = 0, units_packed = 0, units_shipped = 0, units_delivered = 0, units_cancelled = 0;
  std::optional<instant> packed_at;   // first unit packed
  std::optional<instant> shipped_at;  // first package shipped
  std::optional<instant> last_delivery_at;
  std::optional<instant> lost_at;             // first package lost
  std::optional<instant> last_reach_at;       // last unit packed or shipped
  std::optional<instant> last_ship_at;        // last unit shipped
  std::optional<instant> ship_by_reached_at;  // every unit not cancelled packed or shipped (per satisfied_by)
  bool delivery_attempt_failed = false;
  std::vector<std::size_t> cancelled_lines;  // lines with cancelled units, in order of cancellation
  std::set<std::size_t> owed_lines;          // lines whose cancelled units are owed money
  bool late_ship_cancelled = false;          // units were cancelled for seller_late_ship
  bool late_delivery_cancelled = false;      // ... for seller_late_delivery
  std::optional<civil_date> revised_est_delivery;
  // End states
  std::optional<cancellation_info> cancelled;
  bool parcel_in_transit = false;  // the whole order was cancelled with a package in transit
  std::vector<line_cancellation> line_cancellations;
  std::optional<instant> completed_at;
  // Cancel request (the latest one)
  request_outcome request = request_outcome::none;
  std::optional<instant> request_at;
  std::optional<instant> request_closed_at;
  bool request_by_other = false;  // recorded by someone other than the buyer
  // The responsibility of an approval of the pending request: its reason's
  // in the catalogue when not the buyer's, else buyer (seller when the
  // request was not the buyer's).
  responsibility request_responsibility = responsibility::buyer;
  std::optional<instant> first_request_at;
  // When the order first left `cancellation.buyer_request_statuses` by
  // packing or shipping (the `cancel_request` window's close).
  std::optional<instant> request_statuses_left_at;
  // After-sales cases, in order of opening, and the first use of each
  // buyer window that opens one.
  std::vector<case_state> cases;
  std::optional<instant> return_used_at;
  std::optional<instant> claim_used_at;  // not_received_claim
  std::optional<instant> dnr_used_at;    // delivered_not_received_claim
  std::optional<instant> first_delivery_at;
  std::vector<refund_record> refunds;
  // Deadlines whose instant passed while their condition was false: they
  // never fire (SPEC 4.5), so they are moot, not missed.
  bool ship_by_not_applicable = false;
  bool delivery_not_applicable = false;

  std::size_t future_events = 0;  // events after `now`, not applied
  std::vector<anomaly> anomalies;
  std::vector<event_outcome> outcomes;  // every event, in replay order

  [[nodiscard]] bool case_open() const {
    return std::any_of(cases.begin(), cases.end(), [](const case_state& c) { return c.open(); });
  }
  // Units neither cancelled nor delivered.
  [[nodiscard]] std::int64_t units_open() const { return units_free + units_packed + units_shipped; }
  // Every unit not cancelled delivered: when the last of them was.
  [[nodiscard]] std::optional<instant> delivered_at() const {
    return units_delivered > 0 && units_open() == 0 ? last_delivery_at : std::nullopt;
  }
};

// What a line still holds: its allocation and shipping share less what was
// refunded on it (never below 0). No refund due on it exceeds this.
inline std::int64_t line_room(const line_state& l) {
  return std::max<std::int64_t>(0, l.allocated + l.share - l.refunded);
}
// What a line's goods still hold: its allocation less the cancelled units'
// value and the refunds beyond what the cancellations were owed.
inline std::int64_t goods_left(const line_state& l) {
  return std::max<std::int64_t>(
      0, l.allocated - l.cancel_value - std::max<std::int64_t>(0, l.refunded - l.cancel_entitled));
}

// The lines of an order with their allocation (SPEC 1.1): `_order` when it
// has none. Fills `s.lines`.
void init_lines(const order& o, lifecycle& s);
// The money `k` more units of a line are worth when `r` are taken:
// floor(A*(r+k)/qty) - floor(A*r/qty).
std::int64_t units_value(std::int64_t amount, std::int64_t qty, std::int64_t r, std::int64_t k);
// A line's status over its units (SPEC 4.1).
order_status line_status(const line_state& l, order_status order);
// The line id of line `i` (the `_order` line for an order without items).
std::string_view line_id_of(const order& o, std::size_t i);

// The status the applied events give at `now` (RULES "Status").
order_status status_of(const lifecycle& s, const policy& p, instant now);

// The obligations and windows that follow from a state (placing every instant).
struct clock_set {
  std::vector<obligation> obligations;
  std::vector<window> windows;
  std::vector<warning> warnings;  // out_of_range, holidays_not_covered
};

// The original estimated delivery date: the promise's, else (or when the
// promise's is before the placement date) the quote's.
struct estimate {
  civil_date date;
  bool from_promise = false;
  bool calendar_covered = true;  // a computed estimate counts working days
};
result<estimate> original_est_delivery(const order& o, const policy& p);

// The dispatch and ship-by instants of an order (docs/RULES.md "Dispatch and
// ship-by by order type"), from its anchor (placed_at, or the confirmation).
struct dispatch_clocks {
  instant anchor{};  // what they were counted from
  instant dispatch_by{};
  civil_date dispatch_date;  // the local date whose end is dispatch_by
  instant ship_by{};
  civil_date ship_by_date;
  bool calendar_covered = true;               // of the dispatch_by count
  bool ship_covered = true;                   // of the ship_by count
  std::string dispatch_basis, ship_by_basis;  // when asked for
};
// The instant the order's `platform.deadlines` stamps on an obligation
// (payment, dispatch_by, ship_by, delivery, cancel_request_response: only
// for a request made at or before it, at `request_at`), if any.
std::optional<instant> stamped_deadline(const order& o, obligation_id id,
                                        std::optional<instant> request_at = std::nullopt);

result<dispatch_clocks> dispatch_clocks_of(const order& o, const policy& p, instant anchor, bool text);

// The order's history up to `now`, twice: `real` applies the recorded events
// only (it gives `status`); `effective` also applies, at their instants, the
// automatic actions that fell due, which it lists in `due`.
struct simulation {
  // The recorded events alone: empty when real_is_effective; when every
  // recorded event came before the first automatic action, only what
  // `status` and the explanation read of it (cod, confirmation, units,
  // cancellation, completion, request).
  std::optional<lifecycle> real;
  lifecycle effective;
  std::vector<due_entry> due;
  bool real_is_effective = false;  // no automatic action applied: the two histories are one
  // What the replay computed of the clocks, so that nothing is computed
  // twice: the original estimate and the dispatch clocks (without texts).
  std::optional<estimate> est;
  std::optional<dispatch_clocks> dispatch;
  [[nodiscard]] const lifecycle& recorded() const { return real_is_effective ? effective : *real; }
};
// Fills `sim` (a fresh one): no move of the large state on the way out.
result<bool> simulate(const order& o, const policy& p, instant now, simulation& sim);

// Computes the obligations and windows of state `s` (states relative to
// `now`). `text`: also write each one's basis.
// `est`: the original estimate; `known`: dispatch clocks already computed
// (used when their anchor is the order's and no text is asked for).
result<clock_set> place_clocks(const order& o, const policy& p, const lifecycle& s, instant now, bool text,
                               const estimate& est, const std::optional<dispatch_clocks>& known);

// Whether `reason` may be used by `by` in status `st`, per the policy's
// catalogue; the anomaly code when not (unknown_reason, reason_not_for_party,
// reason_not_for_status), and the responsibility that applies.
struct reason_check {
  std::string_view anomaly;  // empty = fine
  responsibility responsible = responsibility::none;
};
reason_check check_reason(const policy& p, std::string_view reason, party by, order_status st);

// Value the buyer would get back for returning the delivered returnable
// units that no case holds, each valued on top of the units taken before it
// (RULES "Money"); at instant `at` (each_delivery: the units whose own
// window is still open).
std::int64_t returnable_value(const order& o, const policy& p, const lifecycle& s, instant at);

// What a case still owes: per line its amount less what was refunded to it,
// at most what the line still holds; in total at most what remains paid.
std::int64_t case_owed(const lifecycle& s, const case_state& c);
// Units of line `l` in transit that no not-received case holds.
std::int64_t unclaimed_in_transit(const lifecycle& s, std::size_t l);
// What a new case needs: units in transit, or delivered ones (in the
// delivered_not_received_claim window, or in the return window).
enum class claim { not_received, delivered_not_received, delivered };
// Per line, the units a new case of kind `k` may take at `at` (returnable
// or not; each_delivery: for the return window, those in their own window).
std::vector<std::int64_t> claimable(const policy& p, const lifecycle& s, claim k, instant at);
// The clock case `c`'s state runs, if it has one running.
const case_clock* running_clock(const case_state& c);

// The end of the return window of a delivery at `delivered_at` (end of the
// local delivery date + return_window_days), and of the
// delivered_not_received_claim window.
instant return_window_end(const policy& p, instant delivered_at);
instant dnr_window_end(const policy& p, instant delivered_at);

// The policy a convenience call uses: the document given, else the embedded
// policy of the order's market (kept in `storage` when parsed).
result<const policy*> policy_for(const order& o, std::string_view policy_json, std::optional<policy>& storage);

}  // namespace ordertrail::detail
