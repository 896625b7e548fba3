// Zone and calendar rules (SPEC 2). Expected instants are worked by hand from
// the DST rules of each zone, written next to each check.
#include <algorithm>
#include <string>
#include <vector>

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
    if (walk.ok())
      RC_ASSERT(walk->date == *fast);
    else
      RC_ASSERT(walk.err().code == fast.err().code);
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
  CHECK(*spread_cal.working_day_after(d("2011-12-30"), 1) == d("2012-01-03"));   // Mon 2 Jan a holiday
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

// Issue 11 item 5 (SPEC 2 "Calendar coverage", SPEC 3): the embedded policies
// list holidays for 2020-2030 where the rule is known, and each has its own
// version. Dates below are checked against the sources cited in each policy's
// notes (5 U.S.C. 6103 and the executive orders; gov.uk bank holidays; the
// Indonesian SKB and Keppres).
TEST_CASE("embedded holiday tables: coverage years and distinct versions") {
  const auto us = *builtin_policy("US");
  const auto gb = *builtin_policy("GB");
  const auto id = *builtin_policy("ID");
  CHECK(us.cal.first_holiday_year() == 2020);
  CHECK(us.cal.last_holiday_year() == 2030);
  CHECK(gb.cal.first_holiday_year() == 2020);
  CHECK(gb.cal.last_holiday_year() == 2030);
  CHECK(id.cal.first_holiday_year() == 2020);
  CHECK(id.cal.last_holiday_year() == 2028);  // no decree for 2029-2030 (ID notes)
  CHECK(us.version == "US-2026.2");
  CHECK(gb.version == "GB-2026.2");
  CHECK(id.version == "ID-2026.2");
  // Every embedded policy has a version of its own, led by its market.
  std::vector<std::string> versions;
  for (const auto& m : builtin_markets()) {
    const auto p = *builtin_policy(m);
    CHECK(p.version.rfind(p.market + "-", 0) == 0);
    versions.push_back(p.version);
  }
  std::sort(versions.begin(), versions.end());
  CHECK(std::adjacent_find(versions.begin(), versions.end()) == versions.end());
  // No year inside the coverage is empty or short: a table with a hole would
  // count that year's holidays as working days without a flag.
  struct floor_t {
    const policy* p;
    int min_per_year;
  };
  for (const auto& [p, min_per_year] : {floor_t{&us, 10}, floor_t{&gb, 8}, floor_t{&id, 15}}) {
    for (int y = p->cal.first_holiday_year(); y <= p->cal.last_holiday_year(); ++y) {
      int n = 0;
      for (const auto& h : p->cal.holidays()) n += static_cast<int>(h.date.year()) == y ? 1 : 0;
      CAPTURE(p->market);
      CAPTURE(y);
      CHECK(n >= min_per_year);
    }
  }
}

TEST_CASE("US federal holidays 2020-2030: observed days and executive-order closures") {
  const auto us = *builtin_policy("US");
  const auto is_holiday = [&](const char* s) { return us.cal.holiday_on(d(s)) != nullptr; };
  CHECK(is_holiday("2022-07-04"));        // Mon: Independence Day
  CHECK(is_holiday("2021-12-31"));        // Fri: New Year's Day 2022 (Sat) observed the year before
  CHECK_FALSE(is_holiday("2022-01-03"));  // ... so not on the Monday after
  CHECK(is_holiday("2021-06-18"));        // Fri: first Juneteenth, observed (Sat 06-19)
  CHECK_FALSE(is_holiday("2020-06-19"));  // Juneteenth is a federal holiday from 2021 only
  CHECK(is_holiday("2023-11-10"));        // Fri: Veterans Day (Sat) observed
  CHECK(is_holiday("2029-11-12"));        // Mon: Veterans Day (Sun) observed
  CHECK(is_holiday("2020-12-24"));        // EO 13965
  CHECK(is_holiday("2024-12-24"));        // EO of 2024-12-19
  CHECK(is_holiday("2025-01-09"));        // EO 14133, National Day of Mourning for President Carter
  CHECK(is_holiday("2025-12-24"));        // EO of 2025-12-18
  CHECK(is_holiday("2025-12-26"));        // EO of 2025-12-18
  CHECK_FALSE(is_holiday("2022-12-23"));
  // The repro: placed Fri 2022-07-01, ship_by 7 working days later
  // skips Sat 07-02, Sun 07-03 and Mon 07-04: Tue 05 .. Wed 13 (not Tue 12).
  auto r = us.cal.add_working_days(d("2022-07-01"), 7);
  REQUIRE(r.ok());
  CHECK(r->date == d("2022-07-13"));
  CHECK(r->skipped_holiday == std::vector<civil_date>{d("2022-07-04")});
  // Thanksgiving 2030 (4th Thursday of November is the 28th).
  CHECK(us.cal.add_working_days(d("2030-11-27"), 1)->date == d("2030-11-29"));
}

TEST_CASE("England and Wales bank holidays 2020-2030: substitute days and one-off changes") {
  const auto gb = *builtin_policy("GB");
  const auto is_holiday = [&](const char* s) { return gb.cal.holiday_on(d(s)) != nullptr; };
  CHECK(is_holiday("2020-05-08"));        // VE Day: the early May bank holiday moved to Friday
  CHECK_FALSE(is_holiday("2020-05-04"));  // ... from the first Monday
  CHECK(is_holiday("2022-06-02"));        // Spring bank holiday moved from Mon 05-30
  CHECK(is_holiday("2022-06-03"));        // Platinum Jubilee
  CHECK_FALSE(is_holiday("2022-05-30"));
  CHECK(is_holiday("2022-09-19"));  // State Funeral of Queen Elizabeth II
  CHECK(is_holiday("2023-05-08"));  // Coronation of King Charles III
  CHECK(is_holiday("2020-12-28"));  // Boxing Day (Sat) substitute
  CHECK(is_holiday("2021-12-27"));  // Christmas (Sat) substitute
  CHECK(is_holiday("2021-12-28"));  // Boxing Day (Sun) substitute
  CHECK(is_holiday("2022-12-27"));  // Christmas (Sun) substitute, after Boxing Day Mon 26
  CHECK(is_holiday("2030-04-22"));  // Easter Monday 2030
}

TEST_CASE("Indonesian national holidays 2020-2024 follow the decrees as amended") {
  const auto id = *builtin_policy("ID");
  const auto is_holiday = [&](const char* s) { return id.cal.holiday_on(d(s)) != nullptr; };
  CHECK(is_holiday("2021-08-11"));        // 1 Muharam 1443 H, moved by SKB 712/1/3 of 2021
  CHECK_FALSE(is_holiday("2021-08-10"));  // ... from here
  CHECK(is_holiday("2022-07-10"));        // Idul Adha 1443 H, moved by SKB 678/2/2 of 2022
  CHECK_FALSE(is_holiday("2022-07-09"));
  CHECK(is_holiday("2024-02-14"));        // general election, Keppres 10/2024
  CHECK(is_holiday("2024-11-27"));        // regional elections, Keppres 33/2024
  CHECK(is_holiday("2020-12-09"));        // regional elections, Keppres 22/2020
  CHECK_FALSE(is_holiday("2020-12-24"));  // cuti bersama, not a national holiday (ID notes)
  CHECK_FALSE(is_holiday("2029-01-01"));  // not covered: no decree yet
}
