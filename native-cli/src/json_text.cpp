#include "json_text.hpp"

#include <array>

namespace ordertrail::cli {

void append_json_string(std::string& out, std::string_view s) {
  static constexpr std::array<char, 16> hex{'0', '1', '2', '3', '4', '5', '6', '7',
                                            '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
  out += '"';
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
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
        if (c < 0x20 || c == 0x7f) {
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 15];
        } else if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
                   (static_cast<unsigned char>(s[i + 2]) == 0xA8 || static_cast<unsigned char>(s[i + 2]) == 0xA9)) {
          out += static_cast<unsigned char>(s[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029";
          i += 2;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

void json_out::separate() {
  if (comma_) out_ += ',';
  comma_ = true;
}

json_out& json_out::begin_object() {
  separate();
  out_ += '{';
  comma_ = false;
  return *this;
}
json_out& json_out::end_object() {
  out_ += '}';
  comma_ = true;
  return *this;
}
json_out& json_out::begin_array() {
  separate();
  out_ += '[';
  comma_ = false;
  return *this;
}
json_out& json_out::end_array() {
  out_ += ']';
  comma_ = true;
  return *this;
}
json_out& json_out::key(std::string_view k) {
  separate();
  append_json_string(out_, k);
  out_ += ':';
  comma_ = false;
  return *this;
}
json_out& json_out::str(std::string_view s) {
  separate();
  append_json_string(out_, s);
  return *this;
}
json_out& json_out::num(std::int64_t v) {
  separate();
  out_ += std::to_string(v);
  return *this;
}
json_out& json_out::boolean(bool v) {
  separate();
  out_ += v ? "true" : "false";
  return *this;
}
json_out& json_out::null() {
  separate();
  out_ += "null";
  return *this;
}
json_out& json_out::time(instant t) {
  separate();
  out_ += '"';
  append_instant(out_, t);
  out_ += '"';
  return *this;
}
json_out& json_out::time(const std::optional<instant>& t) { return t ? time(*t) : null(); }
json_out& json_out::raw(std::string_view json) {
  separate();
  out_ += json;
  return *this;
}

}  // namespace ordertrail::cli
