#include "json_in.hpp"

namespace ordertrail::detail {

result<value_view> parse_document(document& doc, std::string_view text, std::size_t max_bytes, int max_depth) {
  if (text.size() > max_bytes) {
    return error{"too_large", "",
                 "document of " + std::to_string(text.size()) + " bytes exceeds the limit of " +
                     std::to_string(max_bytes) + " bytes"};
  }
  if (auto e = scan_json(text, max_depth, doc)) return *e;
  return doc.root();
}

std::string pointer_append(std::string_view base, std::string_view key) {
  std::string p(base);
  p += '/';
  for (const char ch : key) {
    if (ch == '~')
      p += "~0";
    else if (ch == '/')
      p += "~1";
    else
      p += ch;
  }
  return p;
}

std::string pointer_append(std::string_view base, std::size_t index) {
  return std::string(base) + '/' + std::to_string(index);
}

void json_ctx::fail(std::string code, std::string path, std::string message) {
  if (!err) err = error{std::move(code), std::move(path), std::move(message)};
}

namespace {

const value_view* find_member(json_ctx& c, const object_view& obj, std::string_view base, std::string_view key,
                              presence p) {
  const value_view* v = obj.find(key);
  if (v == nullptr || (p == presence::optional && v->kind() == json_kind::null)) {
    if (p == presence::required && v == nullptr)
      c.fail("missing_field", pointer_append(base, key), "required field \"" + std::string(key) + "\" is missing");
    return nullptr;
  }
  return v;
}

void type_error(json_ctx& c, std::string_view base, std::string_view key, const value_view& v,
                std::string_view wanted) {
  c.fail("invalid_type", pointer_append(base, key),
         "\"" + std::string(key) + "\" must be " + std::string(wanted) + ", not " + std::string(kind_name(v.kind())));
}

const value_view* member_of_kind(json_ctx& c, const object_view& obj, std::string_view base, std::string_view key,
                                 presence p, json_kind kind, std::string_view wanted) {
  const value_view* v = find_member(c, obj, base, key, p);
  if (v == nullptr) return nullptr;
  if (v->kind() != kind) {
    type_error(c, base, key, *v, wanted);
    return nullptr;
  }
  return v;
}

}  // namespace

bool read_string_view(json_ctx& c, const object_view& obj, std::string_view base, std::string_view key, presence p,
                      std::string_view& out, std::string& storage, std::size_t max_len) {
  const value_view* v = member_of_kind(c, obj, base, key, p, json_kind::string, "a string");
  if (v == nullptr) return false;
  const std::string_view raw = v->raw();
  std::string_view s = raw.substr(1, raw.size() - 2);
  if (s.find('\\') != std::string_view::npos) {  // escapes: decode
    storage = v->string();
    s = storage;
  }
  if (s.size() > max_len) {
    c.fail("invalid_value", pointer_append(base, key),
           "\"" + std::string(key) + "\" is longer than " + std::to_string(max_len) + " bytes");
    return false;
  }
  out = s;
  return true;
}

bool read_string(json_ctx& c, const object_view& obj, std::string_view base, std::string_view key, presence p,
                 std::string& out, std::size_t max_len) {
  std::string storage;
  std::string_view s;
  if (!read_string_view(c, obj, base, key, p, s, storage, max_len)) return false;
  if (storage.empty())
    out.assign(s);
  else
    out = std::move(storage);
  return true;
}

bool read_int(json_ctx& c, const object_view& obj, std::string_view base, std::string_view key, presence p,
              std::int64_t min, std::int64_t max, std::int64_t& out) {
  const value_view* v = member_of_kind(c, obj, base, key, p, json_kind::number, "an integer");
  if (v == nullptr) return false;
  const auto n = v->integer();  // nullopt: a fraction, an exponent, or beyond 64 bits
  if (!n || *n < min || *n > max) {
    c.fail(
        "invalid_value", pointer_append(base, key),
        "\"" + std::string(key) + "\" must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
    return false;
  }
  out = *n;
  return true;
}

bool read_bool(json_ctx& c, const object_view& obj, std::string_view base, std::string_view key, presence p,
               bool& out) {
  const value_view* v = member_of_kind(c, obj, base, key, p, json_kind::boolean, "true or false");
  if (v == nullptr) return false;
  out = v->boolean();
  return true;
}

const value_view* read_object(json_ctx& c, const object_view& obj, std::string_view base, std::string_view key,
                              presence p) {
  return member_of_kind(c, obj, base, key, p, json_kind::object, "an object");
}

const value_view* read_array(json_ctx& c, const object_view& obj, std::string_view base, std::string_view key,
                             presence p) {
  return member_of_kind(c, obj, base, key, p, json_kind::array, "an array");
}

bool read_permille(json_ctx& c, const object_view& obj, std::string_view base, std::string_view key, int& out) {
  const value_view* v =
      member_of_kind(c, obj, base, key, presence::required, json_kind::number, "a number from 0 to 1");
  if (v == nullptr) return false;
  // Exact decimal arithmetic on the text: digits x 10^exponent.
  const std::string_view raw = v->raw();
  std::string digits;
  int exponent = 0;
  std::size_t i = 0;
  const bool negative = raw[0] == '-';
  if (negative) ++i;
  for (; i < raw.size() && raw[i] != 'e' && raw[i] != 'E'; ++i) {
    if (raw[i] == '.') continue;
    digits += raw[i];
    if (raw.find('.') != std::string_view::npos && i > raw.find('.')) --exponent;
  }
  if (i < raw.size()) exponent += std::stoi(std::string(raw.substr(i + 1)).substr(0, 6));
  while (digits.size() > 1 && digits.front() == '0') digits.erase(0, 1);
  while (digits.size() > 1 && digits.back() == '0') {
    digits.pop_back();
    ++exponent;
  }
  const int scale = exponent + 3;  // thousandths
  bool ok = !negative || digits == "0";
  long long permille = 0;
  if (ok && digits != "0") {
    ok = scale >= 0 && digits.size() + static_cast<std::size_t>(scale) <= 4;
    if (ok) {
      permille = std::stoll(digits);
      for (int k = 0; k < scale; ++k) permille *= 10;
    }
  }
  if (!ok || permille > 1000) {
    c.fail("invalid_value", pointer_append(base, key),
           "\"" + std::string(key) + "\" must be from 0 to 1 with at most 3 decimals");
    return false;
  }
  out = static_cast<int>(permille);
  return true;
}

bool read_day_range(json_ctx& c, const object_view& obj, std::string_view base, std::string_view key, presence p,
                    int max_days, std::array<int, 2>& out) {
  const value_view* v = read_array(c, obj, base, key, p);
  if (v == nullptr) return false;
  const auto e = v->elements();
  for (std::size_t i = 0; i < e.size(); ++i)
    if (e[i].kind() != json_kind::number) {
      c.fail("invalid_type", pointer_append(pointer_append(base, key), i),
             "expected a number, not " + std::string(kind_name(e[i].kind())));
      return false;
    }
  std::optional<std::int64_t> a, b;
  if (e.size() == 2) {
    a = e[0].integer();
    b = e[1].integer();
  }
  if (!a || !b || *a < 0 || *b < *a || *b > max_days) {
    c.fail("invalid_value", pointer_append(base, key),
           "\"" + std::string(key) + "\" is [min, max] with 0 <= min <= max <= " + std::to_string(max_days));
    return false;
  }
  out = {static_cast<int>(*a), static_cast<int>(*b)};
  return true;
}

bool expect_object(json_ctx& c, const value_view& v, std::string_view path) {
  if (v.kind() == json_kind::object) return true;
  c.fail("invalid_type", std::string(path), "expected an object, not " + std::string(kind_name(v.kind())));
  return false;
}

}  // namespace ordertrail::detail
