// Issue 14: after-sales cases (SPEC 4.4, 4.5, 6; docs/RULES.md "After-sales cases")
// as properties of the core, over random after-sales histories: an order of
// 1-3 lines in 1-2 packages, shipped, then delivered, in transit, lost,
// refused or returned to sender, then a random sequence of case events
// (requests of both types with any reason, with and without case_id, the
// answers, ship-backs, receipts, appeals, closes, refunds with and without
// case_id or items, late deliveries, unit cancellations), recorded by the
// right party most of the time and by another now and then, at random gaps,
// some moved onto a case clock (or one second either side); under the
// market's embedded policy/2 or its policy/1 document (tests/vectors/policies).
// ctest runs this suite as unit/cases with its own RC_PARAMS (tests/CMakeLists.txt).
//
//   (a) liveness     at last event + 400 days, the due events appended (in
//                    order) until nothing is due: under policy/2 every case
//                    is closed (refunded or closed); under policy/1, which
//                    has no ship-back, receipt, refund or appeal clock, every
//                    request was answered (none requested, rejected or
//                    appealed: v1 closes a rejection at once)
//   (b) refund bound at every instant evaluated, SPEC 6: the refund due and
//                    each of its parts <= paid - refunded; each case's
//                    refunded <= its amount <= the allocation and shipping
//                    share of its lines; the lines' refunded <= paid
//   (c) auto refund  an auto_refund_case due event, appended alone, makes
//                    its case `refunded`, and refunded <= paid
//   (d) forward      the cases closed at t1 are the same entries at t2 > t1
//
// Everything is read from the evaluation document (to_json of evaluate).
#include <doctest/doctest.h>

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "test_orders.hpp"

using namespace ordertrail;
using test_orders::chance;
using test_orders::draw;
using test_orders::ev;
using test_orders::json;
using test_orders::policy_of;
using test_orders::secs;

