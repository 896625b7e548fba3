// Unit tests of the CLI's own pieces: the sanitizer, the bounded line reader,
// and the presenters' number and time formats.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "io.hpp"
#include "present.hpp"
#include "sanitize.hpp"

using ordertrail::cli::sanitize;

TEST_CASE("sanitize keeps printable text, ASCII and UTF-8") {
  CHECK(sanitize("Ceramic mug, 12 oz") == "Ceramic mug, 12 oz");
  CHECK(sanitize("Kemeja batik \xC3\xBC \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x8E\x81") ==
        "Kemeja batik \xC3\xBC \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x8E\x81");
  CHECK(sanitize("") == "");
}

TEST_CASE("sanitize removes whole escape sequences, not just ESC") {
  CHECK(sanitize("\x1b[31mred\x1b[0m") == "red");
  CHECK(sanitize("a\x1b[2J\x1b[1;1Hb") == "ab");  // clear screen, move cursor
  CHECK(sanitize("\x1b[?25lhidden cursor") == "hidden cursor");
  CHECK(sanitize("\x1b]0;new title\x07x") == "x");                           // OSC ended by BEL
  CHECK(sanitize("\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\") == "link");  // OSC 8 hyperlink, ST
  CHECK(sanitize("\x1bP1$r\x1b\\ok") == "ok");                               // DCS
  CHECK(sanitize("\x1b(Bx") == "x");                                         // ESC + intermediate + final
  CHECK(sanitize("\x1b"
                 "7saved\x1b"
                 "8") == "saved");             // two-byte sequences
  CHECK(sanitize("end\x1b") == "end");         // ESC at the very end
  CHECK(sanitize("\x1b[31") == "");            // unterminated CSI
  CHECK(sanitize("\x1b]0;never ends") == "");  // unterminated OSC eats the rest
}

TEST_CASE("sanitize removes C1 controls and their 8-bit sequences") {
  CHECK(sanitize("a\xC2\x9B"
                 "31mb") == "ab");  // U+009B CSI
  CHECK(sanitize("a\xC2\x9D"
                 "0;t\xC2\x9C"
                 "b") == "ab");  // U+009D OSC ... U+009C ST
  CHECK(sanitize("a\xC2\x85"
                 "b") == "ab");  // U+0085 NEL
  CHECK(sanitize("a\xC2\xA0"
                 "b") ==
        "a\xC2\xA0"
        "b");  // U+00A0 is not a control
}

TEST_CASE("sanitize drops other controls and turns line breaks into spaces") {
  CHECK(sanitize(std::string("a\0b", 3)) == "ab");
  CHECK(sanitize("bell\x07 del\x7f back\x08space") == "bell del backspace");
  CHECK(sanitize("two\nlines\r\nand\ttab") == "two lines  and tab");
  CHECK(sanitize("para\xE2\x80\xA8graph") == "para graph");  // U+2028
}

TEST_CASE("sanitize removes bidirectional overrides") {
  CHECK(sanitize("Desk lamp \xE2\x80\xAESALE\xE2\x80\xAC") == "Desk lamp SALE");  // U+202E ... U+202C
  CHECK(sanitize("\xE2\x81\xA6x\xE2\x81\xA9") == "x");                            // U+2066 ... U+2069
}

TEST_CASE("sanitize replaces bytes that are not UTF-8") {
  const std::string fffd = "\xEF\xBF\xBD";
  CHECK(sanitize("a\xFF"
                 "b") == "a" + fffd + "b");
  CHECK(sanitize("\xC0\xAF") == fffd + fffd);               // overlong '/'
  CHECK(sanitize("\xED\xA0\x80") == fffd + fffd + fffd);    // a surrogate
  CHECK(sanitize("cut \xE6\x97") == "cut " + fffd + fffd);  // truncated at the end
  CHECK(sanitize("\x9B"
                 "31m") == fffd + "31m");  // a raw C1 byte is not UTF-8: replaced, harmless
}

namespace {

// Lines read from `input` through a pipe, with a small buffer and max line.
std::vector<std::string> read_lines(const std::string& input, std::size_t max_line, std::size_t chunk) {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  std::thread writer([&] {
    std::size_t off = 0;
    while (off < input.size()) {
      const auto n = ::write(fds[1], input.data() + off, std::min<std::size_t>(3, input.size() - off));
      if (n <= 0) break;
      off += static_cast<std::size_t>(n);
    }
    ::close(fds[1]);
  });
  std::vector<std::string> out;
  ordertrail::cli::line_reader reader(fds[0], max_line, chunk);
  for (;;) {
    std::string_view line;
    std::uint64_t length = 0;
    const auto st = reader.next(line, length);
    if (st == ordertrail::cli::line_reader::status::eof) break;
    REQUIRE(st != ordertrail::cli::line_reader::status::error);
    if (st == ordertrail::cli::line_reader::status::oversize)
      out.push_back("<oversize " + std::to_string(length) + ">");
    else
      out.emplace_back(line);
  }
  CHECK(reader.bytes_consumed() == input.size());
  writer.join();
  ::close(fds[0]);
  return out;
}

}  // namespace

TEST_CASE("line_reader splits lines, keeps empty ones and a last line without newline") {
  using v = std::vector<std::string>;
  CHECK(read_lines("a\nbb\n\nccc", 16, 4) == v{"a", "bb", "", "ccc"});
  CHECK(read_lines("one\r\ntwo\n", 16, 4) == v{"one", "two"});      // "\r\n" ends a line
  CHECK(read_lines("a\r\r\nb\rc\r", 16, 4) == v{"a\r", "b\rc\r"});  // other CRs stay
  CHECK(read_lines("", 16, 4).empty());
  CHECK(read_lines("\n", 16, 4) == v{""});
}

TEST_CASE("line_reader skips a line longer than the limit without keeping it") {
  using v = std::vector<std::string>;
  const std::string big(100, 'x');
  CHECK(read_lines("short\n" + big + "\nend\n", 8, 4) == v{"short", "<oversize 100>", "end"});
  CHECK(read_lines(big, 8, 4) == v{"<oversize 100>"});
  CHECK(read_lines("12345678\n123456789\n", 8, 4) == v{"12345678", "<oversize 9>"});
  // The CR of "\r\n" is not part of the line: 8 bytes + CRLF is kept, at the
  // limit of 8, at every read chunk (the CR may end one read, the LF start the next).
  for (const std::size_t chunk : {1, 2, 3, 4, 9, 64}) {
    CHECK(read_lines("12345678\r\n123456789\r\n", 8, chunk) == v{"12345678", "<oversize 9>"});
    CHECK(read_lines("12345678\r", 8, chunk) == v{"<oversize 9>"});  // no LF: the CR is content
    CHECK(read_lines(big + "\r\nx", 8, chunk) == v{"<oversize 100>", "x"});
  }
}

TEST_CASE("money is shown in major units of the currency, grouped in thousands") {
  using ordertrail::cli::money_text;
  CHECK(money_text(2598, "USD") == "25.98 USD");
  CHECK(money_text(5, "USD") == "0.05 USD");
  CHECK(money_text(0, "GBP") == "0.00 GBP");
  CHECK(money_text(1500, "JPY") == "1,500 JPY");
  CHECK(money_text(999, "JPY") == "999 JPY");
  CHECK(money_text(-123456789, "USD") == "-1,234,567.89 USD");
  CHECK(money_text(100000, "USD") == "1,000.00 USD");
  CHECK(money_text(1234, "KWD") == "1.234 KWD");
  CHECK(money_text(15000000, "IDR") == "150,000.00 IDR");
  // The code is shown as text: a control character in it cannot reach the terminal.
  CHECK(money_text(100, "U\x1bD").find('\x1b') == std::string::npos);
}

TEST_CASE("durations keep two units and round down") {
  using ordertrail::cli::duration_text;
  using std::chrono::seconds;
  CHECK(duration_text(seconds{0}) == "less than a minute");
  CHECK(duration_text(seconds{59}) == "less than a minute");
  CHECK(duration_text(seconds{60}) == "1m");
  CHECK(duration_text(seconds{3 * 3600 + 5 * 60 + 59}) == "3h 5m");
  CHECK(duration_text(seconds{2 * 86400 + 30 * 60}) == "2d");
  CHECK(duration_text(seconds{7 * 86400 + 20 * 3600 + 59 * 60}) == "7d 20h");
  CHECK(duration_text(seconds{-90}) == "1m");
}

TEST_CASE("instants are shown in the market's local time, date deadlines as end of day") {
  using namespace ordertrail;
  auto us = builtin_policy("US");
  REQUIRE(us.ok());
  const auto& cal = us->cal;
  auto at = [](const char* s) { return *parse_instant(s); };
  CHECK(cli::local_datetime(cal, at("2025-03-05T18:00:00Z")) == "Wed 2025-03-05 10:00 -08:00");
  CHECK(cli::local_datetime(cal, at("2025-03-20T09:00:30Z")) == "Thu 2025-03-20 02:00:30 -07:00");
  CHECK(cli::local_when(cal, at("2025-03-13T07:00:00Z")) == "end of Wed 2025-03-12");  // PDT midnight
  CHECK(cli::local_when(cal, at("2025-03-09T08:00:00Z")) == "end of Sat 2025-03-08");  // PST midnight, DST day
  CHECK(cli::local_when(cal, at("2025-03-13T08:00:00Z")) == "Thu 2025-03-13 01:00 -07:00");
  CHECK(cli::offset_text(std::chrono::seconds{5 * 3600 + 45 * 60}) == "+05:45");
  CHECK(cli::relative_text(at("2025-03-05T18:00:00Z"), at("2025-03-04T12:00:00Z")) == "in 1d 6h");
  CHECK(cli::relative_text(at("2025-03-04T12:00:00Z"), at("2025-03-05T18:00:00Z")) == "1d 6h ago");
}
