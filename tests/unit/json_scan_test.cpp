// The core's JSON scanner against nlohmann_json as an independent oracle:
// same verdict on mutated documents, same decoded strings.
#include <doctest/doctest.h>
#include <rapidcheck.h>

#include <nlohmann/json.hpp>

#include "json_in.hpp"
#include "json_scan.hpp"
#include "ordertrail/json_writer.hpp"
#include "test_orders.hpp"

using nlohmann::json;
using namespace ordertrail::detail;

namespace {
// nlohmann's verdict with its reason ("" when the text is accepted).
struct oracle_sax : nlohmann::json_sax<json> {
  std::string reason;
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& ex) override {
    reason = ex.what();
    return false;
  }
};
std::string oracle_rejects(const std::string& s) {
  oracle_sax sax;
  json::sax_parse(s, &sax);
  return sax.reason;
}
}  // namespace

TEST_CASE("the scanner accepts exactly the JSON texts nlohmann accepts (mutated orders)") {
  const std::string base = test_orders::paid_order().dump();
  CHECK(rc::check("same verdict", [&] {
    std::string s = base;
    const int edits = *rc::gen::inRange(1, 4);
    for (int k = 0; k < edits; ++k) {
      const auto pos = *rc::gen::inRange<std::size_t>(0, s.size());
      switch (*rc::gen::inRange(0, 4)) {
        case 0:
          s.erase(pos, 1);
          break;
        case 1:
          s.insert(pos, 1, *rc::gen::elementOf(std::string("{}[]\",:\\ -.0eE9tfnu\x01\x7f\xc3\xa9\xed\xa0\x80\xff")));
          break;
        case 2:
          s[pos] = static_cast<char>(*rc::gen::inRange(0, 256));
          break;
        default:
          s.resize(pos);
          break;
      }
    }
    const auto ours = validate_json(s, 64);
    const std::string theirs = oracle_rejects(s);
    RC_LOG() << json(s).dump(-1, ' ', true, json::error_handler_t::replace)
             << "\nours: " << (ours ? ours->message : "accepted") << "\ntheirs: " << theirs << "\n";
    if (ours && ours->code == "duplicate_key") {
      RC_ASSERT(theirs.empty());  // nlohmann keeps the last duplicate
    } else if (!ours && !theirs.empty()) {
      // Grammatically valid numbers beyond a double (1E500) are refused by
      // nlohmann; the core accepts the text and refuses the value itself.
      RC_ASSERT(theirs.find("number overflow") != std::string::npos);
    } else {
      RC_ASSERT(ours.has_value() == !theirs.empty());
    }
  }));
}

namespace {

std::string utf8_of(const std::vector<std::uint32_t>& cps) {
  std::string text;
  for (const auto cp : cps) {
    if (cp < 0x80)
      text += static_cast<char>(cp);
    else if (cp < 0x800)
      text += {static_cast<char>(0xC0 | (cp >> 6)), static_cast<char>(0x80 | (cp & 0x3F))};
    else if (cp < 0x10000)
      text += {static_cast<char>(0xE0 | (cp >> 12)), static_cast<char>(0x80 | ((cp >> 6) & 0x3F)),
               static_cast<char>(0x80 | (cp & 0x3F))};
    else
      text += {static_cast<char>(0xF0 | (cp >> 18)), static_cast<char>(0x80 | ((cp >> 12) & 0x3F)),
               static_cast<char>(0x80 | ((cp >> 6) & 0x3F)), static_cast<char>(0x80 | (cp & 0x3F))};
  }
  return text;
}

// Any scalar value, often one near the characters the writer escapes.
rc::Gen<std::vector<std::uint32_t>> code_points() {
  return rc::gen::container<std::vector<std::uint32_t>>(
      rc::gen::oneOf(rc::gen::inRange<std::uint32_t>(0, 0x80), rc::gen::inRange<std::uint32_t>(0x80, 0xD800),
                     rc::gen::inRange<std::uint32_t>(0xE000, 0x110000), rc::gen::inRange<std::uint32_t>(0x7E, 0xA2),
                     rc::gen::inRange<std::uint32_t>(0x2026, 0x2030), rc::gen::inRange<std::uint32_t>(0x2064, 0x206B)));
}

}  // namespace

