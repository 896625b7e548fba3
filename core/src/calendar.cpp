#include "ordertrail/calendar.hpp"

#include <algorithm>

namespace ordertrail {

calendar::calendar(zone z, unsigned weekend_mask, std::vector<holiday> holidays,
                   std::optional<std::chrono::minutes> cutoff)
    : zone_(std::move(z)), weekend_mask_(weekend_mask), holidays_(std::move(holidays)), cutoff_(cutoff) {}

bool calendar::is_weekend(civil_date d) const {
  return (weekend_mask_ >> date::weekday{date::sys_days{d}}.c_encoding()) & 1U;
}

const holiday* calendar::holiday_on(civil_date d) const {
  const auto it = std::lower_bound(holidays_.begin(), holidays_.end(), d,
                                   [](const holiday& h, civil_date x) { return h.date < x; });
  return it != holidays_.end() && it->date == d ? &*it : nullptr;
}

bool calendar::is_working_day(civil_date d) const { return !is_weekend(d) && holiday_on(d) == nullptr; }

civil_date calendar::day0(instant t) const {
  const auto local = zone_.to_local(t);
  const auto day = std::chrono::floor<date::days>(local);
  if (cutoff_ && local - day >= *cutoff_) return civil_date{date::sys_days{(day + date::days{1}).time_since_epoch()}};
  return civil_date{date::sys_days{day.time_since_epoch()}};
}

instant calendar::end_of_day(civil_date d) const {
  return zone_.start_of_day(civil_date{date::sys_days{d} + date::days{1}});
}

result<working_day_result> calendar::add_working_days(civil_date from, int n) const {
  working_day_result r{from, {}, {}};
  date::sys_days day{from};
  int found = 0;
  for (int step = 0; step < max_working_day_search_days && found < n; ++step) {
    day += date::days{1};
    const civil_date d{day};
    if (is_weekend(d)) {
      r.skipped_weekend.push_back(d);
    } else if (holiday_on(d) != nullptr) {
      r.skipped_holiday.push_back(d);
    } else {
      ++found;
    }
  }
  if (found < n) {
    return error{"calendar_exhausted", "",
                 "no " + std::to_string(n) + " working days within " + std::to_string(max_working_day_search_days) +
                     " days after " + format_date(from) + ": the policy's weekend and holidays leave none"};
  }
  r.date = civil_date{day};
  return r;
}

int calendar::first_holiday_year() const {
  return holidays_.empty() ? 0 : static_cast<int>(holidays_.front().date.year());
}

int calendar::last_holiday_year() const {
  return holidays_.empty() ? 0 : static_cast<int>(holidays_.back().date.year());
}

}  // namespace ordertrail
