#include "json_in.hpp"

#include <algorithm>
#include <vector>

namespace ordertrail::detail {
namespace {

// Forwards SAX events to nlohmann's DOM builder, keeping a path so that every
// refusal names where it happened.
class strict_dom_builder {
 public:
  strict_dom_builder(json& root, int max_depth) : dom_(root, false), max_depth_(max_depth) {}

  bool null() { return value() && dom_.null(); }
  bool boolean(bool v) { return value() && dom_.boolean(v); }
  bool number_integer(json::number_integer_t v) { return value() && dom_.number_integer(v); }
  bool number_unsigned(json::number_unsigned_t v) { return value() && dom_.number_unsigned(v); }
  bool number_float(json::number_float_t v, const json::string_t& s) { return value() && dom_.number_float(v, s); }
  bool string(json::string_t& v) { return value() && dom_.string(v); }
  bool binary(json::binary_t& v) { return value() && dom_.binary(v); }

  bool start_object(std::size_t n) {
    if (!value() || !open()) return false;
    frames_.push_back({false, 0, {}, {}});
    return dom_.start_object(n);
  }
  bool key(json::string_t& k) {
    auto& f = frames_.back();
    for (const auto& seen : f.keys) {
      if (seen == k) {
        error_ = error{"duplicate_key", pointer_append(path(frames_.size() - 1), k),
                       "the key \"" + k + "\" appears twice in one object"};
        return false;
      }
    }
    f.keys.push_back(k);
    f.current_key = k;
    return dom_.key(k);
  }
  bool end_object() {
    frames_.pop_back();
    return dom_.end_object();
  }
  bool start_array(std::size_t n) {
    if (!value() || !open()) return false;
    frames_.push_back({true, 0, {}, {}});
    return dom_.start_array(n);
  }
  bool end_array() {
    frames_.pop_back();
    return dom_.end_array();
  }
  bool parse_error(std::size_t position, const std::string& /*last_token*/, const nlohmann::detail::exception& ex) {
    std::string what = ex.what();
    if (const auto close = what.find("] "); what.rfind("[json.exception", 0) == 0 && close != std::string::npos)
      what = what.substr(close + 2);
    error_ = error{"invalid_json", "", "invalid JSON at byte " + std::to_string(position) + ": " + what};
    return false;
  }

  std::optional<error> error_;

 private:
  struct frame {
    bool is_array;
    std::size_t index;
    std::vector<std::string> keys;
    std::string current_key;
  };

  // Called before each value: advances the enclosing array's index.
  bool value() {
    if (!frames_.empty() && frames_.back().is_array) ++frames_.back().index;
    return true;
  }
  bool open() {
    if (static_cast<int>(frames_.size()) >= max_depth_) {
      error_ = error{"too_deep", path(), "nesting deeper than " + std::to_string(max_depth_) + " levels"};
      return false;
    }
    return true;
  }
  // The JSON pointer of the value being read, through the first `depth` frames.
  [[nodiscard]] std::string path(std::size_t depth = std::string::npos) const {
    std::string p;
    for (std::size_t i = 0; i < std::min(depth, frames_.size()); ++i) {
      const auto& f = frames_[i];
      p = f.is_array ? pointer_append(p, f.index - 1) : pointer_append(p, f.current_key);
    }
    return p;
  }

