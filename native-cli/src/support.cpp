#include "support.hpp"

#include <chrono>

#include "io.hpp"
#include "present.hpp"
#include "sanitize.hpp"

namespace ordertrail::cli {

std::optional<instant> resolve_instant(const std::string& text, std::string_view flag) {
  if (text.empty()) return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  auto t = parse_instant(text);
  if (!t) {
    diag(std::string(flag) + ": " + sanitize(t.err().message));
    return std::nullopt;
  }
  return *t;
}

std::optional<policy> load_policy_file(const std::string& path, int& code, bool json) {
  std::string text;
  if (auto err = read_document(path, max_policy_bytes, text)) {
    diag(*err);
    code = exit_io;
    return std::nullopt;
  }
  auto p = parse_policy(text);
  if (!p) {
    code = report_invalid(display_name(path) + " (policy)", p.err(), json);
    return std::nullopt;
  }
  code = exit_ok;
  return std::move(*p);
}

void policy_book::preload() {
  if (custom_) return;
  for (const auto& m : builtin_markets()) builtin_.emplace(m, builtin_policy(m));
  frozen_ = true;
}

const policy* policy_book::find(const std::string& market, error& err) {
  if (custom_) return &*custom_;
  auto it = builtin_.find(market);
  if (it == builtin_.end()) {
    auto p = builtin_policy(market);
    if (!p || frozen_) {  // unknown names are not cached: there is no end to them
      err = p ? error{"unknown_market", "/market", "no embedded policy for market"} : p.err();
      return nullptr;
    }
    it = builtin_.emplace(market, std::move(p)).first;
  }
  if (!it->second) {
    err = it->second.err();
    return nullptr;
  }
  return &*it->second;
}

int report_invalid(const std::string& where, const error& e, bool json) {
  diag(where + ": " + error_text(e));
  if (json) return print_stdout(to_json(e) + "\n", exit_invalid_input);
  return exit_invalid_input;
}

}  // namespace ordertrail::cli
