#include "ordertrail/json_writer.hpp"

#include <array>

#include "ordertrail/error.hpp"
#include "ordertrail/evaluation.hpp"

namespace ordertrail {

namespace {

// The multi-byte characters written as \u escapes although JSON allows them
// raw: C1 controls (U+0080..U+009F: a terminal may act on U+009B as CSI),
// bidi embeddings, overrides and isolates (U+202A..U+202E, U+2066..U+2069:
// they reorder what a reader sees), and U+2028/U+2029 (line ends to
// JavaScript before ES2019). Returns the code point at s[i], or 0 to copy as
// is, and its length in bytes in `len`.
unsigned escaped_wide(std::string_view s, std::size_t i, std::size_t& len) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  if (b(0) == 0xC2 && i + 1 < s.size() && b(1) >= 0x80 && b(1) <= 0x9F) {
    len = 2;
    return b(1);
  }
  if (b(0) == 0xE2 && i + 2 < s.size()) {
    const unsigned cp = 0x2000U | ((b(1) & 0x3FU) << 6) | (b(2) & 0x3FU);
    if ((cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) {
      len = 3;
      return cp;
    }
  }
  return 0;
}

}  // namespace

// Bytes written as they are: printable ASCII but '"' and '\\' (and DEL),
// and every byte of a multi-byte character but those that may start one
// escaped_wide() writes as \u (0xC2, 0xE2).
constexpr auto verbatim = [] {
  std::array<bool, 256> t{};
  for (int c = 0x20; c < 0x100; ++c)
    t[static_cast<std::size_t>(c)] = c != '"' && c != '\\' && c != 0x7F && c != 0xC2 && c != 0xE2;
  return t;
}();

void append_json_string(std::string& out, std::string_view s) {
  static constexpr std::array<char, 16> hex{'0', '1', '2', '3', '4', '5', '6', '7',
                                            '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
  const auto put_u = [&](unsigned cp) {
    out += "\\u";
    out += hex[(cp >> 12) & 15];
    out += hex[(cp >> 8) & 15];
    out += hex[(cp >> 4) & 15];
    out += hex[cp & 15];
  };
  out += '"';
  std::size_t run = 0;  // start of the pending run of bytes that need no escape
  for (std::size_t i = 0; i < s.size(); ++i) {
    while (i < s.size() && verbatim[static_cast<unsigned char>(s[i])]) ++i;
    if (i == s.size()) break;
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = 1;
    unsigned wide = 0;
    if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f) {
      if (c != 0xC2 && c != 0xE2) continue;
      wide = escaped_wide(s, i, len);
      if (wide == 0) continue;
    }
    out.append(s.data() + run, i - run);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        put_u(wide != 0 ? wide : c);
    }
    i += len - 1;
    run = i + 1;
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

void json_writer::separate() {
  if (need_comma_) out_ += ',';
  need_comma_ = true;
}

json_writer& json_writer::begin_object() {
  separate();
  out_ += '{';
  need_comma_ = false;
  return *this;
}
json_writer& json_writer::end_object() {
  out_ += '}';
  need_comma_ = true;
  return *this;
}
json_writer& json_writer::begin_array() {
  separate();
  out_ += '[';
  need_comma_ = false;
  return *this;
}
json_writer& json_writer::end_array() {
  out_ += ']';
  need_comma_ = true;
  return *this;
}
json_writer& json_writer::key(std::string_view k) {
  separate();
  append_json_string(out_, k);
  out_ += ':';
  need_comma_ = false;
  return *this;
}
json_writer& json_writer::value(std::string_view s) {
  separate();
  append_json_string(out_, s);
  return *this;
}
json_writer& json_writer::value(std::int64_t v) {
  separate();
  out_ += std::to_string(v);
  return *this;
}
json_writer& json_writer::value(bool v) {
  separate();
  out_ += v ? "true" : "false";
  return *this;
}
json_writer& json_writer::null() {
  separate();
  out_ += "null";
  return *this;
}
json_writer& json_writer::value(instant t) {
  separate();
  out_ += '"';
  append_instant(out_, t);
  out_ += '"';
  return *this;
}
json_writer& json_writer::value(const std::optional<instant>& t) { return t ? value(*t) : null(); }
json_writer& json_writer::string_or_null(std::string_view s) { return s.empty() ? null() : value(s); }
json_writer& json_writer::raw(std::string_view json) {
  separate();
  out_ += json;
  return *this;
}

std::string_view utf8_prefix(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  std::size_t n = max_bytes;
  // Back off continuation bytes (10xxxxxx) to the start of the cut character.
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

std::string to_json(const error& e) {
  std::string out;
  json_writer w(out);
  w.begin_object()
      .field("schema", "ordertrail.error/1")
      .field("code", e.code)
      .field("path", e.path)
      .field("message", e.message)
      .end_object();
  return out;
}

}  // namespace ordertrail

#include "ordertrail/version.hpp"

namespace ordertrail {
std::string_view version() { return ORDERTRAIL_VERSION; }
}  // namespace ordertrail

namespace ordertrail {

void write_units(json_writer& w, const std::vector<line_qty>& items) {
  w.begin_array();
  for (const auto& x : items) w.begin_object().field("line_id", x.line_id).field("qty", x.qty).end_object();
  w.end_array();
}

void write_synthetic(json_writer& w, const synthetic_event& e) {
  w.begin_object().field("type", to_string(e.type)).field("at", e.at).field("by", to_string(e.by));
  if (!e.reason.empty()) w.field("reason", e.reason);
  if (!e.package_id.empty()) w.field("package_id", e.package_id);
  if (!e.case_id.empty()) w.field("case_id", e.case_id);
  if (!e.items.empty()) write_units(w.key("items"), e.items);
  if (e.amount_minor) w.field("amount_minor", *e.amount_minor);
  if (e.keep_item) w.field("keep_item", true);
  if (e.outcome != party::none) w.field("outcome", to_string(e.outcome));
  w.end_object();
}

std::string to_json(const synthetic_event& e) {
  std::string out;
  json_writer w(out);
  write_synthetic(w, e);
  return out;
}

void write_due(json_writer& w, const std::vector<due_entry>& due) {
  w.begin_array();
  for (const auto& d : due) {
    w.begin_object()
        .field("action", to_string(d.action))
        .field("reason", d.reason)
        .field("responsibility", to_string(d.responsible))
        .field("at", d.at);
    write_synthetic(w.key("event"), d.event);
    w.end_object();
  }
  w.end_array();
}

}  // namespace ordertrail