  nlohmann::detail::json_sax_dom_parser<json> dom_;
  int max_depth_;
  std::vector<frame> frames_;
};

}  // namespace

result<json> parse_document(std::string_view text, std::size_t max_bytes, int max_depth) {
  if (text.size() > max_bytes) {
    return error{"too_large", "",
                 "document of " + std::to_string(text.size()) + " bytes exceeds the limit of " +
                     std::to_string(max_bytes) + " bytes"};
  }
  json root;
  strict_dom_builder b(root, max_depth);
  const bool ok = json::sax_parse(text.begin(), text.end(), &b, nlohmann::detail::input_format_t::json, true);
  if (b.error_) return *b.error_;
  if (!ok) return error{"invalid_json", "", "invalid JSON"};
  return root;
}

std::string pointer_append(std::string_view base, std::string_view key) {
  std::string p(base);
  p += '/';
  for (const char ch : key) {
    if (ch == '~') p += "~0";
    else if (ch == '/') p += "~1";
    else p += ch;
  }
  return p;
}

std::string pointer_append(std::string_view base, std::size_t index) {
  return std::string(base) + '/' + std::to_string(index);
}

std::string_view json_type_name(const json& j) {
  switch (j.type()) {
    case json::value_t::null: return "null";
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    case json::value_t::string: return "a string";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::number_float: return "a number with a fraction or exponent";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return "an integer";
    default: return "binary";
  }
}

void json_ctx::fail(std::string code, std::string path, std::string message) {
  if (!err) err = error{std::move(code), std::move(path), std::move(message)};
}

namespace {

const json* find_member(json_ctx& c, const json& obj, std::string_view base, std::string_view key, presence p) {
  const auto it = obj.find(std::string(key));
  if (it == obj.end() || (p == presence::optional && it->is_null())) {
    if (p == presence::required)
      c.fail("missing_field", pointer_append(base, key), "required field \"" + std::string(key) + "\" is missing");
    return nullptr;
  }
  return &*it;
}

void type_error(json_ctx& c, std::string_view base, std::string_view key, const json& v, std::string_view wanted) {
  c.fail("invalid_type", pointer_append(base, key),
         "\"" + std::string(key) + "\" must be " + std::string(wanted) + ", not " + std::string(json_type_name(v)));
}

}  // namespace

bool read_string(json_ctx& c, const json& obj, std::string_view base, std::string_view key, presence p,
                 std::string& out, std::size_t max_len) {
  const json* v = find_member(c, obj, base, key, p);
  if (v == nullptr) return false;
  if (!v->is_string()) {
    type_error(c, base, key, *v, "a string");
    return false;
  }
  const auto& s = v->get_ref<const std::string&>();
  if (s.size() > max_len) {
    c.fail("invalid_value", pointer_append(base, key),
           "\"" + std::string(key) + "\" is longer than " + std::to_string(max_len) + " bytes");
    return false;
  }
  out = s;
  return true;
}

bool read_int(json_ctx& c, const json& obj, std::string_view base, std::string_view key, presence p,
              std::int64_t min, std::int64_t max, std::int64_t& out) {
  const json* v = find_member(c, obj, base, key, p);
  if (v == nullptr) return false;
  auto range_error = [&] {
    c.fail("invalid_value", pointer_append(base, key),
           "\"" + std::string(key) + "\" must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
  };
  if (v->is_number_unsigned()) {
    const auto u = v->get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(max)) {
      range_error();
      return false;
    }
    out = static_cast<std::int64_t>(u);
  } else if (v->is_number_integer()) {
    out = v->get<std::int64_t>();
  } else if (v->is_number_float()) {
    range_error();  // a fraction, an exponent, or beyond 64 bits
    return false;
  } else {
    type_error(c, base, key, *v, "an integer");
    return false;
  }
  if (out < min || out > max) {
    range_error();
    return false;
  }
  return true;
}

bool read_bool(json_ctx& c, const json& obj, std::string_view base, std::string_view key, presence p, bool& out) {
  const json* v = find_member(c, obj, base, key, p);
  if (v == nullptr) return false;
  if (!v->is_boolean()) {
    type_error(c, base, key, *v, "true or false");
    return false;
  }
  out = v->get<bool>();
  return true;
}

const json* read_object(json_ctx& c, const json& obj, std::string_view base, std::string_view key, presence p) {
  const json* v = find_member(c, obj, base, key, p);
  if (v == nullptr) return nullptr;
  if (!v->is_object()) {
    type_error(c, base, key, *v, "an object");
    return nullptr;
  }
  return v;
}

const json* read_array(json_ctx& c, const json& obj, std::string_view base, std::string_view key, presence p) {
  const json* v = find_member(c, obj, base, key, p);
  if (v == nullptr) return nullptr;
  if (!v->is_array()) {
    type_error(c, base, key, *v, "an array");
    return nullptr;
  }
  return v;
}

bool expect_object(json_ctx& c, const json& j, std::string_view path) {
  if (j.is_object()) return true;
  c.fail("invalid_type", std::string(path), "expected an object, not " + std::string(json_type_name(j)));
  return false;
}

}  // namespace ordertrail::detail
