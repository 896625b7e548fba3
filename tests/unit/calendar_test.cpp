// Zone and calendar rules (SPEC 2). Expected instants are worked by hand from
// the DST rules of each zone, written next to each check.
#include <doctest/doctest.h>
#include <rapidcheck.h>

#include "ordertrail/ordertrail.hpp"

using namespace ordertrail;

namespace {
civil_date d(const char* s) { return *parse_date(s); }
std::string start(const zone& z, const char* s) { return format_instant(z.start_of_day(d(s))); }
}  // namespace

TEST_CASE("US Pacific day boundaries around both DST changes of 2025") {
  const auto z = *zone::parse("PST8PDT,M3.2.0,M11.1.0");
  CHECK(start(z, "2025-03-09") == "2025-03-09T08:00:00Z");  // midnight PST (-8)
  CHECK(start(z, "2025-03-10") == "2025-03-10T07:00:00Z");  // midnight PDT (-7): a 23-hour day before
  CHECK(start(z, "2025-11-02") == "2025-11-02T07:00:00Z");  // still PDT at midnight
  CHECK(start(z, "2025-11-03") == "2025-11-03T08:00:00Z");  // PST again: a 25-hour day before
  // The change itself: 2025-03-09 02:00 PST = 10:00Z.
  CHECK(z.offset_at(*parse_instant("2025-03-09T09:59:59Z")) == std::chrono::hours{-8});
  CHECK(z.offset_at(*parse_instant("2025-03-09T10:00:00Z")) == std::chrono::hours{-7});
  // 2025-11-02 02:00 PDT = 09:00Z.
  CHECK(z.offset_at(*parse_instant("2025-11-02T08:59:59Z")) == std::chrono::hours{-7});
  CHECK(z.offset_at(*parse_instant("2025-11-02T09:00:00Z")) == std::chrono::hours{-8});
}

TEST_CASE("London day boundaries around BST 2025") {
  const auto z = *zone::parse("GMT0BST,M3.5.0/1,M10.5.0");
  CHECK(start(z, "2025-03-30") == "2025-03-30T00:00:00Z");
  CHECK(start(z, "2025-03-31") == "2025-03-30T23:00:00Z");
  CHECK(start(z, "2025-10-26") == "2025-10-25T23:00:00Z");
  CHECK(start(z, "2025-10-27") == "2025-10-27T00:00:00Z");
}

TEST_CASE("a local midnight that does not exist starts the day at the first instant that does") {
  // UTC-3, DST (UTC-2) from the 2nd Sunday of March at 00:00 to the 1st Sunday
  // of November at 01:00 DST. 2025-03-09 00:00 -03 = 03:00Z becomes 01:00 -02.
  const auto z = *zone::parse("XST3XDT,M3.2.0/0,M11.1.0/1");
  CHECK(start(z, "2025-03-09") == "2025-03-09T03:00:00Z");
  CHECK(z.local_date(*parse_instant("2025-03-09T02:59:59Z")) == d("2025-03-08"));
  // 2025-11-02 00:00-01:00 happens twice (02:00Z as DST, 03:00Z as standard): the earlier.
  CHECK(start(z, "2025-11-02") == "2025-11-02T02:00:00Z");
}

TEST_CASE("fixed-offset and quoted zone names") {
  CHECK(start(*zone::parse("WIB-7"), "2025-01-01") == "2024-12-31T17:00:00Z");
  CHECK(start(*zone::parse("<+0530>-5:30"), "2025-01-01") == "2024-12-31T18:30:00Z");
  for (const char* bad : {"", "P8", "PST", "PST8PDT,J60,J300", "PST8PDT,M13.1.0,M11.1.0", "PST8PDT,M3.2.0", "UTC0x"}) {
    CAPTURE(bad);
    auto z = zone::parse(bad, "/tz_rule");
    REQUIRE_FALSE(z.ok());
    CHECK(z.err().code == "invalid_tz_rule");
    CHECK(z.err().path == "/tz_rule");
  }
}

TEST_CASE("N working days after an instant (SPEC 2)") {
  const auto us = *builtin_policy("US");
  // SPEC's own example: 7 working days after Mon 2025-03-03 skip Sat 08, Sun 09.
  auto r = us.cal.add_working_days(d("2025-03-03"), 7);
  REQUIRE(r.ok());
  CHECK(r->date == d("2025-03-12"));
  CHECK(r->skipped_weekend == std::vector<civil_date>{d("2025-03-08"), d("2025-03-09")});
  // Day 0 on a Saturday: the first working day after it (Mon) is day 1.
  CHECK(us.cal.add_working_days(d("2025-03-08"), 1)->date == d("2025-03-10"));
  // A holiday inside the window: Mon 2025-05-26 (Memorial Day).
  auto m = us.cal.add_working_days(d("2025-05-23"), 1);
  CHECK(m->date == d("2025-05-27"));
  CHECK(m->skipped_holiday == std::vector<civil_date>{d("2025-05-26")});
}

