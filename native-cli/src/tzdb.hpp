// The OS time-zone database (/usr/share/zoneinfo through libdate-tz), for
// `policy check` only: the core never reads it. This header keeps tz.h out of
// every other file (it needs libdate-tz's compile definitions).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <date/date.h>

namespace ordertrail::cli {

class os_zone {
 public:
  struct transition {
    std::chrono::sys_seconds at;
    std::chrono::seconds offset_before;
    std::chrono::seconds offset_after;
  };

  // The zone named `name`, or nullopt with the reason in `error` (unknown
  // name, no database).
  static std::optional<os_zone> locate(std::string_view name, std::string& error);
  // The database's version ("2024a"), or "unknown".
  static std::string database_version();

  // The first instant of local date `d` (a skipped midnight: the first
  // instant that exists; a repeated one: the earlier).
  [[nodiscard]] std::chrono::sys_seconds start_of_day(date::sys_days d) const;
  // UTC offset in force at `t`.
  [[nodiscard]] std::chrono::seconds offset_at(std::chrono::sys_seconds t) const;
  // Offset changes in [from, to).
  [[nodiscard]] std::vector<transition> transitions(std::chrono::sys_seconds from, std::chrono::sys_seconds to) const;

 private:
  explicit os_zone(const void* z) : zone_(z) {}
  const void* zone_;  // const date::time_zone*
};

}  // namespace ordertrail::cli
