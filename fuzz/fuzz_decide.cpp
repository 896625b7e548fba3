// libFuzzer target: decide (SPEC 7). The input is an order document, or an
// order document, a NUL byte and a command. Commands are the input's, and one
// made from each `actions` entry of the order's evaluation (its type and
// party, its first reason, package and case).
//
// Checks, beyond "no crash, no hang, no leak, no UB" (ASan + UBSan):
//   - every error has a code, a JSON pointer and a message; every output is
//     valid UTF-8 JSON with its schema;
//   - decide_json gives the bytes of the typed API;
//   - an allowed command that is not already recorded is applied by the
//     replay when appended (its `events` entry says applied).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fuzz_check.hpp"
#include "ordertrail/ordertrail.hpp"

namespace {

using namespace ordertrail;

void check_output(const std::string& out, const char* schema) {
  ORDERTRAIL_FUZZ_CHECK(fuzz::valid_utf8(out), out);
  const auto doc = nlohmann::json::parse(out, nullptr, false);
  ORDERTRAIL_FUZZ_CHECK(doc.is_object(), out);
  ORDERTRAIL_FUZZ_CHECK(doc.value("schema", "") == schema, out);
}

void check_error(const error& e) {
  ORDERTRAIL_FUZZ_CHECK(!e.code.empty(), e.message);
  ORDERTRAIL_FUZZ_CHECK(!e.message.empty(), e.code);
  ORDERTRAIL_FUZZ_CHECK(e.path.empty() || e.path[0] == '/', e.path);
  check_output(to_json(e), "ordertrail.error/1");
}

void try_command(std::string_view order_text, const order& o, const policy& p, std::string_view command_text,
                 instant now) {
  const std::string via_json = decide_json(order_text, command_text, format_instant(now));
  auto command = parse_command(command_text, now);
  if (!command) {
    check_error(command.err());
    ORDERTRAIL_FUZZ_CHECK(via_json == to_json(command.err()), via_json);
    return;
  }
  auto d = decide(o, p, *command, now);
  if (!d) {
    check_error(d.err());
    return;
  }
  const std::string out = to_json(*d, o);
  check_output(out, "ordertrail.decision/1");
  ORDERTRAIL_FUZZ_CHECK(via_json == out, via_json);
  if (!d->allowed || d->already_recorded) return;
  const auto index = static_cast<std::size_t>(o.events.size());
  bool applied = false;
  for (const auto& x : d->eval.events)
    if (x.event_index == index) applied = x.applied;
  ORDERTRAIL_FUZZ_CHECK(applied, "an allowed command was not applied: " + std::string(command_text));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t cut = input.find('\0');
  const std::string_view order_text = input.substr(0, cut);
  auto o = parse_order(order_text);
  if (!o) return 0;
  const policy* p = embedded_policy(o->market);
  if (p == nullptr) return 0;
  std::uint64_t h = 1469598103934665603ULL;
  for (const auto b : input) h = (h ^ static_cast<unsigned char>(b)) * 1099511628211ULL;
  const instant now = o->placed_at + std::chrono::seconds{static_cast<std::int64_t>(h % (120ULL * 86400ULL))};
  if (now > max_instant) return 0;
  if (cut != std::string_view::npos) try_command(order_text, *o, *p, input.substr(cut + 1), now);
  auto e = evaluate(*o, *p, now);
  if (!e) return 0;
  std::size_t tried = 0;
  for (const auto& a : e->actions) {
    if (++tried > 12) break;
    nlohmann::json c{{"type", std::string(to_string(a.type))}, {"by", std::string(to_string(a.by))}};
    if (!a.reasons.empty()) c["reason"] = a.reasons[h % a.reasons.size()];
    if (!a.package_ids.empty()) c["package_id"] = a.package_ids.front();
    if (!a.case_ids.empty()) c["case_id"] = a.case_ids.front();
    if (!a.items.empty() && !a.whole_order) c["items"] = {{{"line_id", a.items.front().line_id}, {"qty", 1}}};
    if (a.max_amount_minor) c["amount_minor"] = *a.max_amount_minor;
    if (a.type == event_type::refunded && !a.max_amount_minor) c["amount_minor"] = 0;
    if (a.type == event_type::appeal_decided) c["outcome"] = (h & 1) != 0 ? "buyer" : "seller";
    if (a.type == event_type::edd_revised) c["est_delivery"] = format_date(civil_date{date::floor<date::days>(now)});
    if (a.type == event_type::return_requested) c["case_type"] = "refund_only";
    try_command(order_text, *o, *p, c.dump(), now);
  }
  return 0;
}