TEST_CASE("decoded strings equal nlohmann's, escaped or not") {
  CHECK(rc::check("string round trip", [] {
    const std::string text = utf8_of(*code_points());
    for (const bool ascii : {false, true}) {
      const std::string doc = json{{"k", text}}.dump(-1, ' ', ascii);
      document scanned;
      RC_ASSERT(!scan_json(doc, 8, scanned).has_value());
      const object_view o{scanned.root()};
      RC_ASSERT(o.find("k")->string() == text);
    }
  }));
}

TEST_CASE("the writer's strings decode to the text, with no control or bidi character left raw") {
  // Raw in the output, any of these could recolour a terminal (C0, DEL, C1:
  // U+009B is CSI) or reorder what a reader sees (bidi controls).
  const auto raw_danger = [](std::uint32_t cp) {
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
  };
  CHECK(rc::check("writer round trip", [&] {
    const auto cps = *code_points();
    const std::string text = utf8_of(cps);
    std::string out;
    ordertrail::append_json_string(out, text);
    RC_ASSERT(json::parse(out).get<std::string>() == text);
    const std::u32string decoded = [&] {
      std::u32string r;
      for (std::size_t i = 0; i < out.size();) {  // out is UTF-8: decode it by hand
        const auto c = static_cast<unsigned char>(out[i]);
        const int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        std::uint32_t cp = n == 1 ? c : c & (0x7F >> n);
        for (int k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(out[i + k]) & 0x3F);
        r += static_cast<char32_t>(cp);
        i += n;
      }
      return r;
    }();
    for (const char32_t cp : decoded) RC_ASSERT(!raw_danger(cp));
  }));
  std::string out;
  ordertrail::append_json_string(out, "a\u009b31m\u202eb\u2066\u00a0\u2030");
  CHECK(out == R"("a\u009b31m\u202eb\u2066 ‰")");
}

TEST_CASE("keys are compared decoded: an escaped key is found, and a key written twice is a duplicate") {
  document scanned;
  REQUIRE_FALSE(scan_json(R"({"\u006bey": 1, "k\u00e9": {"x": [true]}})", 8, scanned).has_value());
  const object_view o{scanned.root()};
  REQUIRE(o.find("key") != nullptr);
  CHECK(o.find("key")->integer() == 1);
  REQUIRE(o.find("k\u00e9") != nullptr);
  CHECK(object_view(*o.find("k\u00e9")).find("x")->elements()[0].boolean());
  CHECK(o.find("\\u006bey") == nullptr);
  const auto dup = validate_json(R"({"a": 1, "\u0061": 2})", 8);
  REQUIRE(dup.has_value());
  CHECK(dup->code == "duplicate_key");
}

TEST_CASE("integers: exact within int64, refused beyond") {
  const auto integer = [](std::string_view text) {
    document scanned;
    REQUIRE_FALSE(scan_json(text, 8, scanned).has_value());
    return scanned.root().integer();
  };
  CHECK(integer("9223372036854775807") == INT64_MAX);
  CHECK(integer("-9223372036854775808") == INT64_MIN);
  CHECK_FALSE(integer("9223372036854775808").has_value());
  CHECK_FALSE(integer("18446744073709551616").has_value());
  CHECK_FALSE(integer("1.0").has_value());
  CHECK_FALSE(integer("1e3").has_value());
}

TEST_CASE("a huge object is checked for duplicate keys without quadratic time") {
  std::string doc = "{";
  for (int i = 0; i < 100000; ++i) doc += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":0";
  doc += ",\"k77\":1}";
  const auto e = validate_json(doc, 8);
  REQUIRE(e.has_value());
  CHECK(e->code == "duplicate_key");
  CHECK(e->path == "/k77");
}
