// Properties of evaluate() over random orders (rapidcheck, seeded by ctest):
// determinism, independence from the document order of events, refunds never
// beyond what is owed, and time that only moves forward.
#include <doctest/doctest.h>
#include <rapidcheck.h>

#include <algorithm>
#include <array>
#include <numeric>

#include "test_orders.hpp"

using namespace ordertrail;
using test_orders::json;

namespace {

constexpr std::array<const char*, 20> event_types{"payment_succeeded",
                                                  "payment_failed",
                                                  "cancelled",
                                                  "cancel_requested",
                                                  "cancel_request_withdrawn",
                                                  "cancel_request_approved",
                                                  "cancel_request_rejected",
                                                  "ready_to_ship",
                                                  "shipped",
                                                  "delivery_attempt_failed",
                                                  "delivered",
                                                  "lost",
                                                  "edd_revised",
                                                  "return_requested",
                                                  "return_approved",
                                                  "return_rejected",
                                                  "return_shipped",
                                                  "return_received",
                                                  "refunded",
                                                  "completed"};
constexpr std::array<const char*, 8> reasons{
    "changed_mind", "out_of_stock",  "payment_failed", "lost_in_transit", "buyer_requested_off_platform",
    "risk_control", "pricing_error", "duplicate_order"};
constexpr std::array<const char*, 5> parties{"buyer", "seller", "platform", "operator", "carrier"};
constexpr std::array<const char*, 3> markets{"US", "GB", "ID"};
constexpr std::array<const char*, 3> currencies{"USD", "GBP", "IDR"};

// Seconds since 1970 of 2025-01-01 and the span we place orders in (3.5 years).
constexpr std::int64_t epoch_2025 = 1735689600;
constexpr std::int64_t span = 3 * 365 * 86400 + 180 * 86400;

std::string iso(std::int64_t secs) { return format_instant(instant{std::chrono::seconds{secs}}); }

// A random order whose events happen at distinct seconds within `horizon`
// seconds of placement, each with a unique id.
json random_order(std::int64_t& placed, std::int64_t horizon) {
  const std::size_t m = *rc::gen::inRange<std::size_t>(0, markets.size());
  placed = epoch_2025 + *rc::gen::inRange<std::int64_t>(0, span);
  const std::int64_t total = *rc::gen::inRange<std::int64_t>(0, 100000);
  json o{{"order_id", "P-" + std::to_string(placed)},
         {"market", markets[m]},
         {"seller_id", "S"},
         {"currency", currencies[m]},
         {"total_minor", total},
         {"items", json::array({json{{"sku", "A"}, {"qty", 1}, {"unit_price_minor", total}}})},
         {"payment_method", *rc::gen::inRange(0, 5) == 0 ? "cod" : "card"},
         {"placed_at", iso(placed)},
         {"events", json::array()}};
  if (*rc::gen::arbitrary<bool>())
    o["promise"] = {{"est_delivery", format_date(civil_date{date::sys_days{date::days{
                                         (placed + *rc::gen::inRange<std::int64_t>(86400, 20 * 86400)) / 86400}}})}};
  const int n = *rc::gen::inRange(0, 12);
  std::vector<std::int64_t> offsets;
  while (static_cast<int>(offsets.size()) < n) {
    const auto off = *rc::gen::inRange<std::int64_t>(0, horizon);
    if (std::find(offsets.begin(), offsets.end(), off) == offsets.end()) offsets.push_back(off);
  }
  for (int i = 0; i < n; ++i) {
    // Weighted toward the common path so that histories get far.
    const int pick = *rc::gen::inRange(0, 30);
    const char* type = pick < 20 ? event_types[static_cast<std::size_t>(pick)]
                                 : std::array{"payment_succeeded", "shipped",          "delivered", "ready_to_ship",
                                              "cancel_requested",  "return_requested", "refunded",  "payment_succeeded",
                                              "shipped",           "delivered"}[static_cast<std::size_t>(pick - 20)];
    json e{{"id", "e" + std::to_string(i)}, {"type", type}, {"at", iso(placed + offsets[static_cast<std::size_t>(i)])}};
    const std::string t = type;
    if (t == "cancelled") {
      e["by"] = parties[*rc::gen::inRange<std::size_t>(0, parties.size())];
      e["reason"] = reasons[*rc::gen::inRange<std::size_t>(0, reasons.size())];
    }
    if (t == "cancel_requested") e["by"] = "buyer";
    if (t == "refunded" || t == "payment_succeeded") e["amount_minor"] = *rc::gen::inRange<std::int64_t>(0, total + 1);
    if (t == "shipped" && *rc::gen::arbitrary<bool>()) {
      e["carrier"] = "UPS";
      e["tracking_number"] = "1Z";
    }
    if (t == "edd_revised") e["est_delivery"] = "2030-01-01";
    o["events"].push_back(std::move(e));
  }
  return o;
}

std::string evaluate_text(const json& order, std::int64_t now) { return evaluate_json(order.dump(), iso(now)); }

}  // namespace

