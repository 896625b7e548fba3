// Shopify Admin REST `order` -> ordertrail.order/2 (docs/RULES.md
// "Importing platform payloads (issue 18)", the Shopify tables).
#include <algorithm>
#include <set>

#include "import_common.hpp"

namespace ordertrail::detail {
namespace {

// Shopify's ids are JSON numbers (or strings in some exports): as text.
bool read_id_text(json_ctx& c, const object_view& j, std::string_view base, std::string_view key, presence p,
                  std::string& out) {
  const value_view* v = j.find(key);
  if (v != nullptr && v->kind() == json_kind::number) {
    const auto n = v->integer();
    if (!n || *n < 0) {
      c.fail("invalid_value", pointer_append(base, key), "an id is a whole number or a string");
      return false;
    }
    out = std::to_string(*n);
    return true;
  }
  return read_string(c, j, base, key, p, out, max_id_bytes);
}

// `cancel_reason` -> who cancelled and the SPEC reason ("" = kept as given).
struct cancel_row {
  std::string_view shopify, by, code;
};
constexpr cancel_row cancel_table[] = {
    {"customer", "buyer", "changed_mind"},
    {"inventory", "seller", "out_of_stock"},
    {"declined", "platform", "payment_failed"},
    {"fraud", "platform", "risk_control"},
    {"staff", "seller", ""},
    {"other", "seller", ""},
};

class shopify_reader {
 public:
  shopify_reader(json_ctx& c, std::vector<import_warning>& w, const import_options& opts) : c_(c), w_(w), opts_(opts) {}

  void read(const value_view& root, const std::string& base) {
    base_ = base;
    const object_view j(root);
    read_head(j);
    if (!c_.failed()) read_lines(j);
    if (!c_.failed()) read_payment(j);
    if (!c_.failed()) read_fulfillments(j);
    if (!c_.failed()) read_refunds(j);
    if (!c_.failed()) read_cancel(j);
  }

  draft_order d;

 private:
  [[nodiscard]] std::string at(std::string_view key) const { return pointer_append(base_, key); }

  void read_head(const object_view& j) {
    read_id_text(c_, j, base_, "id", presence::required, d.order_id);
    if (!c_.failed() && d.order_id.empty()) c_.fail("invalid_value", at("id"), "the order id must not be empty");
    d.platform_name = "shopify";
    d.platform_order_id = d.order_id;
    if (const value_view* cv = read_object(c_, j, base_, "customer", presence::optional))
      read_id_text(c_, object_view(*cv), at("customer"), "id", presence::optional, d.buyer_id);
    read_string(c_, j, base_, "currency", presence::required, d.currency, 3);
    if (c_.failed()) return;
    if (d.currency.size() != 3) {
      c_.fail("invalid_value", at("currency"), "currency is a 3-letter ISO 4217 code");
      return;
    }
    exponent_ = currency_exponent(d.currency);
    read_money(c_, j, base_, "total_price", presence::required, exponent_, d.total_minor);
    if (auto t = read_rfc3339(c_, j, base_, "created_at", presence::required)) d.placed_at = *t;
    std::string fin, ful;
    read_string(c_, j, base_, "financial_status", presence::optional, fin, 32);
    read_string(c_, j, base_, "fulfillment_status", presence::optional, ful, 32);
    financial_ = fin;
    d.platform_raw_status = (fin.empty() ? "pending" : fin) + "/" + (ful.empty() ? "unfulfilled" : ful);
    d.market = opts_.market;
    if (d.market.empty()) {
      if (const value_view* av = read_object(c_, j, base_, "shipping_address", presence::optional))
        read_string(c_, object_view(*av), at("shipping_address"), "country_code", presence::optional, d.market, 16);
      if (!c_.failed() && d.market.empty())
        c_.fail("missing_field", pointer_append(at("shipping_address"), "country_code"),
                "the market is neither given (--market) nor in shipping_address.country_code");
    }
    d.seller_id = opts_.seller_id;
    if (d.seller_id.empty())
      warn(w_, "seller_id_missing", base_, "the payload names no seller: seller_id is \"\" (give it with --seller)");
    // Shipping: the sum of shipping_lines[].price.
    if (const value_view* sl = read_array(c_, j, base_, "shipping_lines", presence::optional)) {
      std::int64_t sum = 0;
      const auto lines = sl->elements();
      for (std::size_t i = 0; i < lines.size() && !c_.failed(); ++i) {
        const std::string path = pointer_append(at("shipping_lines"), i);
        if (!expect_object(c_, lines[i], path)) return;
        std::int64_t price = 0;
        if (read_money(c_, object_view(lines[i]), path, "price", presence::required, exponent_, price)) sum += price;
      }
      if (!c_.failed() && sum > d.total_minor)
        c_.fail("invalid_value", at("shipping_lines"), "the shipping lines sum to more than total_price");
      d.shipping_minor = sum;
    }
    std::vector<std::string> gateways;
    if (const value_view* g = read_array(c_, j, base_, "payment_gateway_names", presence::optional))
      for (const auto& e : g->elements())
        if (e.kind() == json_kind::string) gateways.push_back(e.string());
    std::string gateway;
    read_string(c_, j, base_, "gateway", presence::optional, gateway, 128);
    gateways.push_back(gateway);
    cod_ = std::any_of(gateways.begin(), gateways.end(),
                       [](const std::string& g) { return g == "Cash on Delivery (COD)" || g == "cash_on_delivery"; });
    if (cod_) d.payment_method = "cod";
  }

