// Internal: what the platform importers share — exact money from decimal
// strings, epoch seconds, and the order/2 document they build.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "json_in.hpp"
#include "ordertrail/import.hpp"
#include "ordertrail/money.hpp"
#include "ordertrail/order.hpp"
#include "ordertrail/time.hpp"

namespace ordertrail::detail {

// A decimal string ("12.5", "0", "1299.00") as minor units of a currency of
// `exponent`, exactly: digits only, one optional point, at most `exponent`
// decimals, at most 2^53 - 1. Errors at base/key: invalid_value, invalid_type.
bool read_money(json_ctx& c, const object_view& obj, std::string_view base, std::string_view key, presence p,
                int exponent, std::int64_t& out);
std::optional<std::int64_t> decimal_to_minor(std::string_view s, int exponent);

// Epoch seconds (an integer, or a string of digits) as an instant; 0 and ""
// are absent (the platforms write them for "not yet").
std::optional<instant> read_epoch(json_ctx& c, const object_view& obj, std::string_view base, std::string_view key,
                                  presence p = presence::optional);
// An RFC 3339 string (Shopify's timestamps), absent when null or missing.
std::optional<instant> read_rfc3339(json_ctx& c, const object_view& obj, std::string_view base, std::string_view key,
                                    presence p = presence::optional);

struct draft_unit {
  std::string line_id;
  std::int64_t qty = 1;
};

struct draft_event {
  instant at{};
  std::string type;
  std::string by;
  std::string reason;
  std::string platform_reason;  // the platform's own words/code, kept (ignored by the core)
  std::string platform_by;      // the platform's initiator, kept when it had no SPEC party
  std::string package_id;
  std::string carrier;
  std::string tracking_number;
  std::optional<std::int64_t> amount_minor;
  std::vector<draft_unit> items;
  std::vector<std::pair<std::string, std::int64_t>> refund_lines;  // refunded: {line_id, amount_minor}
  std::string source;  // the payload field it was rebuilt from, as a JSON pointer
};

struct draft_line {
  std::string line_id, sku, name;
  std::int64_t qty = 1;
  std::int64_t unit_price_minor = 0;
};

struct draft_order {
  std::string order_id, market, seller_id, buyer_id, currency;
  std::int64_t total_minor = 0;
  std::optional<std::int64_t> shipping_minor;
  std::string payment_method;
  std::string order_type;  // empty = normal
  std::string release_date;
  std::optional<std::int64_t> handling_days;
  instant placed_at{};
  std::vector<draft_line> lines;
  std::vector<draft_event> events;
  // The SPEC 1.1 `platform` object.
  std::string platform_name, platform_order_id, platform_status, platform_raw_status;
  std::vector<std::pair<std::string, instant>> deadlines;      // SPEC names
  std::vector<std::pair<std::string, instant>> raw_deadlines;  // the platform's names
};

// The order/2 text: events sorted by `at` (stable: ties keep the order they
// were rebuilt in, which is the order they happen in).
std::string write_draft(draft_order& d);

// What order/2 bounds and the payload could still break: the lines' values
// and the refunds summing past 2^53 - 1, more than max_events events.
void check_draft(json_ctx& c, const draft_order& d, std::string_view base);

// Scans the payload, finds the order in it (`locate` returns it, or nullptr
// with the error recorded, and sets the pointer `base` it sits at), reads
// it with a `Reader` and writes the order/2 text.
template <class Reader, class Locate>
result<imported_order> run_import(std::string_view payload, const import_options& opts, Locate locate) {
  document scanned;
  auto root = parse_document(scanned, payload, max_document_bytes, max_json_depth);
  if (!root) return root.err();
  json_ctx c;
  if (!expect_object(c, *root, "")) return *c.err;
  std::string base;
  const value_view* order = locate(c, *root, base);
  if (order == nullptr) return *c.err;
  imported_order out;
  Reader r(c, out.warnings, opts);
  r.read(*order, base);
  if (!c.failed()) check_draft(c, r.d, base);
  if (c.failed()) return *c.err;
  out.order_json = write_draft(r.d);
  return out;
}

void warn(std::vector<import_warning>& w, std::string code, std::string path, std::string text);

result<imported_order> import_tiktok(std::string_view payload, const import_options& opts);
result<imported_order> import_shopify(std::string_view payload, const import_options& opts);

}  // namespace ordertrail::detail
