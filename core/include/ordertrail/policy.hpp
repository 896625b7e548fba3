// ordertrail/policy.hpp — a market policy (`ordertrail.policy/2`, or `/1` with v1 defaults).
//
// Policies are data: every number in the rules is a field here, never a
// constant in code. The shipped markets (US, GB, ID) are embedded in the
// library; users may parse their own.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ordertrail/calendar.hpp"
#include "ordertrail/codes.hpp"
#include "ordertrail/error.hpp"
#include "ordertrail/order.hpp"

namespace ordertrail {

// A policy document is bounded like an order document.
inline constexpr std::size_t max_policy_bytes = 1024 * 1024;

enum class ship_by_from { placed, paid };
enum class ship_by_satisfied_by { shipped, ready_to_ship };
enum class no_response_outcome { approve, reject };
// `cancellation.after_dispatch_by`: a request made at or after `dispatch_by`
// is answered like any other (`same`) or approved at once (`approve`).
enum class after_dispatch_by { same, approve };

// A set of parties (bit 1 << static_cast<unsigned>(party)).
using party_set = unsigned;
constexpr party_set party_bit(party p) { return 1u << static_cast<unsigned>(p); }

// One entry of the cancellation reason catalogue (`reasons`, SPEC 5).
struct reason_entry {
  std::string code;
  party_set initiators = 0;
  status_set statuses = 0;
  responsibility responsible = responsibility::none;
};

// One entry of the after-sales reason catalogue (`case_reasons`, SPEC 3).
struct case_reason_entry {
  std::string code;
  bool return_and_refund = false;  // the case types it may open
  bool refund_only = false;
  responsibility responsible = responsibility::none;
};

// `aftersale.return_window_from`: the return window counts from the last
// delivery of the order, or from each unit's own delivery.
enum class return_window_from { last_delivery, each_delivery };

struct metric_thresholds {
  int window_days = 30;
  // Rates are thousandths (permille) to keep integers in the core: 25 = 2.5 %.
  int max_seller_fault_cancellation_permille = 25;
  int max_late_dispatch_permille = 40;
  int min_valid_tracking_permille = 950;
};

struct policy_note {
  std::string field;
  std::string text;
};

struct policy {
  std::string market;     // "US"
  std::string version;    // "2025.1"
  std::string currency;   // ISO 4217
  std::string time_zone;  // IANA name, for people and for `policy check`
  calendar cal;           // zone rule, weekend, holidays, cutoff

  int payment_window_hours = 48;
  int remorse_window_hours = 1;
  bool buyer_can_request_cancel = true;
  // `cancellation.seller_line_cancel`: the seller may cancel some units
  // (out of stock) and the order goes on with the rest [true].
  bool seller_line_cancel = true;
  // The document's schema: 1 for `ordertrail.policy/1` (v1 defaults), 2.
  int schema_version = 2;
  // `sla.*` (docs/RULES.md "Dispatch and ship-by by order type").
  int dispatch_working_days = 2;
  int made_to_order_extra_working_days = 4;
  int pre_order_extra_working_days = 5;
  // `cancellation.*` (docs/RULES.md "Cancellation matrix").
  status_set buyer_request_statuses = 0;
  status_set seller_statuses = 0;
  bool shipment_closes_request = true;
  after_dispatch_by request_after_dispatch_by = after_dispatch_by::same;
  // `cod.refusal_responsibility`: who answers for a refused cash-on-delivery
  // parcel whose refusal gives no reason the catalogue knows [buyer].
  responsibility cod_refusal_responsibility = responsibility::buyer;
  // `reasons`: the cancellation reason catalogue (the default when absent).
  std::vector<reason_entry> reasons;
  [[nodiscard]] const reason_entry* find_reason(std::string_view code) const;
  int cancel_request_response_hours = 48;
  no_response_outcome on_no_response = no_response_outcome::approve;
  int ship_by_working_days = 7;
  ship_by_from ship_by_start = ship_by_from::placed;
  ship_by_satisfied_by ship_by_satisfier = ship_by_satisfied_by::shipped;
  int delivery_grace_days = 30;
  // A platform-stamped deadline further than this from the computed one is
  // warning deadline_mismatch (SPEC 1.1 `platform`) [60].
  int platform_tolerance_minutes = 60;
  int not_received_claim_after_days = 7;
  int return_window_days = 30;
  int return_response_hours = 48;
  // `aftersale.*` (docs/RULES.md "After-sales cases"). A policy/1 document
  // has no case clocks beyond v1's return_response (case_clocks false).
  bool case_clocks = true;
  return_window_from return_from = return_window_from::last_delivery;
  int delivered_not_received_days = 30;
  int buyer_ship_back_days = 14;
  // Days the seller has to record the receipt of a return shipped back,
  // counted from the local date of the shipment (end of that date + n);
  // else the platform refunds (`return_receipt`) [10, unconfirmed].
  int return_receipt_days = 10;
  int seller_receipt_response_hours = 48;
  int appeal_window_hours = 48;
  int appeal_decision_hours = 48;
  // `case_reasons`: the after-sales reason catalogue (the default when absent).
  std::vector<case_reason_entry> case_reasons;
  [[nodiscard]] const case_reason_entry* find_case_reason(std::string_view code) const;
  int default_handling_days = 2;
  std::array<int, 2> default_transit_days{3, 5};
  metric_thresholds metrics;
  std::vector<policy_note> notes;
};

// Parses and validates a policy document. Errors carry JSON pointers, e.g.
// {"invalid_field", "/holidays/3", "holidays must be in ascending order"}.
result<policy> parse_policy(std::string_view json);

// The markets embedded in this build, in alphabetical order.
const std::vector<std::string>& builtin_markets();
// The embedded policy of `market`, or error "unknown_market".
result<policy> builtin_policy(std::string_view market);
// The same without a copy: the embedded policies are parsed once, on first
// use, and live as long as the program. nullptr for an unknown market.
const policy* embedded_policy(std::string_view market);
// The embedded policy document text (for `policy show`, `policies()` in WASM).
std::string_view builtin_policy_json(std::string_view market);

}  // namespace ordertrail
