// ordertrail/calendar.hpp — working days in a market's zone.
//
// A calendar is a small value: a zone, the weekend days, the holidays and an
// optional daily cutoff. Its vocabulary follows SPEC section 2:
//   day0(t)              local date of t, or the next date at/after the cutoff
//   is_working_day(d)    neither weekend nor holiday
//   add_working_days(d,n) the nth working day strictly after d
//   end_of_day(d)        first instant of d+1 (a deadline on d ends there)
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ordertrail/error.hpp"
#include "ordertrail/time.hpp"
#include "ordertrail/zone.hpp"

namespace ordertrail {

struct holiday {
  civil_date date;
  std::string name;  // may be empty
};

// How far add_working_days searches before giving up (a policy whose holidays
// leave no working day in this many days is unusable, not an endless loop).
inline constexpr int max_working_day_search_days = 3 * 366;

struct working_day_result {
  civil_date date;
  std::vector<civil_date> skipped_weekend;  // non-working dates passed over
  std::vector<civil_date> skipped_holiday;
};

class calendar {
 public:
  calendar() = default;
  calendar(zone z, unsigned weekend_mask, std::vector<holiday> holidays, std::optional<std::chrono::minutes> cutoff);

  // Bit i set = weekday i (0 = Sunday .. 6 = Saturday) is a weekend day.
  [[nodiscard]] unsigned weekend_mask() const { return weekend_mask_; }
  [[nodiscard]] const std::vector<holiday>& holidays() const { return holidays_; }
  [[nodiscard]] const std::optional<std::chrono::minutes>& cutoff() const { return cutoff_; }
  [[nodiscard]] const class zone& tz() const { return zone_; }

  [[nodiscard]] bool is_weekend(civil_date d) const;
  [[nodiscard]] const holiday* holiday_on(civil_date d) const;
  [[nodiscard]] bool is_working_day(civil_date d) const;

  [[nodiscard]] civil_date local_date(instant t) const { return zone_.local_date(t); }
  [[nodiscard]] civil_date day0(instant t) const;
  [[nodiscard]] instant start_of_day(civil_date d) const { return zone_.start_of_day(d); }
  [[nodiscard]] instant end_of_day(civil_date d) const;

  // The nth working day strictly after `from`, with the dates passed over
  // (n <= 0 gives `from` itself). Error "calendar_exhausted" when none is found within
  // max_working_day_search_days.
  [[nodiscard]] result<working_day_result> add_working_days(civil_date from, int n) const;
  // The same date, without the list of dates passed over.
  [[nodiscard]] result<civil_date> working_day_after(civil_date from, int n) const;

  // First and last holiday year covered (0 when there are none).
  [[nodiscard]] int first_holiday_year() const;
  [[nodiscard]] int last_holiday_year() const;
  // Whether every date from `from` to `to` is in a year the holidays cover
  // (SPEC 2 "Calendar coverage": from the first to the last listed holiday's
  // year; a policy without holidays covers none).
  [[nodiscard]] bool covers(civil_date from, civil_date to) const;
  // "holidays cover 2020-2030", for warnings.
  [[nodiscard]] std::string coverage_text() const;

 private:
  template <class Skipped>
  result<civil_date> walk(civil_date from, int n, Skipped&& skipped) const;
  zone zone_;  // UTC
  unsigned weekend_mask_ = 0;
  std::vector<holiday> holidays_;  // ascending, unique
  std::optional<std::chrono::minutes> cutoff_;
  // The working days (as days since 1970) from the year before the first
  // holiday year to the year after the last (at most max_table_years, the
  // latest), ascending, computed once: the nth working day after a date in
  // that span is a lookup, not a walk.
  static constexpr int max_table_years = 16;
  std::vector<std::int32_t> working_days_;
  std::int32_t table_begin_ = 0, table_end_ = 0;  // [begin, end) in days since 1970
};

}  // namespace ordertrail
