#include <algorithm>
#include <array>

#include "import_common.hpp"
#include "ordertrail/json_writer.hpp"

namespace ordertrail {

std::optional<platform_kind> platform_from(std::string_view name) {
  if (name == "tiktok") return platform_kind::tiktok;
  if (name == "shopify") return platform_kind::shopify;
  return std::nullopt;
}

result<imported_order> import_order(platform_kind platform, std::string_view payload, const import_options& opts) {
  return platform == platform_kind::tiktok ? detail::import_tiktok(payload, opts)
                                           : detail::import_shopify(payload, opts);
}

std::string warnings_json(const std::vector<import_warning>& warnings) {
  std::string out;
  json_writer w(out);
  w.begin_array();
  for (const auto& x : warnings)
    w.begin_object().field("code", x.code).field("path", x.path).field("text", x.text).end_object();
  w.end_array();
  return out;
}

std::string import_order_json(std::string_view platform, std::string_view payload, const import_options& opts) {
  const auto p = platform_from(platform);
  if (!p) return to_json(error{"invalid_value", "", "the platform is tiktok or shopify"});
  auto r = import_order(*p, payload, opts);
  if (!r) return to_json(r.err());
  return R"({"schema":"ordertrail.import/1","order":)" + r->order_json + R"(,"warnings":)" +
         warnings_json(r->warnings) + "}";
}

}  // namespace ordertrail

namespace ordertrail::detail {

std::optional<std::int64_t> decimal_to_minor(std::string_view s, int exponent) {
  if (s.empty()) return std::nullopt;
  std::int64_t v = 0;
  int decimals = -1;  // -1: no point seen
  bool digit = false;
  for (const char ch : s) {
    if (ch == '.') {
      if (decimals >= 0) return std::nullopt;
      decimals = 0;
      continue;
    }
    if (ch < '0' || ch > '9') return std::nullopt;
    if (decimals >= 0 && ++decimals > exponent) return std::nullopt;
    digit = true;
    v = v * 10 + (ch - '0');
    if (v > max_safe_integer) return std::nullopt;
  }
  if (!digit) return std::nullopt;
  for (int k = std::max(decimals, 0); k < exponent; ++k) {
    v *= 10;
    if (v > max_safe_integer) return std::nullopt;
  }
  return v;
}

bool read_money(json_ctx& c, const object_view& obj, std::string_view base, std::string_view key, presence p,
                int exponent, std::int64_t& out) {
  std::string s;
  if (!read_string(c, obj, base, key, p, s, 64)) return false;
  if (s.empty() && p == presence::optional) return false;
  if (auto v = decimal_to_minor(s, exponent)) {
    out = *v;
    return true;
  }
  c.fail("invalid_value", pointer_append(base, key),
         "\"" + std::string(utf8_prefix(s, 64)) + "\" is not an amount of this currency: digits with at most " +
             std::to_string(exponent) + " decimal" + (exponent == 1 ? "" : "s") +
             ", at most 9007199254740991 minor units");
  return false;
}

std::optional<instant> read_epoch(json_ctx& c, const object_view& obj, std::string_view base, std::string_view key,
                                  presence p) {
  // 9999-12-31T23:59:59Z, the last instant ordertrail writes.
  constexpr std::int64_t max_epoch = 253402300799;
  const value_view* v = obj.find(key);
  std::int64_t n = 0;
  if (v != nullptr && v->kind() == json_kind::string) {
    std::string s = v->string();
    if (s.empty()) return std::nullopt;
    auto d = decimal_to_minor(s, 0);
    if (!d || *d > max_epoch) {
      c.fail("invalid_value", pointer_append(base, key), "an epoch time is whole seconds from 0 to 253402300799");
      return std::nullopt;
    }
    n = *d;
  } else if (!read_int(c, obj, base, key, p, 0, max_epoch, n)) {
    return std::nullopt;
  }
  if (n == 0) return std::nullopt;
  return instant{std::chrono::seconds{n}};
}

std::optional<instant> read_rfc3339(json_ctx& c, const object_view& obj, std::string_view base, std::string_view key,
                                    presence p) {
  std::string s;
  if (!read_string(c, obj, base, key, p, s, 64)) return std::nullopt;
  auto t = parse_instant(s, pointer_append(base, key));
  if (!t) {
    c.fail(t.err().code, t.err().path, t.err().message);
    return std::nullopt;
  }
  return *t;
}

void warn(std::vector<import_warning>& w, std::string code, std::string path, std::string text) {
  w.push_back({std::move(code), std::move(path), std::move(text)});
}

void check_draft(json_ctx& c, const draft_order& d, std::string_view base) {
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < d.lines.size(); ++i) {
    std::int64_t value = 0;
    if (__builtin_mul_overflow(d.lines[i].qty, d.lines[i].unit_price_minor, &value) || value > max_safe_integer ||
        (sum += value) > max_safe_integer) {
      c.fail("invalid_value", pointer_append(pointer_append(pointer_append(base, "line_items"), i), "price"),
             "the lines' values sum past 9007199254740991, the largest amount carried exactly");
      return;
    }
  }
  std::int64_t refunded = 0;
  for (const auto& e : d.events)
    if (e.amount_minor && (refunded += *e.amount_minor) > max_safe_integer) {
      c.fail("invalid_value", e.source, "the refunds sum past 9007199254740991, the largest amount carried exactly");
      return;
    }
  if (d.events.size() > max_events)
    c.fail("too_many_events", std::string(base),
           "the payload makes " + std::to_string(d.events.size()) + " events, more than the limit of " +
               std::to_string(max_events));
}