namespace {

constexpr std::int64_t hour = 3600;
constexpr std::int64_t day = 86400;

// A watchdog: an evaluation that has not returned after 20 s (a few
// milliseconds is the norm, even in the debug build) is a hang, an endless
// replay; the process writes which evaluation it was and exits, instead of
// growing until the ctest timeout with nothing to show.
std::string watched;  // the evaluation running: policy, order, now
void on_hang(int) {
  const auto n = ::write(2, watched.data(), watched.size());
  _exit(n > 0 ? 3 : 4);
}
result<evaluation> evaluate_watched(const std::string& text, const order& o, bool v2, std::int64_t now) {
  static const auto installed = std::signal(SIGALRM, on_hang);
  (void)installed;
  watched = "\nHANG: evaluate() did not return within 20 s\npolicy " + o.market + (v2 ? "/2 embedded" : "/1 document") +
            "\nnow " + test_orders::iso_at(now) + "\norder " + text + "\n";
  ::alarm(20);
  auto e = evaluate(o, policy_of(o.market, v2), instant{std::chrono::seconds{now}});
  ::alarm(0);
  return e;
}

// The evaluation document of `order` at `now` (the test fails on an error).
json evaluated(const json& order, bool v2, std::int64_t now) {
  const std::string text = order.dump();
  auto o = parse_order(text);
  if (!o.ok()) RC_LOG() << "parse error " << o.err().code << " " << o.err().path << ": " << o.err().message << "\n";
  RC_ASSERT(o.ok());
  auto e = evaluate_watched(text, *o, v2, now);
  if (!e.ok()) RC_LOG() << "evaluate error " << e.err().code << ": " << e.err().message << "\n";
  RC_ASSERT(e.ok());
  return json::parse(to_json(*e));
}

struct case_history {
  json order;
  bool v2 = true;  // the embedded policy/2, else the policy/1 document
  std::int64_t placed = 0;
  std::int64_t last = 0;  // the latest event's instant
};

std::string describe(const case_history& h) {
  return std::string("policy ") + h.order["market"].get<std::string>() + (h.v2 ? "/2 embedded" : "/1 document") +
         "\norder " + h.order.dump() + "\n";
}

case_history random_case_history() {
  static constexpr std::array<const char*, 5> parties{"buyer", "seller", "platform", "operator", "carrier"};
  static constexpr std::array<const char*, 10> reasons{
      "changed_mind", "wrong_item_selected", "not_received", "delivered_not_received", "package_damaged",
      "defective",    "wrong_item",          "missing_item", "not_as_described",       "meh"};
  case_history h;
  const auto m = draw<std::size_t>(0, test_orders::markets.size());
  h.v2 = chance(65);
  h.placed = 1735689600 + draw<std::int64_t>(0, 3 * 365 * day);  // 2025 .. 2027

  test_orders::random_lines lines;
  const int n_lines = draw<int>(1, 4);
  for (int i = 0; i < n_lines; ++i) lines.add(i, std::string(1, static_cast<char>('A' + i)), 3);
  const auto& [items, refs, qty, value] = lines;
  const std::int64_t total =
      chance(10) ? draw<std::int64_t>(0, value + 1) : value + (chance(60) ? draw<std::int64_t>(0, 801) : 0);
  const bool cod = chance(10);
  json o = test_orders::order_base("C-" + std::to_string(h.placed), m, h.placed, total, items, cod);
  if (chance(50)) o["shipping_minor"] = draw<std::int64_t>(0, total + 1);
  if (chance(60))
    o["promise"] = {{"est_delivery", format_date(civil_date{date::sys_days{
                                         date::days{(h.placed + draw<std::int64_t>(3 * day, 12 * day)) / day}}})}};

  std::int64_t t = h.placed;
  json& events = o["events"];
  int next_id = 0;
  auto push = [&](json e, std::int64_t gap) {
    t += gap;
    e["at"] = test_orders::iso_at(t);
    if (chance(70)) e["id"] = "e" + std::to_string(next_id++);
    events.push_back(std::move(e));
  };
  auto by = [&](json e, const char* usual) {
    e["by"] = chance(12) ? parties[draw<std::size_t>(0, parties.size())] : usual;
    return e;
  };

  if (!cod) {
    const int a = draw<int>(0, 100);
    const std::int64_t paid = a < 80   ? total
                              : a < 90 ? draw<std::int64_t>(0, total + 1)
                                       : total + draw<std::int64_t>(1, 500);
    push(json{{"type", "payment_succeeded"}, {"amount_minor", paid}}, draw<std::int64_t>(60, 2 * hour));
  }
  // One package with everything, or a first of one unit and a second with the rest.
  std::int64_t units = 0;
  for (const auto q : qty) units += q;
  const int n_packages = units > 1 && chance(45) ? 2 : 1;
  std::vector<std::string> in_transit;
  for (int k = 1; k <= n_packages; ++k) {
    const std::string id = "P" + std::to_string(k);
    json s{{"type", "shipped"}, {"by", "seller"}, {"package_id", id}, {"carrier", "UPS"}, {"tracking_number", "1Z"}};
    if (k == 1 && n_packages == 2) s["items"] = json::array({json{{"line_id", refs[0]}, {"qty", 1}}});
    push(s, draw<std::int64_t>(hour, 3 * day));
    in_transit.push_back(id);
  }
  for (int k = 1; k <= n_packages; ++k) {
    const std::string id = "P" + std::to_string(k);
    if (chance(25))
      push(json{{"type", "tracking_update"}, {"package_id", id}, {"status", "in_transit"}, {"text", "hub"}},
           draw<std::int64_t>(hour, day));
    const int fate = draw<int>(0, 100);
    const std::int64_t gap = draw<std::int64_t>(day, 9 * day);
    if (fate < 75) {
      push(json{{"type", "delivered"}, {"by", "carrier"}, {"package_id", id}}, gap);
      if (cod && k == n_packages && chance(80))
        push(json{{"type", "payment_succeeded"}, {"by", "carrier"}, {"amount_minor", total}}, 0);
    } else if (fate < 88) {
      continue;  // still in transit
    } else if (fate < 93) {
      push(json{{"type", "lost"}, {"by", "carrier"}, {"package_id", id}}, gap);
    } else if (fate < 97) {
      push(json{{"type", "delivery_refused"},
                {"by", "carrier"},
                {"package_id", id},
                {"reason", chance(50) ? "changed_mind" : "package_damaged"}},
           gap);
    } else {
      push(json{{"type", "returned_to_sender"}, {"by", "carrier"}, {"package_id", id}, {"reason", "address"}}, gap);
    }
    in_transit.erase(std::find(in_transit.begin(), in_transit.end(), id));
  }

  // The after-sales story.
  const std::size_t first_case_event = events.size();
  std::vector<std::string> ids;  // case ids named or (R1, R2, ...) given so far
  auto some_units = [&]() {
    json list = json::array();
    for (std::size_t i = 0; i < qty.size(); ++i) {
      if (!chance(55)) continue;
      if (chance(40))
        list.push_back(refs[i]);
      else
        list.push_back(json{{"line_id", refs[i]}, {"qty", draw<std::int64_t>(1, qty[i] + 1)}});
    }
    if (list.empty()) list.push_back(refs[draw<std::size_t>(0, refs.size())]);
    return list;
  };
  auto for_case = [&](json e) {
    const int k = draw<int>(0, 100);
    if (k < 35 || ids.empty()) return e;  // the one open case
    e["case_id"] = k < 92 ? ids[draw<std::size_t>(0, ids.size())] : "X9";
    return e;
  };
  auto gap = [&]() -> std::int64_t {
    const int k = draw<int>(0, 100);
    if (k < 10) return 0;
    if (k < 45) return draw<std::int64_t>(1, 6 * hour);
    if (k < 85) return draw<std::int64_t>(6 * hour, 2 * day);
    return draw<std::int64_t>(2 * day, 12 * day);
  };
  // A request, with a case id (R1, R2 ... as the core numbers them, or
  // another) or without; then, half of the time, its case's usual course.
  auto request = [&](int s) {
    json e = by(json{{"type", "return_requested"}, {"reason", reasons[draw<std::size_t>(0, reasons.size())]}}, "buyer");
    const int type = draw<int>(0, 100);
    if (type >= 40) e["case_type"] = type < 65 ? "return_and_refund" : "refund_only";
    if (chance(60)) e["items"] = some_units();
    const int named = draw<int>(0, 100);
    if (named < 50) {
      ids.push_back("R" + std::to_string(ids.size() + 1));
    } else {
      e["case_id"] = named < 80 ? "R" + std::to_string(draw<int>(1, 4)) : "C" + std::to_string(s);
      ids.push_back(e["case_id"]);
    }
    const bool refund_only = e.value("case_type", "") == "refund_only";
    push(e, gap());
    if (chance(50)) return;
    auto step = [&](json next, const char* usual) {
      next = by(std::move(next), usual);
      if (chance(60)) next["case_id"] = ids.back();
      push(std::move(next), gap());
    };
    const int answer = draw<int>(0, 100);
    if (answer < 25) return;  // left to the response clock
    if (answer < 75) {
      json ok{{"type", "return_approved"}};
      if (chance(20)) ok["keep_item"] = true;
      step(ok, "seller");
      if (!refund_only && !ok.contains("keep_item") && chance(70)) {
        step(json{{"type", "return_shipped"}, {"carrier", "UPS"}, {"tracking_number", "RT"}}, "buyer");
        if (chance(70)) step(json{{"type", "return_received"}}, "seller");
      }
      if (chance(50)) step(json{{"type", "refunded"}, {"amount_minor", draw<std::int64_t>(0, total + 1)}}, "platform");
    } else {
      step(json{{"type", "return_rejected"}, {"reason", "used"}}, "seller");
      if (chance(50)) {
        step(json{{"type", "appeal_opened"}}, "buyer");
        if (chance(60))
          step(json{{"type", "appeal_decided"}, {"outcome", chance(60) ? "buyer" : "seller"}}, "platform");
      }
    }
  };
  const int steps = draw<int>(1, 10);
  for (int s = 0; s < steps; ++s) {
    const int k = draw<int>(0, 100);
    if (k < 35) {
      request(s);
    } else if (k < 43) {
      json e = for_case(by(json{{"type", "return_approved"}}, "seller"));
      if (chance(25)) e["keep_item"] = true;
      push(e, gap());
    } else if (k < 46) {
      push(for_case(by(json{{"type", "return_rejected"}, {"reason", "used"}}, "seller")), gap());
    } else if (k < 50) {
      push(for_case(by(json{{"type", "return_withdrawn"}}, "buyer")), gap());
    } else if (k < 58) {
      push(for_case(by(json{{"type", "return_shipped"}, {"carrier", "UPS"}, {"tracking_number", "RT"}}, "buyer")),
           gap());
    } else if (k < 65) {
      push(for_case(by(json{{"type", "return_received"}}, "seller")), gap());
    } else if (k < 69) {
      push(for_case(by(json{{"type", "appeal_opened"}}, "buyer")), gap());
    } else if (k < 73) {
      push(for_case(by(json{{"type", "appeal_decided"}, {"outcome", chance(60) ? "buyer" : "seller"}}, "platform")),
           gap());
    } else if (k < 76) {
      static constexpr std::array<const char*, 4> why{"not_shipped_back", "rejected", "withdrawn", "fraud"};
      push(for_case(by(json{{"type", "case_closed"}, {"reason", why[draw<std::size_t>(0, why.size())]}}, "platform")),
           gap());
    } else if (k < 90) {
      const std::int64_t amount = chance(30) ? total : draw<std::int64_t>(0, total + 1);
      json e = for_case(by(json{{"type", "refunded"}, {"amount_minor", amount}}, "platform"));
      if (chance(15))
        e["items"] = json::array({json{{"line_id", refs[draw<std::size_t>(0, refs.size())]},
                                       {"amount_minor", draw<std::int64_t>(0, amount + 1)}}});
      if (chance(30)) e["reason"] = "goodwill";
      push(e, gap());
    } else if (k < 96) {
      if (in_transit.empty()) continue;
      push(json{{"type", "delivered"}, {"by", "carrier"}, {"package_id", in_transit.back()}}, gap());
      in_transit.pop_back();
    } else {
      push(by(json{{"type", "cancelled"}, {"reason", "out_of_stock"}, {"items", some_units()}}, "seller"), gap());
    }
  }

  // Ties and near misses: one or two case events moved onto a case clock (a
  // case obligation's due_at, an appeal window's close), or one second
  // either side; some refunds set to a case's amount (or what it still owes).
  if (events.size() > first_case_event && chance(60)) {
    const json far = evaluated(o, h.v2, t + 60 * day);
    std::vector<std::int64_t> clocks;
    for (const auto& d : far["obligations"])
      if (!d["case_id"].is_null()) clocks.push_back(secs(d["due_at"]));
    for (const auto& w : far["windows"])
      if (w["id"] == "appeal" && !w["closes_at"].is_null()) clocks.push_back(secs(w["closes_at"]));
    std::vector<std::int64_t> amounts;
    for (const auto& c : far["cases"]) {
      amounts.push_back(c["amount_minor"]);
      amounts.push_back(c["amount_minor"].get<std::int64_t>() - c["refunded_minor"].get<std::int64_t>());
    }
    const std::size_t n_case_events = events.size() - first_case_event;
    if (!clocks.empty())
      for (int n = draw<int>(1, 3); n > 0; --n) {
        const std::int64_t at = clocks[draw<std::size_t>(0, clocks.size())] + draw<std::int64_t>(-1, 2);
        events[first_case_event + draw<std::size_t>(0, n_case_events)]["at"] = test_orders::iso_at(at);
      }
    if (!amounts.empty())
      for (std::size_t i = first_case_event; i < events.size(); ++i)
        if (events[i]["type"] == "refunded" && chance(50)) {
          events[i]["amount_minor"] = amounts[draw<std::size_t>(0, amounts.size())];
          events[i].erase("items");  // they may name more than the amount now
        }
  }
  for (const auto& e : events) h.last = std::max(h.last, secs(e["at"]));
  h.order = std::move(o);
  return h;
}

// (b): the refund bound of SPEC 6 in one evaluation.
void check_money(const json& e) {
  const std::int64_t paid = e["facts"]["paid_minor"], refunded = e["facts"]["refunded_minor"];
  RC_ASSERT(refunded <= paid);
  const std::int64_t room = paid - refunded;
  RC_ASSERT(e["refund"]["amount_minor"].get<std::int64_t>() >= 0);
  RC_ASSERT(e["refund"]["amount_minor"].get<std::int64_t>() <= room);
  for (const auto& part : e["refund"]["parts"]) {
    RC_ASSERT(part["amount_minor"].get<std::int64_t>() >= 0);
    RC_ASSERT(part["amount_minor"].get<std::int64_t>() <= room);
  }
  std::map<std::string, std::int64_t> line_value;  // allocated + shipping share
  std::int64_t lines_refunded = 0;
  for (const auto& l : e["lines"]) {
    line_value[l["line_id"]] = l["allocated_minor"].get<std::int64_t>() + l["shipping_share_minor"].get<std::int64_t>();
    lines_refunded += l["refunded_minor"].get<std::int64_t>();
  }
  RC_ASSERT(lines_refunded <= paid);
  for (const auto& c : e["cases"]) {
    RC_ASSERT(c["refunded_minor"].get<std::int64_t>() <= c["amount_minor"].get<std::int64_t>());
    std::set<std::string> case_lines;
    for (const auto& i : c["items"]) case_lines.insert(i["line_id"]);
    std::int64_t bound = 0;
    for (const auto& l : case_lines) bound += line_value.at(l);
    RC_ASSERT(c["amount_minor"].get<std::int64_t>() <= bound);
  }
}

json case_named(const json& e, const json& id) {
  for (const auto& c : e["cases"])
    if (c["case_id"] == id) return c;
  return nullptr;
}

// (c): each auto_refund_case due in `e` (the evaluation of `order` at `now`),
// appended alone, is applied as that action and refunds its case. Returns
// how many were checked.
std::size_t check_auto_refunds(const json& order, bool v2, std::int64_t now, const json& e) {
  std::size_t n = 0;
  for (const auto& d : e["due"]) {
    if (d["action"] != "auto_refund_case") continue;
    ++n;
    json appended = order;
    appended["events"].push_back(d["event"]);
    const json after = evaluated(appended, v2, now);
    RC_LOG() << "(c) appended " << d["event"].dump() << "\n cases " << after["cases"].dump() << "\n facts "
             << after["facts"].dump() << "\n due " << after["due"].dump() << "\n";
    check_money(after);
    const json c = case_named(after, d["event"]["case_id"]);
    RC_ASSERT(!c.is_null());
    RC_ASSERT(c["status"] == "refunded");
    RC_ASSERT(after["facts"]["refunded_minor"].get<std::int64_t>() <= after["facts"]["paid_minor"].get<std::int64_t>());
    for (const auto& x : after["events"])
      if (x["event_index"] == appended["events"].size() - 1) RC_ASSERT(x["applied"] == true);
    for (const auto& later : after["due"])
      RC_ASSERT(!(later["action"] == "auto_refund_case" && later["event"]["case_id"] == d["event"]["case_id"]));
  }
  return n;
}

// Instants to evaluate one history at, in increasing order: where its
// events and case clocks are (and one second either side), random ones, and
// last event + 400 days.
std::vector<std::int64_t> instants_of(const case_history& h, std::size_t n) {
  const std::int64_t far = h.last + 400 * day;
  const json e = evaluated(h.order, h.v2, far);
  std::vector<std::int64_t> interesting;
  for (const auto& x : e["events"]) interesting.push_back(secs(x["at"]));
  for (const auto& d : e["obligations"]) interesting.push_back(secs(d["due_at"]));
  for (const auto& d : e["due"]) interesting.push_back(secs(d["at"]));
  for (const auto& c : e["cases"])
    if (!c["closed_at"].is_null()) interesting.push_back(secs(c["closed_at"]));
  std::vector<std::int64_t> ts{far};
  while (ts.size() < n) {
    const std::int64_t t = chance(70)
                               ? interesting[draw<std::size_t>(0, interesting.size())] + draw<std::int64_t>(-1, 2)
                               : h.placed + draw<std::int64_t>(0, h.last - h.placed + 30 * day);
    if (std::find(ts.begin(), ts.end(), t) == ts.end()) ts.push_back(t);
  }
  std::sort(ts.begin(), ts.end());
  return ts;
}

constexpr std::size_t n_instants = 8;

// For the worked cases below, which run in the plain unit suite: the
// evaluation document (evaluate_json) of `order` at `now`, computed in a
// child process so that a hang is this test's failure (null after 5 s)
// rather than the end of the run.
json evaluated_in_child(const json& order, const char* now, const std::string& policy_text = {}) {
  const std::string text = order.dump();
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::close(fds[0]);
    const std::string out = evaluate_json(text, now, policy_text);
    for (std::size_t off = 0; off < out.size();) {
      const auto n = ::write(fds[1], out.data() + off, out.size() - off);
      if (n <= 0) break;
      off += static_cast<std::size_t>(n);
    }
    _exit(0);
  }
  ::close(fds[1]);
  std::string got;
  bool hung = false;
  for (char buf[4096];;) {
    pollfd p{fds[0], POLLIN, 0};
    if (::poll(&p, 1, 5000) == 0) {
      hung = true;
      break;
    }
    const auto n = ::read(fds[0], buf, sizeof buf);
    if (n <= 0) break;
    got.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  if (hung) ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  return hung ? json(nullptr) : json::parse(got);
}

// A US order placed Tue 2025-04-01 09:00 PDT (16:00Z), line A of `qty` x
// `unit`, nothing else in the total; paid 16:05Z, shipped Wed 04-02, delivered
// Sat 2025-04-05 16:00Z (09:00 PDT): the return window closes at the end of
// 04-05 + 30 = Mon 05-05 PDT = 2025-05-06T07:00:00Z.
json delivered_order(std::int64_t qty, std::int64_t unit) {
  return json{{"order_id", "W-14"},
              {"market", "US"},
              {"seller_id", "S"},
              {"currency", "USD"},
              {"total_minor", qty * unit},
              {"items", json::array({json{{"sku", "A"}, {"qty", qty}, {"unit_price_minor", unit}}})},
              {"payment_method", "card"},
              {"placed_at", "2025-04-01T16:00:00Z"},
              {"events", json::array({ev("payment_succeeded", "2025-04-01T16:05:00Z"),
                                      ev("shipped", "2025-04-02T16:00:00Z", {{"by", "seller"}}),
                                      ev("delivered", "2025-04-05T16:00:00Z", {{"by", "carrier"}})})}};
}

}  // namespace

