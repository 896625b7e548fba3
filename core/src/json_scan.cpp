#include "json_scan.hpp"

#include <deque>
#include <limits>
#include <memory>
#include <unordered_set>

namespace ordertrail::detail {
namespace {

bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Reads the 4 hex digits at s[i..i+4); -1 when they are not hex.
int read_hex4(std::string_view s, std::size_t i) {
  if (i + 4 > s.size()) return -1;
  int v = 0;
  for (std::size_t k = i; k < i + 4; ++k) {
    const int h = hex_value(s[k]);
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

void append_utf8(std::string& out, std::uint32_t cp) {
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

// Decodes the body of a validated JSON string (between the quotes).
std::string decode_string(std::string_view body) {
  std::string out;
  out.reserve(body.size());
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] != '\\') {
      out += body[i];
      continue;
    }
    const char e = body[++i];
    switch (e) {
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'u': {
        auto cp = static_cast<std::uint32_t>(read_hex4(body, i + 1));
        i += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF) {  // validated: a low surrogate follows
          const auto lo = static_cast<std::uint32_t>(read_hex4(body, i + 3));
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          i += 6;
        }
        append_utf8(out, cp);
        break;
      }
      default: out += e;  // " \ /
    }
  }
  return out;
}

// The end (one past) of the validated value starting at s[i].
std::size_t value_end(std::string_view s, std::size_t i) {
  const char c = s[i];
  if (c == '"') {
    for (++i; s[i] != '"'; ++i)
      if (s[i] == '\\') ++i;
    return i + 1;
  }
  if (c == '{' || c == '[') {
    int depth = 0;
    for (;; ++i) {
      const char d = s[i];
      if (d == '"') {
        i = value_end(s, i) - 1;
      } else if (d == '{' || d == '[') {
        ++depth;
      } else if (d == '}' || d == ']') {
        if (--depth == 0) return i + 1;
      }
    }
  }
  while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ']' && !is_ws(s[i])) ++i;
  return i;
}

std::size_t skip_ws(std::string_view s, std::size_t i) {
  while (i < s.size() && is_ws(s[i])) ++i;
  return i;
}

class validator {
 public:
  validator(std::string_view s, int max_depth) : s_(s), max_depth_(max_depth) {}

  std::optional<error> run() {
    if (value()) {
      ws();
      if (i_ != s_.size()) fail("unexpected character after the JSON value");
    }
    return err_;
  }

 private:
  struct frame {
    bool is_array = false;
    std::size_t index = 0;         // arrays: elements seen
    std::string_view key;          // objects: the current key
    std::size_t keys_begin = 0;    // objects: where its keys start in keys_
    std::unique_ptr<std::unordered_set<std::string_view>> many;  // objects with many keys
  };

  bool fail(const std::string& what) {
    if (!err_) err_ = error{"invalid_json", "", "invalid JSON at byte offset " + std::to_string(i_) + ": " + what};
    return false;
  }
  void ws() { i_ = skip_ws(s_, i_); }
  [[nodiscard]] std::string path() const {
    std::string p;
    for (const auto& f : frames_) {
      p += '/';
      if (f.is_array) {
        p += std::to_string(f.index - 1);
      } else {
        for (const char ch : f.key) p += ch == '~' ? std::string("~0") : ch == '/' ? std::string("~1") : std::string(1, ch);
      }
    }
    return p;
  }

  bool value() {
    ws();
    if (i_ >= s_.size()) return fail("unexpected end of input");
    switch (s_[i_]) {
      case '{': return object();
      case '[': return array();
      case '"': return string(nullptr);
      case 't': return literal("true");
      case 'f': return literal("false");
      case 'n': return literal("null");
      default:
        if (s_[i_] == '-' || (s_[i_] >= '0' && s_[i_] <= '9')) return number();
        return fail("unexpected character '" + printable(s_[i_]) + "'");
    }
  }

