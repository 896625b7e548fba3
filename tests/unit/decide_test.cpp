// Issue 15: decide (SPEC 7, docs/RULES.md "Decisions").
//
// 1. The golden decision vectors of tests/decisions/ (each worked by hand in
//    its `why`): `allowed`, `already_recorded`, `event` exactly, the refusal
//    code, its alternatives' codes, a substring of its message, and a subset
//    of the evaluation after the event.
// 2. Properties (suite `decide`, ctest unit/decide) over random walks: an
//    order of 1-3 lines under the market's embedded policy/2 or its policy/1
//    document, driven ONLY through decide: at each step a random instant
//    (sometimes the next_check_at), a random entry of `actions` made into a
//    command (a listed reason, some of its units, one of its packages or
//    cases, an amount within its bound), and
//    (a) every such command is allowed, and its event, appended, is applied
//        by the replay with no anomaly;
//    (b) every (type, by) pair the actions do not list is refused;
//    (c) the decision's evaluation is the evaluation of the order with the
//        event appended; a retry of the same command (same id) is allowed,
//        already recorded, and appends nothing.
#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <set>

#include "test_orders.hpp"

using namespace ordertrail;
using test_orders::chance;
using test_orders::difference;
using test_orders::draw;
using test_orders::json;
namespace fs = std::filesystem;

namespace {

std::string policy_text(const std::string& name) {
  if (name.size() > 3 && name.substr(name.size() - 3) == "-v1")
    return test_orders::read_source("tests/vectors/policies/" + name + ".json");
  return {};  // the embedded policy of the order's market
}

}  // namespace

TEST_CASE("decision vectors: every hand-worked decision holds") {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(fs::path(ORDERTRAIL_SOURCE_DIR) / "tests" / "decisions"))
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 40);
  for (const auto& file : files) {
    CAPTURE(file.filename().string());
    const json v = json::parse(test_orders::read_source("tests/decisions/" + file.filename().string()));
    REQUIRE(v.contains("why"));
    const std::string out = decide_json(v["order"].dump(), v["command"].dump(), v["now"].get<std::string>(),
                                        policy_text(v.value("policy", "")));
    const json d = json::parse(out);
    REQUIRE_MESSAGE(d["schema"] == "ordertrail.decision/1", out);
    const json& x = v["expected"];
    CHECK_MESSAGE(d["allowed"] == x["allowed"], d["refusal"].dump());
    if (x.contains("already_recorded")) CHECK(d["already_recorded"] == x["already_recorded"]);
    if (x.contains("event")) CHECK_MESSAGE(d["event"] == x["event"], "got " << d["event"].dump());
    if (x.contains("refusal")) {
      if (x["refusal"].is_null()) {
        CHECK_MESSAGE(d["refusal"].is_null(), d["refusal"].dump());
      } else {
        REQUIRE_MESSAGE(d["refusal"].is_object(), "allowed: " << d["event"].dump());
        CHECK_MESSAGE(d["refusal"]["code"] == x["refusal"]["code"], d["refusal"].dump());
        if (x["refusal"].contains("alternatives")) {
          json codes = json::array();
          for (const auto& a : d["refusal"]["alternatives"]) codes.push_back(a["code"]);
          CHECK_MESSAGE(codes == x["refusal"]["alternatives"], codes.dump());
        }
        if (x["refusal"].contains("message_contains"))
          CHECK_MESSAGE(d["refusal"]["message"].get<std::string>().find(
                            x["refusal"]["message_contains"].get<std::string>()) != std::string::npos,
                        d["refusal"]["message"].dump());
      }
    }
    if (x.contains("evaluation")) {
      const auto m = difference(x["evaluation"], d["evaluation"], "/evaluation");
      CHECK_MESSAGE(m.empty(), m);
    }
  }
}

TEST_CASE("decide: a command with `at` or a bad field is an error with a pointer into the command") {
  json o = test_orders::paid_order();
  auto r =
      decide_json(o.dump(), R"({"type":"cancelled","by":"buyer","reason":"changed_mind","at":"2025-03-03T18:10:00Z"})",
                  "2025-03-03T18:20:00Z");
  CHECK(json::parse(r)["code"] == "invalid_value");
  CHECK(json::parse(r)["path"] == "/at");
  r = decide_json(o.dump(),
                  R"({"type":"cancelled","by":"buyer","reason":"changed_mind","items":[{"line_id":"MUG","qty":0}]})",
                  "2025-03-03T18:20:00Z");
  CHECK(json::parse(r)["path"] == "/items/0/qty");
  r = decide_json(o.dump(), R"({"type":"teleported","by":"buyer"})", "2025-03-03T18:20:00Z");
  CHECK(json::parse(r)["code"] == "unknown_event_type");
}

