// ordertrail/evaluation.hpp — what an order is at an instant.
//
// `evaluate(order, policy, now)` is the heart of ordertrail: a pure function
// of its three arguments (docs/RULES.md says exactly how SPEC.md is read).
// `to_json(evaluation)` gives the `ordertrail.evaluation/2` document, byte for
// byte the same natively and in WebAssembly.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ordertrail/codes.hpp"
#include "ordertrail/error.hpp"
#include "ordertrail/order.hpp"
#include "ordertrail/policy.hpp"
#include "ordertrail/time.hpp"

namespace ordertrail {

// The side responsible for what `by` did on its own account: buyer -> buyer,
// seller -> seller, platform, operator and carrier -> platform.
responsibility side_of(party by);

// Something a party MUST do by `due_at` (SPEC 4.3, docs/RULES.md
// "Obligations and windows").
enum class obligation_id {
  payment,
  dispatch_by,
  ship_by,
  cancel_request_response,
  delivery,
  // A case's clocks (SPEC 4.4), each with the case's `case_id`.
  return_response,
  return_ship_back,
  return_receipt,
  return_receipt_response,
  case_refund,
  appeal_decision,
};
std::string_view to_string(obligation_id d);

enum class obligation_state { pending, met, missed, moot };
std::string_view to_string(obligation_state s);

enum class moot_reason {
  none,
  order_cancelled,
  order_completed,
  superseded_by_shipment,
  request_withdrawn,
  not_applicable,
  case_closed,  // the case closed before the clock ran out
};
std::string_view to_string(moot_reason r);  // none = null

// What happens when an obligation is missed (`on_miss`).
enum class miss_outcome {
  auto_cancel,
  auto_approve,
  auto_reject,
  auto_approve_case,
  late_dispatch,
  auto_close_case,
  auto_refund_case,
};
std::string_view to_string(miss_outcome m);

struct obligation {
  obligation_id id{};
  party who = party::seller;
  instant due_at{};
  obligation_state state = obligation_state::pending;
  std::optional<instant> met_at;
  moot_reason moot = moot_reason::none;
  std::string basis;  // how due_at was computed, checkable by a person
  miss_outcome on_miss{};
  // The local calendar date the obligation is counted to, when it ends a date.
  std::optional<civil_date> local_date;
  // false when a working-day count behind it touched a year the policy's
  // holidays do not cover (weekends only there; warning holidays_not_covered).
  bool calendar_covered = true;
  std::string case_id;  // a case's clock; empty = null
  // Stamped by the platform (SPEC 1.1 `platform.deadlines`): due_at is the
  // platform's instant and this the one ordertrail computed (`source`
  // "platform"); nullopt = computed.
  std::optional<instant> computed_due_at;
};

// Something a party MAY do between `opens_at` and `closes_at` (SPEC 4.3).
enum class window_id {
  free_cancellation,
  cancel_request,
  not_received_claim,
  return_window,
  delivered_not_received_claim,
  appeal,  // one per rejected case, with its `case_id`
};
std::string_view to_string(window_id w);  // return_window = "return"

enum class window_state { upcoming, open, used, closed, void_ };
std::string_view to_string(window_state s);  // void_ = "void"

enum class void_reason {
  none,
  order_cancelled,
  packed,
  shipped,
  delivered,
  completed,
  nothing_paid,
  no_eligible_units,
  case_closed,
};
std::string_view to_string(void_reason r);  // none = null

struct window {
  window_id id{};
  party who = party::buyer;
  instant opens_at{};
  std::optional<instant> closes_at;  // null: it ends with an event (`closes_on`)
  std::string closes_on;             // the event type that ends it; empty = null
  window_state state = window_state::upcoming;
  std::optional<instant> used_at;
  void_reason voided = void_reason::none;
  std::string basis;
  std::optional<std::int64_t> amount_minor;  // what using it is worth (return), else null
  bool calendar_covered = true;
  std::string case_id;  // appeal: the case; empty = null
};

enum class cancel_mode { immediate, request, contact_seller, not_allowed, lines };
std::string_view to_string(cancel_mode m);

struct buyer_cancellation {
  cancel_mode mode = cancel_mode::not_allowed;
  std::optional<instant> until;
  std::string reason;  // empty = null
};
struct seller_cancellation {
  cancel_mode mode = cancel_mode::not_allowed;
  std::string reason;
};

struct cancellation_info {
  instant at{};
  party by = party::none;
  std::string reason;
  responsibility responsible = responsibility::none;
  bool automatic = false;
};

// Units of one line (`items` of events, packages, cancellations).
struct line_qty {
  std::string line_id;
  std::int64_t qty = 0;
};
// Money attributed to one line (`items` of a refund).
struct line_amount {
  std::string line_id;
  std::int64_t amount_minor = 0;
};

// A cancellation of some units while others remain (`line_cancellations`).
struct line_cancellation {
  instant at{};
  party by = party::none;
  std::string reason;
  responsibility responsible = responsibility::none;
  bool automatic = false;
  std::vector<line_qty> items;
};

// An event the back end should append (the exact `event` of a `due` entry).
struct synthetic_event {
  event_type type{};
  instant at{};
  party by = party::platform;
  std::string reason;                        // empty = not written
  std::string package_id;                    // empty = not written
  std::string case_id;                       // empty = not written
  std::vector<line_qty> items;               // empty = the whole order
  std::optional<std::int64_t> amount_minor;  // refunded
  bool keep_item = false;                    // written when true
  party outcome = party::none;               // appeal_decided; none = not written
};

// The event of a `due` entry as JSON, as `due[].event` writes it: the exact
// document a back end appends (the order service's scheduler does).
std::string to_json(const synthetic_event& e);

// One line of the order, with its quantities and money (`lines`).
struct line_view {
  std::string line_id;
  std::string sku;
  std::string name;  // untrusted text
  std::int64_t qty = 0;
  std::int64_t unit_price_minor = 0;
  bool returnable = true;
  std::int64_t allocated_minor = 0;
  std::int64_t shipping_share_minor = 0;
  std::int64_t cancelled_qty = 0;
  std::int64_t packed_qty = 0;
  std::int64_t shipped_qty = 0;  // in shipped packages (in transit, delivered, lost)
  std::int64_t delivered_qty = 0;
  std::int64_t returned_qty = 0;
  std::int64_t refunded_minor = 0;
  std::int64_t refundable_minor = 0;
  order_status status = order_status::unpaid;
};

enum class package_status { packed, in_transit, delivered, lost, refused, returned_to_sender };
std::string_view to_string(package_status s);

// One parcel (`packages`).
struct package_view {
  std::string package_id;
  std::vector<line_qty> items;
  std::string carrier;          // empty = null
  std::string tracking_number;  // empty = null
  package_status status = package_status::packed;
  std::optional<instant> packed_at;
  std::optional<instant> shipped_at;
  std::optional<instant> delivered_at;
  std::optional<instant> lost_at;
  bool delivery_attempt_failed = false;
  bool units_cancelled = false;  // its units were cancelled (lost, late, or the whole order)
  struct scan {
    instant at{};
    std::string status;  // the carrier's code; empty = null
    std::string text;    // the carrier's words (untrusted text)
  };
  std::vector<scan> scans;  // tracking_update, in the order applied
};

// One applied refund as counted, with its attribution (`refunds`).
struct refund_record {
  instant at{};
  std::int64_t amount_minor = 0;
  std::string reason;   // empty = null
  std::string case_id;  // empty = null
  std::vector<line_amount> items;
};

// Every instant and amount a presenter needs (`facts`).
struct order_facts {
  instant placed_at{};
  std::optional<instant> confirmed_at;
  std::optional<instant> paid_at;
  std::optional<instant> first_shipped_at;
  std::optional<instant> delivered_at;  // when the last unit not cancelled was delivered
  std::optional<civil_date> est_delivery;
  std::optional<civil_date> revised_est_delivery;
  std::string order_type = "normal";
  std::string payment_method;  // empty = null
  std::string currency;
  std::int64_t total_minor = 0;
  std::int64_t shipping_minor = 0;
  std::int64_t paid_minor = 0;
  std::int64_t refunded_minor = 0;
};

enum class due_action {
  auto_cancel,
  auto_approve,
  auto_reject,
  auto_approve_case,
  auto_complete,
  auto_close_case,
  auto_refund_case,
};
inline constexpr std::size_t due_action_count = 7;  // the values of due_action, for tallies
std::string_view to_string(due_action a);

struct due_entry {
  due_action action{};
  std::string reason;
  responsibility responsible = responsibility::none;
  instant at{};
  synthetic_event event;
};

enum class refund_kind { automatic, return_and_refund, refund_only, none, mixed };
std::string_view to_string(refund_kind k);

// One part of what is or will be owed (`refund.parts`): a case's amount
// less what was refunded on it, or the cancelled units not yet refunded.
struct refund_part {
  refund_kind kind = refund_kind::none;
  std::int64_t amount_minor = 0;
  std::string case_id;          // empty = null
  std::vector<line_qty> items;  // the case's units; empty = null
  std::optional<instant> until;
  std::string reason;
};

struct refund_info {
  bool eligible = false;
  refund_kind kind = refund_kind::none;
  std::int64_t amount_minor = 0;
  std::string currency;
  std::optional<instant> until;
  std::string reason;
  std::vector<refund_part> parts;
};

// An after-sales case (SPEC 4.4, `cases`): a closed list of states.
enum class case_status {
  requested,
  approved,
  awaiting_return,
  returned,
  received,
  rejected,
  appealed,
  refunded,
  closed
};
std::string_view to_string(case_status s);
enum class case_close { none, withdrawn, not_shipped_back, rejected, appeal_lost, units_cancelled, delivered };
std::string_view to_string(case_close c);  // none = null

struct case_view {
  std::string case_id;
  bool refund_only = false;  // type: refund_only, else return_and_refund
  std::string reason;        // empty = null
  case_status status = case_status::requested;
  case_close closed_reason = case_close::none;
  std::vector<line_qty> items;
  std::int64_t amount_minor = 0;
  std::int64_t refunded_minor = 0;
  instant opened_at{};
  std::optional<instant> closed_at;
  bool keep_item = false;
  [[nodiscard]] bool open() const { return status != case_status::refunded && status != case_status::closed; }
};

struct next_action {
  std::string code;   // SPEC 6 next_actions codes
  std::string actor;  // buyer, seller, support
  std::optional<instant> until;
  int priority = 1;
  bool primary = false;  // exactly one per actor: its first of the lowest priority
};

// What a party may record now (`actions`): an event type and who records it.
struct allowed_action {
  event_type type{};
  party by = party::buyer;
  std::optional<instant> until;
  std::vector<std::string> reasons;              // the catalogue's codes allowed (cancellations, requests)
  std::vector<line_qty> items;                   // the units it may name
  bool whole_order = false;                      // a cancellation may name no units: the whole order
  std::vector<std::string> package_ids;          // the packages it may name
  std::vector<std::string> case_ids;             // the cases it may name
  std::optional<std::int64_t> max_amount_minor;  // refunds
};

struct explanation_entry {
  std::string rule;
  std::string text;
};

struct anomaly {
  // An anomaly of the order document itself (not of one event), e.g.
  // est_delivery_before_placed on the promise: written as null.
  static constexpr std::size_t no_event = static_cast<std::size_t>(-1);
  std::string code;
  std::size_t event_index = 0;
  std::string text;
};

// Something the evaluation could not do in full, with the rest still right:
// out_of_range (a clock past 9999-12-31T23:59:59Z, left out),
// holidays_not_covered (a working-day count outside the policy's holiday years).
struct warning {
  std::string code;
  std::string text;
};

// What the replay did with one recorded event (the timeline's "applied").
enum class event_skip { none, duplicate, future, anomaly };
std::string_view to_string(event_skip s);  // "duplicate"; none = null
struct event_outcome {
  std::size_t event_index = 0;
  event_type type{};
  instant at{};  // as applied (an event before placed_at counts at placed_at)
  bool applied = false;
  bool automatic = false;  // taken as the record of a due automatic action
  event_skip skipped = event_skip::none;
  // The packages it acted on, as applied (`package_ids` in JSON): the first,
  // and the others (an id-less shipment of several packed packages).
  std::string package_id;  // empty = none
  std::vector<std::string> more_package_ids;
};

struct evaluation_flags {
  bool cancel_request_pending = false;
  bool case_open = false;          // some after-sales case is open (SPEC 4.4)
  bool parcel_in_transit = false;  // cancelled as a whole while a package was in transit
  bool lost = false;
  // Delivery is still owed and late against the estimate: it was revised to
  // a later day than the original, or the current estimate's day is over in
  // the market zone (RULES "Presentation": "Late: expected ...").
  bool delivery_late = false;
};

struct evaluation {
  std::string order_id;
  std::string market;
  std::string policy_version;
  instant now{};
  order_status status = order_status::unpaid;
  order_status effective_status = order_status::unpaid;
  evaluation_flags flags;
  buyer_cancellation buyer_cancel;
  seller_cancellation seller_cancel;
  order_facts facts;
  std::vector<line_view> lines;
  std::vector<package_view> packages;
  std::optional<cancellation_info> cancelled;
  std::vector<line_cancellation> line_cancellations;
  std::vector<obligation> obligations;
  std::vector<window> windows;
  std::vector<case_view> cases;
  std::vector<due_entry> due;
  refund_info refund;
  std::vector<refund_record> refunds;
  std::vector<allowed_action> actions;
  std::vector<next_action> next_actions;
  // The least instant after `now` at which something here can change
  // (SPEC 4.5); nullopt when nothing will without a new event.
  std::optional<instant> next_check_at;
  std::vector<explanation_entry> explanation;
  std::vector<anomaly> anomalies;
  std::vector<warning> warnings;
  std::vector<event_outcome> events;  // every recorded event, in replay order

