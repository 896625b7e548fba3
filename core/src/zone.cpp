#include "ordertrail/zone.hpp"

#include <cctype>

namespace ordertrail {
namespace {

using std::chrono::seconds;

struct cursor {
  std::string_view s;
  std::size_t pos = 0;
  [[nodiscard]] bool done() const { return pos >= s.size(); }
  [[nodiscard]] char peek() const { return done() ? '\0' : s[pos]; }
};

bool parse_name(cursor& c) {
  if (c.peek() == '<') {
    const auto close = c.s.find('>', c.pos);
    if (close == std::string_view::npos || close - c.pos - 1 < 3) return false;
    for (auto i = c.pos + 1; i < close; ++i) {
      const char ch = c.s[i];
      if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '+' && ch != '-') return false;
    }
    c.pos = close + 1;
    return true;
  }
  const auto start = c.pos;
  while (!c.done() && std::isalpha(static_cast<unsigned char>(c.peek()))) ++c.pos;
  return c.pos - start >= 3;
}

// [+-]hh[:mm[:ss]], hours up to max_hours.
bool parse_hms(cursor& c, seconds& out, int max_hours) {
  int sign = 1;
  if (c.peek() == '+' || c.peek() == '-') {
    sign = c.peek() == '-' ? -1 : 1;
    ++c.pos;
  }
  int parts[3] = {0, 0, 0};
  for (int i = 0; i < 3; ++i) {
    if (i > 0) {
      if (c.peek() != ':') break;
      ++c.pos;
    }
    const auto start = c.pos;
    int v = 0;
    while (!c.done() && std::isdigit(static_cast<unsigned char>(c.peek())) && c.pos - start < 3) {
      v = v * 10 + (c.peek() - '0');
      ++c.pos;
    }
    if (c.pos == start) return false;
    parts[i] = v;
  }
  if (parts[0] > max_hours || parts[1] > 59 || parts[2] > 59) return false;
  out = seconds{sign * (parts[0] * 3600 + parts[1] * 60 + parts[2])};
  return true;
}

bool parse_uint(cursor& c, unsigned& out) {
  const auto start = c.pos;
  unsigned v = 0;
  while (!c.done() && std::isdigit(static_cast<unsigned char>(c.peek())) && c.pos - start < 3) {
    v = v * 10 + static_cast<unsigned>(c.peek() - '0');
    ++c.pos;
  }
  out = v;
  return c.pos > start;
}

// The date of "week w (5 = last), weekday d of month m" in year y.
date::sys_days nth_weekday(int y, unsigned m, unsigned w, unsigned d) {
  const date::weekday wd{d};
  if (w >= 5) return date::sys_days{date::year{y} / date::month{m} / wd[date::last]};
  return date::sys_days{date::year{y} / date::month{m} / wd[w]};
}

}  // namespace