TEST_CASE("append_event: the event goes at the end of `events`, every other byte stays") {
  const std::string ev = R"({"type":"completed","at":"2025-04-01T00:00:00Z","by":"platform"})";
  // An array with events, laid out by a person: the comma and the event go
  // just before its closing bracket.
  CHECK(*append_event("{\"order_id\": \"A\",\n \"events\": [\n  {\"type\": \"shipped\"}\n ]\n}\n", ev) ==
        "{\"order_id\": \"A\",\n \"events\": [\n  {\"type\": \"shipped\"}\n ," + ev + "]\n}\n");
  CHECK(*append_event(R"({"events":[],"order_id":"A"})", ev) == R"({"events":[)" + ev + R"(],"order_id":"A"})");
  CHECK(*append_event(R"({"order_id":"A"} )", ev) == R"({"order_id":"A","events":[)" + ev + "]} ");
  // A nested `events` key elsewhere is not the order's.
  CHECK(*append_event(R"({"x":{"events":[1]},"events":[2]})", ev) == R"({"x":{"events":[1]},"events":[2,)" + ev + "]}");
  CHECK(append_event(R"({"events":{}})", ev).err().code == "invalid_type");
  CHECK(append_event(R"({"events":[)", ev).err().code == "invalid_json");
  // The result is an order with one more event, the one appended.
  json o = test_orders::paid_order();
  auto text = append_event(o.dump(), ev);
  REQUIRE(text.ok());
  auto parsed = parse_order(*text);
  REQUIRE(parsed.ok());
  CHECK(parsed->events.size() == 2);
  CHECK(parsed->events.back().type == event_type::completed);
}

// Orders worked by hand (base_order: US, MUG x2 at 1500 and GIFT x1 at 2000,
// not returnable, total 5000, placed Mon 2025-03-03 18:00Z, paid 18:05Z).
namespace {
json decided(const json& order, const json& command, const char* now) {
  return json::parse(decide_json(order.dump(), command.dump(), now));
}
json two_parcels_one_delivered() {
  json o = test_orders::paid_order();
  o["events"].push_back(test_orders::ev("shipped", "2025-03-04T18:00:00Z",
                                        {{"by", "seller"}, {"package_id", "P1"}, {"items", json::array({"MUG"})}}));
  o["events"].push_back(test_orders::ev("shipped", "2025-03-04T18:00:00Z",
                                        {{"by", "seller"}, {"package_id", "P2"}, {"items", json::array({"GIFT"})}}));
  o["events"].push_back(
      test_orders::ev("delivered", "2025-03-06T18:00:00Z", {{"by", "carrier"}, {"package_id", "P1"}}));
  return o;
}
}  // namespace

TEST_CASE("decide: a delivery outcome names a package in transit, not one already delivered") {
  const json o = two_parcels_one_delivered();
  const json again =
      decided(o, {{"type", "delivered"}, {"by", "carrier"}, {"package_id", "P1"}}, "2025-03-07T12:00:00Z");
  CHECK(again["allowed"] == false);
  CHECK(again["refusal"]["code"] == "not_allowed_in_status");
  CHECK(again["refusal"]["message"].get<std::string>().find("delivered") != std::string::npos);
  // The one in transit, named or not (then it is filled in).
  const json p2 = decided(o, {{"type", "delivered"}, {"by", "carrier"}}, "2025-03-07T12:00:00Z");
  CHECK(p2["allowed"] == true);
  CHECK(p2["event"]["package_id"] == "P2");
}

TEST_CASE("decide: the platform cannot cancel the whole of a partly delivered order, only what is left") {
  const json o = two_parcels_one_delivered();
  const json whole =
      decided(o, {{"type", "cancelled"}, {"by", "platform"}, {"reason", "risk_control"}}, "2025-03-07T12:00:00Z");
  CHECK(whole["refusal"]["code"] == "qty_exceeds");
  // The parcel still in transit, by its package: allowed, and the delivered mugs stay delivered.
  const json rest =
      decided(o, {{"type", "cancelled"}, {"by", "platform"}, {"reason", "risk_control"}, {"package_id", "P2"}},
              "2025-03-07T12:00:00Z");
  REQUIRE(rest["allowed"] == true);
  CHECK(rest["evaluation"]["lines"][0]["delivered_qty"] == 2);
  CHECK(rest["evaluation"]["lines"][1]["cancelled_qty"] == 1);
}

