// ordertrail/order.hpp — an order document (`ordertrail.order/2`, which
// reads every `ordertrail.order/1` document) as values.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ordertrail/error.hpp"
#include "ordertrail/time.hpp"

namespace ordertrail {

// SPEC section 7: documents and histories are bounded.
inline constexpr std::size_t max_document_bytes = 1024 * 1024;
inline constexpr std::size_t max_events = 10000;
inline constexpr int max_json_depth = 32;
// Free text (item names, notes): 10,000 characters of up to 4 UTF-8 bytes.
inline constexpr std::size_t max_text_bytes = 40000;

enum class event_type {
  payment_succeeded,
  payment_failed,
  cancelled,
  cancel_requested,
  cancel_request_withdrawn,
  cancel_request_approved,
  cancel_request_rejected,
  ready_to_ship,
  shipped,
  delivery_attempt_failed,
  delivered,
  lost,
  edd_revised,
  return_requested,
  return_approved,
  return_rejected,
  return_shipped,
  return_received,
  refunded,
  completed,
  // v2 (issue 14): delivery exceptions, scans and the steps of a case.
  tracking_update,
  delivery_refused,
  returned_to_sender,
  return_withdrawn,
  appeal_opened,
  appeal_decided,
  case_closed,
};

std::string_view to_string(event_type t);
std::optional<event_type> event_type_from(std::string_view s);

enum class party { none, buyer, seller, platform, operator_, carrier };
std::string_view to_string(party p);
std::optional<party> party_from(std::string_view s);

// Identifiers (line, package, case): 1..64 bytes.
inline constexpr std::size_t max_id_bytes = 64;
// Return requests applied per order (each values every line it names, so the
// bound keeps an order's cost linear in its size); later ones are anomaly
// too_many_returns.
inline constexpr std::size_t max_return_requests = 100;

struct item {
  std::string line_id;  // given, or sku, sku#2, ... (docs/RULES.md "Lines")
  std::string sku;
  std::string name;  // untrusted text
  std::int64_t qty = 1;
  std::int64_t unit_price_minor = 0;
  bool returnable = true;
};

// A reference to units of a line in an event's `items`: a plain string
// (a line_id, else a sku), or `{line_id | sku, qty | amount_minor}`.
enum class ref_kind { either, line_id, sku };
struct item_ref {
  std::string ref;
  ref_kind kind = ref_kind::either;
  std::optional<std::int64_t> qty;           // absent = the whole line
  std::optional<std::int64_t> amount_minor;  // refunded: money for that line
};

struct event {
  event_type type{};
  instant at{};
  std::string id;  // empty when absent
  party by = party::none;
  std::string reason;                        // empty when absent
  std::string note;                          // untrusted text
  std::optional<std::int64_t> amount_minor;  // payment_succeeded, refunded
  std::string carrier;                       // shipped
  std::string tracking_number;               // shipped, return_shipped
  std::optional<civil_date> est_delivery;    // edd_revised
  std::string package_id;                    // empty when absent
  std::string case_id;                       // empty when absent
  std::vector<item_ref> items;               // cancelled, packing, shipping, returns, refunds
  bool refund_only = false;                  // return_requested `type: refund_only`
  bool keep_item = false;                    // return_approved
  party outcome = party::none;               // appeal_decided: buyer or seller
  std::string status;                        // tracking_update: the carrier's status code
  std::string text;                          // tracking_update: the carrier's words (untrusted text)
  std::size_t index = 0;                     // position in the input `events` array
};

struct promise {
  std::optional<int> handling_days;
  std::optional<std::array<int, 2>> transit_days;
  std::optional<civil_date> est_delivery;  // the ORIGINAL estimate
};

// What the marketplace itself says (SPEC 1.1 `platform`; docs/RULES.md
// "Platform-stamped deadlines"): a stamped deadline becomes its
// obligation's due_at (and the automatic action's instant), the computed
// one is kept as computed_due_at.
struct platform_info {
  std::string name;      // e.g. "tiktok"
  std::string order_id;  // the platform's id
  std::string status;    // one of the nine status names, else empty (not compared)
  std::optional<instant> payment, dispatch_by, ship_by, collection_by, delivery, deliver_by, cancel_request_response;
};

enum class order_kind { normal, pre_order, made_to_order, back_order };
std::string_view to_string(order_kind k);                       // "made_to_order"
std::optional<order_kind> order_kind_from(std::string_view s);  // nullopt for an unknown one

struct order {
  std::string order_id;
  std::string market;
  std::string seller_id;
  std::string buyer_id;
  std::string currency;
  std::int64_t total_minor = 0;
  std::optional<std::int64_t> shipping_minor;  // absent = the default of SPEC 1.1
  std::vector<item> items;                     // empty = one line "_order" of qty 1 (SPEC 1.1)
  std::string payment_method;
  order_kind type = order_kind::normal;    // `order_type`
  std::optional<civil_date> release_date;  // pre-orders: when stock is released
  instant placed_at{};
  promise promised;
  std::optional<platform_info> platform;
  std::vector<event> events;  // in document order
};

// Parses and validates an order document. Unknown fields are ignored. Errors:
// invalid_json, too_large, too_deep, duplicate_key, missing_field,
// invalid_type, invalid_value, invalid_instant, invalid_date,
// unknown_event_type, unknown_party, too_many_events. (A reason code the
// policy's catalogue does not know is an anomaly of the evaluation.)
result<order> parse_order(std::string_view json);

// Parses a command (SPEC 7: a proposed event without `at`) as an event
// recorded at `now`; the same errors as an event's, with pointers into the
// command ("/items/0/qty"); `at` in a command is invalid_value.
result<event> parse_command(std::string_view json, instant now);

// The order document `order_json` with one event (a JSON object, e.g. a
// decision's `event`) appended to its `events` array (made when absent);
// every other byte of the document as it was. Errors: the document's JSON
// errors, and `events` not an array.
result<std::string> append_event(std::string_view order_json, std::string_view event_json);

}  // namespace ordertrail
