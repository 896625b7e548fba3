// Malformed input is an error with a code and a JSON pointer (SPEC 1, 6, 7).
#include <doctest/doctest.h>

#include "ordertrail/ordertrail.hpp"
#include "test_orders.hpp"

using namespace ordertrail;
using test_orders::json;

namespace {
error order_error(const std::string& text) {
  auto r = parse_order(text);
  REQUIRE_FALSE(r.ok());
  return r.err();
}
error order_error(const char* text) { return order_error(std::string(text)); }
error order_error(const json& j) { return order_error(j.dump()); }
}  // namespace

TEST_CASE("a valid order parses, unknown fields are ignored") {
  json o = test_orders::paid_order();
  o["channel"] = "live";
  auto r = parse_order(o.dump());
  REQUIRE(r.ok());
  CHECK(r->items.size() == 2);
  CHECK(r->items[1].returnable == false);
  CHECK(r->events.size() == 1);
}

TEST_CASE("line ids: given ones are kept and reserved, the others are the sku, then sku#2, sku#3") {
  json o = test_orders::base_order();
  o["items"] = json::array({json{{"sku", "MUG"}, {"qty", 1}, {"unit_price_minor", 100}},
                            json{{"line_id", "MUG#2"}, {"sku", "X"}, {"qty", 1}, {"unit_price_minor", 100}},
                            json{{"sku", "MUG"}, {"qty", 1}, {"unit_price_minor", 100}},
                            json{{"sku", "MUG"}, {"qty", 1}, {"unit_price_minor", 100}},
                            json{{"line_id", "MUG"}, {"sku", "Y"}, {"qty", 1}, {"unit_price_minor", 100}}});
  o["total_minor"] = 500;
  auto r = parse_order(o.dump());
  REQUIRE(r.ok());
  // "MUG" and "MUG#2" are given (to lines 5 and 2), so the three MUG lines
  // without an id take the next free ones: MUG#3, MUG#4, MUG#5.
  CHECK(r->items[0].line_id == "MUG#3");
  CHECK(r->items[1].line_id == "MUG#2");
  CHECK(r->items[2].line_id == "MUG#4");
  CHECK(r->items[3].line_id == "MUG#5");
  CHECK(r->items[4].line_id == "MUG");
}

