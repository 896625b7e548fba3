// ordertrail/money.hpp: amounts as people read them. Every text of the core
// and of the faces that names an amount uses this, so no text says "minor
// units" and the CLI, the explanations and the refusals agree.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ordertrail {
// The ISO 4217 exponent of a currency (digits after the decimal point):
// 0 for JPY, KRW, VND, ...; 3 for BHD, KWD, ...; 4 for CLF, UYW; else 2.
int currency_exponent(std::string_view currency);

// An amount in minor units as decimal money with its code, grouped in
// thousands: (4998, "USD") -> "49.98 USD", (15000000, "IDR") ->
// "150,000.00 IDR", (-150, "JPY") -> "-150 JPY". Exact: integers only. The
// code is written as given (a caller showing untrusted text sanitises it).
std::string money_text(std::int64_t minor, std::string_view currency);
}  // namespace ordertrail
