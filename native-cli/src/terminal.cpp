#include "terminal.hpp"

#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace ordertrail::cli {

bool is_terminal(int fd) { return ::isatty(fd) == 1; }

bool colour_enabled(colour_mode mode, int fd) {
  const char* no_colour = std::getenv("NO_COLOR");
  if (no_colour != nullptr && no_colour[0] != '\0') return false;
  switch (mode) {
    case colour_mode::never:
      return false;
    case colour_mode::always:
      return true;
    case colour_mode::automatic:
      break;
  }
  const char* term = std::getenv("TERM");
  if (term != nullptr && std::strcmp(term, "dumb") == 0) return false;
  return is_terminal(fd);
}

std::string style::wrap(std::string_view code, std::string_view s) const {
  if (!on_ || s.empty()) return std::string(s);
  std::string out = "\x1b[";
  out += code;
  out += 'm';
  out += s;
  out += "\x1b[0m";
  return out;
}

}  // namespace ordertrail::cli
