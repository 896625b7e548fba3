#include "ordertrail/quote.hpp"

#include "deadline_math.hpp"
#include "json_in.hpp"
#include "lifecycle.hpp"
#include "ordertrail/json_writer.hpp"

namespace ordertrail {

result<quote> make_quote(const policy& p, const quote_request& r) {
  constexpr int max_days = 366;
  if (r.handling_days && (*r.handling_days < 0 || *r.handling_days > max_days))
    return error{"invalid_value", "/handling_days", "handling_days is a number of working days from 0 to 366"};
  if (r.transit_days &&
      ((*r.transit_days)[0] < 0 || (*r.transit_days)[1] < (*r.transit_days)[0] || (*r.transit_days)[1] > max_days))
    return error{"invalid_value", "/transit_days", "transit_days is [min, max] with 0 <= min <= max <= 366"};
  quote q;
  q.market = p.market;
  q.policy_version = p.version;
  q.time_zone = p.time_zone;
  q.at = r.at;
  q.handling_days = r.handling_days.value_or(p.default_handling_days);
  q.transit_days = r.transit_days.value_or(p.default_transit_days);
  q.pay_by = detail::hours_after(r.at, p.payment_window_hours, "").due_at;
  q.free_cancellation_until = detail::hours_after(r.at, p.remorse_window_hours, "").due_at;
  if (r.type == order_kind::pre_order && !r.release_date)
    return error{"missing_field", "/release_date", "a pre_order quote needs its release_date"};
  if (r.type != order_kind::pre_order && r.release_date)
    return error{"invalid_value", "/release_date", "release_date is for a pre_order only"};
  q.type = r.type;
  q.release_date = r.release_date;
  // The order this checkout would create: its clocks come from the same rules
  // as every order's (docs/RULES.md "Dispatch and ship-by by order type").
  order o;
  o.placed_at = r.at;
  o.type = r.type;
  o.release_date = r.release_date;
  o.promised.handling_days = q.handling_days;
  o.promised.transit_days = q.transit_days;
  auto clocks = detail::dispatch_clocks_of(o, p, r.at, true);
  if (!clocks) return clocks.err();
  // The promised dispatch: the handling time for a normal order (its SLA,
  // `sla.dispatch_working_days`, is the seller's obligation, not the promise),
  // the order's dispatch_by for the other types.
  result<civil_date> dispatch = clocks->dispatch_date;
  if (r.type == order_kind::normal) dispatch = detail::working_date_after(p, p.cal.day0(r.at), q.handling_days);
  if (!dispatch) return dispatch.err();
  q.dispatch_date = *dispatch;
  q.dispatch_by = p.cal.end_of_day(*dispatch);
  q.ship_by_date = clocks->ship_by_date;
  q.ship_by = clocks->ship_by;
  q.ship_by_basis = clocks->ship_by_basis;
  auto earliest = detail::working_date_after(p, *dispatch, q.transit_days[0]);
  auto latest = detail::working_date_after(p, *dispatch, q.transit_days[1]);
  if (!earliest) return earliest.err();
  if (!latest) return latest.err();
  q.delivery_earliest = *earliest;
  q.delivery_latest = *latest;
  const auto cancel = detail::calendar_days_after(p, *latest, p.delivery_grace_days, "");
  q.delivery_auto_cancel_date = *cancel.local_date;
  q.delivery_auto_cancel = cancel.due_at;
  q.not_received_claim_from = detail::calendar_days_after(p, *latest, p.not_received_claim_after_days, "").due_at;
  q.return_window_days = p.return_window_days;
  q.calendar_covered = clocks->ship_covered && p.cal.covers(p.cal.day0(r.at), *latest);
  for (const instant t : {q.pay_by, q.free_cancellation_until, q.dispatch_by, q.ship_by, q.delivery_auto_cancel,
                          q.not_received_claim_from}) {
    if (t > max_instant)
      return error{
          "out_of_range", "/at",
          "a quote at " + format_instant(r.at) + " has clocks after 9999-12-31T23:59:59Z, the last instant written"};
  }
  return q;
}

std::string to_json(const quote& q) {
  std::string out;
  json_writer w(out);
  w.begin_object()
      .field("schema", "ordertrail.quote/1")
      .field("market", q.market)
      .field("policy_version", q.policy_version)
      .field("time_zone", q.time_zone)
      .field("at", q.at)
      .field("handling_days", q.handling_days)
      .field("order_type", to_string(q.type))
      .key("release_date");
  if (q.release_date)
    w.value(format_date(*q.release_date));
  else
    w.null();
  w.key("transit_days").begin_array().value(q.transit_days[0]).value(q.transit_days[1]).end_array();
  w.field("pay_by", q.pay_by)
      .field("free_cancellation_until", q.free_cancellation_until)
      .field("dispatch_date", format_date(q.dispatch_date))
      .field("dispatch_by", q.dispatch_by)
      .field("ship_by_date", format_date(q.ship_by_date))
      .field("ship_by", q.ship_by)
      .field("ship_by_basis", q.ship_by_basis)
      .field("delivery_earliest", format_date(q.delivery_earliest))
      .field("delivery_latest", format_date(q.delivery_latest))
      .field("delivery_auto_cancel_date", format_date(q.delivery_auto_cancel_date))
      .field("delivery_auto_cancel", q.delivery_auto_cancel)
      .field("not_received_claim_from", q.not_received_claim_from)
      .field("return_window_days", q.return_window_days)
      .field("calendar_covered", q.calendar_covered)
      .end_object();
  return out;
}

std::string quote_json(std::string_view request_json) {
  using detail::presence;
  detail::document scanned;
  auto doc = detail::parse_document(scanned, request_json, max_policy_bytes, 16);
  if (!doc) return to_json(doc.err());
  detail::json_ctx c;
  if (!detail::expect_object(c, *doc, "")) return to_json(*c.err);
  const detail::object_view j(*doc);
  std::string market;
  std::string at_text;
  detail::read_string(c, j, "", "market", presence::optional, market, 16);
  detail::read_string(c, j, "", "at", presence::required, at_text, 64);
  quote_request r;
  std::int64_t h = 0;
  if (detail::read_int(c, j, "", "handling_days", presence::optional, -1000, 1000, h))
    r.handling_days = static_cast<int>(h);
  std::array<int, 2> transit{};
  if (detail::read_day_range(c, j, "", "transit_days", presence::optional, 366, transit)) r.transit_days = transit;
  std::string type;
  if (detail::read_string(c, j, "", "order_type", presence::optional, type, 32)) {
    if (const auto k = order_kind_from(type))
      r.type = *k;
    else
      c.fail("invalid_value", "/order_type", "order_type must be normal, pre_order, made_to_order or back_order");
  }
  std::string release;
  if (detail::read_string(c, j, "", "release_date", presence::optional, release, 16)) {
    auto d = parse_date(release, "/release_date");
    if (!d)
      c.fail(d.err().code, d.err().path, d.err().message);
    else
      r.release_date = *d;
  }
  const auto* custom = detail::read_object(c, j, "", "policy", presence::optional);
  if (!c.failed() && !custom && market.empty())
    c.fail("missing_field", "/market", "required field \"market\" is missing");
  if (c.failed()) return to_json(*c.err);
  auto at = parse_instant(at_text, "/at");
  if (!at) return to_json(at.err());
  r.at = *at;
  auto p = custom ? parse_policy(custom->raw()) : builtin_policy(market);
  if (!p) {
    error e = p.err();
    if (custom) e.path = "/policy" + e.path;
    return to_json(e);
  }
  if (custom && !market.empty() && p->market != market) {
    return to_json(
        error{"policy_market_mismatch", "/market",
              "the quote is asked for market \"" + market + "\" but the policy is for \"" + p->market + "\""});
  }
  auto q = make_quote(*p, r);
  if (!q) return to_json(q.err());
  return to_json(*q);
}

}  // namespace ordertrail
