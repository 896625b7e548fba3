// ordertrail — one pure C++20 core that answers, for a marketplace order at an
// instant: its status, who can cancel it and how, every deadline in the
// market's working-day calendar, the automatic actions that are due, refund
// eligibility and the next steps. No I/O, no clock: `now` is an argument.
//
//   #include <ordertrail/ordertrail.hpp>
//
//   auto order = ordertrail::parse_order(text);            // result<order>
//   auto policy = ordertrail::builtin_policy("US");         // result<policy>
//   auto now = ordertrail::parse_instant("2025-03-05T12:00:00Z");
//   if (order && policy && now) {
//     auto e = ordertrail::evaluate(*order, *policy, *now);  // result<evaluation>
//     if (e) std::puts(ordertrail::to_json(*e).c_str());
//   }
//
// Errors are values (`result<T>`, `error{code, path, message}`); see
// docs/RULES.md for exactly how SPEC.md is read.
#pragma once

#include "ordertrail/calendar.hpp"
#include "ordertrail/decision.hpp"
#include "ordertrail/error.hpp"
#include "ordertrail/evaluation.hpp"
#include "ordertrail/json_writer.hpp"
#include "ordertrail/metrics.hpp"
#include "ordertrail/money.hpp"
#include "ordertrail/order.hpp"
#include "ordertrail/policy.hpp"
#include "ordertrail/quote.hpp"
#include "ordertrail/time.hpp"
#include "ordertrail/version.hpp"
#include "ordertrail/zone.hpp"
