// ordertrail/quote.hpp — the delivery promise shown at checkout.
//
// For an order placed at `at` in a market (docs/RULES.md "Quote"): when it must
// be paid, until when it can be cancelled for free, when the seller must ship
// (and when it is cancelled automatically if not), the estimated delivery
// range, the delivery auto-cancel date and the return window.
#pragma once

#include <array>
#include <optional>
#include <string>

#include "ordertrail/error.hpp"
#include "ordertrail/policy.hpp"
#include "ordertrail/time.hpp"

namespace ordertrail {

struct quote_request {
  instant at{};
  std::optional<int> handling_days;                // default: policy
  std::optional<std::array<int, 2>> transit_days;  // default: policy
  order_kind type = order_kind::normal;            // `order_type`
  std::optional<civil_date> release_date;          // required for a pre_order
};

struct quote {
  std::string market;
  std::string policy_version;
  std::string time_zone;
  instant at{};
  int handling_days = 0;
  order_kind type = order_kind::normal;
  std::optional<civil_date> release_date;
  std::array<int, 2> transit_days{};
  instant pay_by{};
  instant free_cancellation_until{};
  civil_date dispatch_date;  // promised dispatch (handling days)
  instant dispatch_by{};
  civil_date ship_by_date;  // auto-cancel deadline date
  instant ship_by{};
  std::string ship_by_basis;
  civil_date delivery_earliest;
  civil_date delivery_latest;  // the est_delivery an order placed now carries
  civil_date delivery_auto_cancel_date;
  instant delivery_auto_cancel{};
  instant not_received_claim_from{};
  int return_window_days = 0;
  // false when a working-day count touched a year the policy's holidays do
  // not cover (SPEC 2 "Calendar coverage").
  bool calendar_covered = true;
};

// Errors: invalid_value for handling days outside 0..366 (/handling_days) or
// transit days that are not 0 <= min <= max <= 366 (/transit_days);
// out_of_range (/at) when a clock would fall after 9999-12-31T23:59:59Z.
result<quote> make_quote(const policy& p, const quote_request& r);

// `ordertrail.quote/1`, compact.
std::string to_json(const quote& q);

// For the bindings: request `{"market", "at", "handling_days"?, "transit_days"?}`
// (plus optional "policy" object) to `ordertrail.quote/1` or `ordertrail.error/1`.
std::string quote_json(std::string_view request_json);

}  // namespace ordertrail
