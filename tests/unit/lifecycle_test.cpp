// Lifecycle rules (SPEC 4, 5, 6; docs/RULES.md). The base order is placed Mon
// 2025-03-03 10:00 PST = 18:00Z and paid 18:05Z, so by hand:
//   payment due   18:00Z + 48 h                     = 2025-03-05T18:00:00Z
//   remorse due   18:05Z + 1 h                      = 2025-03-03T19:05:00Z
//   ship_by       7 working days after Mon 03-03   -> end of Wed 03-12 PDT = 2025-03-13T07:00:00Z
//   claim         est 03-14 + 7  = 03-21, end (PDT) = 2025-03-22T07:00:00Z
//   delivery      est 03-14 + 30 = 04-13, end (PDT) = 2025-04-14T07:00:00Z
#include <doctest/doctest.h>

#include <algorithm>

#include "test_orders.hpp"

using namespace ordertrail;
using test_orders::deadline_of;
using test_orders::ev;
using test_orders::eval_json;
using test_orders::json;

namespace {
json with(json o, std::initializer_list<json> events) {
  for (const auto& e : events) o["events"].push_back(e);
  return o;
}
json buyer_actions(const json& e) {
  json out = json::array();
  for (const auto& a : e["next_actions"])
    if (a["actor"] == "buyer") out.push_back(a);
  return out;
}
std::vector<std::string> codes(const json& list, const char* key) {
  std::vector<std::string> out;
  for (const auto& x : list) out.push_back(x[key].get<std::string>());
  return out;
}
}  // namespace

TEST_CASE("UNPAID: buyer and seller cancel instantly until the payment deadline, then it auto-cancels") {
  const json o = test_orders::base_order();
  const json before = eval_json(o, "2025-03-05T17:59:59Z");
  CHECK(before["status"] == "UNPAID");
  CHECK(before["status_code"] == 100);
  CHECK(before["cancellation"]["buyer"] ==
        json{{"mode", "instant"}, {"until", "2025-03-05T18:00:00Z"}, {"reason", nullptr}});
  CHECK(before["cancellation"]["seller"]["mode"] == "instant");
  CHECK(before["due"].empty());
  CHECK(codes(before["next_actions"], "code") == std::vector<std::string>{"pay_now", "cancel_now"});

  const json at = eval_json(o, "2025-03-05T18:00:00Z");
  CHECK(at["status"] == "UNPAID");
  CHECK(at["effective_status"] == "CANCELLED");
  REQUIRE(at["due"].size() == 1);
  CHECK(at["due"][0]["event"] ==
        json{{"type", "cancelled"}, {"at", "2025-03-05T18:00:00Z"}, {"by", "platform"}, {"reason", "payment_timeout"}});
  CHECK(at["cancelled"]["responsibility"] == "buyer");
  CHECK(at["refund"]["reason"] == "nothing_paid");
  CHECK(deadline_of(at, "payment")["state"] == "missed");
}

TEST_CASE("a payment exactly at the deadline is late; a second before is in time") {
  const json late = with(test_orders::base_order(), {ev("payment_succeeded", "2025-03-05T18:00:00Z")});
  const json e = eval_json(late, "2025-03-06T00:00:00Z");
  CHECK(e["effective_status"] == "CANCELLED");
  CHECK(e["cancelled"]["reason"] == "payment_timeout");
  CHECK(e["refund"] == json{{"eligible", true},
                            {"kind", "automatic"},
                            {"amount_minor", 5000},
                            {"currency", "USD"},
                            {"until", nullptr},
                            {"reason", "order_cancelled"},
                            {"parts", json::array()}});
  const json in_time = with(test_orders::base_order(), {ev("payment_succeeded", "2025-03-05T17:59:59Z")});
  CHECK(eval_json(in_time, "2025-03-06T00:00:00Z")["effective_status"] == "AWAITING_SHIPMENT");
}

