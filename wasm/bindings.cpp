// The WebAssembly face of ordertrail: embind bindings only, no rules.
//
// Every function takes and returns JSON text (std::string <-> JS string), so
// JS never holds a C++ handle (nothing to `.delete()`), no 64-bit integer
// crosses the boundary, and every failure is an `ordertrail.error/1` value
// produced by the core. The core never throws, and this module is built
// without exceptions.
#include <emscripten/bind.h>

#include <string>
#include <string_view>

#include "ordertrail/ordertrail.hpp"

namespace {

// evaluate(orderJson, nowIso, policyJson): policyJson "" = the embedded
// policy of the order's market.
std::string evaluate_with_policy(const std::string& order_json, const std::string& now,
                                 const std::string& policy_json) {
  return ordertrail::evaluate_json(order_json, now, policy_json);
}

std::string evaluate_embedded(const std::string& order_json, const std::string& now) {
  return ordertrail::evaluate_json(order_json, now);
}

std::string quote(const std::string& request_json) { return ordertrail::quote_json(request_json); }

// decide(orderJson, commandJson, nowIso, policyJson): whether the command may
// be recorded now, and the exact event (SPEC 7); policyJson "" = the embedded
// policy of the order's market.
std::string decide_with_policy(const std::string& order_json, const std::string& command_json, const std::string& now,
                               const std::string& policy_json) {
  return ordertrail::decide_json(order_json, command_json, now, policy_json);
}

std::string decide_embedded(const std::string& order_json, const std::string& command_json, const std::string& now) {
  return ordertrail::decide_json(order_json, command_json, now);
}

std::string_view trim(std::string_view s) {
  constexpr std::string_view space = " \t\r\n";
  const auto first = s.find_first_not_of(space);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(space) - first + 1);
}

// The embedded market policies: {"GB": {...}, "ID": {...}, "US": {...}},
// each value the `ordertrail.policy/1` document exactly as shipped.
std::string policies() {
  std::string out = "{";
  for (const auto& market : ordertrail::builtin_markets()) {
    if (out.size() > 1) out += ',';
    out += '"';
    out += market;  // market ids are file names of policies/: [A-Z]{2}
    out += "\":";
    out += trim(ordertrail::builtin_policy_json(market));
  }
  out += '}';
  return out;
}

std::string version() { return std::string(ordertrail::version()); }

}  // namespace

EMSCRIPTEN_BINDINGS(ordertrail) {
  emscripten::function("evaluate", &evaluate_with_policy);
  emscripten::function("evaluate", &evaluate_embedded);
  emscripten::function("decide", &decide_with_policy);
  emscripten::function("decide", &decide_embedded);
  emscripten::function("quote", &quote);
  emscripten::function("policies", &policies);
  emscripten::function("version", &version);
}
