// Small builders for test orders: a base document plus events, as JSON text.
#pragma once

#include <fstream>
#include <iterator>
#include <map>
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
              {"items", json::array({json{{"sku", "MUG"}, {"name", "Mug"}, {"qty", 2}, {"unit_price_minor", 1500}},
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

// A file of the source tree, whole.
inline std::string read_source(const std::string& rel) {
  std::ifstream in(std::string(ORDERTRAIL_SOURCE_DIR) + "/" + rel, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot read " << rel);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The market's `ordertrail.policy/1` document as v1 shipped it (kept in
// tests/vectors/policies). The unit tests and properties written for v1 run
// under it: SPEC 3 says a policy/1 document keeps its v1 behaviour, and the
// v2 policies are covered by the golden vectors 250 onwards.
inline std::string v1_policy_text(const std::string& market) {
  return read_source("tests/vectors/policies/" + market + "-v1.json");
}

// The v1 `deadlines` read from the /2 clocks: the obligations as they are,
// free_cancellation as `remorse` (its close), not_received_claim at its
// opening while upcoming and at its close after, return as `return_window`
// (its close).
inline json deadlines_of(const json& e) {
  json out = json::array();
  if (!e.contains("obligations")) return out;
  for (const auto& d : e["obligations"]) out.push_back(d);
  for (const auto& w : e["windows"]) {
    json d = w;
    if (w["id"] == "free_cancellation") {
      if (w["state"] == "void" || w["closes_at"].is_null()) continue;
      d["id"] = "remorse";
      d["due_at"] = w["closes_at"];
    } else if (w["id"] == "not_received_claim") {
      d["due_at"] = w["opens_at"];
      if (w["state"] != "upcoming") {
        if (w["closes_at"].is_null()) continue;
        d["due_at"] = w["closes_at"];
      }
    } else if (w["id"] == "return") {
      d["id"] = "return_window";
      d["due_at"] = w["closes_at"];
    } else {
      continue;
    }
    out.push_back(d);
  }
  return out;
}
inline json deadline_of(const json& e, const char* id) {
  for (const auto& d : deadlines_of(e))
    if (d["id"] == id) return d;
  return nullptr;
}
inline json window_of(const json& e, const char* id) {
  for (const auto& w : e["windows"])
    if (w["id"] == id) return w;
  return nullptr;
}

// Evaluates under the market's policy/1 document; fails the test on error.
inline ordertrail::evaluation eval(const json& order, const char* now) {
  auto o = ordertrail::parse_order(order.dump());
  REQUIRE_MESSAGE(o.ok(), (o.ok() ? "" : o.err().message));
  auto p = ordertrail::parse_policy(v1_policy_text(o->market));
  REQUIRE(p.ok());
  auto e = ordertrail::evaluate(*o, *p, *ordertrail::parse_instant(now));
  REQUIRE_MESSAGE(e.ok(), (e.ok() ? "" : e.err().message));
  return *e;
}

inline json eval_json(const json& order, const char* now) { return json::parse(ordertrail::to_json(eval(order, now))); }

// An instant of the evaluation JSON (a string), in seconds since 1970.
inline std::int64_t secs(const json& s) {
  return ordertrail::parse_instant(s.get<std::string>())->time_since_epoch().count();
}

// Returns "" when `actual` contains `expected` (objects as subsets, arrays
// element by element with equal length), else where and how it differs: the
// golden vectors' comparison (tests/vectors, tests/decisions).
inline std::string difference(const json& expected, const json& actual, const std::string& path) {
  if (expected.is_object()) {
    if (!actual.is_object()) return path + ": expected an object, got " + actual.dump();
    for (const auto& [k, v] : expected.items()) {
      if (!actual.contains(k)) return path + "/" + k + ": missing";
      if (auto m = difference(v, actual[k], path + "/" + k); !m.empty()) return m;
    }
    return {};
  }
  if (expected.is_array()) {
    if (!actual.is_array() || actual.size() != expected.size())
      return path + ": expected " + expected.dump() + ", got " + actual.dump();
    for (std::size_t i = 0; i < expected.size(); ++i)
      if (auto m = difference(expected[i], actual[i], path + "/" + std::to_string(i)); !m.empty()) return m;
    return {};
  }
  if (expected != actual) return path + ": expected " + expected.dump() + ", got " + actual.dump();
  return {};
}

// The embedded policy/2 of the market, or its policy/1 document; parsed once.
inline const ordertrail::policy& policy_of(const std::string& market, bool v2) {
  static const auto parsed = [] {
    std::map<std::string, ordertrail::policy> out;
    for (const std::string m : {"US", "GB", "ID"}) {
      out.emplace(m + "/2", *ordertrail::builtin_policy(m));
      out.emplace(m + "/1", *ordertrail::parse_policy(v1_policy_text(m)));
    }
    return out;
  }();
  return parsed.at(market + (v2 ? "/2" : "/1"));
}

}  // namespace test_orders

// ---------------------------------------------------------------------------
// Random histories for the property tests (tests/unit/forward_test.cpp): an
// order that walks the lifecycle (payment, cancel requests and answers,
// packing, shipment, delivery or loss, returns and their answers, refunds,
// completion) with random gaps, plus noise: events at the same instant as
// another, fractional seconds, events without ids, other parties' events,
// and re-deliveries of earlier events spelled differently (another offset, a
// `.000` fraction, lower-case `t`/`z`, a `note`, an unknown field).
// Call only inside a rapidcheck property (it draws with `*rc::gen::...`).
#include <rapidcheck.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <vector>

namespace test_orders {

// A value in [lo, hi), drawn from the whole range whatever rapidcheck's size
// (gen::inRange scales with size: at size 0 it always gives lo); it still
// shrinks toward lo.
template <class T>
T draw(T lo, T hi) {
  return *rc::gen::resize(100, rc::gen::inRange<T>(lo, hi));
}
// True `percent` times in 100.
inline bool chance(int percent) { return draw<int>(0, 100) < percent; }

struct history_options {
  bool duplicates = true;        // re-deliveries (same id or no id), spelled differently
  bool conflicting_ids = false;  // an id reused with other content (conflicting_duplicate)
  bool odd_parties = true;       // a seller's cancel request, a buyer's approval, cancellations by anyone
  bool before_placed = false;    // events and estimates before placed_at (D1d, D12)
  std::int64_t span_days = 60;   // how far after placement the story may go
};

struct history {
  json order;
  std::int64_t placed = 0;  // seconds since 1970
};

inline std::string iso_at(std::int64_t secs) {
  return ordertrail::format_instant(ordertrail::instant{std::chrono::seconds{secs}});
}

// `secs` written another way with the same instant to the second: an offset
// (+05:30, -07:00, +14:00 ...), a fraction that truncates to the same second,
// lower-case separators.
inline std::string respell(std::int64_t secs, int how) {
  static constexpr std::array<int, 6> offsets{330, -420, 840, -840, 60, -1};
  if (how == 8) return iso_at(secs);
  const int k = ((how % 8) + 8) % 8;
  if (k < 6) {
    const int off = offsets[static_cast<std::size_t>(k)];  // minutes east of UTC
    std::string s = iso_at(secs + off * 60);               // local wall time, written as if Z
    s.pop_back();
    const int a = off < 0 ? -off : off;
    char buf[8];
    std::snprintf(buf, sizeof buf, "%c%02d:%02d", off < 0 ? '-' : '+', a / 60, a % 60);
    return s + buf;
  }
  std::string s = iso_at(secs);
  s.pop_back();
  if (k == 6) return s + ".000Z";
  s[10] = 't';
  return s + ".999z";
}

// The markets of the random histories, and their currencies.
inline constexpr std::array<const char*, 3> markets{"US", "GB", "ID"};
inline constexpr std::array<const char*, 3> currencies{"USD", "GBP", "IDR"};

// A random history's order before its events: market `markets[m]`, seller S,
// buyer B, paid by card or cash on delivery.
inline json order_base(const std::string& order_id, std::size_t m, std::int64_t placed, std::int64_t total,
                       const json& items, bool cod) {
  return json{{"order_id", order_id},
              {"market", markets[m]},
              {"seller_id", "S"},
              {"buyer_id", "B"},
              {"currency", currencies[m]},
              {"total_minor", total},
              {"items", items},
              {"payment_method", cod ? "cod" : "card"},
              {"placed_at", iso_at(placed)},
              {"events", json::array()}};
}

// Random lines (SPEC 1.1), with what events may call each one.
struct random_lines {
  json items = json::array();
  std::vector<std::string> refs;  // its line_id when it has one, else its sku
  std::vector<std::int64_t> qty;
  std::int64_t value = 0;  // the sum of qty * unit_price_minor

  // Line `i`: `sku`, 1..max_qty units at 0..5000 (0 one time in five),
  // not returnable one time in five, line_id "L<i>" one time in four.
  void add(int i, const std::string& sku, std::int64_t max_qty) {
    const std::int64_t q = draw<std::int64_t>(1, max_qty + 1);
    const std::int64_t price = chance(20) ? 0 : draw<std::int64_t>(0, 5001);
    json line{{"sku", sku}, {"name", "item " + std::to_string(i)}, {"qty", q}, {"unit_price_minor", price}};
    if (chance(20)) line["returnable"] = false;
    std::string id = sku;
    if (chance(25)) {
      id = "L" + std::to_string(i);
      line["line_id"] = id;
    }
    items.push_back(line);
    refs.push_back(id);
    qty.push_back(q);
    value += q * price;
  }
};

inline history random_history(const history_options& opt = {}) {
  static constexpr std::array<const char*, 19> reasons{"changed_mind",
                                                       "wrong_item_selected",
                                                       "duplicate_order",
                                                       "better_price_elsewhere",
                                                       "payment_timeout",
                                                       "seller_late_ship",
                                                       "seller_late_delivery",
                                                       "out_of_stock",
                                                       "pricing_error",
                                                       "cannot_ship_to_address",
                                                       "buyer_requested_off_platform",
                                                       "payment_failed",
                                                       "account_issue",
                                                       "risk_control",
                                                       "address_undeliverable",
                                                       "delivery_restricted",
                                                       "lost_in_transit",
                                                       "changed_mind",
                                                       "out_of_stock"};
  static constexpr std::array<const char*, 5> parties{"buyer", "seller", "platform", "operator", "carrier"};
  static constexpr std::array<const char*, 3> skus{"A", "B", "C"};

  history h;
  const auto m = draw<std::size_t>(0, markets.size());
  // Placed 2025-01-01 .. 2028-06-30, at any second.
  h.placed = 1735689600 + draw<std::int64_t>(0, 3 * 365 * 86400 + 180 * 86400);
  const bool cod = chance(15);
  json items = json::array();
  std::int64_t lines_value = 0;
  const int n_lines = draw<int>(1, 4);
  for (int i = 0; i < n_lines; ++i) {
    const std::int64_t qty = draw<std::int64_t>(1, 4);
    const std::int64_t unit = draw<std::int64_t>(0, 5000);
    json line{{"sku", skus[static_cast<std::size_t>(i)]}, {"qty", qty}, {"unit_price_minor", unit}};
    if (chance(20)) line["returnable"] = false;
    items.push_back(line);
    lines_value += qty * unit;
  }
  const std::int64_t total = lines_value + (chance(50) ? draw<std::int64_t>(0, 800) : 0);
  json o = order_base("H-" + std::to_string(h.placed), m, h.placed, total, items, cod);
  const int est = draw<int>(0, 100);
  if (est < 50) {
    o["promise"] = {{"est_delivery", ordertrail::format_date(ordertrail::civil_date{date::sys_days{
                                         date::days{(h.placed + draw<std::int64_t>(0, 21 * 86400)) / 86400}}})}};
  } else if (est < 55 && opt.before_placed) {
    o["promise"] = {{"est_delivery", ordertrail::format_date(ordertrail::civil_date{date::sys_days{
                                         date::days{(h.placed - draw<std::int64_t>(86400, 400 * 86400)) / 86400}}})}};
  }

  // Gaps: mostly minutes to days, sometimes weeks; a fraction of the events
  // share the instant of the previous one (ties at one D).
  std::int64_t t = h.placed;
  auto gap = [&]() -> std::int64_t {
    const int kind = draw<int>(0, 100);
    if (kind < 12) return 0;
    if (kind < 40) return draw<std::int64_t>(1, 6 * 3600);
    if (kind < 85) return draw<std::int64_t>(3600, 4 * 86400);
    return draw<std::int64_t>(86400, opt.span_days * 86400 / 2);
  };
  struct raw_event {
    json e;
    std::int64_t at;
  };
  std::vector<raw_event> story;
  int next_id = 0;
  auto push = [&](json e, std::int64_t at) {
    e["at"] = iso_at(at);
    if (chance(85)) e["id"] = "e" + std::to_string(next_id++);
    story.push_back({std::move(e), at});
  };
  auto by = [&](const char* usual) -> const char* {
    if (opt.odd_parties && chance(8)) return parties[draw<std::size_t>(0, parties.size())];
    return usual;
  };
  auto some_items = [&]() {
    json list = json::array();
    for (std::size_t i = 0; i < items.size(); ++i)
      if (chance(60)) {
        if (chance(50))
          list.push_back(items[i]["sku"]);
        else
          list.push_back(
              json{{"sku", items[i]["sku"]}, {"qty", draw<std::int64_t>(1, items[i]["qty"].get<std::int64_t>() + 1)}});
      }
    if (chance(5)) list.push_back("NOPE");
    return list;
  };

  if (!cod && chance(10)) push(json{{"type", "payment_failed"}, {"reason", "card_declined"}}, t += gap());
  bool paid = cod;
  if (!cod && chance(85)) {
    json p{{"type", "payment_succeeded"}};
    const int a = draw<int>(0, 100);
    if (a < 60)
      p["amount_minor"] = total;
    else if (a < 70)
      p["amount_minor"] = draw<std::int64_t>(0, total + 1);
    else if (a < 75)
      p["amount_minor"] = total + draw<std::int64_t>(1, 2000);
    // else: amount_minor absent = total_minor
    push(p, t += gap());
    paid = true;
    if (a >= 60 && a < 70 && chance(50)) {  // the rest, later
      push(json{{"type", "payment_succeeded"}, {"amount_minor", draw<std::int64_t>(0, total + 1)}}, t += gap());
    }
  }
  if (chance(20)) {
    push(json{{"type", "cancel_requested"}, {"by", by("buyer")}, {"reason", "changed_mind"}}, t += gap());
    const int answer = draw<int>(0, 5);
    if (answer == 0) push(json{{"type", "cancel_request_approved"}, {"by", by("seller")}}, t += gap());
    if (answer == 1)
      push(json{{"type", "cancel_request_rejected"}, {"by", by("seller")}, {"reason", "already_packed"}}, t += gap());
    if (answer == 2) push(json{{"type", "cancel_request_withdrawn"}, {"by", "buyer"}}, t += gap());
  }
  if (chance(12)) {
    push(json{{"type", "cancelled"},
              {"by", parties[draw<std::size_t>(0, parties.size())]},
              {"reason", reasons[draw<std::size_t>(0, reasons.size())]}},
         t += gap());
  }
  bool shipped = false;
  if (paid && chance(35)) push(json{{"type", "ready_to_ship"}, {"by", "seller"}}, t += gap());
  if ((paid || chance(10)) && chance(80)) {
    json s{{"type", "shipped"}, {"by", "seller"}};
    if (chance(70)) {
      s["carrier"] = "UPS";
      s["tracking_number"] = "1Z" + std::to_string(h.placed % 1000);
    }
    push(s, t += gap());
    shipped = true;
  }
  bool delivered = false;
  if (shipped) {
    if (chance(20)) push(json{{"type", "delivery_attempt_failed"}, {"reason", "nobody_home"}}, t += gap());
    if (chance(10)) push(json{{"type", "edd_revised"}, {"est_delivery", "2030-01-01"}}, t += gap());
    const int fate = draw<int>(0, 100);
    if (fate < 10)
      push(json{{"type", "lost"}, {"by", "carrier"}}, t += gap());
    else if (fate < 80) {
      push(json{{"type", "delivered"}, {"by", "carrier"}}, t += gap());
      delivered = true;
    }
  }
  if (delivered && chance(45)) {
    json r{{"type", "return_requested"}, {"by", "buyer"}, {"reason", "damaged"}};
    if (chance(60)) {
      json list = some_items();
      if (!list.empty()) r["items"] = std::move(list);
    }
    push(r, t += gap());
    const int answer = draw<int>(0, 100);
    if (answer < 60) {
      push(json{{"type", "return_approved"}, {"by", by("seller")}}, t += gap());
      if (chance(70)) {
        push(json{{"type", "return_shipped"}, {"by", "buyer"}, {"tracking_number", "RT"}}, t += gap());
        if (chance(75)) {
          push(json{{"type", "return_received"}, {"by", "seller"}}, t += gap());
          if (chance(70))
            push(json{{"type", "refunded"}, {"by", "platform"}, {"amount_minor", draw<std::int64_t>(0, total + 1)}},
                 t += gap());
        }
      }
    } else if (answer < 80) {
      push(json{{"type", "return_rejected"}, {"by", "seller"}, {"reason", "used"}}, t += gap());
    }
  }
  if (chance(12))
    push(json{{"type", "refunded"}, {"by", "platform"}, {"amount_minor", draw<std::int64_t>(0, total + 1)}},
         t += gap());
  if (chance(5)) push(json{{"type", "completed"}, {"by", "platform"}}, t += gap());
  if (opt.before_placed && chance(10)) {
    const std::int64_t early = h.placed - draw<std::int64_t>(1, 30 * 86400);
    push(json{{"type", chance(50) ? "payment_succeeded" : "payment_failed"}}, early);
  }

  // Document order: the story shuffled a little (the input is in any order).
  std::vector<json> doc;
  for (auto& r : story) {
    // Fractional seconds on some events (truncated toward the past).
    if (chance(10)) r.e["at"] = respell(r.at, 7);
    doc.push_back(r.e);
  }
  for (std::size_t i = doc.size(); i > 1; --i)
    if (chance(25)) std::swap(doc[i - 1], doc[draw<std::size_t>(0, i)]);

  // Re-deliveries: the same event again, its instant spelled another way,
  // with a note and an unknown field; with its id anywhere, without an id
  // after the original.
  if (opt.duplicates && !doc.empty()) {
    const int n = draw<int>(0, 3);
    for (int k = 0; k < n; ++k) {
      const auto i = draw<std::size_t>(0, doc.size());
      json copy = doc[i];
      const auto secs = ordertrail::parse_instant(copy["at"].get<std::string>())->time_since_epoch().count();
      copy["at"] = respell(secs, draw<int>(0, 8));
      copy["note"] = "webhook re-delivery";
      copy["x_gateway"] = "retry";
      const std::size_t pos =
          copy.contains("id") ? draw<std::size_t>(0, doc.size() + 1) : draw<std::size_t>(i + 1, doc.size() + 1);
      doc.insert(doc.begin() + static_cast<std::ptrdiff_t>(pos), copy);
    }
  }
  if (opt.conflicting_ids && !doc.empty() && chance(30)) {
    const auto i = draw<std::size_t>(0, doc.size());
    if (doc[i].contains("id")) {
      json other{{"type", "cancelled"},
                 {"by", "seller"},
                 {"reason", "out_of_stock"},
                 {"id", doc[i]["id"]},
                 {"at", iso_at(h.placed + draw<std::int64_t>(0, opt.span_days * 86400))}};
      doc.insert(doc.begin() + static_cast<std::ptrdiff_t>(draw<std::size_t>(0, doc.size() + 1)), other);
    }
  }
  for (auto& e : doc) o["events"].push_back(std::move(e));
  h.order = std::move(o);
  return h;
}

}  // namespace test_orders