TEST_CASE("ON_HOLD for the remorse hour after payment") {
  const json o = test_orders::paid_order();
  const json hold = eval_json(o, "2025-03-03T19:04:59Z");
  CHECK(hold["status"] == "ON_HOLD");
  CHECK(hold["cancellation"]["buyer"]["until"] == "2025-03-03T19:05:00Z");
  CHECK(hold["cancellation"]["seller"] == json{{"mode", "not_allowed"}, {"reason", "remorse_window"}});
  CHECK(eval_json(o, "2025-03-03T19:05:00Z")["status"] == "AWAITING_SHIPMENT");
}

TEST_CASE("ship-by: unshipped at the end of the 7th working day is cancelled, seller responsible, full refund") {
  const json o = test_orders::paid_order();
  const json before = eval_json(o, "2025-03-13T06:59:59Z");
  CHECK(before["effective_status"] == "AWAITING_SHIPMENT");
  CHECK(deadline_of(before, "ship_by")["due_at"] == "2025-03-13T07:00:00Z");
  CHECK(before["cancellation"]["buyer"]["mode"] == "request");
  const json after = eval_json(o, "2025-03-13T07:00:00Z");
  CHECK(after["effective_status"] == "CANCELLED");
  CHECK(after["cancelled"] == json{{"at", "2025-03-13T07:00:00Z"},
                                   {"by", "platform"},
                                   {"reason", "seller_late_ship"},
                                   {"responsibility", "seller"},
                                   {"automatic", true}});
  CHECK(after["refund"]["amount_minor"] == 5000);
  CHECK(deadline_of(after, "delivery")["state"] == "moot");
}

TEST_CASE("a request answered by nobody is approved at its deadline; auto-cancel wins a tie") {
  // Request at Mon 03-10 00:00Z: response due 03-12 00:00Z, before ship-by.
  const json early =
      with(test_orders::paid_order(), {ev("cancel_requested", "2025-03-10T00:00:00Z", {{"by", "buyer"}})});
  const json pending = eval_json(early, "2025-03-11T00:00:00Z");
  CHECK(pending["flags"]["cancel_request_pending"] == true);
  CHECK(pending["cancellation"]["buyer"] ==
        json{{"mode", "request"}, {"until", "2025-03-12T00:00:00Z"}, {"reason", "cancel_request_pending"}});
  CHECK(codes(buyer_actions(pending), "code") ==
        std::vector<std::string>{"wait_for_shipment", "withdraw_cancellation_request"});
  // The seller's: answer the request first (evaluation/2).
  CHECK(pending["next_actions"][2]["actor"] == "seller");
  CHECK(pending["next_actions"][2]["code"] == "answer_cancel_request");
  CHECK(pending["next_actions"][2]["primary"] == true);
  const json approved = eval_json(early, "2025-03-20T00:00:00Z");
  REQUIRE(approved["due"].size() == 1);
  CHECK(approved["due"][0]["action"] == "auto_approve");
  CHECK(approved["cancelled"]["reason"] == "buyer_request_approved");
  CHECK(approved["cancelled"]["responsibility"] == "buyer");
  CHECK(deadline_of(approved, "ship_by")["state"] == "moot");
  CHECK(deadline_of(approved, "cancel_request_response")["state"] == "missed");

  // Request exactly 48 h before ship-by: both fall due at 2025-03-13T07:00:00Z.
  const json tie = with(test_orders::paid_order(), {ev("cancel_requested", "2025-03-11T07:00:00Z", {{"by", "buyer"}})});
  const json t = eval_json(tie, "2025-03-13T07:00:00Z");
  REQUIRE(t["due"].size() == 1);
  CHECK(t["due"][0]["action"] == "auto_cancel");
  CHECK(t["cancelled"]["reason"] == "seller_late_ship");
}

TEST_CASE("a shipment closes a pending request; the buyer can no longer cancel") {
  const json o = with(test_orders::paid_order(),
                      {ev("cancel_requested", "2025-03-05T00:00:00Z", {{"by", "buyer"}}),
                       ev("shipped", "2025-03-05T12:00:00Z", {{"carrier", "UPS"}, {"tracking_number", "1Z"}})});
  const json e = eval_json(o, "2025-03-08T00:00:00Z");
  CHECK(e["status"] == "IN_TRANSIT");
  CHECK(e["flags"]["cancel_request_pending"] == false);
  CHECK(deadline_of(e, "cancel_request_response")["state"] == "moot");
  CHECK(e["cancellation"]["buyer"] == json{{"mode", "not_allowed"}, {"until", nullptr}, {"reason", "already_shipped"}});
  CHECK(deadline_of(e, "ship_by")["state"] == "met");
}

