// Internal: reading JSON documents into the core's value types, with errors
// as values that name the offending value by JSON pointer.
//
// `parse_document` scans the whole text first (size, syntax, UTF-8, depth,
// duplicate keys: these errors come first, wherever they are), then the
// typed readers look fields up in object views and record the first error in
// a `json_ctx`.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "json_scan.hpp"
#include "ordertrail/error.hpp"

namespace ordertrail::detail {

// The root value of `text`, scanned into `doc` (the text and `doc` must
// outlive the views).
result<value_view> parse_document(document& doc, std::string_view text, std::size_t max_bytes, int max_depth);

std::string pointer_append(std::string_view base, std::string_view key);
std::string pointer_append(std::string_view base, std::size_t index);

struct json_ctx {
  std::optional<error> err;
  [[nodiscard]] bool failed() const { return err.has_value(); }
  void fail(std::string code, std::string path, std::string message);
};

enum class presence { required, optional };

// Each reader: absent (or null) + optional -> returns false and leaves `out`;
// absent + required -> missing_field; wrong type -> invalid_type; out of
// range, a fraction, too long -> invalid_value. Returns true when read.
bool read_string(json_ctx& c, const object_view& obj, std::string_view base, std::string_view key, presence p,
                 std::string& out, std::size_t max_len = 4096);
// The same without a copy: `out` views the text, or `storage` when the
// string has escapes to decode.
bool read_string_view(json_ctx& c, const object_view& obj, std::string_view base, std::string_view key, presence p,
                      std::string_view& out, std::string& storage, std::size_t max_len = 4096);
bool read_int(json_ctx& c, const object_view& obj, std::string_view base, std::string_view key, presence p,
              std::int64_t min, std::int64_t max, std::int64_t& out);
bool read_bool(json_ctx& c, const object_view& obj, std::string_view base, std::string_view key, presence p, bool& out);
// Members that are objects or arrays: nullptr when absent or of another type.
const value_view* read_object(json_ctx& c, const object_view& obj, std::string_view base, std::string_view key,
                              presence p);
const value_view* read_array(json_ctx& c, const object_view& obj, std::string_view base, std::string_view key,
                             presence p);
// A decimal from 0 to 1 with at most three places, as thousandths.
bool read_permille(json_ctx& c, const object_view& obj, std::string_view base, std::string_view key, int& out);
// `[min, max]` of whole days with 0 <= min <= max <= max_days.
bool read_day_range(json_ctx& c, const object_view& obj, std::string_view base, std::string_view key, presence p,
                    int max_days, std::array<int, 2>& out);
// Checks that `v` (at `path`) is an object; records invalid_type otherwise.
bool expect_object(json_ctx& c, const value_view& v, std::string_view path);

// Largest integer that JavaScript numbers carry exactly (2^53 - 1).
inline constexpr std::int64_t max_safe_integer = 9007199254740991;

}  // namespace ordertrail::detail
