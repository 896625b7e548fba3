#include "ordertrail/metrics.hpp"

#include <algorithm>
#include <optional>

#include "ordertrail/json_writer.hpp"

namespace ordertrail {

bool rate::breached() const {
  if (!threshold_permille || denominator == 0) return false;
  const std::int64_t scaled = numerator * 1000;
  const std::int64_t limit = static_cast<std::int64_t>(*threshold_permille) * denominator;
  return threshold_is_max ? scaled > limit : scaled < limit;
}

std::string rate::decimal() const {
  if (denominator == 0) return {};
  const std::int64_t tenk = (numerator * 20000 + denominator) / (2 * denominator);  // round half up
  std::string frac = std::to_string(tenk % 10000);
  return std::to_string(tenk / 10000) + "." + std::string(4 - frac.size(), '0') + frac;
}

bool seller_metrics::any_breach() const {
  return seller_fault_cancellation.breached() || late_dispatch.breached() || valid_tracking.breached() ||
         on_time_delivery.breached();
}

void metrics_accumulator::add(const order& o, const policy& p, const evaluation& e) {
  const civil_date placed = p.cal.local_date(o.placed_at);
  // Every order is bucketed by its placement date (SPEC 5).
  if (placed < from_ || placed > to_) return;
  const obligation* dispatch = e.find(obligation_id::dispatch_by);

  auto [it, fresh] = rows_.try_emplace(o.seller_id);
  seller_metrics& m = it->second;
  if (fresh) {
    m.seller_id = o.seller_id;
    m.seller_fault_cancellation.threshold_permille = p.metrics.max_seller_fault_cancellation_permille;
    m.late_dispatch.threshold_permille = p.metrics.max_late_dispatch_permille;
    m.valid_tracking.threshold_permille = p.metrics.min_valid_tracking_permille;
    m.valid_tracking.threshold_is_max = false;
    m.on_time_delivery.threshold_is_max = false;
  }
  // Late dispatch: orders whose dispatch_by was missed / met or missed.
  if (dispatch && (dispatch->state == obligation_state::met || dispatch->state == obligation_state::missed)) {
    ++m.late_dispatch.denominator;
    if (dispatch->state == obligation_state::missed) ++m.late_dispatch.numerator;
  }
  ++m.orders;
  if (e.confirmed) {
    ++m.paid;
    ++m.seller_fault_cancellation.denominator;
  }
  if (e.cancelled) {
    switch (e.cancelled->responsible) {
      case responsibility::buyer:
        ++m.cancelled_by_buyer;
        break;
      case responsibility::seller:
        ++m.cancelled_by_seller;
        ++m.seller_fault_cancellation.numerator;
        break;
      case responsibility::platform:
        ++m.cancelled_by_platform;
        break;
      case responsibility::carrier:
        ++m.cancelled_by_carrier;
        break;
      case responsibility::none:
        break;
    }
  }
  // SPEC 5: an order with at least one seller-responsible cancellation,
  // whole or of some units, counts once.
  const bool seller_whole = e.cancelled && e.cancelled->responsible == responsibility::seller;
  if (!seller_whole && std::any_of(e.line_cancellations.begin(), e.line_cancellations.end(),
                                   [](const line_cancellation& c) { return c.responsible == responsibility::seller; }))
    ++m.seller_fault_cancellation.numerator;
  // Per package (docs/LINES.md "Metrics"): valid tracking = shipped packages
  // with a carrier and a tracking number / shipped packages; on time =
  // delivered packages delivered before the end of the local `est_delivery`
  // date / delivered packages (of orders with an estimate).
  std::optional<instant> est_end;
  if (e.est_delivery) est_end = p.cal.end_of_day(*e.est_delivery);
  for (const package_view& pk : e.packages) {
    if (pk.shipped_at) {
      ++m.valid_tracking.denominator;
      if (!pk.carrier.empty() && !pk.tracking_number.empty()) ++m.valid_tracking.numerator;
    }
    if (est_end && pk.status == package_status::delivered && pk.delivered_at) {
      ++m.on_time_delivery.denominator;
      if (*pk.delivered_at < *est_end) ++m.on_time_delivery.numerator;
    }
  }
}

std::vector<seller_metrics> metrics_accumulator::results() const {
  std::vector<seller_metrics> out;
  out.reserve(rows_.size());
  for (const auto& [id, m] : rows_) out.push_back(m);
  return out;
}

namespace {
void write_rate(json_writer& w, std::string_view name, const rate& r) {
  w.key(name).begin_object().field("numerator", r.numerator).field("denominator", r.denominator);
  w.key("value");
  if (r.denominator == 0)
    w.null();
  else
    w.raw(r.decimal());
  w.key("threshold");
  if (r.threshold_permille) {
    const std::string t = rate{*r.threshold_permille, 1000, std::nullopt, true}.decimal();
    w.raw(t);
  } else {
    w.null();
  }
  w.field("breach", r.breached()).end_object();
}
}  // namespace

std::string to_json(const std::vector<seller_metrics>& rows, civil_date from, civil_date to) {
  std::string out;
  json_writer w(out);
  w.begin_object()
      .field("schema", "ordertrail.metrics/1")
      .field("from", format_date(from))
      .field("to", format_date(to));
  w.key("sellers").begin_array();
  for (const auto& m : rows) {
    w.begin_object().field("seller_id", m.seller_id).field("orders", m.orders).field("paid", m.paid);
    w.key("cancellations")
        .begin_object()
        .field("buyer", m.cancelled_by_buyer)
        .field("seller", m.cancelled_by_seller)
        .field("platform", m.cancelled_by_platform)
        .field("carrier", m.cancelled_by_carrier)
        .end_object();
    write_rate(w, "seller_fault_cancellation_rate", m.seller_fault_cancellation);
    write_rate(w, "late_dispatch_rate", m.late_dispatch);
    write_rate(w, "valid_tracking_rate", m.valid_tracking);
    write_rate(w, "on_time_delivery_rate", m.on_time_delivery);
    w.field("breach", m.any_breach()).end_object();
  }
  w.end_array().end_object();
  return out;
}

}  // namespace ordertrail
