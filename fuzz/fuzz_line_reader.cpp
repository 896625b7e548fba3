// libFuzzer target: the sweep's bounded line reader (native-cli/src/io.cpp,
// compiled in as is). The first two bytes choose the line limit and the read
// chunk (1..256 each, so that lines cross chunk boundaries and exceed the
// limit all the time); the rest is the stream, read back from a memfd.
//
// Oracle: splitting the stream at '\n' by hand, a '\r' before it belonging
// to the line end. Every line comes back, in order, with its exact bytes, or
// as `oversize` with its exact length when it is longer than the limit; a
// last line without '\n' is still a line; the bytes consumed add up to the
// stream's size. Nothing is lost.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::size_t max_line = 1 + data[0];
  const std::size_t chunk = 1 + data[1];
  const std::string_view stream(reinterpret_cast<const char*>(data + 2), size - 2);

  const int fd = memfd_create("stream", MFD_CLOEXEC);
  ORDERTRAIL_FUZZ_CHECK(fd >= 0, "memfd_create");
  for (std::size_t off = 0; off < stream.size();) {
    const ssize_t n = ::write(fd, stream.data() + off, stream.size() - off);
    ORDERTRAIL_FUZZ_CHECK(n > 0, "write");
    off += static_cast<std::size_t>(n);
  }
  ::lseek(fd, 0, SEEK_SET);

  // The expected lines.
  std::vector<std::string_view> want;
  for (std::size_t start = 0; start < stream.size();) {
    const auto nl = stream.find('\n', start);
    if (nl == std::string_view::npos) {
      want.push_back(stream.substr(start));
      break;
    }
    const std::size_t stop = nl > start && stream[nl - 1] == '\r' ? nl - 1 : nl;  // "\r\n" ends a line too
    want.push_back(stream.substr(start, stop - start));
    start = nl + 1;
  }

  std::size_t got = 0;
  {
    ordertrail::cli::line_reader reader(fd, max_line, chunk);
    for (;;) {
      std::string_view line;
      std::uint64_t length = 0;
      const auto st = reader.next(line, length);
      if (st == ordertrail::cli::line_reader::status::eof) break;
      ORDERTRAIL_FUZZ_CHECK(st != ordertrail::cli::line_reader::status::error, "read error");
      ORDERTRAIL_FUZZ_CHECK(got < want.size(), "more lines than the stream holds");
      const auto& w = want[got];
      if (w.size() > max_line) {
        ORDERTRAIL_FUZZ_CHECK(st == ordertrail::cli::line_reader::status::oversize, "a long line was kept");
        ORDERTRAIL_FUZZ_CHECK(length == w.size(), "wrong length of an oversize line");
      } else {
        ORDERTRAIL_FUZZ_CHECK(st == ordertrail::cli::line_reader::status::line, "a short line was called oversize");
        ORDERTRAIL_FUZZ_CHECK(line == w, "a line's bytes changed");
        ORDERTRAIL_FUZZ_CHECK(length == w.size(), "wrong length");
      }
      ++got;
    }
    ORDERTRAIL_FUZZ_CHECK(got == want.size(), "a line was lost");
    ORDERTRAIL_FUZZ_CHECK(reader.bytes_consumed() == stream.size(), "bytes consumed do not add up");
  }
  ::close(fd);
  return 0;
}
