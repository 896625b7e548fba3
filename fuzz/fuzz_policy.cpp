// libFuzzer target: a policy document through parse_policy; a policy that
// parses is then used: three orders in different states are evaluated under it
// at three instants, and a checkout quote is made at each. Weekends, holidays,
// cutoffs and POSIX TZ rules chosen by the fuzzer drive the working-day
// calendar and the zone arithmetic; libFuzzer's -timeout catches a search that
// does not end (every day a holiday must be `calendar_exhausted`, promptly).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fuzz_check.hpp"
#include "ordertrail/ordertrail.hpp"

namespace {

using namespace ordertrail;

constexpr std::string_view orders[] = {
    // unpaid
    R"({"order_id":"F-1","market":"US","seller_id":"S","currency":"USD","total_minor":1000,"placed_at":"2025-03-03T10:00:00-08:00"})",
    // paid, a cancellation request pending, promise given
    R"({"order_id":"F-2","market":"US","seller_id":"S","currency":"USD","total_minor":1000,"placed_at":"2025-06-27T23:30:00Z",
       "promise":{"handling_days":2,"transit_days":[1,9]},
       "events":[{"type":"payment_succeeded","at":"2025-06-28T00:10:00Z"},{"type":"cancel_requested","at":"2025-06-29T12:00:00Z","by":"buyer"}]})",
    // delivered, a return requested
    R"({"order_id":"F-3","market":"US","seller_id":"S","currency":"USD","total_minor":1000,"placed_at":"2025-10-30T10:00:00Z",
       "items":[{"sku":"A","qty":1,"unit_price_minor":1000}],
       "events":[{"type":"payment_succeeded","at":"2025-10-30T10:05:00Z"},{"type":"shipped","at":"2025-10-31T10:00:00Z"},
                 {"type":"delivered","at":"2025-11-03T10:00:00Z"},{"type":"return_requested","at":"2025-11-04T10:00:00Z","items":["A"]}]})",
};

void check_error(const error& e) {
  ORDERTRAIL_FUZZ_CHECK(!e.code.empty() && !e.message.empty(), e.code);
  ORDERTRAIL_FUZZ_CHECK(e.path.empty() || e.path[0] == '/', e.path);
}

void check_json(const std::string& out) {
  ORDERTRAIL_FUZZ_CHECK(fuzz::valid_utf8(out), out);
  ORDERTRAIL_FUZZ_CHECK(nlohmann::json::parse(out, nullptr, false).is_object(), out);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto p = parse_policy(text);
  if (!p) {
    check_error(p.err());
    check_json(to_json(p.err()));
    return 0;
  }
  static const auto parsed = [] {
    std::vector<order> list;
    for (const auto o : orders) list.push_back(*parse_order(o));
    return list;
  }();
  for (order o : parsed) {
    // Evaluated as orders of the policy's market and currency: any other is
    // policy_market_mismatch / currency_mismatch, before the calendar is used.
    o.market = p->market;
    o.currency = p->currency;
    for (const auto days : {0, 9, 45}) {
      const instant now = o.placed_at + std::chrono::hours{24 * days + 1};
      auto e = evaluate(o, *p, now);
      if (!e) {
        check_error(e.err());
        ORDERTRAIL_FUZZ_CHECK(e.err().code == "calendar_exhausted", e.err().code);
        continue;
      }
      check_json(to_json(*e));
      for (const auto& d : e->obligations) {
        // A working-day obligation ends at the end of a local date: that
        // instant must lie after placement (it never comes before the order).
        ORDERTRAIL_FUZZ_CHECK(d.id == obligation_id::payment || d.due_at > o.placed_at, to_json(*e));
      }
    }
  }
  for (const auto days : {0, 200}) {
    quote_request r;
    r.at = *parse_instant("2025-03-07T23:59:59Z") + std::chrono::hours{24 * days};
    auto q = make_quote(*p, r);
    if (!q) {
      check_error(q.err());
      continue;
    }
    check_json(to_json(*q));
    ORDERTRAIL_FUZZ_CHECK(q->delivery_earliest <= q->delivery_latest, to_json(*q));
  }
  return 0;
}
