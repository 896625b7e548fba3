// The checkout quote and seller metrics, worked by hand.
#include <doctest/doctest.h>

#include "test_orders.hpp"

using namespace ordertrail;
using test_orders::ev;
using test_orders::json;

TEST_CASE("checkout quote for an order placed Mon 2025-03-03 10:00 PST in the US") {
  // dispatch: 2 working days after Mon 03-03 = Wed 03-05, ends 2025-03-06T08:00Z (PST);
  // delivery: 3 and 5 working days after Wed 03-05 = Mon 03-10 and Wed 03-12;
  // auto-cancel: 03-12 + 30 = 04-11, ends 2025-04-12T07:00Z (PDT); claim: 03-19 ends 03-20T07:00Z.
  auto q = make_quote(*builtin_policy("US"), {*parse_instant("2025-03-03T18:00:00Z"), std::nullopt, std::nullopt});
  REQUIRE(q.ok());
  CHECK(format_instant(q->pay_by) == "2025-03-05T18:00:00Z");
  CHECK(format_instant(q->free_cancellation_until) == "2025-03-03T19:00:00Z");
  CHECK(format_date(q->dispatch_date) == "2025-03-05");
  CHECK(format_instant(q->dispatch_by) == "2025-03-06T08:00:00Z");
  CHECK(format_instant(q->ship_by) == "2025-03-13T07:00:00Z");
  CHECK(format_date(q->delivery_earliest) == "2025-03-10");
  CHECK(format_date(q->delivery_latest) == "2025-03-12");
  CHECK(format_instant(q->delivery_auto_cancel) == "2025-04-12T07:00:00Z");
  CHECK(format_instant(q->not_received_claim_from) == "2025-03-20T07:00:00Z");
  CHECK(q->return_window_days == 30);
}

TEST_CASE("quote requests as JSON, with errors as values") {
  const json ok =
      json::parse(quote_json(R"({"market":"US","at":"2025-03-03T18:00:00Z","handling_days":0,"transit_days":[1,1]})"));
  CHECK(ok["schema"] == "ordertrail.quote/1");
  CHECK(ok["dispatch_date"] == "2025-03-03");    // 0 handling days: the day itself
  CHECK(ok["delivery_latest"] == "2025-03-04");  // 1 working day after
  const json bad = json::parse(quote_json(R"({"market":"US","at":"tomorrow"})"));
  CHECK(bad["code"] == "invalid_instant");
  CHECK(bad["path"] == "/at");
  CHECK(json::parse(quote_json(R"({"market":"ZZ","at":"2025-03-03T18:00:00Z"})"))["code"] == "unknown_market");
  CHECK(json::parse(quote_json(R"({"at":"2025-03-03T18:00:00Z"})"))["path"] == "/market");
}

TEST_CASE("seller metrics over a window") {
  const auto us = *builtin_policy("US");
  const auto now = *parse_instant("2025-04-30T00:00:00Z");
  metrics_accumulator acc(*parse_date("2025-03-01"), *parse_date("2025-03-31"));
  auto add = [&](json o) {
    auto order = parse_order(o.dump());
    REQUIRE(order.ok());
    acc.add(*order, us, *evaluate(*order, us, now));
  };
  // US policy/2: placed Mon 2025-03-03 10:00 PST; dispatch_by = end of the 2nd working day (Tue 04, Wed 05) =
  // 2025-03-06T08:00:00Z (PST); ship_by (the auto-cancel) = end of Wed 03-12 = 2025-03-13T07:00:00Z (PDT).
  json shipped_in_time = test_orders::paid_order();  // shipped Tue 03-04 16:00 PST: before dispatch_by
  shipped_in_time["events"].push_back(
      ev("shipped", "2025-03-05T00:00:00Z", {{"carrier", "UPS"}, {"tracking_number", "1Z"}}));
  shipped_in_time["events"].push_back(ev("delivered", "2025-03-14T20:00:00Z"));  // est 03-14: on time
  add(shipped_in_time);
  json late_untracked = test_orders::paid_order();
  late_untracked["order_id"] = "T-2";
  // Before ship_by (no auto-cancel) but a week after dispatch_by: a late dispatch, and no tracking.
  late_untracked["events"].push_back(ev("shipped", "2025-03-13T06:59:59Z"));
  late_untracked["events"].push_back(ev("delivered", "2025-03-15T08:00:00Z"));  // 03-15 local: late
  add(late_untracked);
  json never_shipped = test_orders::paid_order();  // auto-cancelled seller_late_ship
  never_shipped["order_id"] = "T-3";
  add(never_shipped);
  json unpaid = test_orders::base_order();  // auto-cancelled payment_timeout (buyer)
  unpaid["order_id"] = "T-4";
  add(unpaid);
  json other_seller = test_orders::paid_order();
  other_seller["seller_id"] = "S-2";
  other_seller["placed_at"] = "2025-02-10T18:00:00Z";  // outside the window, ship-by too
  add(other_seller);

  const auto rows = acc.results();
  REQUIRE(rows.size() == 1);
  const auto& m = rows[0];
  CHECK(m.seller_id == "S-1");
  CHECK(m.orders == 4);
  CHECK(m.paid == 3);
  CHECK(m.cancelled_by_seller == 1);
  CHECK(m.cancelled_by_buyer == 1);
  CHECK(m.seller_fault_cancellation.numerator == 1);
  CHECK(m.seller_fault_cancellation.denominator == 3);
  CHECK(m.seller_fault_cancellation.decimal() == "0.3333");
  CHECK(m.seller_fault_cancellation.breached());  // limit 0.025
  CHECK(m.late_dispatch.numerator == 2);          // T-2, shipped after dispatch_by, and the never-shipped T-3
  CHECK(m.late_dispatch.denominator == 3);
  CHECK(m.valid_tracking.numerator == 1);
  CHECK(m.valid_tracking.denominator == 2);
  CHECK(m.valid_tracking.breached());  // 0.5 < 0.95
  CHECK(m.on_time_delivery.numerator == 1);
  CHECK(m.on_time_delivery.denominator == 2);
  const json j = json::parse(to_json(rows, *parse_date("2025-03-01"), *parse_date("2025-03-31")));
  CHECK(j["sellers"][0]["late_dispatch_rate"]["value"] == 0.6667);  // 2 / 3
  CHECK(j["sellers"][0]["valid_tracking_rate"]["threshold"] == 0.95);
  CHECK(j["sellers"][0]["breach"] == true);
}