  static std::string printable(char c) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f) return std::string(1, c);
    static constexpr char hex[] = "0123456789abcdef";
    return std::string("\\x") + hex[u >> 4] + hex[u & 15];
  }

  bool open() {
    if (static_cast<int>(frames_.size()) >= max_depth_) {
      if (!err_) err_ = error{"too_deep", path(), "nesting deeper than " + std::to_string(max_depth_) + " levels"};
      return false;
    }
    return true;
  }

  bool object() {
    if (!open()) return false;
    frames_.push_back(frame{false, 0, {}, keys_.size(), nullptr});
    ++i_;
    ws();
    if (i_ < s_.size() && s_[i_] == '}') {
      ++i_;
      return close_object();
    }
    for (;;) {
      ws();
      if (i_ >= s_.size()) return fail("unexpected end of input; expected a key");
      if (s_[i_] != '"') return fail("expected a key in double quotes");
      std::string_view key;
      if (!string(&key) || !unique(key)) return false;
      frames_.back().key = key;
      ws();
      if (i_ >= s_.size() || s_[i_] != ':') return fail("expected ':' after a key");
      ++i_;
      if (!value()) return false;
      ws();
      if (i_ >= s_.size()) return fail("unexpected end of input; expected ',' or '}'");
      if (s_[i_] == ',') {
        ++i_;
        continue;
      }
      if (s_[i_] != '}') return fail("expected ',' or '}'");
      ++i_;
      return close_object();
    }
  }

  bool close_object() {
    keys_.resize(frames_.back().keys_begin);
    frames_.pop_back();
    return true;
  }

  bool unique(std::string_view key) {
    frame& f = frames_.back();
    constexpr std::size_t linear_limit = 32;
    bool seen = false;
    if (f.many) {
      seen = !f.many->insert(key).second;
    } else {
      for (std::size_t k = f.keys_begin; k < keys_.size() && !seen; ++k) seen = keys_[k] == key;
      if (!seen && keys_.size() - f.keys_begin >= linear_limit) {
        f.many = std::make_unique<std::unordered_set<std::string_view>>(keys_.begin() + static_cast<std::ptrdiff_t>(f.keys_begin),
                                                                        keys_.end());
        f.many->insert(key);
      }
    }
    if (seen) {
      f.key = key;
      if (!err_)
        err_ = error{"duplicate_key", path(), "the key \"" + std::string(utf8_prefix(key, 64)) + "\" appears twice in one object"};
      return false;
    }
    keys_.push_back(key);
    return true;
  }

  bool array() {
    if (!open()) return false;
    frames_.push_back(frame{true, 0, {}, 0, nullptr});
    ++i_;
    ws();
    if (i_ < s_.size() && s_[i_] == ']') {
      ++i_;
      frames_.pop_back();
      return true;
    }
    for (;;) {
      ++frames_.back().index;
      if (!value()) return false;
      ws();
      if (i_ >= s_.size()) return fail("unexpected end of input; expected ',' or ']'");
      if (s_[i_] == ',') {
        ++i_;
        continue;
      }
      if (s_[i_] != ']') return fail("expected ',' or ']'");
      ++i_;
      frames_.pop_back();
      return true;
    }
  }

  bool literal(std::string_view word) {
    if (s_.substr(i_, word.size()) != word) return fail("invalid literal; expected true, false or null");
    i_ += word.size();
    return true;
  }

  bool digits() {
    const std::size_t start = i_;
    while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
    return i_ > start;
  }

  bool number() {
    if (s_[i_] == '-') ++i_;
    if (i_ < s_.size() && s_[i_] == '0') {
      ++i_;
    } else if (!digits()) {
      return fail("invalid number");
    }
    if (i_ < s_.size() && s_[i_] == '.') {
      ++i_;
      if (!digits()) return fail("invalid number: digits expected after '.'");
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      ++i_;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
      if (!digits()) return fail("invalid number: digits expected in the exponent");
    }
    return true;
  }

  // A string starting at the quote; `key` receives its decoded text.
  bool string(std::string_view* key) {
    const std::size_t start = ++i_;
    bool escaped = false;
    for (;;) {
      if (i_ >= s_.size()) return fail("unexpected end of input inside a string");
      const auto c = static_cast<unsigned char>(s_[i_]);
      if (c == '"') break;
      if (c == '\\') {
        escaped = true;
        if (!escape()) return false;
      } else if (c < 0x20) {
        return fail("control character in a string must be escaped");
      } else if (c < 0x80) {
        ++i_;
      } else if (!utf8()) {
        return false;
      }
    }
    const std::string_view body = s_.substr(start, i_ - start);
    ++i_;
    if (key) {
      if (escaped) {
        decoded_.push_back(decode_string(body));
        *key = decoded_.back();
      } else {
        *key = body;
      }
    }
    return true;
  }

  bool escape() {
    if (i_ + 1 >= s_.size()) return fail("unexpected end of input in an escape");
    const char e = s_[i_ + 1];
    if (e != 'u') {
      if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' && e != 't')
        return fail("invalid escape '\\" + printable(e) + "'");
      i_ += 2;
      return true;
    }
    const int cp = read_hex4(s_, i_ + 2);
    if (cp < 0) return fail("\\u must be followed by 4 hex digits");
    i_ += 6;
    if (cp >= 0xDC00 && cp <= 0xDFFF) return fail("a low surrogate \\u" + std::string(s_.substr(i_ - 4, 4)) + " without a high one");
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      const int lo = i_ + 1 < s_.size() && s_[i_] == '\\' && s_[i_ + 1] == 'u' ? read_hex4(s_, i_ + 2) : -1;
      if (lo < 0xDC00 || lo > 0xDFFF) return fail("a high surrogate must be followed by a low surrogate");
      i_ += 6;
    }
    return true;
  }

  // One UTF-8 encoded character (RFC 3629: no overlongs, no surrogates).
  bool utf8() {
    const auto at = [&](std::size_t k) { return k < s_.size() ? static_cast<unsigned char>(s_[k]) : 0U; };
    const unsigned c = at(i_);
    std::size_t n = 0;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return fail("invalid UTF-8 byte");
    }
    const unsigned first = at(i_ + 1);
    if (first < lo || first > hi) return fail("invalid UTF-8 sequence");
    for (std::size_t k = 2; k <= n; ++k)
      if ((at(i_ + k) & 0xC0) != 0x80) return fail("invalid UTF-8 sequence");
    i_ += n + 1;
    return true;
  }

  std::string_view s_;
  std::size_t i_ = 0;
  int max_depth_;
  std::optional<error> err_;
  std::vector<frame> frames_;
  std::vector<std::string_view> keys_;
  std::deque<std::string> decoded_;
};

}  // namespace