  void read_lines(const object_view& j) {
    const value_view* arr = read_array(c_, j, base_, "line_items", presence::required);
    if (arr == nullptr) return;
    const auto elements = arr->elements();
    for (std::size_t i = 0; i < elements.size() && !c_.failed(); ++i) {
      const std::string path = pointer_append(at("line_items"), i);
      if (!expect_object(c_, elements[i], path)) return;
      const object_view li(elements[i]);
      draft_line l;
      read_id_text(c_, li, path, "id", presence::required, l.line_id);
      if (!c_.failed() && !ids_.insert(l.line_id).second)
        c_.fail("duplicate_line", pointer_append(path, "id"), "line item id " + l.line_id + " is given twice");
      if (!read_string(c_, li, path, "sku", presence::optional, l.sku, 128) || l.sku.empty()) l.sku = l.line_id;
      if (!read_string(c_, li, path, "name", presence::optional, l.name, 20000) || l.name.empty())
        read_string(c_, li, path, "title", presence::optional, l.name, 20000);
      read_int(c_, li, path, "quantity", presence::required, 1, 1000000, l.qty);
      read_money(c_, li, path, "price", presence::required, exponent_, l.unit_price_minor);
      if (c_.failed()) return;
      d.lines.push_back(std::move(l));
    }
    if (!c_.failed() && d.lines.empty()) c_.fail("invalid_value", at("line_items"), "an order has at least one line");
  }

  // paid, partially_refunded, refunded: the whole total was captured, at
  // processed_at (else created_at).
  void read_payment(const object_view& j) {
    std::optional<instant> processed = read_rfc3339(c_, j, base_, "processed_at");
    if (financial_ == "paid" || financial_ == "partially_refunded" || financial_ == "refunded") {
      draft_event e;
      e.type = "payment_succeeded";
      e.at = processed.value_or(d.placed_at);
      e.by = cod_ ? "carrier" : "platform";
      e.source = processed ? at("processed_at") : at("created_at");
      d.events.push_back(std::move(e));
    } else if (!financial_.empty() && financial_ != "pending" && financial_ != "authorized" && financial_ != "voided") {
      warn(w_, "unknown_financial_status", at("financial_status"),
           "financial_status \"" + std::string(utf8_prefix(financial_, 32)) +
               "\" is not mapped: no payment is recorded");
    }
  }