TEST_SUITE("cases") {
  TEST_CASE("(a) no case stays open for ever: the due events appended until none is due close every case") {
    std::size_t histories = 0, appended = 0, auto_refunds = 0;
    std::map<std::string, std::size_t> final_status;  // "policy/2 refunded" -> cases
    int most_rounds = 0;
    CHECK(rc::check("every case closes (policy/2) or is answered (policy/1)", [&] {
      const auto h = random_case_history();
      RC_LOG() << describe(h);
      ++histories;
      const std::int64_t now = h.last + 400 * day;
      json o = h.order;
      json e = evaluated(o, h.v2, now);
      check_money(e);
      auto_refunds += check_auto_refunds(o, h.v2, now, e);
      int rounds = 0;
      while (!e["due"].empty()) {
        RC_LOG() << "round " << rounds << " due " << e["due"].dump() << "\n";
        RC_ASSERT(rounds < 20);
        ++rounds;
        const std::size_t first = o["events"].size();
        for (const auto& d : e["due"]) o["events"].push_back(d["event"]);
        appended += e["due"].size();
        e = evaluated(o, h.v2, now);
        check_money(e);
        for (const auto& x : e["events"])
          if (x["event_index"].get<std::size_t>() >= first) {
            RC_ASSERT(x["applied"] == true);
            RC_ASSERT(x["automatic"] == true);
          }
      }
      most_rounds = std::max(most_rounds, rounds);
      RC_LOG() << "now " << test_orders::iso_at(now) << " cases " << e["cases"].dump() << "\nobligations "
               << e["obligations"].dump() << "\n";
      for (const auto& c : e["cases"]) {
        const std::string status = c["status"];
        ++final_status[(h.v2 ? "policy/2 " : "policy/1 ") + status];
        // `returned` too: a return whose receipt is never recorded is refunded
        // at its return_receipt clock.
        if (h.v2)
          RC_ASSERT(status == "refunded" || status == "closed");
        else
          RC_ASSERT(status != "requested" && status != "rejected" && status != "appealed");
      }
    }));
    std::string statuses;
    for (const auto& [k, n] : final_status) statuses += " " + k + " " + std::to_string(n) + ",";
    MESSAGE("(a) " << histories << " histories, " << appended << " due events appended (at most " << most_rounds
                   << " round), " << auto_refunds << " auto_refund_case appended alone; cases at the end:" << statuses);
  }

  TEST_CASE("(b) refund bound (SPEC 6): at every instant, the refund and the cases within what was paid") {
    std::size_t histories = 0, evaluations = 0, with_refund = 0;
    CHECK(rc::check("refund within paid - refunded, cases within their lines", [&] {
      const auto h = random_case_history();
      RC_LOG() << describe(h);
      ++histories;
      for (const auto t : instants_of(h, n_instants)) {
        RC_LOG() << "now " << test_orders::iso_at(t) << "\n";
        const json e = evaluated(h.order, h.v2, t);
        ++evaluations;
        with_refund += e["refund"]["amount_minor"].get<std::int64_t>() > 0;
        check_money(e);
      }
    }));
    MESSAGE("(b) " << histories << " histories, " << evaluations << " evaluations, " << with_refund
                   << " with a refund due");
  }

  TEST_CASE("(c) an auto_refund_case due event, appended, refunds its case within what was paid") {
    std::size_t histories = 0, checked = 0;
    CHECK(rc::check("the appended auto refund is the action", [&] {
      const auto h = random_case_history();
      RC_LOG() << describe(h);
      ++histories;
      for (const auto t : instants_of(h, n_instants)) {
        RC_LOG() << "now " << test_orders::iso_at(t) << "\n";
        checked += check_auto_refunds(h.order, h.v2, t, evaluated(h.order, h.v2, t));
      }
    }));
    MESSAGE("(c) " << histories << " histories x " << n_instants << " instants, " << checked
                   << " auto_refund_case events appended");
  }

  TEST_CASE("(d) time runs forward for cases: a case closed at t1 is the same entry at every t2 > t1") {
    std::size_t histories = 0, pairs = 0, closed = 0;
    CHECK(rc::check("closed cases are settled", [&] {
      const auto h = random_case_history();
      RC_LOG() << describe(h);
      ++histories;
      const auto ts = instants_of(h, n_instants);
      std::vector<json> evals;
      for (const auto t : ts) evals.push_back(evaluated(h.order, h.v2, t));
      auto closed_by = [](const json& e, std::int64_t t) {
        std::map<std::string, json> out;
        for (const auto& c : e["cases"])
          if (!c["closed_at"].is_null() && secs(c["closed_at"]) <= t) out[c["case_id"]] = c;
        return out;
      };
      for (std::size_t i = 0; i < ts.size(); ++i) {
        const auto at_t1 = closed_by(evals[i], ts[i]);
        closed += at_t1.size();
        for (std::size_t j = i + 1; j < ts.size(); ++j) {
          ++pairs;
          const auto at_t2 = closed_by(evals[j], ts[i]);
          if (at_t1 != at_t2)
            RC_LOG() << "t1 " << test_orders::iso_at(ts[i]) << " cases " << evals[i]["cases"].dump() << "\nt2 "
                     << test_orders::iso_at(ts[j]) << " cases " << evals[j]["cases"].dump() << "\n";
          RC_ASSERT(at_t1 == at_t2);
        }
      }
    }));
    MESSAGE("(d) " << histories << " histories x " << n_instants << " instants, " << pairs << " pairs t1 < t2, "
                   << closed << " closed cases compared");
  }
}  // TEST_SUITE("cases")

