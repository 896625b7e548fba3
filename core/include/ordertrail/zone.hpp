// ordertrail/zone.hpp — a market's time zone as a POSIX TZ rule.
//
// The core never reads the OS time-zone database (it must run the same in
// WebAssembly). A policy carries its IANA name for people and a POSIX TZ rule
// (e.g. "PST8PDT,M3.2.0,M11.1.0") for computation; the CLI's `policy check`
// cross-checks the rule against the OS database. Supported rule forms:
// `STD offset` and `STD offset DST [offset],Mm.w.d[/time],Mm.w.d[/time]`
// with names alphabetic (3+) or quoted `<+07>`, offsets `[+-]hh[:mm[:ss]]`.
#pragma once

#include <array>
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "ordertrail/error.hpp"
#include "ordertrail/time.hpp"

namespace ordertrail {

class zone {
 public:
  static result<zone> parse(std::string_view posix_rule, std::string_view path = "");

  // UTC offset in force at `t` (local = utc + offset).
  [[nodiscard]] std::chrono::seconds offset_at(instant t) const;
  // Local wall-clock time of `t`, as seconds since 1970-01-01 00:00 local.
  [[nodiscard]] date::local_seconds to_local(instant t) const;
  // The first instant of local date `d`. When local midnight does not exist
  // (a DST gap at 00:00) the day starts at the first instant that does; when
  // it exists twice, at the earlier one.
  [[nodiscard]] instant start_of_day(civil_date d) const;
  // The local date of `t`.
  [[nodiscard]] civil_date local_date(instant t) const;

  [[nodiscard]] const std::string& rule() const { return rule_; }

 private:
  struct transition_rule {
    unsigned month = 0, week = 0, weekday = 0;  // Mm.w.d
    std::chrono::seconds time{7200};            // local time of change
  };
  std::string rule_ = "UTC0";
  std::chrono::seconds std_offset_{0};  // local = utc + offset
  std::chrono::seconds dst_offset_{0};
  bool has_dst_ = false;
  transition_rule dst_start_, dst_end_;

  // Each year's DST start and end (UTC) from transitions_first_year_ on,
  // computed once when parsed; other years are computed when asked.
  static constexpr int transitions_first_year_ = 1970;
  static constexpr int transitions_years_ = 231;  // to 2200
  std::vector<std::array<instant, 2>> transitions_;

  [[nodiscard]] instant dst_start_utc(int year) const;
  [[nodiscard]] instant dst_end_utc(int year) const;
  [[nodiscard]] std::array<instant, 2> dst_utc(int year) const;
  friend result<zone> parse_zone_impl(std::string_view, std::string_view);
};

}  // namespace ordertrail