TEST_CASE("valid tracking and on-time delivery count packages (review repro E)") {
  // One order, two packages: package 1 (2 x MUG) shipped with a carrier and a
  // tracking number, delivered Thu 03-13 (est 03-14: on time); package 2
  // (GIFT) shipped with neither, delivered Sat 03-15 local (late). Valid
  // tracking 1/2 and on time 1/2, where the per-order count said 1/1 and 0/1.
  const auto us = *builtin_policy("US");
  const auto now = *parse_instant("2025-04-30T00:00:00Z");
  metrics_accumulator acc(*parse_date("2025-03-01"), *parse_date("2025-03-31"));
  json o = test_orders::paid_order();
  o["events"].push_back(
      ev("shipped", "2025-03-04T20:00:00Z",
         {{"package_id", "P1"}, {"items", json::array({"MUG"})}, {"carrier", "UPS"}, {"tracking_number", "1Z999"}}));
  o["events"].push_back(
      ev("shipped", "2025-03-05T20:00:00Z", {{"package_id", "P2"}, {"items", json::array({"GIFT"})}}));
  o["events"].push_back(ev("delivered", "2025-03-13T20:00:00Z", {{"package_id", "P1"}}));
  o["events"].push_back(ev("delivered", "2025-03-15T20:00:00Z", {{"package_id", "P2"}}));
  auto order = parse_order(o.dump());
  REQUIRE(order.ok());
  const auto e = evaluate(*order, us, now);
  REQUIRE(e.ok());
  REQUIRE(e->packages.size() == 2);
  acc.add(*order, us, *e);
  const auto rows = acc.results();
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].valid_tracking.numerator == 1);
  CHECK(rows[0].valid_tracking.denominator == 2);
  CHECK(rows[0].valid_tracking.decimal() == "0.5000");
  CHECK(rows[0].on_time_delivery.numerator == 1);
  CHECK(rows[0].on_time_delivery.denominator == 2);
  CHECK(rows[0].late_dispatch.numerator == 0);  // both shipped before ship-by
  CHECK(rows[0].late_dispatch.denominator == 1);
}

TEST_CASE("a seller's cancellation of some units counts as a seller-fault cancellation (SPEC 5)") {
  // The review's repro F: the kettle cancelled for out_of_stock, the mug
  // shipped. One confirmed order with a seller-responsible cancellation of
  // some units: 1/1 (the whole-order count said 0/1). A second line
  // cancellation on the same order does not count it twice.
  const auto us = *builtin_policy("US");
  const auto now = *parse_instant("2025-04-30T00:00:00Z");
  metrics_accumulator acc(*parse_date("2025-03-01"), *parse_date("2025-03-31"));
  json o = test_orders::paid_order();
  o["events"].push_back(ev(
      "cancelled", "2025-03-04T17:00:00Z",
      {{"by", "seller"}, {"reason", "out_of_stock"}, {"items", json::array({json{{"line_id", "MUG"}, {"qty", 1}}})}}));
  o["events"].push_back(ev(
      "cancelled", "2025-03-04T17:30:00Z",
      {{"by", "seller"}, {"reason", "out_of_stock"}, {"items", json::array({json{{"line_id", "MUG"}, {"qty", 1}}})}}));
  o["events"].push_back(ev("shipped", "2025-03-05T19:30:00Z", {{"carrier", "UPS"}, {"tracking_number", "1Z"}}));
  o["events"].push_back(ev("delivered", "2025-03-10T19:30:00Z"));
  auto order = parse_order(o.dump());
  REQUIRE(order.ok());
  const auto e = evaluate(*order, us, now);
  REQUIRE(e.ok());
  REQUIRE(e->line_cancellations.size() == 2);
  REQUIRE_FALSE(e->cancelled.has_value());
  acc.add(*order, us, *e);
  const auto rows = acc.results();
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].seller_fault_cancellation.numerator == 1);
  CHECK(rows[0].seller_fault_cancellation.denominator == 1);
}

TEST_CASE("quote arguments out of range are refused by the core") {
  const auto us = *builtin_policy("US");
  const auto at = *parse_instant("2025-03-03T18:00:00Z");
  CHECK(make_quote(us, {at, 367, std::nullopt}).err().path == "/handling_days");
  CHECK(make_quote(us, {at, -1, std::nullopt}).err().code == "invalid_value");
  CHECK(make_quote(us, {at, std::nullopt, std::array<int, 2>{5, 3}}).err().path == "/transit_days");
  CHECK(json::parse(quote_json(R"({"market":"US","at":"2025-03-03T18:00:00Z","transit_days":[5,3]})"))["path"] ==
        "/transit_days");
}