namespace {

void write_event(json_writer& w, const draft_event& e) {
  w.begin_object().field("type", e.type).field("at", e.at);
  if (!e.by.empty()) w.field("by", e.by);
  if (!e.reason.empty()) w.field("reason", e.reason);
  if (!e.package_id.empty()) w.field("package_id", e.package_id);
  if (!e.items.empty()) {
    w.key("items").begin_array();
    for (const auto& u : e.items) w.begin_object().field("line_id", u.line_id).field("qty", u.qty).end_object();
    w.end_array();
  }
  if (!e.refund_lines.empty()) {
    w.key("items").begin_array();
    for (const auto& [id, amount] : e.refund_lines)
      w.begin_object().field("line_id", id).field("amount_minor", amount).end_object();
    w.end_array();
  }
  if (e.amount_minor) w.field("amount_minor", *e.amount_minor);
  if (!e.carrier.empty()) w.field("carrier", e.carrier);
  if (!e.tracking_number.empty()) w.field("tracking_number", e.tracking_number);
  if (!e.platform_reason.empty()) w.field("platform_reason", e.platform_reason);
  if (!e.platform_by.empty()) w.field("platform_by", e.platform_by);
  w.field("source", e.source).end_object();
}

}  // namespace

std::string write_draft(draft_order& d) {
  std::stable_sort(d.events.begin(), d.events.end(),
                   [](const draft_event& a, const draft_event& b) { return a.at < b.at; });
  std::string out;
  json_writer w(out);
  w.begin_object()
      .field("schema", "ordertrail.order/2")
      .field("order_id", d.order_id)
      .field("market", d.market)
      .field("seller_id", d.seller_id);
  if (!d.buyer_id.empty()) w.field("buyer_id", d.buyer_id);
  w.field("currency", d.currency).field("total_minor", d.total_minor);
  if (d.shipping_minor) w.field("shipping_minor", *d.shipping_minor);
  w.key("items").begin_array();
  for (const auto& l : d.lines)
    w.begin_object()
        .field("line_id", l.line_id)
        .field("sku", l.sku)
        .field("name", l.name)
        .field("qty", l.qty)
        .field("unit_price_minor", l.unit_price_minor)
        .end_object();
  w.end_array();
  if (!d.order_type.empty()) w.field("order_type", d.order_type);
  if (!d.release_date.empty()) w.field("release_date", d.release_date);
  if (!d.payment_method.empty()) w.field("payment_method", d.payment_method);
  w.field("placed_at", d.placed_at);
  if (d.handling_days) w.key("promise").begin_object().field("handling_days", *d.handling_days).end_object();
  w.key("platform").begin_object().field("name", d.platform_name).field("order_id", d.platform_order_id);
  w.key("status").string_or_null(d.platform_status);
  if (!d.platform_raw_status.empty()) w.field("raw_status", d.platform_raw_status);
  w.key("deadlines").begin_object();
  for (const auto& [k, t] : d.deadlines) w.field(k, t);
  w.end_object();
  w.key("raw_deadlines").begin_object();
  for (const auto& [k, t] : d.raw_deadlines) w.field(k, t);
  w.end_object().end_object();
  w.key("events").begin_array();
  for (const auto& e : d.events) write_event(w, e);
  w.end_array().end_object();
  return out;
}

}  // namespace ordertrail::detail