  void read_fulfillments(const object_view& j) {
    const value_view* arr = read_array(c_, j, base_, "fulfillments", presence::optional);
    if (arr == nullptr) return;
    const auto elements = arr->elements();
    for (std::size_t i = 0; i < elements.size() && !c_.failed(); ++i) {
      const std::string path = pointer_append(at("fulfillments"), i);
      if (!expect_object(c_, elements[i], path)) return;
      const object_view f(elements[i]);
      std::string id, status, shipment;
      read_id_text(c_, f, path, "id", presence::required, id);
      read_string(c_, f, path, "status", presence::optional, status, 32);
      read_string(c_, f, path, "shipment_status", presence::optional, shipment, 32);
      const auto created = read_rfc3339(c_, f, path, "created_at", presence::required);
      const auto updated = read_rfc3339(c_, f, path, "updated_at");
      if (c_.failed()) return;
      if (status == "cancelled" || status == "error" || status == "failure") continue;
      draft_event e;
      e.type = "shipped";
      e.at = *created;
      e.by = "seller";
      e.package_id = id;
      e.source = pointer_append(path, "created_at");
      read_string(c_, f, path, "tracking_company", presence::optional, e.carrier, 128);
      read_string(c_, f, path, "tracking_number", presence::optional, e.tracking_number, 128);
      if (const value_view* items = read_array(c_, f, path, "line_items", presence::optional)) {
        const auto ls = items->elements();
        for (std::size_t k = 0; k < ls.size() && !c_.failed(); ++k) {
          const std::string lp = pointer_append(pointer_append(path, "line_items"), k);
          if (!expect_object(c_, ls[k], lp)) return;
          draft_unit u;
          read_id_text(c_, object_view(ls[k]), lp, "id", presence::required, u.line_id);
          read_int(c_, object_view(ls[k]), lp, "quantity", presence::required, 1, 1000000, u.qty);
          e.items.push_back(std::move(u));
        }
      }
      d.events.push_back(std::move(e));
      if (shipment == "delivered") {
        draft_event dv;
        dv.type = "delivered";
        dv.at = updated.value_or(*created);
        dv.by = "carrier";
        dv.package_id = id;
        dv.source = pointer_append(path, updated ? "updated_at" : "created_at");
        warn(w_, "delivered_at_estimated", pointer_append(path, "shipment_status"),
             "fulfillment " + id + " is delivered; REST gives no delivery time: recorded at its updated_at");
        d.events.push_back(std::move(dv));
      }
    }
  }