TEST_CASE("day 0 moves to the next date at or after the cutoff") {
  const calendar cal(*zone::parse("UTC0"), 0x41U /* Sat, Sun */, {}, std::chrono::minutes{14 * 60});
  CHECK(cal.day0(*parse_instant("2025-03-03T13:59:59Z")) == d("2025-03-03"));
  CHECK(cal.day0(*parse_instant("2025-03-03T14:00:00Z")) == d("2025-03-04"));
}

TEST_CASE("a calendar with no working day in reach is an error, not an endless loop") {
  std::vector<holiday> every_day;
  for (date::sys_days x{d("2025-01-01")}; x < date::sys_days{d("2029-01-01")}; x += date::days{1})
    every_day.push_back({civil_date{x}, ""});
  const calendar cal(*zone::parse("UTC0"), 0, every_day, std::nullopt);
  auto r = cal.add_working_days(d("2025-01-01"), 7);
  REQUIRE_FALSE(r.ok());
  CHECK(r.err().code == "calendar_exhausted");
  auto fast = cal.working_day_after(d("2025-01-01"), 7);
  REQUIRE_FALSE(fast.ok());
  CHECK(fast.err().code == "calendar_exhausted");
}

TEST_CASE("the working-day table gives the walk's answer everywhere, at its edges and past the search limit") {
  // Holidays in 2025-2026 only (table 2024-2027), one long run of holidays
  // reaching past the walk's limit of 3 x 366 days, and every weekend kind.
  std::vector<holiday> hols;
  for (const char* h : {"2025-01-01", "2025-07-04", "2025-12-25", "2025-12-26", "2026-01-01"})
    hols.push_back({d(h), ""});
  for (date::sys_days x{d("2026-02-01")}; x < date::sys_days{d("2026-12-31")}; x += date::days{1})
    hols.push_back({civil_date{x}, ""});
  CHECK(rc::check("working_day_after == add_working_days", [&] {
    const unsigned mask = *rc::gen::inRange(0U, 0x7FU);  // never every day a weekend day
    const calendar cal(*zone::parse("UTC0"), mask, hols, std::nullopt);
    const auto from = civil_date{date::sys_days{d("2023-06-01")} + date::days{*rc::gen::inRange(0, 5 * 366)}};
    const int n = *rc::gen::oneOf(rc::gen::inRange(0, 12), rc::gen::inRange(0, 800));
    const auto walk = cal.add_working_days(from, n);
    const auto fast = cal.working_day_after(from, n);
    RC_ASSERT(walk.ok() == fast.ok());
    if (walk.ok()) RC_ASSERT(walk->date == *fast);
    else RC_ASSERT(walk.err().code == fast.err().code);
  }));
  // Holidays from 1990 to 2026: the table holds only the latest 16 years
  // (2012-2027); before it, and across its first day, the walk answers.
  std::vector<holiday> spread{{d("1990-01-01"), ""}, {d("2012-01-02"), ""}};
  spread.insert(spread.end(), hols.begin(), hols.end());
  CHECK(rc::check("working_day_after == add_working_days, holidays over decades", [&] {
    const unsigned mask = *rc::gen::inRange(0U, 0x7FU);
    const calendar cal(*zone::parse("UTC0"), mask, spread, std::nullopt);
    const auto from = civil_date{date::sys_days{d("1988-06-01")} + date::days{*rc::gen::inRange(0, 40 * 366)}};
    const int n = *rc::gen::oneOf(rc::gen::inRange(0, 12), rc::gen::inRange(0, 800));
    const auto walk = cal.add_working_days(from, n);
    const auto fast = cal.working_day_after(from, n);
    RC_ASSERT(walk.ok() == fast.ok());
    if (walk.ok()) RC_ASSERT(walk->date == *fast);
  }));
  const calendar spread_cal(*zone::parse("UTC0"), 0x41U, spread, std::nullopt);  // Sat + Sun weekend
  CHECK(*spread_cal.working_day_after(d("2011-12-30"), 1) == d("2012-01-03"));  // Mon 2 Jan a holiday
  CHECK(*spread_cal.working_day_after(d("1989-12-29"), 1) == d("1990-01-02"));

  // One working day a week (Sundays, none in the holiday run of 2026): the
  // 109th after 2024-01-01 is 2027-01-03, exactly 1,098 days on (the walk's
  // limit, 3 x 366); the 110th, 2027-01-10, is inside the table (2024-2027)
  // but past the limit: exhausted both ways. (Counted with Python's datetime.)
  const calendar sundays(*zone::parse("UTC0"), 0x7EU, hols, std::nullopt);
  CHECK(sundays.add_working_days(d("2024-01-01"), 109)->date == d("2027-01-03"));
  CHECK(*sundays.working_day_after(d("2024-01-01"), 109) == d("2027-01-03"));
  CHECK(sundays.add_working_days(d("2024-01-01"), 110).err().code == "calendar_exhausted");
  CHECK(sundays.working_day_after(d("2024-01-01"), 110).err().code == "calendar_exhausted");
}
