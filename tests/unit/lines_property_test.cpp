// Issue 12: lines, packages and per-line money (docs/RULES.md ("Lines, packages and per-line money")) as properties
// of the core, over random multi-line orders and histories evaluated with
// parse_order + evaluate under the embedded US policy at a random instant.
// ctest runs this suite as unit/lines with its own RC_PARAMS (tests/CMakeLists.txt).
//
//   allocation   sum of allocated_minor = total - shipping, sum of shipping
//                shares = shipping, each equal to SPEC 1.1's largest-remainder
//                split (weights qty * unit price, all zero: qty)
//   refund due   refund.amount_minor in [0, paid - refunded] (facts); with
//                paid <= total, at most the sum of the lines' refundable
//   line money   0 <= refundable = max(0, A + S - R) <= A + S - R when that is
//                >= 0, and R <= A + S (nothing is attributed past A + S)
//   status 112   effective_status PARTIALLY_SHIPPING exactly when some unit
//                is shipped, some unit is neither shipped nor cancelled, and
//                the order is neither cancelled nor completed (`lines`,
//                `packages` and `cancelled` are the state at `now`, after the
//                automatic actions due, as effective_status is)
//   refunds      each refund's items sum to at most its amount; the refunds
//                sum to refunded_minor; the items attributed to a line sum to
//                its refunded_minor
//   quantities   cancelled + shipped <= qty, cancelled + packed + shipped <=
//                qty, delivered <= shipped, all >= 0
//   returns      returned <= delivered (RULES.md: delivered units only)
//   packages     the packages' units are the lines' packed / shipped /
//                delivered quantities (by the definitions of `packed_qty`,
//                `shipped_qty`, `delivered_qty`); ids unique, none empty
//   status/units every unit cancelled (or a whole-order cancellation) =
//                CANCELLED and only then; DELIVERED / IN_TRANSIT agree with
//                the lines' units
//   units_cancelled  an automatic refund for cancelled units is
//                min(paid - refunded, sum max(0, E_cancel - R)), E_cancel =
//                floor(A * c / qty) + floor(S * c / qty) for c cancelled units
//
// Each property can be made to fail on purpose: ORDERTRAIL_BREAK_PROPERTY=<id>
// (alloc, refund_due, line_money, status_112, refunds, quantities, returns,
// packages, status_units, units_cancelled) shifts that
// property's expectation by one (or inverts it), to check that the random
// histories reach it (docs/RULES.md ("Lines, packages and per-line money"), tests/CMakeLists.txt).
#include <doctest/doctest.h>

#include <cstdlib>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "test_orders.hpp"

using namespace ordertrail;
using test_orders::chance;
using test_orders::draw;
using test_orders::json;