  void read_refunds(const object_view& j) {
    const value_view* arr = read_array(c_, j, base_, "refunds", presence::optional);
    if (arr == nullptr) return;
    const auto elements = arr->elements();
    for (std::size_t i = 0; i < elements.size() && !c_.failed(); ++i) {
      const std::string path = pointer_append(at("refunds"), i);
      if (!expect_object(c_, elements[i], path)) return;
      const object_view r(elements[i]);
      auto when = read_rfc3339(c_, r, path, "processed_at");
      const std::string when_path = pointer_append(path, when ? "processed_at" : "created_at");
      if (!when) when = read_rfc3339(c_, r, path, "created_at", presence::required);
      if (c_.failed()) return;
      // The money: the successful refund transactions.
      std::int64_t amount = 0;
      if (const value_view* ts = read_array(c_, r, path, "transactions", presence::optional)) {
        const auto tx = ts->elements();
        for (std::size_t k = 0; k < tx.size() && !c_.failed(); ++k) {
          const std::string tp = pointer_append(pointer_append(path, "transactions"), k);
          if (!expect_object(c_, tx[k], tp)) return;
          const object_view t(tx[k]);
          std::string kind, status;
          read_string(c_, t, tp, "kind", presence::optional, kind, 32);
          read_string(c_, t, tp, "status", presence::optional, status, 32);
          std::int64_t a = 0;
          if (read_money(c_, t, tp, "amount", presence::required, exponent_, a) && kind == "refund" &&
              (status.empty() || status == "success"))
            amount += a;
        }
      }
      draft_event e;
      e.type = "refunded";
      e.at = *when;
      e.by = "seller";
      e.source = when_path;
      std::int64_t lines_sum = 0;
      std::vector<draft_unit> cancelled;
      if (const value_view* rl = read_array(c_, r, path, "refund_line_items", presence::optional)) {
        const auto ls = rl->elements();
        for (std::size_t k = 0; k < ls.size() && !c_.failed(); ++k) {
          const std::string lp = pointer_append(pointer_append(path, "refund_line_items"), k);
          if (!expect_object(c_, ls[k], lp)) return;
          const object_view l(ls[k]);
          std::string line, restock;
          std::int64_t qty = 0, subtotal = 0;
          read_id_text(c_, l, lp, "line_item_id", presence::required, line);
          read_int(c_, l, lp, "quantity", presence::required, 0, 1000000, qty);
          read_money(c_, l, lp, "subtotal", presence::optional, exponent_, subtotal);
          read_string(c_, l, lp, "restock_type", presence::optional, restock, 32);
          if (c_.failed()) return;
          e.refund_lines.emplace_back(line, subtotal);
          lines_sum += subtotal;
          // Units refunded before they were fulfilled: a line cancellation.
          if (restock == "cancel" && qty > 0) cancelled.push_back({line, qty});
        }
      }
      if (!cancelled.empty()) {
        draft_event x;
        x.type = "cancelled";
        x.at = *when;
        x.by = "seller";
        x.reason = "restock_cancel";
        x.platform_reason = "refund_line_items restock_type cancel";
        x.items = std::move(cancelled);
        x.source = pointer_append(path, "refund_line_items");
        warn(w_, "unknown_cancel_reason", x.source,
             "units refunded with restock_type cancel give no reason: recorded as reason restock_cancel, which the "
             "evaluation reports unknown_reason");
        d.events.push_back(std::move(x));
      }
      if (amount == 0) continue;  // a restock-only refund moved no money
      if (lines_sum > amount) {
        warn(w_, "refund_lines_exceed_amount", pointer_append(path, "refund_line_items"),
             "the lines' subtotals sum past the refunded transactions: the refund is recorded without its lines");
        e.refund_lines.clear();
      }
      e.amount_minor = amount;
      d.events.push_back(std::move(e));
    }
  }

  void read_cancel(const object_view& j) {
    const auto when = read_rfc3339(c_, j, base_, "cancelled_at");
    if (!when) return;
    std::string reason;
    read_string(c_, j, base_, "cancel_reason", presence::optional, reason, 64);
    draft_event e;
    e.type = "cancelled";
    e.at = *when;
    e.source = at("cancelled_at");
    e.platform_reason = std::string(utf8_prefix(reason, 64));
    const auto* row = std::find_if(std::begin(cancel_table), std::end(cancel_table),
                                   [&](const cancel_row& r) { return r.shopify == reason; });
    if (row == std::end(cancel_table)) {
      e.by = "seller";
      warn(w_, "unknown_initiator", at("cancel_reason"),
           "cancel_reason \"" + e.platform_reason + "\" is not mapped: recorded as by seller (the merchant cancels)");
    } else {
      e.by = row->by;
      e.reason = row->code;
    }
    if (e.reason.empty()) {
      e.reason = reason.empty() ? "unspecified" : e.platform_reason;
      warn(w_, "unknown_cancel_reason", at("cancel_reason"),
           "cancel_reason \"" + e.platform_reason +
               "\" has no SPEC code: kept as given, the evaluation reports it unknown_reason");
    }
    d.events.push_back(std::move(e));
  }

  json_ctx& c_;
  std::vector<import_warning>& w_;
  const import_options& opts_;
  std::string base_, financial_;
  int exponent_ = 2;
  bool cod_ = false;
  std::set<std::string> ids_;
};

}  // namespace

result<imported_order> import_shopify(std::string_view payload, const import_options& opts) {
  // A bare order, or {"order": {...}} as the REST API answers.
  return run_import<shopify_reader>(payload, opts,
                                    [](json_ctx& c, const value_view& root, std::string& base) -> const value_view* {
                                      const value_view* inner = object_view(root).find("order");
                                      if (inner == nullptr) return &root;
                                      base = "/order";
                                      return expect_object(c, *inner, base) ? inner : nullptr;
                                    });
}

}  // namespace ordertrail::detail
