// ordertrail/metrics.hpp — seller performance over a window (SPEC 5).
//
// Feed every evaluated order to a `metrics_accumulator` (it keeps only
// counters, so a caller can stream millions of orders) and read one row per
// seller. An order belongs to the window when its `placed_at` local date (in
// its market's zone) is within [from, to]; the late-dispatch rate counts the
// orders whose ship-by deadline ended on a local date within [from, to] and
// was decided (met or missed) by `now`. Valid tracking and on-time delivery
// count packages (docs/LINES.md "Metrics"): shipped packages with a carrier and
// a tracking number over shipped packages; delivered packages delivered before
// the end of the order's local `est_delivery` date over delivered packages.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ordertrail/evaluation.hpp"

namespace ordertrail {

struct rate {
  std::int64_t numerator = 0;
  std::int64_t denominator = 0;
  std::optional<int> threshold_permille;  // the policy's limit, if it has one
  bool threshold_is_max = true;           // true: breach above; false: below
  [[nodiscard]] bool breached() const;
  // "0.0250" (4 decimals, rounded half up), or "" when denominator is 0.
  [[nodiscard]] std::string decimal() const;
};

struct seller_metrics {
  std::string seller_id;
  std::int64_t orders = 0;
  std::int64_t paid = 0;
  std::int64_t cancelled_by_buyer = 0;
  std::int64_t cancelled_by_seller = 0;
  std::int64_t cancelled_by_platform = 0;
  std::int64_t cancelled_by_carrier = 0;
  rate seller_fault_cancellation;
  rate late_dispatch;
  rate valid_tracking;
  rate on_time_delivery;
  [[nodiscard]] bool any_breach() const;
};

class metrics_accumulator {
 public:
  metrics_accumulator(civil_date from, civil_date to) : from_(from), to_(to) {}
  void add(const order& o, const policy& p, const evaluation& e);
  // One row per seller with at least one order counted, by seller_id.
  [[nodiscard]] std::vector<seller_metrics> results() const;

 private:
  civil_date from_, to_;
  std::map<std::string, seller_metrics> rows_;
};

// `ordertrail.metrics/1` for a set of rows.
std::string to_json(const std::vector<seller_metrics>& rows, civil_date from, civil_date to);

}  // namespace ordertrail
