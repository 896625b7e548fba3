// libFuzzer target: a platform payload through import_order (first byte:
// even = TikTok, odd = Shopify), then the order/2 it makes through
// parse_order and evaluate under the embedded policy of its market.
//
// Checks, beyond "no crash, no hang, no leak, no UB" (ASan + UBSan):
//   - an error has a code, a JSON pointer ("" or starting with '/') and a message;
//   - a success is a document parse_order accepts (the importer never writes
//     an invalid order/2), valid UTF-8, and the same bytes when imported again;
//   - every warning has a code and a pointer.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "ordertrail/import.hpp"
#include "ordertrail/ordertrail.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ordertrail;
  if (size == 0) return 0;
  const platform_kind platform = (data[0] & 1) == 0 ? platform_kind::tiktok : platform_kind::shopify;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto r = import_order(platform, text, {});
  if (!r) {
    ORDERTRAIL_FUZZ_CHECK(!r.err().code.empty(), text);
    ORDERTRAIL_FUZZ_CHECK(!r.err().message.empty(), r.err().code);
    ORDERTRAIL_FUZZ_CHECK(r.err().path.empty() || r.err().path[0] == '/', r.err().path);
    ORDERTRAIL_FUZZ_CHECK(fuzz::valid_utf8(to_json(r.err())), to_json(r.err()));
    return 0;
  }
  ORDERTRAIL_FUZZ_CHECK(fuzz::valid_utf8(r->order_json), r->order_json);
  for (const auto& w : r->warnings) {
    ORDERTRAIL_FUZZ_CHECK(!w.code.empty(), r->order_json);
    ORDERTRAIL_FUZZ_CHECK(w.path.empty() || w.path[0] == '/', w.path);
  }
  auto again = import_order(platform, text, {});
  ORDERTRAIL_FUZZ_CHECK(again && again->order_json == r->order_json, "import is not deterministic");
  auto o = parse_order(r->order_json);
  ORDERTRAIL_FUZZ_CHECK(o.ok(), (o ? std::string() : to_json(o.err())) + " for " + r->order_json);
  if (const policy* p = embedded_policy(o->market)) {
    auto e = evaluate(*o, *p, o->placed_at + std::chrono::hours{72});
    if (e) ORDERTRAIL_FUZZ_CHECK(fuzz::valid_utf8(to_json(*e)), "evaluation");
  }
  return 0;
}
