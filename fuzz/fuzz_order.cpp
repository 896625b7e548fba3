// libFuzzer target: an order document through parse_order, then evaluate at
// two instants under the embedded policy of its market.
//
// Checks, beyond "no crash, no hang, no leak, no UB" (ASan + UBSan):
//   - every error has a code, a JSON pointer ("" or starting with '/') and a message;
//   - the output documents (evaluation or error) are valid UTF-8 JSON (an
//     error message once quoted raw input bytes: B1, tests/bad/README.md);
//   - evaluate is deterministic, and evaluate_json gives the typed API's bytes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fuzz_check.hpp"
#include "ordertrail/ordertrail.hpp"

namespace {

using namespace ordertrail;
using fuzz::fail;

void check_error(const error& e, std::string_view input) {
  ORDERTRAIL_FUZZ_CHECK(!e.code.empty(), input);
  ORDERTRAIL_FUZZ_CHECK(!e.message.empty(), e.code);
  ORDERTRAIL_FUZZ_CHECK(e.path.empty() || e.path[0] == '/', e.path);
}

void check_json(const std::string& out, const char* schema) {
  ORDERTRAIL_FUZZ_CHECK(fuzz::valid_utf8(out), out);
  const auto doc = nlohmann::json::parse(out, nullptr, false);
  ORDERTRAIL_FUZZ_CHECK(doc.is_object(), out);
  ORDERTRAIL_FUZZ_CHECK(doc.value("schema", "") == schema, out);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto o = parse_order(text);
  if (!o) {
    check_error(o.err(), text);
    check_json(to_json(o.err()), "ordertrail.error/1");
    return 0;
  }
  const policy* p = embedded_policy(o->market);
  if (p == nullptr) return 0;
  // Two instants: shortly after placement, and later by an amount the input chooses.
  std::uint64_t h = 1469598103934665603ULL;
  for (const auto b : text) h = (h ^ static_cast<unsigned char>(b)) * 1099511628211ULL;
  const instant nows[] = {o->placed_at + std::chrono::hours{1},
                          o->placed_at + std::chrono::seconds{static_cast<std::int64_t>(h % (400ULL * 86400ULL))}};
  for (const instant now : nows) {
    auto e = evaluate(*o, *p, now);
    const std::string now_text = format_instant(now);
    const std::string via_json = evaluate_json(text, now_text);
    if (!e) {
      check_error(e.err(), text);
      ORDERTRAIL_FUZZ_CHECK(via_json == to_json(e.err()), via_json);
      continue;
    }
    const std::string out = to_json(*e);
    check_json(out, "ordertrail.evaluation/2");
    auto again = evaluate(*o, *p, now);
    ORDERTRAIL_FUZZ_CHECK(again && to_json(*again) == out, "evaluate is not deterministic");
    // (Instants past year 9999 cannot be written as RFC 3339 and so cannot be re-read.)
    if (now_text.size() == 20) ORDERTRAIL_FUZZ_CHECK(via_json == out, via_json);
    // Batch mode (no texts) decides the same.
    auto quick = evaluate(*o, *p, now, evaluate_options{false});
    ORDERTRAIL_FUZZ_CHECK(quick && quick->effective_status == e->effective_status && quick->due.size() == e->due.size(),
                          out);
  }
  return 0;
}