TEST_CASE("a late shipment meets an order already cancelled automatically") {
  const json o = with(test_orders::paid_order(), {ev("shipped", "2025-03-13T07:00:00Z")});
  const json e = eval_json(o, "2025-03-14T00:00:00Z");
  CHECK(e["status"] == "IN_TRANSIT");
  CHECK(e["effective_status"] == "CANCELLED");
  CHECK(deadline_of(e, "ship_by")["state"] == "missed");
  REQUIRE(e["anomalies"].size() == 1);
  CHECK(e["anomalies"][0]["code"] == "event_after_cancelled");
  CHECK(e["anomalies"][0]["event_index"] == 1);
}

TEST_CASE("lost parcel: carrier responsible, full refund") {
  const json o =
      with(test_orders::paid_order(), {ev("shipped", "2025-03-05T00:00:00Z"), ev("lost", "2025-03-10T00:00:00Z"),
                                       ev("refunded", "2025-03-09T00:00:00Z", {{"amount_minor", 1000}})});
  const json e = eval_json(o, "2025-03-11T00:00:00Z");
  CHECK(e["flags"]["lost"] == true);
  CHECK(e["cancelled"]["responsibility"] == "carrier");
  CHECK(e["refund"]["amount_minor"] == 4000);  // 5000 paid - 1000 already refunded
  CHECK(e["refund"]["reason"] == "lost_in_transit");
}

TEST_CASE("not received: claimable from the end of est+7, auto-cancelled at the end of est+30") {
  const json o = with(test_orders::paid_order(), {ev("shipped", "2025-03-05T00:00:00Z")});
  CHECK(eval_json(o, "2025-03-22T06:59:59Z")["refund"]["eligible"] == false);
  const json claim = eval_json(o, "2025-03-22T07:00:00Z");
  CHECK(claim["refund"]["kind"] == "refund_only");
  CHECK(claim["refund"]["until"] == "2025-04-14T07:00:00Z");
  CHECK(claim["next_actions"][0]["code"] == "claim_refund_not_received");
  const json late = eval_json(o, "2025-04-14T07:00:00Z");
  CHECK(late["cancelled"]["reason"] == "seller_late_delivery");
  CHECK(late["refund"]["kind"] == "automatic");
  CHECK(late["refund"]["reason"] == "seller_late_delivery");
}

TEST_CASE("an edd revision moves nothing") {
  const json o =
      with(test_orders::paid_order(), {ev("shipped", "2025-03-05T00:00:00Z"),
                                       ev("edd_revised", "2025-03-10T00:00:00Z", {{"est_delivery", "2025-04-30"}})});
  CHECK(deadline_of(eval_json(o, "2025-03-11T00:00:00Z"), "delivery")["due_at"] == "2025-04-14T07:00:00Z");
}

TEST_CASE("delivered: returns of returnable items until the window closes, then the order completes") {
  // Delivered Wed 03-12 13:00 PDT (20:00Z): window = 03-12 + 30 = 04-11, ends 2025-04-12T07:00:00Z.
  const json o =
      with(test_orders::paid_order(), {ev("shipped", "2025-03-05T00:00:00Z"), ev("delivered", "2025-03-12T20:00:00Z")});
  const json e = eval_json(o, "2025-03-20T00:00:00Z");
  CHECK(e["status"] == "DELIVERED");
  CHECK(e["cancellation"]["buyer"]["reason"] == "already_delivered");
  CHECK(e["refund"] == json{{"eligible", true},
                            {"kind", "return_and_refund"},
                            {"amount_minor", 3000},
                            {"currency", "USD"},
                            {"until", "2025-04-12T07:00:00Z"},
                            {"reason", "return_window_open"},
                            {"parts", json::array()}});
  const json done = eval_json(o, "2025-04-12T07:00:00Z");
  CHECK(done["status"] == "DELIVERED");
  CHECK(done["effective_status"] == "COMPLETED");
  CHECK(done["due"][0]["action"] == "auto_complete");
  CHECK(done["refund"]["eligible"] == false);
}

