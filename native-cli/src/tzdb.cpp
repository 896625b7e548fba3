#include "tzdb.hpp"

#include <date/tz.h>

#include <exception>
#include <fstream>

namespace ordertrail::cli {
namespace {
const date::time_zone* tz(const void* z) { return static_cast<const date::time_zone*>(z); }
}  // namespace

std::optional<os_zone> os_zone::locate(std::string_view name, std::string& error) {
  try {
    return os_zone(date::locate_zone(name));
  } catch (const std::exception& e) {
    error = e.what();
    return std::nullopt;
  }
}

std::string os_zone::database_version() {
  std::string v;
  try {
    v = date::get_tzdb().version;
  } catch (const std::exception&) {
    v.clear();
  }
  if (!v.empty() && v != "unknown") return v;
  // Debian's tzdata has no +VERSION file; tzdata.zi starts with "# version X".
  std::ifstream zi("/usr/share/zoneinfo/tzdata.zi");
  std::string line;
  if (std::getline(zi, line) && line.rfind("# version ", 0) == 0) return line.substr(10);
  return "unknown";
}

std::chrono::sys_seconds os_zone::start_of_day(date::sys_days d) const {
  const date::local_seconds midnight{std::chrono::duration_cast<std::chrono::seconds>(d.time_since_epoch())};
  const auto info = tz(zone_)->get_info(midnight);
  switch (info.result) {
    case date::local_info::nonexistent:
      return info.second.begin;
    case date::local_info::ambiguous:
    case date::local_info::unique:
    default:
      return std::chrono::sys_seconds{midnight.time_since_epoch() - info.first.offset};
  }
}

std::chrono::seconds os_zone::offset_at(std::chrono::sys_seconds t) const { return tz(zone_)->get_info(t).offset; }

std::vector<os_zone::transition> os_zone::transitions(std::chrono::sys_seconds from,
                                                      std::chrono::sys_seconds to) const {
  std::vector<transition> out;
  auto info = tz(zone_)->get_info(from);
  while (info.end < to) {
    const auto next = tz(zone_)->get_info(info.end);
    if (next.offset != info.offset) out.push_back({info.end, info.offset, next.offset});
    if (next.end <= info.end) break;
    info = next;
  }
  return out;
}

}  // namespace ordertrail::cli
