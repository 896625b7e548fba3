// Internal: JSON without a DOM, for the order document (the hot path).
//
// Phase 1, `validate_json`, scans the whole text once: RFC 8259 syntax,
// strict UTF-8, nesting depth, duplicate keys. Phase 2 reads the validated
// text through `value_view`s: an object view lists its members' keys and raw
// value slices, so a reader looks fields up in a small table and decodes only
// the values it uses. Nothing allocates per byte and nothing throws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ordertrail/error.hpp"

namespace ordertrail::detail {

// The first document-level error (invalid_json, too_deep, duplicate_key), or
// nullopt for a valid JSON text.
std::optional<error> validate_json(std::string_view text, int max_depth);

enum class json_kind { null, boolean, number, string, array, object };
std::string_view kind_name(json_kind k);  // "a string", "null", ...

// A JSON value inside a validated text.
class value_view {
 public:
  value_view() = default;
  explicit value_view(std::string_view raw);
  [[nodiscard]] json_kind kind() const { return kind_; }
  [[nodiscard]] std::string_view raw() const { return raw_; }

  // Strings: the decoded text.
  [[nodiscard]] std::string string() const;
  [[nodiscard]] bool boolean() const { return raw_[0] == 't'; }

  // Numbers: an integer that fits in int64, or nullopt (fraction, exponent,
  // or out of range).
  [[nodiscard]] std::optional<std::int64_t> integer() const;

  // Arrays: the elements.
  [[nodiscard]] std::vector<value_view> elements() const;

 private:
  std::string_view raw_;
  json_kind kind_ = json_kind::null;
};

struct member {
  std::string key;  // decoded
  value_view value;
};

// An object's members, in document order (keys are unique: validated).
class object_view {
 public:
  explicit object_view(value_view object);
  [[nodiscard]] const value_view* find(std::string_view key) const;
  [[nodiscard]] const std::vector<member>& members() const { return members_; }

 private:
  std::vector<member> members_;
};

}  // namespace ordertrail::detail
