// ordertrail/time.hpp — instants, dates and RFC 3339.
//
// Instants are UTC `sys_seconds`; dates are civil `date::year_month_day`.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include <date/date.h>

#include "ordertrail/error.hpp"

namespace ordertrail {

using instant = std::chrono::sys_seconds;
using civil_date = date::year_month_day;

// The instants ordertrail reads and writes: 0001-01-01T00:00:00Z to
// 9999-12-31T23:59:59Z. A clock computed past max_instant is left out of an
// evaluation (warning out_of_range), never written with a 5-digit year.
inline constexpr instant min_instant{date::sys_days{date::year{1} / 1 / 1}.time_since_epoch()};
inline constexpr instant max_instant{date::sys_days{date::year{9999} / 12 / 31}.time_since_epoch() +
                                     std::chrono::seconds{86399}};

// Parses an RFC 3339 instant: `YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)`.
// Years 0001..9999, seconds 00..59 (a leap second `:60` is refused), offsets
// within +-14:00; `t`/`z` accepted in lower case. A fraction is truncated
// toward the past. On failure: code "invalid_instant" with `path`.
result<instant> parse_instant(std::string_view text, std::string_view path = "");

// Parses `YYYY-MM-DD` (a valid Gregorian date). Code "invalid_date".
result<civil_date> parse_date(std::string_view text, std::string_view path = "");

// `2025-03-03T18:00:00Z` (years 0001..9999, as parse_instant accepts).
std::string format_instant(instant t);
void append_instant(std::string& out, instant t);
// `2025-03-03`.
std::string format_date(civil_date d);
// `Mon`.
std::string_view weekday_abbrev(date::weekday wd);

}  // namespace ordertrail