TEST_CASE("decide: the platform closes a case with a reason that fits its state") {
  json o = two_parcels_one_delivered();
  // Both parcels delivered: the US return window counts from the last delivery.
  o["events"].push_back(
      test_orders::ev("delivered", "2025-03-06T19:00:00Z", {{"by", "carrier"}, {"package_id", "P2"}}));
  o["events"].push_back(
      test_orders::ev("return_requested", "2025-03-07T18:00:00Z",
                      {{"by", "buyer"}, {"reason", "changed_mind"}, {"items", json::array({"MUG"})}}));
  o["events"].push_back(
      test_orders::ev("return_rejected", "2025-03-08T18:00:00Z", {{"by", "seller"}, {"reason", "used"}}));
  // R1 is rejected: "not shipped back" does not fit it; "rejected" does.
  CHECK(decided(o, {{"type", "case_closed"}, {"by", "platform"}, {"reason", "not_shipped_back"}},
                "2025-03-09T12:00:00Z")["refusal"]["code"] == "reason_not_allowed");
  const json ok =
      decided(o, {{"type", "case_closed"}, {"by", "platform"}, {"reason", "rejected"}}, "2025-03-09T12:00:00Z");
  CHECK(ok["allowed"] == true);
  CHECK(ok["event"]["case_id"] == "R1");
}

TEST_CASE("decide: an id-less copy of a recorded event at the same instant is already recorded") {
  json o = two_parcels_one_delivered();
  o["events"].push_back(test_orders::ev("delivery_attempt_failed", "2025-03-07T12:00:00Z", {{"package_id", "P2"}}));
  // The recorded attempt has no `by`; the replay reads it as the carrier's
  // (SPEC 1.2 "defaults filled in"), so the carrier's command is a copy.
  const json copy = decided(o, {{"type", "delivery_attempt_failed"}, {"by", "carrier"}, {"package_id", "P2"}},
                            "2025-03-07T12:00:00Z");
  CHECK(copy["allowed"] == true);
  CHECK(copy["already_recorded"] == true);
  CHECK(copy["evaluation"]["anomalies"].empty());
  // A second attempt a minute later is a new event.
  const json later = decided(o, {{"type", "delivery_attempt_failed"}, {"by", "carrier"}, {"package_id", "P2"}},
                             "2025-03-07T12:01:00Z");
  CHECK(later["allowed"] == true);
  CHECK(later["already_recorded"] == false);
}