TEST_CASE("same input, same bytes") {
  CHECK(rc::check("evaluate is deterministic", [] {
    std::int64_t placed = 0;
    const json o = random_order(placed, 60 * 86400);
    const std::int64_t now = placed + *rc::gen::inRange<std::int64_t>(0, 90 * 86400);
    RC_ASSERT(evaluate_text(o, now) == evaluate_text(json::parse(o.dump()), now));
  }));
}

TEST_CASE("the document order of events changes nothing") {
  CHECK(rc::check("shuffled events give the same evaluation", [] {
    std::int64_t placed = 0;
    const json o = random_order(placed, 60 * 86400);
    const std::int64_t now = placed + *rc::gen::inRange<std::int64_t>(0, 90 * 86400);
    std::vector<std::size_t> perm(o["events"].size());
    std::iota(perm.begin(), perm.end(), 0);
    // Fisher-Yates with generated choices, so rapidcheck can shrink it.
    std::vector<std::size_t> shuffled_perm = perm;
    for (std::size_t i = shuffled_perm.size(); i > 1; --i)
      std::swap(shuffled_perm[i - 1], shuffled_perm[*rc::gen::inRange<std::size_t>(0, i)]);
    json shuffled = o;
    shuffled["events"] = json::array();
    for (const auto i : shuffled_perm) shuffled["events"].push_back(o["events"][i]);
    json a = json::parse(evaluate_text(o, now));
    json b = json::parse(evaluate_text(shuffled, now));
    RC_ASSERT(a["schema"] == b["schema"]);
    if (a["schema"] != "ordertrail.evaluation/2") return;
    // Anomalies name events by document index: map b's back and compare as sets.
    auto anomalies = [](const json& list, const std::vector<std::size_t>* map) {
      std::vector<std::pair<std::string, std::size_t>> out;
      for (const auto& x : list) {
        // null: an anomaly of the document itself, not of one event.
        const auto idx = x["event_index"].is_null() ? SIZE_MAX : x["event_index"].get<std::size_t>();
        out.emplace_back(x["code"].get<std::string>(), map && idx != SIZE_MAX ? (*map)[idx] : idx);
      }
      std::sort(out.begin(), out.end());
      return out;
    };
    RC_ASSERT(anomalies(a["anomalies"], nullptr) == anomalies(b["anomalies"], &shuffled_perm));
    // The replay's event list names events by document index too.
    auto events = [](json list, const std::vector<std::size_t>* map) {
      std::vector<std::string> out;
      for (auto& x : list) {
        if (map) x["event_index"] = (*map)[x["event_index"].get<std::size_t>()];
        out.push_back(x.dump());
      }
      std::sort(out.begin(), out.end());
      return out;
    };
    RC_ASSERT(events(a["events"], nullptr) == events(b["events"], &shuffled_perm));
    for (auto* e : {&a, &b}) {
      e->erase("anomalies");
      e->erase("events");
    }
    RC_ASSERT(a == b);
  }));
}

