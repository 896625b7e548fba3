// native_eval: the native side of the WebAssembly parity tests.
//
// Reads JSON lines on stdin and writes, for each, one line: exactly what the
// native core returns for it.
//   {"order": ..., "now": "...", "policy": ...}                 ordertrail::evaluate_json
//   {"order": ..., "command": ..., "now": "...", "policy": ...} ordertrail::decide_json
// `order`, `command` and `policy` are taken verbatim when they are strings
// (the JSON text to evaluate, so both sides of a parity test see the same
// bytes), and serialised when they are anything else; an absent or empty
// `policy` means the embedded policy of the order's market. A line that is
// not such an object is a harness bug: the tool says so on stderr and exits
// with status 2.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "ordertrail/ordertrail.hpp"

namespace {

std::string text_of(const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

}  // namespace

int main() {
  std::ios::sync_with_stdio(false);
  std::string line;
  std::string out;
  for (std::size_t number = 1; std::getline(std::cin, line); ++number) {
    const auto in = nlohmann::json::parse(line, nullptr, false);
    if (!in.is_object() || !in.contains("order") || !in.contains("now") || !in["now"].is_string()) {
      std::fprintf(stderr, "native_eval: line %zu is not {\"order\", \"command\"?, \"now\": string, \"policy\"?}\n",
                   number);
      return 2;
    }
    const std::string policy = in.contains("policy") ? text_of(in["policy"]) : std::string();
    const std::string order = text_of(in["order"]);
    const std::string now = in["now"].get<std::string>();
    out += in.contains("command") ? ordertrail::decide_json(order, text_of(in["command"]), now, policy)
                                  : ordertrail::evaluate_json(order, now, policy);
    out += '\n';
    if (out.size() > (1U << 20)) {
      std::fwrite(out.data(), 1, out.size(), stdout);
      out.clear();
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return std::fflush(stdout) == 0 ? 0 : 1;
}