// ---------------------------------------------------------------------------
// Properties.
namespace {

// Some of `items` ([{line_id, qty}]): a random non-empty subset, each with
// 1..qty units; sometimes by sku-less plain string (the whole line).
json some_of(const json& items) {
  json out = json::array();
  for (const auto& i : items) {
    if (!chance(60)) continue;
    out.push_back(json{{"line_id", i["line_id"]}, {"qty", draw<std::int64_t>(1, i["qty"].get<std::int64_t>() + 1)}});
  }
  if (out.empty()) out.push_back(json{{"line_id", items[0]["line_id"]}, {"qty", 1}});
  return out;
}

template <class T>
const T& pick(const std::vector<T>& v) {
  return v[draw<std::size_t>(0, v.size())];
}

// A command made from an `actions` entry `a`, within what it allows.
json command_from(const json& a, const json& e, const policy& p, int& next_id) {
  const std::string type = a["type"];
  json c{{"type", type}, {"by", a["by"]}};
  if (chance(50)) c["id"] = "d" + std::to_string(next_id++);
  std::vector<std::string> reasons = a["reasons"];
  if (!reasons.empty()) c["reason"] = pick(reasons);
  std::vector<std::string> packages = a["package_ids"];
  std::vector<std::string> cases = a["case_ids"];
  if (!cases.empty()) c["case_id"] = pick(cases);
  const json& items = a["items"];
  if (type == "cancelled") {
    // The whole order (when the entry allows it), some units, or a package.
    const int k = draw<int>(0, 100);
    const bool whole = a["whole_order"].get<bool>();
    if (!packages.empty() && (k < 20 || (!whole && items.empty())))
      c["package_id"] = pick(packages);
    else if (!items.empty() && (k < 60 || !whole))
      c["items"] = some_of(items);
    else if (!whole)
      return nullptr;  // nothing it may name
  } else if (type == "ready_to_ship") {
    if (chance(50)) c["items"] = some_of(items);
  } else if (type == "shipped") {
    c["carrier"] = "UPS";
    c["tracking_number"] = "1Z" + std::to_string(next_id);
    const int k = draw<int>(0, 100);
    if (!packages.empty() && k < 40)
      c["package_id"] = pick(packages);
    else if (k < 70 && !items.empty())
      c["items"] = some_of(items);
  } else if (type == "return_requested") {
    // A case type the reason takes; a return of goods names returnable lines.
    const case_reason_entry* r = p.find_case_reason(c["reason"].get<std::string>());
    const bool refund_only = r != nullptr && (!r->return_and_refund || (r->refund_only && chance(50)));
    if (refund_only) c["case_type"] = "refund_only";
    json pool = json::array();
    for (const auto& i : items) {
      bool returnable = true;
      for (const auto& l : e["lines"])
        if (l["line_id"] == i["line_id"]) returnable = l["returnable"];
      if (refund_only || returnable) pool.push_back(i);
    }
    if (pool.empty()) return nullptr;
    if (chance(60) || pool.size() != items.size()) c["items"] = some_of(pool);
  } else if (type == "refunded" || type == "payment_succeeded") {
    const std::int64_t max = a["max_amount_minor"];
    if (max <= 0) return nullptr;
    c["amount_minor"] = chance(40) ? max : draw<std::int64_t>(1, max + 1);
    if (type == "refunded" && chance(30)) c["reason"] = "goodwill";
  } else if (type == "appeal_decided") {
    c["outcome"] = chance(60) ? "buyer" : "seller";
  } else if (type == "edd_revised") {
    c["est_delivery"] = format_date(
        civil_date{date::sys_days{date::days{test_orders::secs(e["now"]) / 86400 + draw<std::int64_t>(1, 10)}}});
  } else if (type == "tracking_update") {
    c["package_id"] = pick(packages);
    c["status"] = "in_transit";
    c["text"] = "Arrived at the hub";
  } else if (type == "delivered" || type == "lost" || type == "delivery_attempt_failed" || type == "delivery_refused" ||
             type == "returned_to_sender") {
    if (packages.size() > 1 || chance(50)) c["package_id"] = pick(packages);
  } else if (type == "return_rejected" || type == "cancel_request_rejected") {
    if (chance(50)) c["reason"] = "used";
  }
  return c;
}

// Weighted choice: the operator's entries (copies of the platform's) and
// the carrier's scans rarely, so walks go somewhere.
std::size_t choose_entry(const json& actions) {
  std::vector<std::size_t> pool;
  for (std::size_t i = 0; i < actions.size(); ++i) {
    const auto& a = actions[i];
    int w = a["by"] == "operator" ? 1 : a["by"] == "platform" ? 2 : 6;
    if (a["type"] == "tracking_update" || a["type"] == "edd_revised") w = 1;
    if (a["type"] == "cancelled") w = 2;
    for (int k = 0; k < w; ++k) pool.push_back(i);
  }
  return pick(pool);
}

constexpr std::array<const char*, 5> all_parties{"buyer", "seller", "platform", "operator", "carrier"};

}  // namespace

