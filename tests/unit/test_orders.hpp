// Small builders for test orders: a base document plus events, as JSON text.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "ordertrail/ordertrail.hpp"

namespace test_orders {

using nlohmann::json;

// A paid-by-card US order placed Mon 2025-03-03 10:00 PST (18:00Z), total
// 5000, two items (one not returnable), est. delivery Fri 2025-03-14.
inline json base_order() {
  return json{{"order_id", "T-1"},
              {"market", "US"},
              {"seller_id", "S-1"},
              {"buyer_id", "B-1"},
              {"currency", "USD"},
              {"total_minor", 5000},
              {"items",
               json::array({json{{"sku", "MUG"}, {"name", "Mug"}, {"qty", 2}, {"unit_price_minor", 1500}},
                            json{{"sku", "GIFT"},
                                 {"name", "Gift card"},
                                 {"qty", 1},
                                 {"unit_price_minor", 2000},
                                 {"returnable", false}}})},
              {"payment_method", "card"},
              {"placed_at", "2025-03-03T18:00:00Z"},
              {"promise", json{{"handling_days", 2}, {"transit_days", {3, 5}}, {"est_delivery", "2025-03-14"}}},
              {"events", json::array()}};
}

inline json ev(const char* type, const char* at, json extra = json::object()) {
  json e{{"type", type}, {"at", at}};
  for (auto& [k, v] : extra.items()) e[k] = v;
  return e;
}

inline json paid_order() {
  json o = base_order();
  o["events"].push_back(ev("payment_succeeded", "2025-03-03T18:05:00Z", {{"amount_minor", 5000}}));
  return o;
}

// Evaluates under the embedded policy of the order's market; fails the test on error.
inline ordertrail::evaluation eval(const json& order, const char* now) {
  auto o = ordertrail::parse_order(order.dump());
  REQUIRE_MESSAGE(o.ok(), (o.ok() ? "" : o.err().message));
  auto p = ordertrail::builtin_policy(o->market);
  REQUIRE(p.ok());
  auto e = ordertrail::evaluate(*o, *p, *ordertrail::parse_instant(now));
  REQUIRE_MESSAGE(e.ok(), (e.ok() ? "" : e.err().message));
  return *e;
}

inline json eval_json(const json& order, const char* now) { return json::parse(ordertrail::to_json(eval(order, now))); }

}  // namespace test_orders