  // Facts the metrics and the presenters need beyond SPEC 6's document.
  std::int64_t paid_minor = 0;
  std::int64_t refunded_minor = 0;
  std::optional<instant> paid_at;
  std::optional<instant> shipped_at;               // first shipment
  std::optional<instant> delivered_at;             // last unit not cancelled delivered
  std::optional<civil_date> est_delivery;          // original estimate used
  std::optional<civil_date> revised_est_delivery;  // last edd_revised
  std::int64_t returnable_value_minor = 0;         // value of the returnable items
  bool confirmed = false;                          // paid, or cash on delivery
  const obligation* find(obligation_id id) const;
  const window* find(window_id id) const;
};

struct evaluate_options {
  // false: leave out the texts for people (obligation and window `basis`,
  // `explanation`); every decision is the same. For batch
  // jobs that only emit decisions.
  bool explain = true;
  // false: leave out `facts`, `lines`, `packages`, `line_cancellations`
  // and `refunds` (empty); every decision is the same. For batch jobs that
  // write decisions only.
  bool views = true;
};

// Evaluates `o` under `p` at `now`. Errors: now_before_placed,
// calendar_exhausted (a deadline cannot be placed in the policy's calendar).
result<evaluation> evaluate(const order& o, const policy& p, instant now, const evaluate_options& options = {});

// `ordertrail.evaluation/2`, compact, keys in SPEC 6 order.
std::string to_json(const evaluation& e);

// Convenience for the bindings and the CLI: parse, pick the policy (the
// given document, else the embedded policy of the order's market), evaluate,
// serialise. Returns an `ordertrail.evaluation/2` or `ordertrail.error/1` JSON
// text. `policy_json` empty = embedded.
std::string evaluate_json(std::string_view order_json, std::string_view now_rfc3339, std::string_view policy_json = {});

}  // namespace ordertrail