TEST_SUITE("decide") {
  TEST_CASE("property: what `actions` lists, decide allows and the replay applies; nothing else is allowed") {
    std::size_t steps_total = 0, allowed_total = 0, refused_total = 0;
    const bool ok = rc::check([&] {
      const auto m = draw<std::size_t>(0, test_orders::markets.size());
      const bool v2 = chance(70);
      const std::int64_t placed = 1735689600 + draw<std::int64_t>(0, 3 * 365 * 86400);
      test_orders::random_lines lines;
      const int n_lines = draw<int>(1, 4);
      for (int i = 0; i < n_lines; ++i) lines.add(i, std::string(1, static_cast<char>('A' + i)), 3);
      const bool cod = chance(10);
      json order = test_orders::order_base("D-" + std::to_string(placed), m, placed, lines.value, lines.items, cod);
      if (chance(50)) order["shipping_minor"] = draw<std::int64_t>(0, lines.value + 1);
      const policy& p = test_orders::policy_of(order["market"], v2);
      std::int64_t t = placed;
      int next_id = 0;
      const int steps = draw<int>(3, 30);
      for (int s = 0; s < steps; ++s) {
        // The next instant: a gap, or the next check (a clock running out).
        auto o = parse_order(order.dump());
        RC_ASSERT(o.ok());
        auto before = evaluate(*o, p, instant{std::chrono::seconds{t}});
        RC_ASSERT(before.ok());
        const json b = json::parse(to_json(*before));
        const int k = draw<int>(0, 100);
        if (k < 20 && !b["next_check_at"].is_null())
          t = test_orders::secs(b["next_check_at"]);
        else if (k < 90)
          t += draw<std::int64_t>(0, 2 * 86400);
        const instant now{std::chrono::seconds{t}};
        auto cur = evaluate(*o, p, now);
        RC_ASSERT(cur.ok());
        const json e = json::parse(to_json(*cur));
        // (b) every pair not listed is refused.
        std::set<std::pair<std::string, std::string>> listed;
        for (const auto& a : e["actions"]) listed.emplace(a["type"].get<std::string>(), a["by"].get<std::string>());
        for (int pair = 0; pair < 8; ++pair) {
          // Any of the 27 event types, by any party.
          const auto type = static_cast<event_type>(draw<int>(0, static_cast<int>(event_type::case_closed) + 1));
          const char* by = all_parties[draw<std::size_t>(0, all_parties.size())];
          if (listed.count({std::string(to_string(type)), by}) != 0) continue;
          json c{{"type", to_string(type)}, {"by", by}, {"reason", "changed_mind"}};
          if (type == event_type::refunded || type == event_type::payment_succeeded) c["amount_minor"] = 1;
          if (type == event_type::appeal_decided) c["outcome"] = "buyer";
          if (type == event_type::edd_revised) c["est_delivery"] = "2030-01-01";
          auto cmd = parse_command(c.dump(), now);
          RC_ASSERT(cmd.ok());
          auto d = decide(*o, p, *cmd, now);
          RC_ASSERT(d.ok());
          if (d->allowed) RC_LOG() << "allowed without an actions entry: " << c.dump() << "\n";
          RC_ASSERT(!d->allowed);
          ++refused_total;
        }
        if (e["actions"].empty()) break;
        // (a) an entry made into a command is allowed and applies cleanly.
        const json& a = e["actions"][choose_entry(e["actions"])];
        json c = command_from(a, e, p, next_id);
        if (c.is_null()) continue;
        // Without its case_id when only one case takes the step (decide
        // names it; with two or more it asks to name one).
        std::size_t same = 0;
        for (const auto& x : e["actions"]) same += x["type"] == a["type"] && x["by"] == a["by"];
        if (same == 1 && chance(30)) c.erase("case_id");
        auto cmd = parse_command(c.dump(), now);
        if (!cmd.ok()) RC_LOG() << "command " << c.dump() << ": " << cmd.err().message << "\n";
        RC_ASSERT(cmd.ok());
        auto d = decide(*o, p, *cmd, now);
        RC_ASSERT(d.ok());
        ++steps_total;
        if (!d->allowed) {
          RC_LOG() << "policy " << order["market"].get<std::string>() << (v2 ? "/2" : "/1") << "\norder "
                   << order.dump() << "\nnow " << test_orders::iso_at(t) << "\nentry " << a.dump() << "\ncommand "
                   << c.dump() << "\nrefusal " << d->refused->message << "\n";
        }
        RC_ASSERT(d->allowed);
        ++allowed_total;
        if (d->already_recorded) {
          // A copy of a recorded event (same id, or id-less and equal): nothing to append.
          RC_ASSERT(to_json(d->eval) == to_json(*cur));
          continue;
        }
        const json ev = json::parse(to_json(d->ev, *o));
        json next = order;
        next["events"].push_back(ev);
        auto o2 = parse_order(next.dump());
        RC_ASSERT(o2.ok());
        auto after = evaluate(*o2, p, now);
        RC_ASSERT(after.ok());
        // (c) the decision's evaluation is the order's with the event appended.
        RC_ASSERT(to_json(*after) == to_json(d->eval));
        const json x = json::parse(to_json(*after));
        const std::size_t index = next["events"].size() - 1;
        for (const auto& an : x["anomalies"])
          if (an["event_index"] == index) {
            RC_LOG() << "policy " << order["market"].get<std::string>() << (v2 ? "/2" : "/1") << "\norder "
                     << order.dump() << "\nnow " << test_orders::iso_at(t) << "\nentry " << a.dump() << "\nevent "
                     << ev.dump() << "\nanomaly " << an.dump() << "\n";
            RC_FAIL("an allowed event made an anomaly");
          }
        for (const auto& out : x["events"])
          if (out["event_index"] == index) RC_ASSERT(out["applied"] == true);
        // A retry with the same id appends nothing.
        if (c.contains("id")) {
          auto again = decide(*o2, p, *cmd, now);
          RC_ASSERT(again.ok());
          RC_ASSERT(again->allowed && again->already_recorded);
          RC_ASSERT(to_json(again->eval) == to_json(*after));
        }
        order = std::move(next);
      }
    });
    MESSAGE("decide walks: " << allowed_total << " commands allowed and applied, " << refused_total
                             << " unlisted pairs refused");
    CHECK(ok);
    CHECK(steps_total > 0);
  }
}
