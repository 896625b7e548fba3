#include <doctest/doctest.h>

#include "ordertrail/ordertrail.hpp"

using namespace ordertrail;

TEST_CASE("RFC 3339 instants parse to UTC seconds") {
  CHECK(format_instant(*parse_instant("2025-03-03T10:00:00-08:00")) == "2025-03-03T18:00:00Z");
  CHECK(format_instant(*parse_instant("2025-03-03t10:00:00.999z")) == "2025-03-03T10:00:00Z");
  CHECK(format_instant(*parse_instant("2024-02-29T23:59:59+14:00")) == "2024-02-29T09:59:59Z");
}

TEST_CASE("malformed instants are refused with the path") {
  for (const char* bad : {"2025-03-03T10:00:00", "2025-03-03 10:00:00Z", "2025-02-30T00:00:00Z", "2025-03-03T23:59:60Z",
                          "0000-01-01T00:00:00Z", "10000-01-01T00:00:00Z", "2025-03-03T10:00:00+14:01",
                          "2025-03-03T10:00:00-15:00", "2025-03-03T24:00:00Z", ""}) {
    CAPTURE(bad);
    auto r = parse_instant(bad, "/events/0/at");
    REQUIRE_FALSE(r.ok());
    CHECK(r.err().code == "invalid_instant");
    CHECK(r.err().path == "/events/0/at");
  }
}

TEST_CASE("quoted input in error messages is cut on a character boundary") {
  // 39 ASCII bytes then a 2-byte character straddling the 40-byte limit.
  const std::string text = std::string(39, 'x') + "\xC3\xA9";
  CHECK(utf8_prefix(text, 40) == std::string(39, 'x'));
  CHECK(utf8_prefix(text, 41) == text);
  CHECK(utf8_prefix("\xE2\x82\xAC", 2).empty());
  const auto e = parse_instant("2025-03-03T10:00:00Z " + std::string(30, 'n') + "\xC3\xB1\xC3\xB1");
  REQUIRE_FALSE(e.ok());
  CHECK(e.err().message.find("\xC3\"") == std::string::npos);  // no dangling lead byte
}