TEST_CASE("the refund due never exceeds what was paid minus what was refunded") {
  CHECK(rc::check("refund bounded", [] {
    std::int64_t placed = 0;
    const json o = random_order(placed, 60 * 86400);
    const std::int64_t now = placed + *rc::gen::inRange<std::int64_t>(0, 90 * 86400);
    auto order = parse_order(o.dump());
    RC_ASSERT(order.ok());
    auto e = evaluate(*order, *builtin_policy(order->market), instant{std::chrono::seconds{now}});
    RC_ASSERT(e.ok());
    RC_ASSERT(e->refund.amount_minor >= 0);
    RC_ASSERT(e->refund.amount_minor <= std::max<std::int64_t>(0, e->paid_minor - e->refunded_minor));
    RC_ASSERT(e->refunded_minor <= e->paid_minor);
    if (!e->refund.eligible) RC_ASSERT(e->refund.amount_minor == 0);
  }));
}

TEST_CASE("a later now never reopens a cancelled order nor moves a due_at") {
  CHECK(rc::check("time moves forward", [] {
    std::int64_t placed = 0;
    const json o = random_order(placed, 60 * 86400);
    const std::int64_t t1 = placed + *rc::gen::inRange<std::int64_t>(0, 90 * 86400);
    const std::int64_t t2 = t1 + *rc::gen::inRange<std::int64_t>(1, 90 * 86400);
    const json a = json::parse(evaluate_text(o, t1));
    const json b = json::parse(evaluate_text(o, t2));
    if (a["effective_status"] == "CANCELLED") {
      RC_ASSERT(b["effective_status"] == "CANCELLED");
      RC_ASSERT(a["cancelled"] == b["cancelled"]);
    }
    // With every event already in the past at t1, the clocks keep their instants.
    std::int64_t last_event = placed;
    for (const auto& e : o["events"])
      last_event = std::max(last_event, parse_instant(e["at"].get<std::string>())->time_since_epoch().count());
    if (last_event > t1) return;
    for (const auto& d : a["obligations"])
      for (const auto& d2 : b["obligations"])
        if (d["id"] == d2["id"]) RC_ASSERT(d["due_at"] == d2["due_at"]);
    for (const auto& w : a["windows"])
      for (const auto& w2 : b["windows"])
        if (w["id"] == w2["id"]) {
          RC_ASSERT(w["opens_at"] == w2["opens_at"]);
          RC_ASSERT(w["closes_at"] == w2["closes_at"]);
        }
  }));
}

TEST_CASE("leaving out the texts changes no decision") {
  CHECK(rc::check("explain=false differs only in basis and explanation", [] {
    std::int64_t placed = 0;
    const json o = random_order(placed, 60 * 86400);
    const std::int64_t now = placed + *rc::gen::inRange<std::int64_t>(0, 90 * 86400);
    auto order = parse_order(o.dump());
    RC_ASSERT(order.ok());
    const auto p = *builtin_policy(order->market);
    const instant t{std::chrono::seconds{now}};
    auto full = evaluate(*order, p, t);
    auto lean = evaluate(*order, p, t, {.explain = false});
    RC_ASSERT(full.ok() == lean.ok());
    if (!full.ok()) return;
    json a = json::parse(to_json(*full));
    json b = json::parse(to_json(*lean));
    RC_ASSERT(b["explanation"].empty());
    for (json* j : {&a, &b}) {
      j->erase("explanation");
      for (const char* list : {"obligations", "windows"})
        for (auto& d : (*j)[list]) d.erase("basis");
    }
    RC_ASSERT(a == b);
  }));
}

TEST_CASE("appending the due events records them: nothing is due afterwards, nothing else changes") {
  CHECK(rc::check("due events are idempotent", [] {
    std::int64_t placed = 0;
    json o = random_order(placed, 60 * 86400);
    const std::int64_t now = placed + *rc::gen::inRange<std::int64_t>(0, 90 * 86400);
    const json before = json::parse(evaluate_text(o, now));
    if (before["schema"] != "ordertrail.evaluation/2") return;
    RC_TAG(before["due"].size());
    for (const auto& d : before["due"]) o["events"].push_back(d["event"]);
    json after = json::parse(evaluate_text(o, now));
    RC_ASSERT(after["due"].empty());
    for (const char* key : {"effective_status", "cancelled", "obligations", "windows", "refund", "next_actions",
                            "anomalies", "actions", "next_check_at"})
      RC_ASSERT(after[key] == before[key]);
  }));
}
