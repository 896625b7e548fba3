#include "ordertrail/money.hpp"

#include <array>

namespace ordertrail {

int currency_exponent(std::string_view c) {
  static constexpr std::array<std::string_view, 17> zero{"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG",
                                                         "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"};
  static constexpr std::array<std::string_view, 7> three{"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"};
  for (const auto z : zero)
    if (z == c) return 0;
  for (const auto t : three)
    if (t == c) return 3;
  if (c == "CLF" || c == "UYW") return 4;
  return 2;
}

std::string money_text(std::int64_t minor, std::string_view currency) {
  const auto exp = static_cast<std::size_t>(currency_exponent(currency));
  const bool negative = minor < 0;
  const std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(minor) : static_cast<std::uint64_t>(minor);
  std::string digits = std::to_string(magnitude);
  if (digits.size() <= exp) digits.insert(0, exp + 1 - digits.size(), '0');
  const std::string whole = digits.substr(0, digits.size() - exp);
  std::string out = negative ? "-" : "";
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) out += ',';
    out += whole[i];
  }
  if (exp > 0) out += "." + digits.substr(digits.size() - exp);
  out += ' ';
  out += currency;
  return out;
}

}  // namespace ordertrail
