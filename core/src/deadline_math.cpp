#include "deadline_math.hpp"

#include <array>
#include <cstdio>

namespace ordertrail::detail {
namespace {

std::string join_dates(const std::vector<civil_date>& dates) {
  std::string s;
  for (const auto& d : dates) s += (s.empty() ? "" : ", ") + format_date(d);
  return s;
}

std::string coverage_warning(const policy& p, civil_date d) {
  const int last = p.cal.last_holiday_year();
  if (last != 0 && static_cast<int>(d.year()) > last)
    return "; the policy lists holidays only up to " + std::to_string(last) + ", so later dates skip weekends only";
  return {};
}

std::string plural(int n, std::string_view unit) {
  return std::to_string(n) + " " + std::string(unit) + (n == 1 ? "" : "s");
}

}  // namespace

std::string weekday_date(civil_date d) {
  return std::string(weekday_abbrev(date::weekday{date::sys_days{d}})) + " " + format_date(d);
}

std::string local_time_text(const policy& p, instant t) {
  const auto local = p.cal.tz().to_local(t);
  const auto day = std::chrono::floor<date::days>(local);
  const auto secs = (local - day).count();
  std::array<char, 8> hm{};
  std::snprintf(hm.data(), hm.size(), "%02d:%02d", static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60));
  return format_date(civil_date{date::sys_days{day.time_since_epoch()}}) + " " + hm.data();
}

placed_deadline hours_after(instant t, int hours, std::string_view what, bool text) {
  return {t + std::chrono::hours{hours}, std::nullopt,
          text ? plural(hours, "hour") + " after " + std::string(what) + " at " + format_instant(t) : std::string()};
}

namespace {

// End of the Nth working day after `day0`; `anchor` says what day 0 is.
result<placed_deadline> working_days_from(const policy& p, civil_date day0, int n, const std::string& anchor,
                                          bool text) {
  if (!text) {  // the date only: no list of the dates passed over
    auto d = p.cal.working_day_after(day0, n);
    if (!d) return d.err();
    return placed_deadline{p.cal.end_of_day(*d), *d, {}, p.cal.covers(day0, *d)};
  }
  auto r = p.cal.add_working_days(day0, n);
  if (!r) return r.err();
  std::string basis =
      plural(n, "working day") + " after " + weekday_date(day0) + ", " + p.time_zone + " (" + anchor + ")";
  if (!r->skipped_weekend.empty() || !r->skipped_holiday.empty()) {
    basis += ", skipping ";
    if (!r->skipped_weekend.empty()) basis += join_dates(r->skipped_weekend) + " (weekend)";
    if (!r->skipped_holiday.empty()) {
      if (!r->skipped_weekend.empty()) basis += ", ";
      std::string names;
      for (const auto& d : r->skipped_holiday) {
        const holiday* h = p.cal.holiday_on(d);
        names += (names.empty() ? "" : ", ") + format_date(d) + (h && !h->name.empty() ? " " + h->name : "");
      }
      basis += names + " (holiday)";
    }
  }
  basis += "; ends with " + weekday_date(r->date) + coverage_warning(p, r->date);
  return placed_deadline{p.cal.end_of_day(r->date), r->date, std::move(basis), p.cal.covers(day0, r->date)};
}

}  // namespace

result<placed_deadline> working_days_after(const policy& p, instant t, int n, std::string_view what, bool text) {
  const civil_date day0 = p.cal.day0(t);
  if (!text) return working_days_from(p, day0, n, {}, false);
  std::string anchor = std::string(what) + " " + local_time_text(p, t);
  if (day0 != p.cal.local_date(t)) anchor += ", at or after the daily cutoff, so day 0 is the next date";
  return working_days_from(p, day0, n, anchor, true);
}

result<placed_deadline> working_days_after_date(const policy& p, civil_date d, int n, std::string_view what,
                                                bool text) {
  return working_days_from(p, d, n, text ? std::string(what) : std::string(), text);
}

placed_deadline calendar_days_after(const policy& p, civil_date d, int n, std::string_view what, bool text) {
  const civil_date end{date::sys_days{d} + date::days{n}};
  if (!text) return {p.cal.end_of_day(end), end, {}};
  return {p.cal.end_of_day(end), end,
          plural(n, "calendar day") + " after " + std::string(what) + " " + weekday_date(d) + "; ends with " +
              weekday_date(end) + ", " + p.time_zone};
}

result<civil_date> working_date_after(const policy& p, civil_date d, int n) {
  if (n == 0) return d;
  return p.cal.working_day_after(d, n);
}

}  // namespace ordertrail::detail
