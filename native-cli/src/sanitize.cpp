#include "sanitize.hpp"

#include <cstdint>

namespace ordertrail::cli {
namespace {

constexpr char32_t invalid = 0xFFFFFFFF;

// Decodes one UTF-8 code point at s[i]; sets `len` to the bytes it used.
// Overlong forms, surrogates and values above U+10FFFF are invalid (len 1).
char32_t decode(std::string_view s, std::size_t i, std::size_t& len) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  len = 1;
  if (b0 < 0x80) return b0;
  std::size_t need = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    need = 1;
    cp = b0 & 0x1F;
    min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    need = 2;
    cp = b0 & 0x0F;
    min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    need = 3;
    cp = b0 & 0x07;
    min = 0x10000;
  } else {
    return invalid;
  }
  if (i + need >= s.size()) return invalid;
  for (std::size_t k = 1; k <= need; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return invalid;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return invalid;
  len = need + 1;
  return cp;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool is_string_introducer(char32_t c1) {  // C1 forms of DCS, SOS, OSC, PM, APC
  return c1 == 0x90 || c1 == 0x98 || c1 == 0x9D || c1 == 0x9E || c1 == 0x9F;
}

bool is_bidi_control(char32_t cp) { return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069); }

class cleaner {
 public:
  explicit cleaner(std::string_view s) : s_(s) {}

  std::string run() {
    out_.reserve(s_.size());
    while (i_ < s_.size()) {
      const char32_t cp = next();
      if (cp == invalid) {
        append_utf8(out_, 0xFFFD);
      } else if (cp == 0x1B) {
        skip_escape();
      } else if (cp == 0x9B) {
        skip_csi();
      } else if (is_string_introducer(cp)) {
        skip_string();
      } else if (cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f' || cp == 0x2028 || cp == 0x2029) {
        out_ += ' ';
      } else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || is_bidi_control(cp)) {
        // dropped
      } else {
        append_utf8(out_, cp);
      }
    }
    return std::move(out_);
  }

 private:
  char32_t next() {
    std::size_t len = 1;
    const char32_t cp = decode(s_, i_, len);
    i_ += len;
    return cp;
  }
  [[nodiscard]] char32_t peek() const {
    if (i_ >= s_.size()) return invalid;
    std::size_t len = 1;
    return decode(s_, i_, len);
  }

  // After ESC: consume the rest of the sequence it starts.
  void skip_escape() {
    const char32_t c = peek();
    if (c == '[') {
      next();
      skip_csi();
    } else if (c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_') {
      next();
      skip_string();
    } else if (c >= 0x20 && c <= 0x2F) {  // intermediates, then one final byte
      while (peek() >= 0x20 && peek() <= 0x2F) next();
      if (peek() >= 0x30 && peek() <= 0x7E) next();
    } else if (c >= 0x30 && c <= 0x7E) {
      next();
    }
  }

  // Parameters and intermediates (0x20..0x3F), then a final byte (0x40..0x7E).
  // A byte outside those ranges ends the sequence and is kept for the caller.
  void skip_csi() {
    while (peek() >= 0x20 && peek() <= 0x3F) next();
    if (peek() >= 0x40 && peek() <= 0x7E) next();
  }

  // OSC/DCS/SOS/PM/APC payload up to BEL, ESC \ or ST (U+009C), or the end.
  void skip_string() {
    while (i_ < s_.size()) {
      const char32_t c = next();
      if (c == 0x07 || c == 0x9C) return;
      if (c == 0x1B) {
        if (peek() == '\\') next();
        return;
      }
    }
  }

  std::string_view s_;
  std::size_t i_ = 0;
  std::string out_;
};

}  // namespace

std::string sanitize(std::string_view text) {
  // Fast path: printable ASCII needs no work.
  bool plain = true;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c >= 0x7F) {
      plain = false;
      break;
    }
  }
  if (plain) return std::string(text);
  return cleaner(text).run();
}

}  // namespace ordertrail::cli
