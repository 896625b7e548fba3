// Internal: strict JSON input with errors as values.
//
// `parse_document` wraps nlohmann's SAX DOM builder so that nothing throws (the
// same code runs in WebAssembly with exceptions off), duplicate keys and deep
// nesting are refused, and every error carries a JSON pointer. The typed
// readers below record the first error in a `json_ctx` and name its path.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ordertrail/error.hpp"

namespace ordertrail::detail {

using json = nlohmann::json;

// Parses `text` (at most max_bytes, at most max_depth levels).
result<json> parse_document(std::string_view text, std::size_t max_bytes, int max_depth);

std::string pointer_append(std::string_view base, std::string_view key);
std::string pointer_append(std::string_view base, std::size_t index);
std::string_view json_type_name(const json& j);

struct json_ctx {
  std::optional<error> err;
  [[nodiscard]] bool failed() const { return err.has_value(); }
  void fail(std::string code, std::string path, std::string message);
};

enum class presence { required, optional };

// Each reader: absent + optional -> returns false and leaves `out`; absent +
// required -> missing_field; wrong type -> invalid_type; out of range ->
// invalid_value. Returns true when a value was read.
bool read_string(json_ctx& c, const json& obj, std::string_view base, std::string_view key, presence p,
                 std::string& out, std::size_t max_len = 4096);
bool read_int(json_ctx& c, const json& obj, std::string_view base, std::string_view key, presence p,
              std::int64_t min, std::int64_t max, std::int64_t& out);
bool read_bool(json_ctx& c, const json& obj, std::string_view base, std::string_view key, presence p, bool& out);
// Object/array members: null when absent (and optional) or wrong type (error).
const json* read_object(json_ctx& c, const json& obj, std::string_view base, std::string_view key, presence p);
const json* read_array(json_ctx& c, const json& obj, std::string_view base, std::string_view key, presence p);
// Checks that `j` (at `path`) is an object; records invalid_type otherwise.
bool expect_object(json_ctx& c, const json& j, std::string_view path);

// Largest integer that JavaScript numbers carry exactly (2^53 - 1).
inline constexpr std::int64_t max_safe_integer = 9007199254740991;

}  // namespace ordertrail::detail
