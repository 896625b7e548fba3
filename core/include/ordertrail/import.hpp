// ordertrail/import.hpp — marketplace order payloads to `ordertrail.order/2`
// (issue 18; docs/RULES.md "Importing platform payloads").
//
// A separate library (`ordertrail::import`): the widget's WASM build does
// not link it. Pure like the core: text in, text out, no clock.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ordertrail/error.hpp"

namespace ordertrail {

enum class platform_kind { tiktok, shopify };
std::optional<platform_kind> platform_from(std::string_view name);  // "tiktok", "shopify"

struct import_options {
  // The order's `market` (a policy id); empty: taken from the payload's
  // address country (TikTok `recipient_address.region_code`, Shopify
  // `shipping_address.country_code`), else error missing_field.
  std::string market;
  // The order's `seller_id`; empty: the payload's shop id when it has one,
  // else "" with warning seller_id_missing.
  std::string seller_id;
};

// Something the importer kept as given but could not map, or an instant it
// had to take from a coarser field: never silent (RULES lists the codes).
struct import_warning {
  std::string code;  // e.g. unknown_cancel_reason, shipped_at_estimated
  std::string path;  // JSON pointer into the platform payload
  std::string text;
};

struct imported_order {
  std::string order_json;  // one compact `ordertrail.order/2` document
  std::vector<import_warning> warnings;
};

// One platform order (TikTok Shop Partner API 202309 Get Order Detail
// `data.orders[i]`, or the whole response when it holds exactly one order;
// Shopify Admin REST `order`, bare or as `{"order": {...}}`). Errors are
// `ordertrail.error/1` values whose `path` points INTO THE PAYLOAD:
// invalid_json, too_large, too_deep, duplicate_key, missing_field,
// invalid_type, invalid_value (money with more decimals than the currency
// has, an epoch out of range), duplicate_line.
result<imported_order> import_order(platform_kind platform, std::string_view payload, const import_options& opts);

// Each warning as {code, path, text} in a JSON array.
std::string warnings_json(const std::vector<import_warning>& warnings);

// The JSON face (the WASM import module's `importOrder`): platform "tiktok" |
// "shopify"; `{"schema":"ordertrail.import/1","order":{...},"warnings":[...]}`,
// or an `ordertrail.error/1` (an unknown platform: invalid_value, path "").
std::string import_order_json(std::string_view platform, std::string_view payload, const import_options& opts);

}  // namespace ordertrail