TEST_CASE("return flow: unanswered return approved automatically; refund of the returned items") {
  const json o =
      with(test_orders::paid_order(),
           {ev("shipped", "2025-03-05T00:00:00Z"), ev("delivered", "2025-03-12T20:00:00Z"),
            ev("return_requested", "2025-03-14T00:00:00Z", {{"items", {json{{"sku", "MUG"}, {"qty", 1}}}}})});
  const json e = eval_json(o, "2025-03-20T00:00:00Z");
  CHECK(e["flags"]["case_open"] == true);
  CHECK(e["due"][0]["action"] == "auto_approve_case");
  CHECK(e["due"][0]["event"]["case_id"] == "R1");
  CHECK(e["due"][0]["at"] == "2025-03-16T00:00:00Z");
  CHECK(e["refund"]["amount_minor"] == 1500);
  CHECK(e["refund"]["reason"] == "return_in_progress");
  // One MUG of two in the case (the GIFT is not returnable): the window stays open, used_at the request.
  CHECK(test_orders::window_of(e, "return")["state"] == "open");
  CHECK(test_orders::window_of(e, "return")["used_at"] == "2025-03-14T00:00:00Z");
}

TEST_CASE("anomalies are reported, not errors") {
  const json o =
      with(test_orders::paid_order(),
           {ev("delivered", "2025-03-06T00:00:00Z"), ev("refunded", "2025-03-07T00:00:00Z", {{"amount_minor", 9000}}),
            ev("completed", "2025-03-08T00:00:00Z"), ev("return_requested", "2025-03-09T00:00:00Z"),
            ev("refunded", "2025-03-07T00:00:00Z", {{"amount_minor", 9000}})});
  const json e = eval_json(o, "2025-03-10T00:00:00Z");
  CHECK(codes(e["anomalies"], "code") == std::vector<std::string>{"impossible_transition", "refund_exceeds_paid",
                                                                  "event_after_completed", "duplicate_event"});
  CHECK(e["effective_status"] == "COMPLETED");
}

TEST_CASE("an exact copy of an event without an id is applied once; a near copy is a separate event") {
  const auto dup_count = [](const json& e) {
    const auto all = codes(e["anomalies"], "code");
    return std::count(all.begin(), all.end(), std::string("duplicate_event"));
  };
  const json shipped = ev("shipped", "2025-03-05T00:00:00Z", {{"carrier", "UPS"}});
  // The copy written with its members in another order is still the same event.
  const json reordered = json::parse(R"({"carrier":"UPS","at":"2025-03-05T00:00:00Z","type":"shipped"})");
  CHECK(dup_count(eval_json(with(test_orders::paid_order(), {shipped, reordered}), "2025-03-06T00:00:00Z")) == 1);
  // Three copies among other events: two are copies.
  const json three =
      with(test_orders::paid_order(), {shipped, ev("delivered", "2025-03-06T00:00:00Z"), shipped, shipped});
  CHECK(dup_count(eval_json(three, "2025-03-07T00:00:00Z")) == 2);
  // Same type and instant, another carrier: two events (the second shipment is an anomaly of its own kind).
  const json other = ev("shipped", "2025-03-05T00:00:00Z", {{"carrier", "DHL"}});
  CHECK(dup_count(eval_json(with(test_orders::paid_order(), {shipped, other}), "2025-03-06T00:00:00Z")) == 0);
  // Same instant written another way (SPEC 1.2: compared after normalising): a copy.
  const json offset = ev("shipped", "2025-03-05T01:00:00+01:00", {{"carrier", "UPS"}});
  CHECK(dup_count(eval_json(with(test_orders::paid_order(), {shipped, offset}), "2025-03-06T00:00:00Z")) == 1);
  const json fraction = ev("shipped", "2025-03-05T00:00:00.000Z", {{"carrier", "\u0055PS"}});
  CHECK(dup_count(eval_json(with(test_orders::paid_order(), {shipped, fraction}), "2025-03-06T00:00:00Z")) == 1);
}

