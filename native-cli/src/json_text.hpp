// JSON text for the documents the CLI itself writes (sweep lines, timeline,
// policy listings), escaped exactly like the core's output.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <ordertrail/time.hpp>

namespace ordertrail::cli {

// Appends `s` as a JSON string literal: '"', '\\' and control characters
// escaped, DEL and U+2028/U+2029 as \u escapes (as the core does).
void append_json_string(std::string& out, std::string_view s);

// A minimal compact writer: the caller writes keys and values in order.
class json_out {
 public:
  explicit json_out(std::string& out) : out_(out) {}
  json_out& begin_object();
  json_out& end_object();
  json_out& begin_array();
  json_out& end_array();
  json_out& key(std::string_view k);
  json_out& str(std::string_view s);
  json_out& num(std::int64_t v);
  json_out& boolean(bool v);
  json_out& null();
  json_out& time(instant t);  // RFC 3339 "…Z"
  json_out& time(const std::optional<instant>& t);
  json_out& raw(std::string_view json);  // pre-serialised JSON
  template <class V>
  json_out& field(std::string_view k, V&& v) {
    key(k);
    return put(std::forward<V>(v));
  }

 private:
  json_out& put(std::string_view s) { return str(s); }
  json_out& put(const std::string& s) { return str(s); }
  json_out& put(const char* s) { return str(s); }
  json_out& put(std::int64_t v) { return num(v); }
  json_out& put(int v) { return num(v); }
  json_out& put(std::size_t v) { return num(static_cast<std::int64_t>(v)); }
  json_out& put(bool v) { return boolean(v); }
  json_out& put(instant t) { return time(t); }
  json_out& put(const std::optional<instant>& t) { return time(t); }
  void separate();
  std::string& out_;
  bool comma_ = false;
};

}  // namespace ordertrail::cli
