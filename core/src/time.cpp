#include "ordertrail/time.hpp"

#include <array>

namespace ordertrail {
namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    const char c = s[i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

error bad_instant(std::string_view path, std::string_view text, const char* why) {
  std::string shown(utf8_prefix(text, 40));
  return error{"invalid_instant", std::string(path),
               "not an RFC 3339 instant (" + std::string(why) + "): \"" + shown + "\""};
}

// Parses YYYY-MM-DD at the start of s.
bool date_prefix(std::string_view s, civil_date& out) {
  int y = 0, m = 0, d = 0;
  if (!digits(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2, m) || s[7] != '-' || !digits(s, 8, 2, d))
    return false;
  out = civil_date{date::year{y}, date::month{static_cast<unsigned>(m)}, date::day{static_cast<unsigned>(d)}};
  return y >= 1 && out.ok();
}

}  // namespace

result<civil_date> parse_date(std::string_view text, std::string_view path) {
  civil_date d;
  if (text.size() != 10 || !date_prefix(text, d)) {
    return error{"invalid_date", std::string(path),
                 "not a YYYY-MM-DD date: \"" + std::string(utf8_prefix(text, 40)) + "\""};
  }
  return d;
}

result<instant> parse_instant(std::string_view s, std::string_view path) {
  civil_date d;
  if (!date_prefix(s, d)) return bad_instant(path, s, "expected YYYY-MM-DD, a valid date from year 0001 to 9999");
  if (s.size() < 20 || (s[10] != 'T' && s[10] != 't'))
    return bad_instant(path, s, "expected 'T' and a time after the date");
  int hh = 0, mi = 0, ss = 0;
  if (!digits(s, 11, 2, hh) || s[13] != ':' || !digits(s, 14, 2, mi) || s[16] != ':' || !digits(s, 17, 2, ss))
    return bad_instant(path, s, "expected HH:MM:SS");
  if (hh > 23 || mi > 59) return bad_instant(path, s, "hour or minute out of range");
  if (ss == 60) return bad_instant(path, s, "leap seconds are not accepted");
  if (ss > 59) return bad_instant(path, s, "second out of range");
  std::size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    const std::size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    if (pos == start) return bad_instant(path, s, "empty fraction of a second");
  }
  if (pos >= s.size()) return bad_instant(path, s, "missing time zone offset ('Z' or +HH:MM)");
  int offset_minutes = 0;
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    int oh = 0, om = 0;
    if (!digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' || !digits(s, pos + 4, 2, om))
      return bad_instant(path, s, "offset must be +HH:MM or -HH:MM");
    if (om > 59 || oh * 60 + om > 14 * 60) return bad_instant(path, s, "offset beyond +-14:00");
    offset_minutes = (s[pos] == '-' ? -1 : 1) * (oh * 60 + om);
    pos += 6;
  } else {
    return bad_instant(path, s, "missing time zone offset ('Z' or +HH:MM)");
  }
  if (pos != s.size()) return bad_instant(path, s, "unexpected characters after the offset");
  // All in seconds (64-bit everywhere): minutes and hours are 32-bit `long`
  // in wasm32, and minutes since 1970 pass 2^31 in year 6053.
  const instant midnight{date::sys_days{d}};
  const instant t =
      midnight + std::chrono::seconds{std::int64_t{hh} * 3600 + mi * 60 + ss - std::int64_t{offset_minutes} * 60};
  // The offset may carry the UTC instant out of the years every output can
  // write (and JavaScript's Date.parse can read): 0001-01-01T00:00:00+14:00.
  if (t < min_instant || t > max_instant) return bad_instant(path, s, "outside years 0001 to 9999 in UTC");
  return t;
}

namespace {
void put2(std::string& out, unsigned v) {
  out += static_cast<char>('0' + v / 10);
  out += static_cast<char>('0' + v % 10);
}
void put_date(std::string& out, civil_date d) {
  const int y = static_cast<int>(d.year());
  if (y < 0 || y > 9999) {
    out += std::to_string(y);  // only deadlines computed past year 9999 get here
  } else {
    put2(out, static_cast<unsigned>(y / 100));
    put2(out, static_cast<unsigned>(y % 100));
  }
  out += '-';
  put2(out, static_cast<unsigned>(d.month()));
  out += '-';
  put2(out, static_cast<unsigned>(d.day()));
}
}  // namespace

void append_instant(std::string& out, instant t) {
  const auto day = std::chrono::floor<date::days>(t);
  const auto secs = static_cast<unsigned>((t - day).count());
  put_date(out, civil_date{day});
  out += 'T';
  put2(out, secs / 3600);
  out += ':';
  put2(out, secs / 60 % 60);
  out += ':';
  put2(out, secs % 60);
  out += 'Z';
}

std::string format_instant(instant t) {
  std::string out;
  out.reserve(20);
  append_instant(out, t);
  return out;
}

std::string format_date(civil_date d) {
  std::string out;
  out.reserve(10);
  put_date(out, d);
  return out;
}

std::string_view weekday_abbrev(date::weekday wd) {
  static constexpr std::array<std::string_view, 7> names{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  return names[wd.c_encoding()];
}

}  // namespace ordertrail