namespace {

constexpr std::int64_t day = 86400;

// 1 when the property `id` is to be broken on purpose (see the header), else 0.
std::int64_t broken(const char* id) {
  static const char* which = std::getenv("ORDERTRAIL_BREAK_PROPERTY");
  return which && std::string(which) == id ? 1 : 0;
}

struct lines_case {
  json order;
  std::int64_t placed = 0;
  std::int64_t now = 0;
};

// A random multi-line US order and history: 1-4 lines of 1-4 units at any
// price (0 included; skus sometimes repeated, some explicit line ids), a
// total at, above or below the lines' value, shipping_minor absent or any
// amount within the total; then payment, cancellations of units (and of the
// whole order), packing and shipping of some or all units into packages
// (named or not), deliveries and losses per package, refunds with and
// without items (and case ids), returns of some units and their answers,
// cancel requests, completion; events at random gaps (ties too), a few out
// of document order; `now` among the events, or up to 100 days after placement.
lines_case random_lines_order() {
  static constexpr std::array<const char*, 4> skus{"A", "B", "C", "D"};
  lines_case c;
  c.placed = 1735689600 + draw<std::int64_t>(0, 3 * 365 * day);
  const int n = draw<int>(1, 5);
  test_orders::random_lines lines;  // refs: the names events may use for each line
  for (int i = 0; i < n; ++i)
    lines.add(
        i, chance(20) ? skus[draw<std::size_t>(0, static_cast<std::size_t>(i) + 1)] : skus[static_cast<std::size_t>(i)],
        4);
  auto& [items, refs, qty, value] = lines;
  std::int64_t total = value;
  const int tk = draw<int>(0, 100);
  if (tk < 50)
    total = value + draw<std::int64_t>(0, 801);
  else if (tk < 60)
    total = draw<std::int64_t>(0, value + 1);
  else if (tk < 65)
    total = draw<std::int64_t>(0, 3000);
  const bool cod = chance(10);
  json o = test_orders::order_base("LP-" + std::to_string(c.placed), 0, c.placed, total, items, cod);  // US
  if (chance(70)) o["shipping_minor"] = draw<std::int64_t>(0, total + 1);
  if (chance(60))
    o["promise"] = {{"est_delivery", format_date(civil_date{date::sys_days{
                                         date::days{(c.placed + draw<std::int64_t>(2 * day, 21 * day)) / day}}})}};

  // References to a line: its id, its sku, or (for a repeated sku) "sku#2".
  auto ref_of = [&](std::size_t i) -> json {
    const std::string sku = items[i]["sku"];
    const int k = draw<int>(0, 10);
    if (k < 5) return refs[i];
    if (k < 8) return sku;
    if (k < 9) return sku + "#2";
    return "NOPE";  // unknown_line
  };
  auto some_units = [&]() {
    json list = json::array();
    for (std::size_t i = 0; i < qty.size(); ++i) {
      if (!chance(55)) continue;
      const json r = ref_of(i);
      const int k = draw<int>(0, 3);
      if (k == 0) {
        list.push_back(r);  // the whole line
      } else {
        json u{{k == 1 ? "line_id" : "sku", r}};
        if (chance(85)) u["qty"] = draw<std::int64_t>(1, qty[i] + 1);
        list.push_back(u);
      }
    }
    if (list.empty() && chance(70)) list.push_back(ref_of(draw<std::size_t>(0, qty.size())));
    return list;
  };
  auto package = [&]() -> std::string {
    static constexpr std::array<const char*, 5> ids{"P1", "P2", "P3", "1", "2"};
    return ids[draw<std::size_t>(0, ids.size())];
  };
  std::int64_t t = c.placed;
  // Mostly hours apart, so that most stories unfold before ship-by (7
  // working days) cancels what is not shipped; sometimes days.
  auto gap = [&]() -> std::int64_t {
    const int k = draw<int>(0, 100);
    if (k < 15) return 0;
    if (k < 60) return draw<std::int64_t>(1, 6 * 3600);
    if (k < 95) return draw<std::int64_t>(3600, 36 * 3600);
    return draw<std::int64_t>(day, 10 * day);
  };
  std::vector<json> doc;
  auto push = [&](json e) {
    e["at"] = test_orders::iso_at(t += gap());
    doc.push_back(std::move(e));
  };

  if (!cod && chance(85)) {
    json p{{"type", "payment_succeeded"}};
    const int a = draw<int>(0, 100);
    if (a < 60)
      p["amount_minor"] = total;
    else if (a < 80)
      p["amount_minor"] = draw<std::int64_t>(0, total + 1);
    else if (a < 88)
      p["amount_minor"] = total + draw<std::int64_t>(1, 500);
    push(p);
  }
  if (chance(35)) {  // a first parcel of one unit: most orders then have units left for another
    json e{{"type", chance(30) ? "ready_to_ship" : "shipped"},
           {"by", "seller"},
           {"items", json::array({json{{"line_id", refs[0]}, {"qty", 1}}})}};
    if (chance(70)) e["package_id"] = package();
    if (chance(60)) e["carrier"] = "DHL";
    push(e);
  }
  const int steps = draw<int>(0, 13);
  for (int s = 0; s < steps; ++s) {
    const int k = draw<int>(0, 100);
    if (k < 8) {
      static constexpr std::array<const char*, 3> by{"seller", "buyer", "platform"};
      static constexpr std::array<const char*, 3> why{"out_of_stock", "changed_mind", "risk_control"};
      const std::size_t w = draw<std::size_t>(0, 3);
      json e{{"type", "cancelled"}, {"by", by[w]}, {"reason", why[w]}};
      if (chance(85)) {
        json u = some_units();
        if (!u.empty()) e["items"] = u;
      } else if (chance(30)) {
        e["package_id"] = package();
      }
      push(e);
    } else if (k < 22) {
      json e{{"type", "ready_to_ship"}, {"by", "seller"}};
      if (chance(60)) e["package_id"] = package();
      if (chance(60)) e["items"] = some_units();
      push(e);
    } else if (k < 47) {
      json e{{"type", "shipped"}, {"by", "seller"}};
      if (chance(65)) e["package_id"] = package();
      if (chance(60)) e["items"] = some_units();
      if (chance(70)) {
        e["carrier"] = "UPS";
        if (chance(85)) e["tracking_number"] = "1Z" + std::to_string(s);
      }
      push(e);
    } else if (k < 62) {
      json e{{"type", chance(85) ? "delivered" : "lost"}, {"by", "carrier"}};
      if (chance(75)) e["package_id"] = package();
      push(e);
    } else if (k < 65) {
      json e{{"type", "delivery_attempt_failed"}, {"reason", "no_one_home"}};
      if (chance(60)) e["package_id"] = package();
      push(e);
    } else if (k < 80) {
      const std::int64_t amount = draw<std::int64_t>(0, total + 2);
      json e{{"type", "refunded"}, {"by", "platform"}, {"amount_minor", amount}};
      if (chance(50)) {  // items summing to at most the amount
        json list = json::array();
        std::int64_t left = amount;
        for (std::size_t i = 0; i < qty.size(); ++i) {
          if (!chance(60)) continue;
          const std::int64_t a = draw<std::int64_t>(0, left + 1);
          left -= a;
          list.push_back(json{{chance(50) ? "line_id" : "sku", ref_of(i)}, {"amount_minor", a}});
        }
        if (!list.empty()) e["items"] = list;
      }
      if (chance(15)) e["case_id"] = chance(70) ? "R1" : "R9";
      if (chance(50)) e["reason"] = "goodwill";
      push(e);
    } else if (k < 90) {
      json e{{"type", "return_requested"}, {"by", "buyer"}, {"reason", chance(50) ? "damaged" : "changed_mind"}};
      if (chance(85)) e["items"] = some_units();
      if (chance(20)) e["case_id"] = "R1";
      push(e);
      const int answer = draw<int>(0, 100);
      if (answer < 60) {
        push(json{{"type", "return_approved"}, {"by", "seller"}});
        if (chance(70)) {
          push(json{{"type", "return_shipped"}, {"by", "buyer"}, {"tracking_number", "RT"}});
          if (chance(70)) push(json{{"type", "return_received"}, {"by", "seller"}});
        }
      } else if (answer < 75) {
        push(json{{"type", "return_rejected"}, {"by", "seller"}, {"reason", "used"}});
      }
    } else if (k < 96) {
      push(json{{"type", "cancel_requested"}, {"by", "buyer"}, {"reason", "changed_mind"}});
      if (chance(30)) push(json{{"type", "cancel_request_approved"}, {"by", "seller"}});
    } else {
      push(json{{"type", "completed"}, {"by", "platform"}});
    }
  }
  for (std::size_t i = doc.size(); i > 1; --i)
    if (chance(10)) std::swap(doc[i - 1], doc[draw<std::size_t>(0, i)]);
  for (auto& e : doc) o["events"].push_back(std::move(e));
  c.order = std::move(o);
  // now: among the events (some in the future), or days to months after.
  const int nk = draw<int>(0, 100);
  c.now = c.placed + (nk < 40   ? draw<std::int64_t>(0, t - c.placed + day)
                      : nk < 70 ? draw<std::int64_t>(0, 12 * day)
                                : draw<std::int64_t>(0, 100 * day));
  return c;
}

// What a failure log shows of an evaluation: status, facts' money, lines,
// packages, refunds, the refund due.
std::string summary(const evaluation& e) {
  std::ostringstream s;
  s << "status " << to_string(e.status) << " effective " << to_string(e.effective_status)
    << (e.cancelled ? " (whole order cancelled)" : "") << "\nfacts total " << e.facts.total_minor << " shipping "
    << e.facts.shipping_minor << " paid " << e.facts.paid_minor << " refunded " << e.facts.refunded_minor << "\n";
  for (const auto& l : e.lines)
    s << "line " << l.line_id << " qty " << l.qty << " price " << l.unit_price_minor << " A " << l.allocated_minor
      << " S " << l.shipping_share_minor << " cancelled " << l.cancelled_qty << " packed " << l.packed_qty
      << " shipped " << l.shipped_qty << " delivered " << l.delivered_qty << " returned " << l.returned_qty << " R "
      << l.refunded_minor << " refundable " << l.refundable_minor << " status " << to_string(l.status) << "\n";
  for (const auto& p : e.packages) {
    s << "package " << p.package_id << " " << to_string(p.status) << ":";
    for (const auto& i : p.items) s << " " << i.line_id << "x" << i.qty;
    s << "\n";
  }
  for (const auto& r : e.refunds) {
    s << "refund " << r.amount_minor << " case " << r.case_id << ":";
    for (const auto& i : r.items) s << " " << i.line_id << "=" << i.amount_minor;
    s << "\n";
  }
  s << "refund due " << e.refund.amount_minor << " " << to_string(e.refund.kind) << " " << e.refund.reason << "\n";
  return s.str();
}

// The case, evaluated; the log of a failure shows the order, now and the summary.
evaluation evaluated(const lines_case& c) {
  auto o = parse_order(c.order.dump());
  RC_LOG() << "order " << c.order.dump() << "\nnow " << test_orders::iso_at(c.now) << "\n";
  if (!o.ok()) RC_LOG() << "parse error " << o.err().code << " " << o.err().path << ": " << o.err().message << "\n";
  RC_ASSERT(o.ok());
  static const auto us = builtin_policy("US");
  RC_ASSERT(us.ok());
  auto e = evaluate(*o, *us, instant{std::chrono::seconds{c.now}});
  if (!e.ok()) RC_LOG() << "evaluate error " << e.err().code << ": " << e.err().message << "\n";
  RC_ASSERT(e.ok());
  RC_LOG() << summary(*e);
  return *e;
}

// SPEC 1.1's split of `amount` over weights: floor(amount * w / W), the rest
// one each to the largest remainders (ties to the earlier line); all weights
// zero: weights = qty.
std::vector<std::int64_t> split(std::int64_t amount, std::vector<std::int64_t> w,
                                const std::vector<std::int64_t>& qty) {
  __int128 sum = 0;
  for (auto x : w) sum += x;
  if (sum == 0) {
    w = qty;
    for (auto x : w) sum += x;
  }
  std::vector<std::int64_t> out(w.size());
  std::vector<__int128> rem(w.size());
  std::int64_t given = 0;
  for (std::size_t i = 0; i < w.size(); ++i) {
    const __int128 p = static_cast<__int128>(amount) * w[i];
    out[i] = static_cast<std::int64_t>(p / sum);
    rem[i] = p % sum;
    given += out[i];
  }
  for (; given < amount; ++given) {
    std::size_t best = 0;
    for (std::size_t i = 1; i < w.size(); ++i)
      if (rem[i] > rem[best]) best = i;
    ++out[best];
    rem[best] = -1;
  }
  return out;
}

// Completed at `now`: a `completed` applied, or the automatic completion due.
bool completed(const evaluation& e) {
  for (const auto& x : e.events)
    if (x.type == event_type::completed && x.applied) return true;
  for (const auto& d : e.due)
    if (d.action == due_action::auto_complete) return true;
  return false;
}

struct run_counts {
  std::size_t orders = 0, hits = 0;
};

}  // namespace

