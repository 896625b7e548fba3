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
