#include <doctest/doctest.h>

#include "ordertrail/ordertrail.hpp"

using namespace ordertrail;

TEST_CASE("RFC 3339 instants parse to UTC seconds") {
  CHECK(format_instant(*parse_instant("2025-03-03T10:00:00-08:00")) == "2025-03-03T18:00:00Z");
  CHECK(format_instant(*parse_instant("2025-03-03t10:00:00.999z")) == "2025-03-03T10:00:00Z");
  CHECK(format_instant(*parse_instant("2024-02-29T23:59:59+14:00")) == "2024-02-29T09:59:59Z");
}

TEST_CASE("malformed instants are refused with the path") {
  for (const char* bad : {"2025-03-03T10:00:00", "2025-03-03 10:00:00Z", "2025-02-30T00:00:00Z",
                          "2025-03-03T23:59:60Z", "0000-01-01T00:00:00Z", "10000-01-01T00:00:00Z",
                          "2025-03-03T10:00:00+14:01", "2025-03-03T10:00:00-15:00", "2025-03-03T24:00:00Z", ""}) {
    CAPTURE(bad);
    auto r = parse_instant(bad, "/events/0/at");
    REQUIRE_FALSE(r.ok());
    CHECK(r.err().code == "invalid_instant");
    CHECK(r.err().path == "/events/0/at");
  }
}