result<zone> parse_zone_impl(std::string_view rule, std::string_view path) {
  auto fail = [&](const char* why) {
    return error{
        "invalid_tz_rule", std::string(path),
        "not a supported POSIX TZ rule (" + std::string(why) + "): \"" + std::string(utf8_prefix(rule, 60)) + "\""};
  };
  zone z;
  z.rule_ = std::string(rule);
  cursor c{rule};
  if (!parse_name(c)) return fail("expected a zone abbreviation of 3+ letters or <...>");
  seconds posix_offset{};
  if (!parse_hms(c, posix_offset, 24)) return fail("expected the standard offset, e.g. 8 or -7");
  z.std_offset_ = -posix_offset;  // POSIX counts west of Greenwich as positive
  if (c.done()) return z;
  if (!parse_name(c)) return fail("expected a DST abbreviation");
  z.has_dst_ = true;
  z.dst_offset_ = z.std_offset_ + seconds{3600};
  if (c.peek() != ',') {
    if (!parse_hms(c, posix_offset, 24)) return fail("expected the DST offset");
    z.dst_offset_ = -posix_offset;
  }
  for (auto* tr : {&z.dst_start_, &z.dst_end_}) {
    if (c.peek() != ',') return fail("expected ',Mm.w.d' transition rules");
    ++c.pos;
    if (c.peek() != 'M') return fail("only Mm.w.d transition rules are supported");
    ++c.pos;
    if (!parse_uint(c, tr->month) || tr->month < 1 || tr->month > 12 || c.peek() != '.') return fail("bad month");
    ++c.pos;
    if (!parse_uint(c, tr->week) || tr->week < 1 || tr->week > 5 || c.peek() != '.') return fail("bad week");
    ++c.pos;
    if (!parse_uint(c, tr->weekday) || tr->weekday > 6) return fail("bad weekday");
    tr->time = seconds{7200};
    if (c.peek() == '/') {
      ++c.pos;
      if (!parse_hms(c, tr->time, 167)) return fail("bad transition time");
    }
  }
  if (!c.done()) return fail("unexpected characters at the end");
  z.transitions_.reserve(zone::transitions_years_);
  for (int y = zone::transitions_first_year_; y < zone::transitions_first_year_ + zone::transitions_years_; ++y)
    z.transitions_.push_back({z.dst_start_utc(y), z.dst_end_utc(y)});
  return z;
}

result<zone> zone::parse(std::string_view posix_rule, std::string_view path) {
  return parse_zone_impl(posix_rule, path);
}

instant zone::dst_start_utc(int year) const {
  const auto local = nth_weekday(year, dst_start_.month, dst_start_.week, dst_start_.weekday);
  return instant{local.time_since_epoch() + dst_start_.time - std_offset_};
}

instant zone::dst_end_utc(int year) const {
  const auto local = nth_weekday(year, dst_end_.month, dst_end_.week, dst_end_.weekday);
  return instant{local.time_since_epoch() + dst_end_.time - dst_offset_};
}

std::array<instant, 2> zone::dst_utc(int year) const {
  const auto k = static_cast<std::size_t>(year - transitions_first_year_);
  if (year >= transitions_first_year_ && k < transitions_.size()) return transitions_[k];
  return {dst_start_utc(year), dst_end_utc(year)};
}

std::chrono::seconds zone::offset_at(instant t) const {
  if (!has_dst_) return std_offset_;
  const auto local_day = std::chrono::floor<date::days>(t + std_offset_);
  const int y = static_cast<int>(civil_date{local_day}.year());
  const auto [start, end] = dst_utc(y);
  const bool dst = start < end ? (t >= start && t < end) : (t < end || t >= start);
  return dst ? dst_offset_ : std_offset_;
}

date::local_seconds zone::to_local(instant t) const { return date::local_seconds{t.time_since_epoch() + offset_at(t)}; }

civil_date zone::local_date(instant t) const { return civil_date{std::chrono::floor<date::days>(t + offset_at(t))}; }

instant zone::start_of_day(civil_date d) const {
  const auto local = date::sys_days{d}.time_since_epoch();
  const instant as_std{local - std_offset_};
  if (!has_dst_) return as_std;
  const instant as_dst{local - dst_offset_};
  const bool std_ok = offset_at(as_std) == std_offset_;
  const bool dst_ok = offset_at(as_dst) == dst_offset_;
  if (std_ok && dst_ok) return std::min(as_std, as_dst);
  if (std_ok) return as_std;
  if (dst_ok) return as_dst;
  // Local midnight falls in a gap: the day starts at the transition that
  // skipped it, the first instant whose local date is d.
  const instant lo = std::min(as_std, as_dst);
  const instant hi = std::max(as_std, as_dst);
  const int y = static_cast<int>(d.year());
  for (const instant tr : dst_utc(y)) {
    if (tr >= lo && tr <= hi) return tr;
  }
  return lo;
}

}  // namespace ordertrail
