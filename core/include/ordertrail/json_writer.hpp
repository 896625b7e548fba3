// ordertrail/json_writer.hpp — the compact, deterministic JSON writer behind every
// document ordertrail prints (no floats, no locale, no whitespace), public so
// that the CLI and other callers write exactly the same bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <vector>

#include "ordertrail/time.hpp"

namespace ordertrail {

struct due_entry;
struct line_qty;

// Appends `s` as a JSON string literal. Control characters, DEL, U+2028 and
// U+2029 are escaped, so the text is safe to embed in HTML <script> and JS.
void append_json_string(std::string& out, std::string_view s);

class json_writer {
 public:
  explicit json_writer(std::string& out) : out_(out) {}

  json_writer& begin_object();
  json_writer& end_object();
  json_writer& begin_array();
  json_writer& end_array();
  json_writer& key(std::string_view k);
  json_writer& value(std::string_view s);
  json_writer& value(const char* s) { return value(std::string_view(s)); }
  json_writer& value(std::int64_t v);
  json_writer& value(int v) { return value(static_cast<std::int64_t>(v)); }
  json_writer& value(std::size_t v) { return value(static_cast<std::int64_t>(v)); }
  json_writer& value(const std::string& s) { return value(std::string_view(s)); }
  json_writer& value(bool v);
  json_writer& null();
  json_writer& value(instant t);
  json_writer& value(const std::optional<instant>& t);
  // A string, or null when empty.
  json_writer& string_or_null(std::string_view s);
  // Pre-serialised JSON, written as is.
  json_writer& raw(std::string_view json);

  template <class T>
  json_writer& field(std::string_view k, const T& v) {
    key(k);
    return value(v);
  }

 private:
  void separate();
  std::string& out_;
  bool need_comma_ = false;
};

// Writes `[{line_id, qty}]`.
void write_units(json_writer& w, const std::vector<line_qty>& items);

// Writes `due` entries (SPEC 6) as a JSON array: the exact events to append.
void write_due(json_writer& w, const std::vector<due_entry>& due);

}  // namespace ordertrail