std::optional<error> validate_json(std::string_view text, int max_depth) { return validator(text, max_depth).run(); }

std::string_view kind_name(json_kind k) {
  switch (k) {
    case json_kind::null: return "null";
    case json_kind::boolean: return "a boolean";
    case json_kind::number: return "a number";
    case json_kind::string: return "a string";
    case json_kind::array: return "an array";
    case json_kind::object: return "an object";
  }
  return "a value";
}

value_view::value_view(std::string_view raw) : raw_(raw) {
  switch (raw.empty() ? 'n' : raw[0]) {
    case '{': kind_ = json_kind::object; break;
    case '[': kind_ = json_kind::array; break;
    case '"': kind_ = json_kind::string; break;
    case 't':
    case 'f': kind_ = json_kind::boolean; break;
    case 'n': kind_ = json_kind::null; break;
    default: kind_ = json_kind::number;
  }
}

std::string value_view::string() const { return decode_string(raw_.substr(1, raw_.size() - 2)); }

std::optional<std::int64_t> value_view::integer() const {
  std::size_t i = 0;
  const bool negative = raw_[0] == '-';
  if (negative) ++i;
  std::uint64_t v = 0;
  for (; i < raw_.size(); ++i) {
    const char c = raw_[i];
    if (c < '0' || c > '9') return std::nullopt;  // a fraction or an exponent
    const auto d = static_cast<std::uint64_t>(c - '0');
    if (v > (std::numeric_limits<std::uint64_t>::max() - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  constexpr auto max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (negative) {
    if (v > max + 1) return std::nullopt;
    return v == max + 1 ? std::numeric_limits<std::int64_t>::min() : -static_cast<std::int64_t>(v);
  }
  if (v > max) return std::nullopt;
  return static_cast<std::int64_t>(v);
}

std::vector<value_view> value_view::elements() const {
  std::vector<value_view> out;
  std::size_t i = skip_ws(raw_, 1);
  while (raw_[i] != ']') {
    const std::size_t end = value_end(raw_, i);
    out.emplace_back(raw_.substr(i, end - i));
    i = skip_ws(raw_, end);
    if (raw_[i] == ',') i = skip_ws(raw_, i + 1);
  }
  return out;
}

object_view::object_view(value_view object) {
  const std::string_view s = object.raw();
  std::size_t i = skip_ws(s, 1);
  while (s[i] != '}') {
    const std::size_t key_end = value_end(s, i);
    std::string key = value_view(s.substr(i, key_end - i)).string();
    i = skip_ws(s, skip_ws(s, key_end) + 1);  // past ':'
    const std::size_t end = value_end(s, i);
    members_.push_back({std::move(key), value_view(s.substr(i, end - i))});
    i = skip_ws(s, end);
    if (s[i] == ',') i = skip_ws(s, i + 1);
  }
}

const value_view* object_view::find(std::string_view key) const {
  for (const auto& m : members_)
    if (m.key == key) return &m.value;
  return nullptr;
}

}  // namespace ordertrail::detail