TEST_CASE("events after now have not happened yet") {
  const json o = with(test_orders::paid_order(), {ev("shipped", "2025-03-05T00:00:00Z")});
  CHECK(eval_json(o, "2025-03-04T00:00:00Z")["status"] == "AWAITING_SHIPMENT");
  CHECK(eval_json(o, "2025-03-06T00:00:00Z")["status"] == "IN_TRANSIT");
}

TEST_CASE("cash on delivery: confirmed at placement, nothing to refund until paid") {
  json o = test_orders::base_order();
  o["payment_method"] = "cod";
  const json e = eval_json(o, "2025-03-04T00:00:00Z");
  CHECK(e["status"] == "AWAITING_SHIPMENT");
  CHECK(deadline_of(e, "payment").is_null());
  const json c =
      eval_json(with(o, {ev("cancelled", "2025-03-04T00:00:00Z", {{"by", "seller"}, {"reason", "out_of_stock"}})}),
                "2025-03-05T00:00:00Z");
  CHECK(c["cancelled"]["responsibility"] == "seller");
  CHECK(c["refund"]["reason"] == "nothing_paid");
  CHECK(codes(c["next_actions"], "code") == std::vector<std::string>{"check_email", "reorder", "contact_support"});
}

TEST_CASE("responsibility follows the reason: an off-platform agreement still counts against the seller") {
  const json o =
      with(test_orders::paid_order(),
           {ev("cancelled", "2025-03-04T00:00:00Z", {{"by", "seller"}, {"reason", "buyer_requested_off_platform"}})});
  CHECK(eval_json(o, "2025-03-05T00:00:00Z")["cancelled"]["responsibility"] == "seller");
}

TEST_CASE("now before placement is an error") {
  auto o = parse_order(test_orders::base_order().dump());
  auto e = evaluate(*o, *builtin_policy("US"), *parse_instant("2025-03-03T17:59:59Z"));
  REQUIRE_FALSE(e.ok());
  CHECK(e.err().code == "now_before_placed");
  CHECK(e.err().path == "/placed_at");
}

// Issue 13 regressions found by the next_check_at property under random seeds.
TEST_CASE("a parcel shipped before payment has its delivery obligation (its auto-cancel needs no payment)") {
  // base_order: placed Mon 2025-03-03 10:00 PST, unpaid, est_delivery Fri 2025-03-14; shipped Tue 03-04.
  // delivery = end of (2025-03-14 + 30 d) = end of Sun 2025-04-13 PDT = 2025-04-14T07:00:00Z.
  const json o = with(test_orders::base_order(), {ev("shipped", "2025-03-04T18:00:00Z")});
  const json e = eval_json(o, "2025-03-04T19:00:00Z");
  CHECK(deadline_of(e, "delivery")["due_at"] == "2025-04-14T07:00:00Z");
  CHECK(deadline_of(e, "delivery")["state"] == "pending");
}

TEST_CASE("after a rejected return the order is checked again when the return window closes") {
  // Delivered Thu 2025-03-06 12:00 PST; return window = end of (Thu 03-06 + 30 d) = end of Sat 2025-04-05 PDT =
  // 2025-04-06T07:00:00Z. The return was requested and rejected: the window is used, no return is open, and the
  // order completes at that close, so next_check_at is it (every obligation is met by now).
  const json o =
      with(test_orders::paid_order(), {ev("shipped", "2025-03-04T18:00:00Z"), ev("delivered", "2025-03-06T20:00:00Z"),
                                       ev("return_requested", "2025-03-07T18:00:00Z", {{"items", {"MUG"}}}),
                                       ev("return_rejected", "2025-03-08T18:00:00Z")});
  const json e = eval_json(o, "2025-03-09T00:00:00Z");
  CHECK(test_orders::window_of(e, "return")["state"] == "used");
  CHECK(e["next_check_at"] == "2025-04-06T07:00:00Z");
  CHECK(eval_json(o, "2025-04-06T07:00:00Z")["effective_status"] == "COMPLETED");
}

