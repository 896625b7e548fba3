#include "ordertrail/json_writer.hpp"

#include <array>

#include "ordertrail/error.hpp"
#include "ordertrail/evaluation.hpp"

namespace ordertrail {

void append_json_string(std::string& out, std::string_view s) {
  static constexpr std::array<char, 16> hex{'0', '1', '2', '3', '4', '5', '6', '7',
                                            '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
  out += '"';
  std::size_t run = 0;  // start of the pending run of bytes that need no escape
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    const bool line_separator = c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
                                (static_cast<unsigned char>(s[i + 2]) == 0xA8 || static_cast<unsigned char>(s[i + 2]) == 0xA9);
    if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f && !line_separator) continue;
    out.append(s.data() + run, i - run);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (line_separator) {
          out += static_cast<unsigned char>(s[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029";
          i += 2;
        } else {
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 15];
        }
    }
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

void write_due(json_writer& w, const std::vector<due_entry>& due) {
  w.begin_array();
  for (const auto& d : due) {
    w.begin_object()
        .field("action", to_string(d.action))
        .field("reason", d.reason)
        .field("responsibility", to_string(d.responsible))
        .field("at", d.at);
    w.key("event")
        .begin_object()
        .field("type", to_string(d.event.type))
        .field("at", d.event.at)
        .field("by", to_string(d.event.by));
    if (!d.event.reason.empty()) w.field("reason", d.event.reason);
    w.end_object().end_object();
  }
  w.end_array();
}

}  // namespace ordertrail
