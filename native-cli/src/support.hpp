// What every command needs: the evaluation instant, the policy, and the way
// errors are reported (stderr names the file, line and JSON pointer; with
// --json the `ordertrail.error/1` object also goes to stdout).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <ordertrail/ordertrail.hpp>

namespace ordertrail::cli {

// --now / --at: the given RFC 3339 instant, or the clock (seconds) when empty.
// A bad value is a usage error: prints it and returns nullopt.
std::optional<instant> resolve_instant(const std::string& text, std::string_view flag);

// A --policy FILE, read and parsed. On failure prints why (with `json`, the
// ordertrail.error/1 document on stdout too) and sets `code`.
std::optional<policy> load_policy_file(const std::string& path, int& code, bool json);

// The policies an order may use: the one from --policy, else the embedded
// policy of the order's market (parsed once, then shared read-only).
class policy_book {
 public:
  explicit policy_book(std::optional<policy> custom) : custom_(std::move(custom)) {}
  // Parses every embedded policy now; afterwards find() never writes, so
  // threads may share the book.
  void preload();
  // The policy for `market`, or the core's error (unknown_market).
  const policy* find(const std::string& market, error& err);

 private:
  std::optional<policy> custom_;
  std::map<std::string, result<policy>, std::less<>> builtin_;
  bool frozen_ = false;  // after preload(): find() only reads
};

// Prints "ordertrail: WHERE: code at /pointer: message" on stderr, and with
// `json` the error object on stdout. Returns exit_invalid_input (or exit_io
// when stdout cannot be written).
int report_invalid(const std::string& where, const error& e, bool json);

}  // namespace ordertrail::cli