// aftersale.return_window_from each_delivery (RULES "After-sales cases"): US policy/2 with
// return_window_days 3. CUP (1000) delivered Thu 2025-04-10 13:00 PDT (20:00Z): its own window
// ends at the end of 04-10 + 3 = Sun 04-13 PDT = 2025-04-14T07:00:00Z. LAMP (3500) delivered Mon
// 04-14 13:00 PDT: its window ends at the end of Thu 04-17 = 2025-04-18T07:00:00Z. The return window
// opens at the first delivery and closes with the last one's. Total 4500, no shipping.
TEST_CASE("each_delivery: every unit has its own return window; the latest closes the order's") {
  json policy = json::parse(test_orders::read_source("policies/US.json"));
  policy["aftersale"]["return_window_from"] = "each_delivery";
  policy["return_window_days"] = 3;
  const std::string policy_text = policy.dump();
  json o = test_orders::base_order();
  o["placed_at"] = "2025-04-08T16:00:00Z";
  o.erase("promise");  // the base order's estimate is before this placement
  o["total_minor"] = 4500;
  o["shipping_minor"] = 0;
  o["items"] = json::array({json{{"sku", "CUP"}, {"qty", 1}, {"unit_price_minor", 1000}},
                            json{{"sku", "LAMP"}, {"qty", 1}, {"unit_price_minor", 3500}}});
  o["events"] =
      json::array({ev("payment_succeeded", "2025-04-08T16:02:00Z", {{"amount_minor", 4500}}),
                   ev("shipped", "2025-04-09T18:00:00Z", {{"package_id", "P1"}, {"items", json::array({"CUP"})}}),
                   ev("shipped", "2025-04-09T19:00:00Z", {{"package_id", "P2"}, {"items", json::array({"LAMP"})}}),
                   ev("delivered", "2025-04-10T20:00:00Z", {{"package_id", "P1"}}),
                   ev("delivered", "2025-04-14T20:00:00Z", {{"package_id", "P2"}})});
  auto eval_at = [&](const json& order, const char* now) {
    return json::parse(ordertrail::evaluate_json(order.dump(), now, policy_text));
  };
  // 04-12: only the CUP was delivered; the window is open from that first delivery, until its end.
  const json early = eval_at(o, "2025-04-12T18:00:00Z");
  const json w = test_orders::window_of(early, "return");
  CHECK(w["opens_at"] == "2025-04-10T20:00:00Z");
  CHECK(w["closes_at"] == "2025-04-14T07:00:00Z");
  CHECK(w["amount_minor"] == 1000);
  // 04-15: the LAMP arrived (the window now closes with its own); the CUP's has ended.
  const json mid = test_orders::window_of(eval_at(o, "2025-04-15T18:00:00Z"), "return");
  CHECK(mid["closes_at"] == "2025-04-18T07:00:00Z");
  CHECK(mid["amount_minor"] == 3500);
  json late = o;
  late["events"].push_back(ev("return_requested", "2025-04-15T18:00:00Z",
                              {{"by", "buyer"}, {"reason", "changed_mind"}, {"items", json::array({"CUP", "LAMP"})}}));
  const json e = eval_at(late, "2025-04-15T19:00:00Z");
  REQUIRE(e["cases"].size() == 1);
  CHECK(e["cases"][0]["items"] == json::array({json{{"line_id", "LAMP"}, {"qty", 1}}}));
  CHECK(e["cases"][0]["amount_minor"] == 3500);
  REQUIRE(e["anomalies"].size() == 1);
  CHECK(e["anomalies"][0]["code"] == "case_not_allowed");         // the CUP, past its own window
  CHECK(test_orders::window_of(e, "return")["state"] == "used");  // nothing left to claim
}

