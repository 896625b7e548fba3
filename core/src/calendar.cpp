#include "ordertrail/calendar.hpp"

#include <algorithm>

namespace ordertrail {

calendar::calendar(zone z, unsigned weekend_mask, std::vector<holiday> holidays,
                   std::optional<std::chrono::minutes> cutoff)
    : zone_(std::move(z)), weekend_mask_(weekend_mask), holidays_(std::move(holidays)), cutoff_(cutoff) {
  if (holidays_.empty()) return;  // weekends only: the walk is short
  // At most max_table_years, the latest ones (a policy may list holidays over
  // centuries: outside the table the walk gives the same answers).
  const int last = last_holiday_year() + 1;
  const int first = std::max(first_holiday_year() - 1, last - max_table_years + 1);
  const date::sys_days begin{date::year{first} / 1 / 1};
  const date::sys_days end{date::year{last + 1} / 1 / 1};
  table_begin_ = static_cast<std::int32_t>(begin.time_since_epoch().count());
  table_end_ = static_cast<std::int32_t>(end.time_since_epoch().count());
  auto next_holiday = holidays_.begin();
  for (auto day = begin; day < end; day += date::days{1}) {
    const civil_date d{day};
    while (next_holiday != holidays_.end() && next_holiday->date < d) ++next_holiday;
    const bool holiday = next_holiday != holidays_.end() && next_holiday->date == d;
    if (!is_weekend(d) && !holiday) working_days_.push_back(static_cast<std::int32_t>(day.time_since_epoch().count()));
  }
}

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

// The walk behind add_working_days and working_day_after: `skipped(d, weekend)`
// is told of each non-working date passed over.
template <class Skipped>
result<civil_date> calendar::walk(civil_date from, int n, Skipped&& skipped) const {
  date::sys_days day{from};
  int found = 0;
  for (int step = 0; step < max_working_day_search_days && found < n; ++step) {
    day += date::days{1};
    const civil_date d{day};
    if (is_weekend(d)) {
      skipped(d, true);
    } else if (holiday_on(d) != nullptr) {
      skipped(d, false);
    } else {
      ++found;
    }
  }
  if (found < n) {
    return error{"calendar_exhausted", "",
                 "no " + std::to_string(n) + " working days within " + std::to_string(max_working_day_search_days) +
                     " days after " + format_date(from) + ": the policy's weekend and holidays leave none"};
  }
  return civil_date{day};
}

result<working_day_result> calendar::add_working_days(civil_date from, int n) const {
  working_day_result r{from, {}, {}};
  auto d = walk(from, n, [&](civil_date skipped, bool weekend) {
    (weekend ? r.skipped_weekend : r.skipped_holiday).push_back(skipped);
  });
  if (!d) return d.err();
  r.date = *d;
  return r;
}

result<civil_date> calendar::working_day_after(civil_date from, int n) const {
  const auto f = static_cast<std::int32_t>(date::sys_days{from}.time_since_epoch().count());
  if (n > 0 && f >= table_begin_ && f < table_end_) {
    const auto first = std::upper_bound(working_days_.begin(), working_days_.end(), f);  // the 1st after `from`
    const auto k = static_cast<std::size_t>(first - working_days_.begin()) + static_cast<std::size_t>(n) - 1;
    // Within the table and within the walk's search limit: the walk's answer.
    if (k < working_days_.size() && working_days_[k] - f <= max_working_day_search_days)
      return civil_date{date::sys_days{date::days{working_days_[k]}}};
  }
  return walk(from, n, [](civil_date, bool) {});
}

int calendar::first_holiday_year() const {
  return holidays_.empty() ? 0 : static_cast<int>(holidays_.front().date.year());
}

int calendar::last_holiday_year() const {
  return holidays_.empty() ? 0 : static_cast<int>(holidays_.back().date.year());
}

bool calendar::covers(civil_date from, civil_date to) const {
  if (holidays_.empty()) return false;
  const int first = first_holiday_year(), last = last_holiday_year();
  const int a = static_cast<int>(from.year()), b = static_cast<int>(to.year());
  return a >= first && b <= last && a <= b;
}

std::string calendar::coverage_text() const {
  if (holidays_.empty()) return "the policy lists no holidays";
  const int first = first_holiday_year(), last = last_holiday_year();
  return "holidays cover " + std::to_string(first) + (first == last ? "" : "-" + std::to_string(last));
}

}  // namespace ordertrail
