// Internal: the three ways SPEC section 2 places a deadline, each with the
// sentence (`basis`) a support agent can check by hand.
#pragma once

#include <string>

#include "ordertrail/calendar.hpp"
#include "ordertrail/policy.hpp"

namespace ordertrail::detail {

struct placed_deadline {
  instant due_at{};
  std::optional<civil_date> local_date;  // the date it ends, for date deadlines
  std::string basis;
  bool calendar_covered = true;  // a working-day count within the holiday years
};

// `Mon 2025-03-03`
std::string weekday_date(civil_date d);
// `2025-03-03 10:00` in the policy's zone.
std::string local_time_text(const policy& p, instant t);

// "N hours after <what> at <t>".
// Each builds `basis` only when `text` is true.
placed_deadline hours_after(instant t, int hours, std::string_view what, bool text = true);
// End of the Nth working day after day0(t) (SPEC 2), `what` names t.
result<placed_deadline> working_days_after(const policy& p, instant t, int n, std::string_view what, bool text = true);
// End of the Nth working day after date d (no cutoff), `what` names d.
result<placed_deadline> working_days_after_date(const policy& p, civil_date d, int n, std::string_view what,
                                                bool text = true);
// End of (d + n calendar days), `what` names d.
placed_deadline calendar_days_after(const policy& p, civil_date d, int n, std::string_view what, bool text = true);
// The date of the Nth working day after date d (no cutoff), for quotes.
result<civil_date> working_date_after(const policy& p, civil_date d, int n);

}  // namespace ordertrail::detail
