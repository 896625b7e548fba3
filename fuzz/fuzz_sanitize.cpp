// libFuzzer target: the CLI's sanitize() (native-cli/src/sanitize.cpp, compiled
// in as is), which every human view passes untrusted text through.
//
// The output must be valid UTF-8 and hold no ESC, no other C0 control (line
// breaks and tabs become spaces), no DEL, no C1 control, no bidi embedding,
// override or isolate; sanitizing twice changes nothing more; printable ASCII
// passes through unchanged.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "sanitize.hpp"

namespace {

// Decodes valid UTF-8 (checked before).
char32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return s[i++];
  const std::size_t n = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
  char32_t cp = c & (n == 3 ? 0x07u : n == 2 ? 0x0Fu : 0x1Fu);
  for (std::size_t k = 1; k <= n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
  i += n + 1;
  return cp;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const std::string out = ordertrail::cli::sanitize(in);
  ORDERTRAIL_FUZZ_CHECK(ordertrail::fuzz::valid_utf8(out), out);
  for (std::size_t i = 0; i < out.size();) {
    const char32_t cp = next_code_point(out, i);
    const bool control = cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
                         (cp >= 0x2066 && cp <= 0x2069);
    ORDERTRAIL_FUZZ_CHECK(!control, out);
  }
  ORDERTRAIL_FUZZ_CHECK(ordertrail::cli::sanitize(out) == out, out);
  bool printable = true;
  for (const char ch : in) printable = printable && ch >= 0x20 && ch < 0x7F;
  if (printable) ORDERTRAIL_FUZZ_CHECK(out == in, out);
  return 0;
}
