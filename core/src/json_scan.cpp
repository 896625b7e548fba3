#include "json_scan.hpp"

#include <array>
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
  const std::size_t first = body.find('\\');
  if (first == std::string_view::npos) return std::string(body);  // the common case: nothing to decode
  std::string out;
  out.reserve(body.size());
  out.append(body.substr(0, first));
  for (std::size_t i = first; i < body.size(); ++i) {
    if (body[i] != '\\') {
      out += body[i];
      continue;
    }
    const char e = body[++i];
    switch (e) {
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
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
      default:
        out += e;  // " \ /
    }
  }
  return out;
}

// Bytes that a string may hold as they are: printable ASCII but '"' and '\\'.
constexpr auto plain_in_string = [] {
  std::array<bool, 256> t{};
  for (int c = 0x20; c < 0x80; ++c) t[static_cast<std::size_t>(c)] = c != '"' && c != '\\';
  return t;
}();

std::size_t skip_ws(std::string_view s, std::size_t i) {
  while (i < s.size() && is_ws(s[i])) ++i;
  return i;
}

}  // namespace

// The one pass: checks the text and records every container's children in
// the document's tables (a frame collects them in scratch_ until it closes).
class scanner {
 public:
  scanner(std::string_view s, int max_depth, document& doc) : s_(s), max_depth_(max_depth), doc_(doc) {
    doc_.text_ = s;
    doc_.elements_.clear();
    doc_.members_.clear();
    doc_.decoded_keys_.clear();
    // One allocation each for a typical order (about one member per 40 bytes).
    doc_.members_.reserve(s.size() / 32 + 8);
    doc_.elements_.reserve(s.size() / 128 + 4);
    frames_.reserve(8);
    scratch_members_.reserve(32);
    scratch_elements_.reserve(16);
  }

  std::optional<error> run() {
    if (value()) {
      ws();
      if (i_ != s_.size()) fail("unexpected character after the JSON value");
    }
    if (!err_) doc_.root_ = last_;
    return err_;
  }