TEST_CASE("errors name the offending value") {
  struct bad_case {
    const char* what;
    json doc;
    const char* code;
    const char* path;
  };
  auto without = [](const char* key) {
    json o = test_orders::base_order();
    o.erase(key);
    return o;
  };
  auto with = [](const char* key, json v) {
    json o = test_orders::base_order();
    o[key] = std::move(v);
    return o;
  };
  auto with_event = [](json e) {
    json o = test_orders::base_order();
    o["events"].push_back(std::move(e));
    return o;
  };
  const bad_case cases[] = {
      {"missing order_id", without("order_id"), "missing_field", "/order_id"},
      {"missing placed_at", without("placed_at"), "missing_field", "/placed_at"},
      {"total as string", with("total_minor", "5000"), "invalid_type", "/total_minor"},
      {"negative total", with("total_minor", -1), "invalid_value", "/total_minor"},
      {"fractional total", with("total_minor", 10.5), "invalid_value", "/total_minor"},
      {"total beyond 2^53", with("total_minor", 9007199254740993ULL), "invalid_value", "/total_minor"},
      {"total beyond uint64", with("total_minor", 1e30), "invalid_value", "/total_minor"},
      {"empty order id", with("order_id", ""), "invalid_value", "/order_id"},
      {"order id too long", with("order_id", std::string(65, 'x')), "invalid_value", "/order_id"},
      {"items not array", with("items", "MUG"), "invalid_type", "/items"},
      {"unknown event type", with_event(test_orders::ev("teleported", "2025-03-04T00:00:00Z")), "unknown_event_type",
       "/events/0/type"},
      {"event without at", with_event(json{{"type", "shipped"}}), "missing_field", "/events/0/at"},
      {"bad instant", with_event(test_orders::ev("shipped", "2025-03-04 00:00")), "invalid_instant", "/events/0/at"},
      {"cancel without reason", with_event(test_orders::ev("cancelled", "2025-03-04T00:00:00Z", {{"by", "buyer"}})),
       "missing_field", "/events/0/reason"},
      {"cancel with a reason over 128 bytes",
       with_event(
           test_orders::ev("cancelled", "2025-03-04T00:00:00Z", {{"by", "buyer"}, {"reason", std::string(129, 'r')}})),
       "invalid_value", "/events/0/reason"},
      {"order_type unknown", with("order_type", "subscription"), "invalid_value", "/order_type"},
      {"pre_order without release_date", with("order_type", "pre_order"), "missing_field", "/release_date"},
      {"unknown party",
       with_event(test_orders::ev("cancelled", "2025-03-04T00:00:00Z", {{"by", "alien"}, {"reason", "changed_mind"}})),
       "unknown_party", "/events/0/by"},
      {"refund without amount", with_event(test_orders::ev("refunded", "2025-03-04T00:00:00Z")), "missing_field",
       "/events/0/amount_minor"},
      {"bad est_delivery", with("promise", json{{"est_delivery", "2025-02-30"}}), "invalid_date",
       "/promise/est_delivery"},
      {"shipping beyond the total", with("shipping_minor", 5001), "invalid_value", "/shipping_minor"},
      {"negative shipping", with("shipping_minor", -1), "invalid_value", "/shipping_minor"},
      {"two lines with one id",
       with("items", json::array({json{{"line_id", "L1"}, {"sku", "A"}, {"qty", 1}, {"unit_price_minor", 1}},
                                  json{{"line_id", "L1"}, {"sku", "B"}, {"qty", 1}, {"unit_price_minor", 1}}})),
       "duplicate_line", "/items/1/line_id"},
      {"empty line id",
       with("items", json::array({json{{"line_id", ""}, {"sku", "A"}, {"qty", 1}, {"unit_price_minor", 1}}})),
       "invalid_value", "/items/0/line_id"},
      {"cancelled item as a number",
       with_event(test_orders::ev("cancelled", "2025-03-04T00:00:00Z",
                                  {{"by", "seller"}, {"reason", "out_of_stock"}, {"items", json::array({7})}})),
       "invalid_type", "/events/0/items/0"},
      {"item qty 0",
       with_event(test_orders::ev("shipped", "2025-03-04T00:00:00Z",
                                  {{"items", json::array({json{{"line_id", "MUG"}, {"qty", 0}}})}})),
       "invalid_value", "/events/0/items/0/qty"},
      {"item with neither line_id nor sku",
       with_event(test_orders::ev("shipped", "2025-03-04T00:00:00Z", {{"items", json::array({json{{"qty", 1}}})}})),
       "missing_field", "/events/0/items/0/sku"},
      {"refunded line as a plain string",
       with_event(test_orders::ev("refunded", "2025-03-04T00:00:00Z",
                                  {{"amount_minor", 100}, {"items", json::array({"MUG"})}})),
       "invalid_type", "/events/0/items/0"},
      {"refunded line without amount",
       with_event(test_orders::ev("refunded", "2025-03-04T00:00:00Z",
                                  {{"amount_minor", 100}, {"items", json::array({json{{"line_id", "MUG"}}})}})),
       "missing_field", "/events/0/items/0/amount_minor"},
      {"refunded lines beyond the refund",
       with_event(test_orders::ev("refunded", "2025-03-04T00:00:00Z",
                                  {{"amount_minor", 100},
                                   {"items", json::array({json{{"line_id", "MUG"}, {"amount_minor", 60}},
                                                          json{{"sku", "GIFT"}, {"amount_minor", 41}}})}})),
       "invalid_value", "/events/0/items"},
      {"empty package id", with_event(test_orders::ev("shipped", "2025-03-04T00:00:00Z", {{"package_id", ""}})),
       "invalid_value", "/events/0/package_id"},
      {"package id too long",
       with_event(test_orders::ev("delivered", "2025-03-04T00:00:00Z", {{"package_id", std::string(65, 'p')}})),
       "invalid_value", "/events/0/package_id"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    const auto e = order_error(c.doc);
    CHECK(e.code == c.code);
    CHECK(e.path == c.path);
    CHECK_FALSE(e.message.empty());
  }
}

TEST_CASE("document-level errors") {
  CHECK(order_error("").code == "invalid_json");
  CHECK(order_error("{\"order_id\": \"A\"").code == "invalid_json");
  CHECK(order_error("[]").code == "invalid_type");
  CHECK(order_error("\"\xff\xfe\"").code == "invalid_json");
  const auto dup = order_error(R"({"order_id": "A", "order_id": "B"})");
  CHECK(dup.code == "duplicate_key");
  CHECK(dup.path == "/order_id");
  std::string deep(100, '[');
  deep += std::string(100, ']');
  const auto too_deep = order_error(R"({"x": )" + deep + "}");
  CHECK(too_deep.code == "too_deep");
  CHECK(order_error(std::string(max_document_bytes + 1, ' ')).code == "too_large");
  json many = test_orders::base_order();
  for (std::size_t i = 0; i <= max_events; ++i)
    many["events"].push_back(test_orders::ev("payment_failed", "2025-03-03T18:01:00Z"));
  const auto too_many = order_error(many);
  CHECK(too_many.code == "too_many_events");
  CHECK(too_many.path == "/events");
}

TEST_CASE("the shipped policies parse; broken policies are refused precisely") {
  for (const auto& m : builtin_markets()) {
    CAPTURE(m);
    auto p = builtin_policy(m);
    REQUIRE_MESSAGE(p.ok(), (p.ok() ? "" : p.err().message));
    CHECK(p->cal.first_holiday_year() <= 2025);
    CHECK(p->cal.last_holiday_year() >= 2028);
  }
  CHECK(builtin_markets() == std::vector<std::string>{"GB", "ID", "US"});
  const json us = json::parse(builtin_policy_json("US"));
  auto policy_error = [](json p) {
    auto r = parse_policy(p.dump());
    REQUIRE_FALSE(r.ok());
    return r.err();
  };
  json p = us;
  p["weekend"] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  CHECK(policy_error(p).code == "no_working_days");
  p = us;
  p["holidays"] = {"2025-12-25", "2025-01-01"};
  CHECK(policy_error(p).path == "/holidays/1");
  p = us;
  p["tz_rule"] = "America/Los_Angeles";
  CHECK(policy_error(p).code == "invalid_tz_rule");
  p = us;
  p["weekend"] = {"Sat", "Saturday"};
  CHECK(policy_error(p).path == "/weekend/1");
  p = us;
  p["cutoff"] = "25:00";
  CHECK(policy_error(p).path == "/cutoff");
  p = us;
  p["metrics"]["max_late_dispatch_rate"] = 0.04001;
  CHECK(policy_error(p).path == "/metrics/max_late_dispatch_rate");
  p = us;
  p.erase("ship_by");
  CHECK(policy_error(p).path == "/ship_by");
  CHECK(builtin_policy("XX").err().code == "unknown_market");
}

// aftersale.return_receipt_days (docs/RULES.md "Policy document"): whole days
// 0..366 like the other aftersale day counts, 10 when absent; every shipped
// policy has the unconfirmed default 10.
TEST_CASE("aftersale.return_receipt_days: 0..366 days, 10 when absent, refused precisely") {
  for (const auto& m : builtin_markets()) {
    CAPTURE(m);
    CHECK(builtin_policy(m)->return_receipt_days == 10);
  }
  const json us = json::parse(builtin_policy_json("US"));
  auto with_days = [&](json v) {
    json p = us;
    p["aftersale"]["return_receipt_days"] = std::move(v);
    return parse_policy(p.dump());
  };
  CHECK(with_days(0)->return_receipt_days == 0);
  CHECK(with_days(366)->return_receipt_days == 366);
  for (const json bad : {json(367), json(-1), json(2.5)}) {
    CAPTURE(bad.dump());
    const auto r = with_days(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.err().code == "invalid_value");
    CHECK(r.err().path == "/aftersale/return_receipt_days");
  }
  const auto text = with_days("10");
  REQUIRE_FALSE(text.ok());
  CHECK(text.err().code == "invalid_type");
  CHECK(text.err().path == "/aftersale/return_receipt_days");
  json p = us;
  p["aftersale"].erase("return_receipt_days");
  CHECK(parse_policy(p.dump())->return_receipt_days == 10);
}