// return_receipt (RULES "States and clocks"), on vector 350's order: a US
// return shipped back Tue 2025-10-28 10:00 PDT (17:00Z), 1 KETTLE worth 2000;
// its clock ends with the local date Tue 10-28 + 10 = Fri 11-07, at Sat 11-08
// 00:00 PST = 2025-11-08T08:00:00Z (DST ended on Sun 11-02 between).
TEST_CASE("return_receipt: what ends the seller's receipt clock, and policy/1 has none") {
  const json o = json::parse(test_orders::read_source(
      "tests/vectors/350_us_return_shipped_not_received_return_receipt_pending_across_dst.json"))["order"];
  const std::string v2 = test_orders::read_source("policies/US.json");
  auto eval_at = [](const json& order, const char* now, const std::string& policy) {
    return json::parse(ordertrail::evaluate_json(order.dump(), now, policy));
  };
  auto receipt = [](const json& e) {
    for (const auto& ob : e["obligations"])
      if (ob["id"] == "return_receipt") return ob;
    return json();
  };
  auto then = [&](const json& event) {
    json out = o;
    out["events"].push_back(event);
    return out;
  };
  const char* due = "2025-11-08T08:00:00Z";

  // Before the due: the seller's receipt is what the seller may record, by then.
  const json before = eval_at(o, "2025-11-06T20:00:00Z", v2);
  const auto received = std::find_if(before["actions"].begin(), before["actions"].end(),
                                     [](const json& a) { return a["type"] == "return_received"; });
  REQUIRE(received != before["actions"].end());
  CHECK((*received)["by"] == "seller");
  CHECK((*received)["until"] == due);
  CHECK((*received)["case_ids"] == json::array({"R1"}));

  // A refund of the whole amount while returned meets it (the case is refunded).
  const json paid = eval_at(
      then(ev("refunded", "2025-11-01T18:00:00Z", {{"by", "seller"}, {"amount_minor", 2000}, {"case_id", "R1"}})),
      "2025-11-09T12:00:00Z", v2);
  CHECK(paid["cases"][0]["status"] == "refunded");
  CHECK(receipt(paid)["state"] == "met");
  CHECK(receipt(paid)["met_at"] == "2025-11-01T18:00:00Z");
  CHECK(paid["due"].empty());

  // The platform closing the case first makes it moot.
  const json closed = eval_at(
      then(ev("case_closed", "2025-11-01T18:00:00Z", {{"by", "platform"}, {"reason", "withdrawn"}, {"case_id", "R1"}})),
      "2025-11-09T12:00:00Z", v2);
  CHECK(closed["cases"][0]["closed_reason"] == "withdrawn");
  CHECK(receipt(closed)["state"] == "moot");
  CHECK(receipt(closed)["moot_reason"] == "case_closed");

  // A receipt recorded at the due instant comes after the automatic refund
  // (the deadline actions of an instant come before its events): missed.
  const json late =
      eval_at(then(ev("return_received", due, {{"by", "seller"}, {"case_id", "R1"}})), "2025-11-09T12:00:00Z", v2);
  CHECK(late["cases"][0]["status"] == "refunded");
  CHECK(late["cases"][0]["closed_at"] == due);
  CHECK(receipt(late)["state"] == "missed");
  REQUIRE(late["due"].size() == 1);
  CHECK(late["due"][0]["action"] == "auto_refund_case");
  REQUIRE(late["anomalies"].size() == 1);
  CHECK(late["anomalies"][0]["code"] == "case_closed");

  // policy/1 keeps v1: no receipt clock, the case waits for the seller, undated.
  const json v1 = eval_at(o, "2026-06-01T00:00:00Z", test_orders::v1_policy_text("US"));
  CHECK(v1["cases"][0]["status"] == "returned");
  CHECK(receipt(v1).is_null());
  CHECK(v1["due"].empty());
  const auto seller = std::find_if(v1["next_actions"].begin(), v1["next_actions"].end(),
                                   [](const json& a) { return a["code"] == "receive_return"; });
  REQUIRE(seller != v1["next_actions"].end());
  CHECK((*seller)["priority"] == 2);
  CHECK((*seller)["until"].is_null());
}