TEST_SUITE("issue14") {
  // Found by (a): a request without case_id after one that named "R2". The
  // first is the order's first case (R2, 1 unit, amount floor(2000*1/2) =
  // 1000); the core names the second "R" + (cases so far + 1) = "R2" too.
  // Each should be approved at its own response clock: request + 48 h =
  // 2025-04-09T16:00:00Z and 2025-04-10T16:00:00Z. The second approval,
  // applied to the first R2 (already awaiting_return), never stops the
  // second's clock: the replay fires it again and again and evaluate()
  // does not return (under policy/1 and /2, every market).
  TEST_CASE("an id-less request after one named R2 is its own case, and each is approved at its clock") {
    json o = delivered_order(2, 1000);
    o["events"].push_back(ev("return_requested", "2025-04-07T16:00:00Z",
                             {{"by", "buyer"},
                              {"case_id", "R2"},
                              {"reason", "defective"},
                              {"items", json::array({json{{"line_id", "A"}, {"qty", 1}}})}}));
    o["events"].push_back(ev("return_requested", "2025-04-08T16:00:00Z", {{"by", "buyer"}, {"reason", "defective"}}));
    const json e = evaluated_in_child(o, "2025-04-10T16:00:00Z");
    REQUIRE_MESSAGE(!e.is_null(), "evaluate() did not return within 5 s: " << o.dump());
    REQUIRE(e["cases"].size() == 2);
    CHECK(e["cases"][0]["case_id"] == "R2");
    CHECK(e["cases"][1]["case_id"] != "R2");
    REQUIRE(e["due"].size() == 2);
    CHECK(e["due"][0]["action"] == "auto_approve_case");
    CHECK(e["due"][0]["at"] == "2025-04-09T16:00:00Z");
    CHECK(e["due"][0]["event"]["case_id"] == "R2");
    CHECK(e["due"][1]["action"] == "auto_approve_case");
    CHECK(e["due"][1]["at"] == "2025-04-10T16:00:00Z");
    CHECK(e["due"][1]["event"]["case_id"] == e["cases"][1]["case_id"]);
    for (const auto& c : e["cases"]) {
      CHECK(c["status"] == "awaiting_return");
      CHECK(c["amount_minor"] == 1000);
    }
  }

  // Found by (a) and (c): money refunded without case_id while the case is
  // still `requested` goes to the line, not to the case (not yet payable),
  // so the case owes more than is left. Line A 1 x 3000 paid 3000; R1
  // refund_only `defective` (the seller's: goods 3000 + shipping share 0),
  // requested Mon 04-07 16:00Z, amount 3000; a goodwill refund of G on
  // 04-08 16:00Z; approved by the platform at the response clock,
  // 2025-04-09T16:00:00Z; the case_refund clock runs out at approval + 48 h
  // = 2025-04-11T16:00:00Z. The platform then refunds what is left,
  // min(3000, paid - refunded = 3000 - G): 2000 for G = 1000, nothing for
  // G = 3000, and the case is settled (refunded, or closed when nothing was
  // left). The core's auto refund of 3000 - G leaves the case short of
  // its amount, so its clock stays running and the replay fires it for ever.
  TEST_CASE("an auto refund capped by an earlier refund settles its case") {
    for (const std::int64_t goodwill : {1000, 3000}) {
      CAPTURE(goodwill);
      json o = delivered_order(1, 3000);
      o["events"].push_back(ev("return_requested", "2025-04-07T16:00:00Z",
                               {{"by", "buyer"}, {"case_type", "refund_only"}, {"reason", "defective"}}));
      o["events"].push_back(ev("refunded", "2025-04-08T16:00:00Z",
                               {{"by", "platform"}, {"amount_minor", goodwill}, {"reason", "goodwill"}}));
      const json e = evaluated_in_child(o, "2025-04-12T00:00:00Z");
      if (e.is_null()) {
        FAIL_CHECK("evaluate() did not return within 5 s: " << o.dump());
        continue;
      }
      CHECK(e["facts"]["refunded_minor"] == 3000);
      CHECK(e["refund"]["amount_minor"] == 0);
      REQUIRE(e["cases"].size() == 1);
      const std::string status = e["cases"][0]["status"];
      CHECK((status == "refunded" || status == "closed"));
      if (goodwill == 1000) {  // an auto refund of 2000, which settles the case ((c))
        CHECK(status == "refunded");
        bool found = false;
        for (const auto& d : e["due"])
          if (d["action"] == "auto_refund_case") {
            found = true;
            CHECK(d["at"] == "2025-04-11T16:00:00Z");
            CHECK(d["event"]["amount_minor"] == 2000);
          }
        CHECK(found);
      }
    }
  }

  // (a)'s policy/1 clause by hand: v1 has no case clock beyond the seller's
  // response, so an approved case waits for the seller's refund for ever and
  // a rejection closes the case at once; policy/2 refunds and closes them.
  // Line A 2 x 1500 paid 3000, delivered 04-05. R1 refund_only `defective`,
  // 1 unit (floor(3000*1/2) = 1500), requested 04-07 16:00Z, approved by
  // the seller 04-08 16:00Z; R2 refund_only `wrong_item`, the other unit
  // (3000 - 1500 = 1500), requested 04-08 17:00Z, rejected 04-09 16:00Z.
  //   policy/1: R1 approved (1500 due, nothing automatic), R2 closed
  //             `rejected` at 2025-04-09T16:00:00Z; the order never completes.
  //   policy/2: case_refund = 04-08 16:00Z + 48 h = 2025-04-10T16:00:00Z ->
  //             auto_refund_case 1500; appeal window = 04-09 16:00Z + 48 h =
  //             2025-04-11T16:00:00Z -> auto_close_case `rejected`; completed
  //             at the return window's close, 2025-05-06T07:00:00Z.
  TEST_CASE("policy/1 keeps an approved case open and closes a rejected one at once; policy/2 runs both out") {
    json o = delivered_order(2, 1500);
    const json one = json::array({json{{"line_id", "A"}, {"qty", 1}}});
    o["events"].push_back(ev("return_requested", "2025-04-07T16:00:00Z",
                             {{"by", "buyer"}, {"case_type", "refund_only"}, {"reason", "defective"}, {"items", one}}));
    o["events"].push_back(ev("return_approved", "2025-04-08T16:00:00Z", {{"by", "seller"}, {"case_id", "R1"}}));
    o["events"].push_back(
        ev("return_requested", "2025-04-08T17:00:00Z",
           {{"by", "buyer"}, {"case_type", "refund_only"}, {"reason", "wrong_item"}, {"items", one}}));
    o["events"].push_back(
        ev("return_rejected", "2025-04-09T16:00:00Z", {{"by", "seller"}, {"case_id", "R2"}, {"reason", "used"}}));

    const json v1 = evaluated_in_child(o, "2026-05-01T00:00:00Z", test_orders::v1_policy_text("US"));
    REQUIRE(!v1.is_null());
    REQUIRE(v1["cases"].size() == 2);
    CHECK(v1["cases"][0]["status"] == "approved");
    CHECK(v1["cases"][0]["amount_minor"] == 1500);
    CHECK(v1["cases"][1]["status"] == "closed");
    CHECK(v1["cases"][1]["closed_reason"] == "rejected");
    CHECK(v1["cases"][1]["closed_at"] == "2025-04-09T16:00:00Z");
    CHECK(v1["due"].empty());
    CHECK(v1["refund"]["amount_minor"] == 1500);
    CHECK(v1["effective_status"] == "DELIVERED");

    const json v2 = evaluated_in_child(o, "2026-05-01T00:00:00Z");
    REQUIRE(!v2.is_null());
    REQUIRE(v2["due"].size() == 3);
    CHECK(v2["due"][0]["event"] == json{{"type", "refunded"},
                                        {"at", "2025-04-10T16:00:00Z"},
                                        {"by", "platform"},
                                        {"reason", "seller_no_response"},
                                        {"case_id", "R1"},
                                        {"amount_minor", 1500}});
    CHECK(v2["due"][1]["event"] == json{{"type", "case_closed"},
                                        {"at", "2025-04-11T16:00:00Z"},
                                        {"by", "platform"},
                                        {"reason", "rejected"},
                                        {"case_id", "R2"}});
    CHECK(v2["due"][2]["action"] == "auto_complete");
    CHECK(v2["due"][2]["at"] == "2025-05-06T07:00:00Z");
    CHECK(v2["cases"][0]["status"] == "refunded");
    CHECK(v2["cases"][1]["closed_reason"] == "rejected");
    CHECK(v2["effective_status"] == "COMPLETED");
  }
}  // TEST_SUITE("issue14")
