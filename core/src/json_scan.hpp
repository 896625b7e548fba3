// Internal: JSON without a DOM, for the order document (the hot path).
//
// One pass, `scan_json`, checks the whole text (RFC 8259 syntax, strict
// UTF-8, nesting depth, duplicate keys) and records, for every object and
// array, its members or elements as `value_view`s: raw slices of the text,
// kept in a `document`. Readers then look fields up in an object's member
// table and decode only the values they use. Nothing throws, nothing is
// re-scanned, and allocation is per document, not per value.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ordertrail/error.hpp"

namespace ordertrail::detail {

enum class json_kind : std::uint8_t { null, boolean, number, string, array, object };
std::string_view kind_name(json_kind k);  // "a string", "null", ...

class document;
struct member;

// A JSON value inside a scanned text (valid while its document lives).
class value_view {
 public:
  value_view() = default;
  [[nodiscard]] json_kind kind() const { return kind_; }
  [[nodiscard]] std::string_view raw() const;

  // Strings: the decoded text.
  [[nodiscard]] std::string string() const;
  [[nodiscard]] bool boolean() const { return raw()[0] == 't'; }

  // Numbers: an integer that fits in int64, or nullopt (fraction, exponent,
  // or out of range).
  [[nodiscard]] std::optional<std::int64_t> integer() const;

  // Arrays: the elements; objects: the members in document order (keys are
  // unique). Empty for other kinds.
  [[nodiscard]] std::span<const value_view> elements() const;
  [[nodiscard]] std::span<const member> members() const;

 private:
  friend class document;
  friend class scanner;
  const document* doc_ = nullptr;
  std::uint32_t start_ = 0, size_ = 0;   // the raw slice of the text
  std::uint32_t first_ = 0, count_ = 0;  // containers: their children in the document's tables
  json_kind kind_ = json_kind::null;
};

struct member {
  std::string_view key;  // decoded
  value_view value;
};

// A scanned text: owns the tables the views point into (not the text).
class document {
 public:
  [[nodiscard]] const value_view& root() const { return root_; }

 private:
  friend class value_view;
  friend class scanner;
  std::string_view text_;
  value_view root_;
  std::vector<value_view> elements_;
  std::vector<member> members_;
  std::vector<std::unique_ptr<std::string>> decoded_keys_;  // keys with escapes (stable addresses)
};

// Scans `text` (which must outlive `doc`) into `doc`: the first
// document-level error (invalid_json, too_deep, duplicate_key; too_large
// beyond 4 GiB, which views cannot address), or nullopt.
std::optional<error> scan_json(std::string_view text, int max_depth, document& doc);
// The same verdict, for a text that is only checked.
std::optional<error> validate_json(std::string_view text, int max_depth);

// An object's members, looked up by key.
class object_view {
 public:
  explicit object_view(const value_view& object) : members_(object.members()) {}
  [[nodiscard]] const value_view* find(std::string_view key) const;
  [[nodiscard]] std::span<const member> members() const { return members_; }

 private:
  std::span<const member> members_;
};

}  // namespace ordertrail::detail