 private:
  struct frame {
    bool is_array = false;
    std::size_t index = 0;          // arrays: elements seen
    std::string_view key;           // objects: the current key
    std::size_t scratch_begin = 0;  // where its children start in scratch_members_ / scratch_elements_
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
        for (const char ch : f.key)
          p += ch == '~' ? std::string("~0") : ch == '/' ? std::string("~1") : std::string(1, ch);
      }
    }
    return p;
  }

  // A value; on success `last_` is its view.
  bool value() {
    ws();
    if (i_ >= s_.size()) return fail("unexpected end of input");
    const std::size_t start = i_;
    bool ok = false;
    json_kind kind = json_kind::null;
    switch (s_[i_]) {
      case '{':
        return object();
      case '[':
        return array();
      case '"':
        ok = string(nullptr), kind = json_kind::string;
        break;
      case 't':
        ok = literal("true"), kind = json_kind::boolean;
        break;
      case 'f':
        ok = literal("false"), kind = json_kind::boolean;
        break;
      case 'n':
        ok = literal("null"), kind = json_kind::null;
        break;
      default:
        if (s_[i_] != '-' && (s_[i_] < '0' || s_[i_] > '9'))
          return fail("unexpected character '" + printable(s_[i_]) + "'");
        ok = number(), kind = json_kind::number;
    }
    if (ok) last_ = view(kind, start);
    return ok;
  }

  // The view of the value from `start` to here.
  value_view view(json_kind kind, std::size_t start) const {
    value_view v;
    v.doc_ = &doc_;
    v.start_ = static_cast<std::uint32_t>(start);
    v.size_ = static_cast<std::uint32_t>(i_ - start);
    v.kind_ = kind;
    return v;
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
    const std::size_t start = i_;
    frames_.push_back(frame{false, 0, {}, scratch_members_.size(), nullptr});
    ++i_;
    ws();
    if (i_ < s_.size() && s_[i_] == '}') {
      ++i_;
      return close_object(start);
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
      scratch_members_.push_back(member{key, last_});
      ws();
      if (i_ >= s_.size()) return fail("unexpected end of input; expected ',' or '}'");
      if (s_[i_] == ',') {
        ++i_;
        continue;
      }
      if (s_[i_] != '}') return fail("expected ',' or '}'");
      ++i_;
      return close_object(start);
    }
  }

  bool close_object(std::size_t start) { return close(json_kind::object, start, scratch_members_, doc_.members_); }
  bool close_array(std::size_t start) { return close(json_kind::array, start, scratch_elements_, doc_.elements_); }

  // Ends the innermost container: its children move from `scratch` to the
  // document's `table`, and `last_` is its view.
  template <class Child>
  bool close(json_kind kind, std::size_t start, std::vector<Child>& scratch, std::vector<Child>& table) {
    const std::size_t begin = frames_.back().scratch_begin;
    last_ = view(kind, start);
    last_.first_ = static_cast<std::uint32_t>(table.size());
    last_.count_ = static_cast<std::uint32_t>(scratch.size() - begin);
    table.insert(table.end(), scratch.begin() + static_cast<std::ptrdiff_t>(begin), scratch.end());
    scratch.resize(begin);
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
      for (std::size_t k = f.scratch_begin; k < scratch_members_.size() && !seen; ++k)
        seen = scratch_members_[k].key == key;
      if (!seen && scratch_members_.size() - f.scratch_begin >= linear_limit) {
        f.many = std::make_unique<std::unordered_set<std::string_view>>();
        for (std::size_t k = f.scratch_begin; k < scratch_members_.size(); ++k) f.many->insert(scratch_members_[k].key);
        f.many->insert(key);
      }
    }
    if (seen) {
      f.key = key;
      if (!err_)
        err_ = error{"duplicate_key", path(),
                     "the key \"" + std::string(utf8_prefix(key, 64)) + "\" appears twice in one object"};
      return false;
    }
    return true;
  }

  bool array() {
    if (!open()) return false;
    const std::size_t start = i_;
    frames_.push_back(frame{true, 0, {}, scratch_elements_.size(), nullptr});
    ++i_;
    ws();
    if (i_ < s_.size() && s_[i_] == ']') {
      ++i_;
      return close_array(start);
    }
    for (;;) {
      ++frames_.back().index;
      if (!value()) return false;
      scratch_elements_.push_back(last_);
      ws();
      if (i_ >= s_.size()) return fail("unexpected end of input; expected ',' or ']'");
      if (s_[i_] == ',') {
        ++i_;
        continue;
      }
      if (s_[i_] != ']') return fail("expected ',' or ']'");
      ++i_;
      return close_array(start);
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
    const char* const data = s_.data();
    const std::size_t size = s_.size();
    for (;;) {
      while (i_ < size && plain_in_string[static_cast<unsigned char>(data[i_])]) ++i_;
      if (i_ >= size) return fail("unexpected end of input inside a string");
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
        doc_.decoded_keys_.push_back(std::make_unique<std::string>(decode_string(body)));
        *key = *doc_.decoded_keys_.back();
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
    if (cp >= 0xDC00 && cp <= 0xDFFF)
      return fail("a low surrogate \\u" + std::string(s_.substr(i_ - 4, 4)) + " without a high one");
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
  document& doc_;
  std::optional<error> err_;
  value_view last_;
  std::vector<frame> frames_;
  std::vector<member> scratch_members_;
  std::vector<value_view> scratch_elements_;
};

std::optional<error> scan_json(std::string_view text, int max_depth, document& doc) {
  if (text.size() > std::numeric_limits<std::uint32_t>::max())
    return error{"too_large", "", "a JSON text of 4 GiB or more"};
  return scanner(text, max_depth, doc).run();
}

std::optional<error> validate_json(std::string_view text, int max_depth) {
  document doc;
  return scan_json(text, max_depth, doc);
}

std::string_view kind_name(json_kind k) {
  switch (k) {
    case json_kind::null:
      return "null";
    case json_kind::boolean:
      return "a boolean";
    case json_kind::number:
      return "a number";
    case json_kind::string:
      return "a string";
    case json_kind::array:
      return "an array";
    case json_kind::object:
      return "an object";
  }
  return "a value";
}

std::string_view value_view::raw() const { return doc_ ? doc_->text_.substr(start_, size_) : std::string_view("null"); }

std::string value_view::string() const {
  const std::string_view r = raw();
  return decode_string(r.substr(1, r.size() - 2));
}

std::optional<std::int64_t> value_view::integer() const {
  const std::string_view raw_ = raw();
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

std::span<const value_view> value_view::elements() const {
  if (kind_ != json_kind::array) return {};
  return std::span<const value_view>(doc_->elements_).subspan(first_, count_);
}

std::span<const member> value_view::members() const {
  if (kind_ != json_kind::object) return {};
  return std::span<const member>(doc_->members_).subspan(first_, count_);
}

const value_view* object_view::find(std::string_view key) const {
  if (key.empty()) {
    for (const auto& m : members_)
      if (m.key.empty()) return &m.value;
    return nullptr;
  }
  // Length and first byte first: most members differ there, without a call.
  for (const auto& m : members_)
    if (m.key.size() == key.size() && m.key[0] == key[0] && m.key == key) return &m.value;
  return nullptr;
}

}  // namespace ordertrail::detail
