// ordertrail/error.hpp — errors as values.
//
// Every public function that can fail returns `result<T>`: either a value or an
// `error` with a stable machine code, a JSON pointer (RFC 6901) to the offending
// value in the input document ("" for the whole document), and a sentence for
// people. Nothing in the core throws across its public boundary.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace ordertrail {

struct error {
  std::string code;     // e.g. "missing_field", "invalid_instant", "invalid_json"
  std::string path;     // JSON pointer, e.g. "/events/3/at"
  std::string message;  // one sentence, English
  friend bool operator==(const error&, const error&) = default;
};

// A minimal expected-like type (C++20 has no std::expected).
template <class T>
class result {
 public:
  result(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  result(error err) : v_(std::move(err)) {}  // NOLINT(google-explicit-constructor)
  // A default-constructed value made in place (filled by the caller, no move).
  explicit result(std::in_place_t) : v_(std::in_place_index<0>) {}

  [[nodiscard]] bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const error& err() const& { return std::get<1>(v_); }

 private:
  std::variant<T, error> v_;
};

// The longest prefix of UTF-8 text `s` of at most `max_bytes` that does not
// split a character: for quoting untrusted input inside error messages.
std::string_view utf8_prefix(std::string_view s, std::size_t max_bytes);

// Serialises an error as one `ordertrail.error/1` JSON object (compact).
std::string to_json(const error& e);

}  // namespace ordertrail
