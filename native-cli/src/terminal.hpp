// Terminal facts: is a stream a terminal, and may we colour it.
#pragma once

#include <string>
#include <string_view>

namespace ordertrail::cli {

enum class colour_mode { automatic, always, never };

// Colour is used only when the mode allows it, the stream is a terminal (for
// `automatic`), TERM is not "dumb", and never when NO_COLOR is set to a
// non-empty value (https://no-color.org), whatever the mode.
bool colour_enabled(colour_mode mode, int fd);
bool is_terminal(int fd);

// SGR styling that vanishes when colour is off.
class style {
 public:
  explicit style(bool colour = false) : on_(colour) {}
  [[nodiscard]] bool on() const { return on_; }
  [[nodiscard]] std::string bold(std::string_view s) const { return wrap("1", s); }
  [[nodiscard]] std::string dim(std::string_view s) const { return wrap("2", s); }
  [[nodiscard]] std::string red(std::string_view s) const { return wrap("31", s); }
  [[nodiscard]] std::string green(std::string_view s) const { return wrap("32", s); }
  [[nodiscard]] std::string yellow(std::string_view s) const { return wrap("33", s); }
  [[nodiscard]] std::string cyan(std::string_view s) const { return wrap("36", s); }

 private:
  [[nodiscard]] std::string wrap(std::string_view code, std::string_view s) const;
  bool on_;
};

}  // namespace ordertrail::cli
