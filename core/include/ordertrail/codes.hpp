// ordertrail/codes.hpp — the closed code lists that policies and
// evaluations share: order statuses (SPEC 4.1) and responsible parties (SPEC 5).
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace ordertrail {

enum class order_status {
  unpaid = 100,
  on_hold = 105,
  awaiting_shipment = 111,
  partially_shipping = 112,
  awaiting_collection = 114,
  in_transit = 121,
  delivered = 122,
  completed = 130,
  cancelled = 140,
};
std::string_view to_string(order_status s);  // "AWAITING_SHIPMENT"

enum class responsibility { none, buyer, seller, platform, carrier };
std::string_view to_string(responsibility r);

// Every status, in the order of SPEC 4.1.
inline constexpr std::array<order_status, 9> all_statuses{order_status::unpaid,
                                                          order_status::on_hold,
                                                          order_status::awaiting_shipment,
                                                          order_status::partially_shipping,
                                                          order_status::awaiting_collection,
                                                          order_status::in_transit,
                                                          order_status::delivered,
                                                          order_status::completed,
                                                          order_status::cancelled};

// A set of order statuses (bit status_bit(s)), e.g. a policy's
// `cancellation.buyer_request_statuses`.
using status_set = unsigned;
constexpr unsigned status_bit(order_status s) {
  switch (s) {
    case order_status::unpaid:
      return 1u << 0;
    case order_status::on_hold:
      return 1u << 1;
    case order_status::awaiting_shipment:
      return 1u << 2;
    case order_status::partially_shipping:
      return 1u << 3;
    case order_status::awaiting_collection:
      return 1u << 4;
    case order_status::in_transit:
      return 1u << 5;
    case order_status::delivered:
      return 1u << 6;
    case order_status::completed:
      return 1u << 7;
    case order_status::cancelled:
      return 1u << 8;
  }
  return 0;
}
constexpr bool contains(status_set set, order_status s) { return (set & status_bit(s)) != 0; }
// The statuses of a set by name, joined by `separator` ("" for an empty set).
inline std::string names_of(status_set set, std::string_view separator) {
  std::string out;
  for (const auto st : all_statuses)
    if (contains(set, st)) out += (out.empty() ? "" : std::string(separator)) + std::string(to_string(st));
  return out;
}

}  // namespace ordertrail