TEST_SUITE("lines") {
  TEST_CASE("allocation: the lines share total - shipping and shipping exactly, by largest remainder") {
    run_counts n;
    CHECK(rc::check("allocation", [&] {
      const auto c = random_lines_order();
      const auto e = evaluated(c);
      ++n.orders;
      const std::int64_t total = c.order["total_minor"];
      std::int64_t value = 0;
      std::vector<std::int64_t> w, qty;
      for (const auto& it : c.order["items"]) {
        w.push_back(it["qty"].get<std::int64_t>() * it["unit_price_minor"].get<std::int64_t>());
        qty.push_back(it["qty"]);
        value += w.back();
      }
      const std::int64_t shipping = c.order.contains("shipping_minor") ? c.order["shipping_minor"].get<std::int64_t>()
                                                                       : std::max<std::int64_t>(0, total - value);
      RC_ASSERT(e.facts.shipping_minor == shipping);
      RC_ASSERT(e.lines.size() == qty.size());
      std::int64_t sum_a = 0, sum_s = 0;
      for (const auto& l : e.lines) sum_a += l.allocated_minor, sum_s += l.shipping_share_minor;
      RC_ASSERT(sum_a == total - shipping + broken("alloc"));
      RC_ASSERT(sum_s == shipping);
      const auto a = split(total - shipping, w, qty), s = split(shipping, w, qty);
      for (std::size_t i = 0; i < e.lines.size(); ++i) {
        RC_ASSERT(e.lines[i].allocated_minor == a[i]);
        RC_ASSERT(e.lines[i].shipping_share_minor == s[i]);
      }
      n.hits += total != value;
    }));
    MESSAGE("allocation: " << n.orders << " orders, " << n.hits << " with a total other than the lines' value");
  }

  TEST_CASE("refund due: within paid - refunded, and within the lines' refundable when paid <= total") {
    run_counts n;
    CHECK(rc::check("refund due", [&] {
      const auto e = evaluated(random_lines_order());
      ++n.orders;
      RC_ASSERT(e.refund.amount_minor >= 0);
      RC_ASSERT(e.facts.refunded_minor <= e.facts.paid_minor);
      RC_ASSERT(e.refund.amount_minor <=
                std::max<std::int64_t>(0, e.facts.paid_minor - e.facts.refunded_minor) - broken("refund_due"));
      if (e.facts.paid_minor <= e.facts.total_minor) {
        std::int64_t refundable = 0;
        for (const auto& l : e.lines) refundable += l.refundable_minor;
        RC_ASSERT(e.refund.amount_minor <= refundable);
      }
      if (!e.refund.eligible) RC_ASSERT(e.refund.amount_minor == 0);
      n.hits += e.refund.amount_minor > 0;
    }));
    MESSAGE("refund due: " << n.orders << " orders, " << n.hits << " with a refund due");
  }

  TEST_CASE("line money: refundable = max(0, A + S - R), never above A + S - R, and R <= A + S") {
    run_counts n;
    CHECK(rc::check("line money", [&] {
      const auto e = evaluated(random_lines_order());
      ++n.orders;
      for (const auto& l : e.lines) {
        const std::int64_t room = l.allocated_minor + l.shipping_share_minor - l.refunded_minor;
        RC_ASSERT(l.refunded_minor >= 0);
        RC_ASSERT(room >= 0);  // nothing is attributed to a line past A + S
        RC_ASSERT(l.refundable_minor >= 0);
        RC_ASSERT(l.refundable_minor <= room - broken("line_money"));
        RC_ASSERT(l.refundable_minor == std::max<std::int64_t>(0, room));
        n.hits += l.refunded_minor > 0;
      }
    }));
    MESSAGE("line money: " << n.orders << " orders, " << n.hits << " lines with money refunded");
  }

  TEST_CASE("status 112: PARTIALLY_SHIPPING exactly when some units shipped and some neither shipped nor cancelled") {
    run_counts n;
    CHECK(rc::check("status 112", [&] {
      const auto e = evaluated(random_lines_order());
      ++n.orders;
      std::int64_t shipped = 0, open = 0;
      for (const auto& l : e.lines) {
        shipped += l.shipped_qty;
        open += l.qty - l.cancelled_qty - l.shipped_qty;
      }
      const bool expected = shipped > 0 && open > 0 && !e.cancelled && !completed(e);
      RC_ASSERT((e.effective_status == order_status::partially_shipping) == (expected != (broken("status_112") != 0)));
      n.hits += expected;
    }));
    MESSAGE("status 112: " << n.orders << " orders, " << n.hits << " partially shipping");
  }

  TEST_CASE("refunds: items within each amount, the records sum to refunded, a line's items to its refunded") {
    run_counts n;
    CHECK(rc::check("refunds", [&] {
      const auto e = evaluated(random_lines_order());
      ++n.orders;
      std::int64_t sum = 0;
      std::map<std::string, std::int64_t> per_line;
      std::set<std::string> ids;
      for (const auto& l : e.lines) ids.insert(l.line_id);
      for (const auto& r : e.refunds) {
        std::int64_t items = 0;
        for (const auto& i : r.items) {
          RC_ASSERT(ids.count(i.line_id) == 1);
          RC_ASSERT(i.amount_minor >= 0);
          items += i.amount_minor;
          per_line[i.line_id] += i.amount_minor;
        }
        RC_ASSERT(items <= r.amount_minor - broken("refunds"));
        sum += r.amount_minor;
        n.hits += !r.items.empty();
      }
      RC_ASSERT(sum == e.facts.refunded_minor);
      std::int64_t lines = 0;
      for (const auto& l : e.lines) {
        RC_ASSERT(per_line[l.line_id] == l.refunded_minor);
        lines += l.refunded_minor;
      }
      RC_ASSERT(lines <= e.facts.refunded_minor);
    }));
    MESSAGE("refunds: " << n.orders << " orders, " << n.hits << " refunds attributed to lines");
  }

  TEST_CASE("quantities: per line, cancelled + shipped <= qty, delivered <= shipped, returned <= delivered") {
    run_counts n;
    CHECK(rc::check("quantities", [&] {
      const auto e = evaluated(random_lines_order());
      ++n.orders;
      std::set<std::string> ids;
      for (const auto& l : e.lines) {
        RC_ASSERT(ids.insert(l.line_id).second);  // line ids unique
        RC_ASSERT(l.cancelled_qty >= 0);
        RC_ASSERT(l.packed_qty >= 0);
        RC_ASSERT(l.shipped_qty >= 0);
        RC_ASSERT(l.cancelled_qty + l.shipped_qty <= l.qty - broken("quantities"));
        RC_ASSERT(l.cancelled_qty + l.packed_qty + l.shipped_qty <= l.qty);
        RC_ASSERT(l.delivered_qty >= 0);
        RC_ASSERT(l.delivered_qty <= l.shipped_qty);
        RC_ASSERT(l.returned_qty >= 0);
        n.hits += l.cancelled_qty > 0 && l.shipped_qty > 0;
      }
    }));
    MESSAGE("quantities: " << n.orders << " orders, " << n.hits << " lines with units cancelled and units shipped");
  }

  // Not written in docs/RULES.md ("Lines, packages and per-line money"): a return takes units that were delivered (a
  // return requested before delivery is applied, with impossible_transition).
  TEST_CASE("returns: a line's returned units were delivered") {
    run_counts n;
    CHECK(rc::check("returns", [&] {
      const auto e = evaluated(random_lines_order());
      ++n.orders;
      for (const auto& l : e.lines) {
        RC_ASSERT(l.returned_qty <= l.delivered_qty - broken("returns"));
        n.hits += l.returned_qty > 0;
      }
    }));
    MESSAGE("returns: " << n.orders << " orders, " << n.hits << " lines with units returned");
  }

  TEST_CASE("packages: their units are the lines' packed, shipped and delivered quantities") {
    run_counts n;
    CHECK(rc::check("packages", [&] {
      const auto e = evaluated(random_lines_order());
      ++n.orders;
      std::set<std::string> ids;
      for (const auto& l : e.lines) ids.insert(l.line_id);
      std::map<std::string, std::int64_t> packed, shipped, delivered;
      std::set<std::string> packages;
      std::map<std::string, std::int64_t> cancelled;  // units of packages whose units were cancelled
      for (const auto& p : e.packages) {
        RC_ASSERT(packages.insert(p.package_id).second);  // package ids unique
        std::int64_t units = 0;
        for (const auto& i : p.items) {
          RC_ASSERT(ids.count(i.line_id) == 1);
          RC_ASSERT(i.qty > 0);
          units += i.qty;
          if (p.units_cancelled) {  // still listed, counted as cancelled (RULES "Output additions")
            // a packed package keeps its units only when the whole order is cancelled
            if (p.status == package_status::packed) RC_ASSERT(e.cancelled.has_value());
            cancelled[i.line_id] += i.qty;
            continue;
          }
          (p.status == package_status::packed ? packed : shipped)[i.line_id] += i.qty;
          if (p.status == package_status::delivered) delivered[i.line_id] += i.qty;
        }
        RC_ASSERT(units > 0);  // an emptied package disappears
        if (p.status == package_status::in_transit) RC_ASSERT(p.shipped_at.has_value());
        if (p.status == package_status::delivered) RC_ASSERT(p.delivered_at.has_value());
        if (p.status == package_status::lost) RC_ASSERT(p.lost_at.has_value());
      }
      for (const auto& l : e.lines) {
        RC_ASSERT(packed[l.line_id] == l.packed_qty);
        RC_ASSERT(shipped[l.line_id] == l.shipped_qty + broken("packages"));
        RC_ASSERT(delivered[l.line_id] == l.delivered_qty);
        RC_ASSERT(cancelled[l.line_id] <= l.cancelled_qty);
      }
      n.hits += e.packages.size() >= 2;
    }));
    MESSAGE("packages: " << n.orders << " orders, " << n.hits << " with two or more packages");
  }

  TEST_CASE("status over units: every unit cancelled = CANCELLED; DELIVERED and IN_TRANSIT agree with the lines") {
    run_counts n;
    CHECK(rc::check("status over units", [&] {
      const auto e = evaluated(random_lines_order());
      ++n.orders;
      std::int64_t u = 0, u_shipped = 0, u_delivered = 0;
      for (const auto& l : e.lines) {
        u += l.qty - l.cancelled_qty;
        u_shipped += l.shipped_qty;
        u_delivered += l.delivered_qty;
        if (l.cancelled_qty == l.qty && !completed(e)) RC_ASSERT(l.status == order_status::cancelled);
      }
      const bool all_cancelled = u == 0 || e.cancelled.has_value();
      RC_ASSERT((e.effective_status == order_status::cancelled) == (all_cancelled != (broken("status_units") != 0)));
      if (!completed(e) && !e.cancelled && u > 0) {
        if (e.effective_status == order_status::delivered) RC_ASSERT(u_delivered >= u);
        if (e.effective_status == order_status::in_transit) RC_ASSERT(u_shipped >= u && u_delivered < u);
      }
      n.hits += u > 0 && u < static_cast<std::int64_t>(e.lines.size());
    }));
    MESSAGE("status over units: " << n.orders << " orders");
  }

  TEST_CASE("units_cancelled refund: the value and shipping share of the cancelled units not yet refunded") {
    run_counts n;
    CHECK(rc::check("units_cancelled refund", [&] {
      const auto e = evaluated(random_lines_order());
      ++n.orders;
      if (e.refund.kind != refund_kind::automatic || e.refund.reason != "units_cancelled") return;
      std::int64_t owed = 0;  // sum max(0, E_cancel - R), units valued cumulatively from the first
      for (const auto& l : e.lines) {
        const auto value = [&](std::int64_t a) {
          return static_cast<std::int64_t>(static_cast<__int128>(a) * l.cancelled_qty / l.qty);
        };
        owed += std::max<std::int64_t>(0, value(l.allocated_minor) + value(l.shipping_share_minor) - l.refunded_minor);
      }
      const std::int64_t room = std::max<std::int64_t>(0, e.facts.paid_minor - e.facts.refunded_minor);
      RC_ASSERT(e.refund.amount_minor == std::min(owed, room) + broken("units_cancelled"));
      ++n.hits;
    }));
    MESSAGE("units_cancelled refund: " << n.orders << " orders, " << n.hits << " owing it");
  }
}  // TEST_SUITE("lines")
