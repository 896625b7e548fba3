// TikTok Shop Partner API 202309 Get Order Detail -> ordertrail.order/2
// (docs/RULES.md "Importing platform payloads (issue 18)", the TikTok tables).
#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "import_common.hpp"

namespace ordertrail::detail {
namespace {

constexpr std::array<std::string_view, 9> statuses{
    "UNPAID",     "ON_HOLD",   "AWAITING_SHIPMENT", "PARTIALLY_SHIPPING", "AWAITING_COLLECTION",
    "IN_TRANSIT", "DELIVERED", "COMPLETED",         "CANCELLED"};

// Initiators (`cancellation_initiator`, `line_items[].cancel_user`) to SPEC parties.
std::string_view party_of(std::string_view initiator) {
  if (initiator == "BUYER") return "buyer";
  if (initiator == "SELLER") return "seller";
  if (initiator == "SYSTEM") return "platform";
  if (initiator == "OPERATOR") return "operator";
  return {};
}

// Cancel reasons: TikTok's reason names (the Partner API "Cancel reasons"
// page; a market suffix `_uk` is dropped) and its display texts, to SPEC codes.
struct reason_row {
  std::string_view tiktok;
  std::string_view code;
};
constexpr reason_row reason_table[] = {
    {"ecom_order_unpaid_canceled_reason_better_price", "better_price_elsewhere"},
    {"ecom_order_to_ship_canceled_reason_better_price", "better_price_elsewhere"},
    {"better price available", "better_price_elsewhere"},
    {"ecom_order_unpaid_canceled_reason_no_longer_needed", "changed_mind"},
    {"ecom_order_to_ship_canceled_reason_no_longer_needed", "changed_mind"},
    {"no longer needed", "changed_mind"},
    {"ecom_order_unpaid_canceled_reason_created_by_mistakes", "wrong_item_selected"},
    {"ecom_order_to_ship_canceled_reason_created_by_mistakes", "wrong_item_selected"},
    {"buyer_cancel_wrong_item_variation_(colour,_size,_etc.)", "wrong_item_selected"},
    {"bought by mistake", "wrong_item_selected"},
    {"order created by mistake", "wrong_item_selected"},
    {"ecom_order_unpaid_canceled_reason_wrong_delivery_info", "need_to_change_address"},
    {"ecom_order_to_ship_canceled_reason_wrong_delivery_info", "need_to_change_address"},
    {"need to change shipping address", "need_to_change_address"},
    {"incorrect shipping address", "need_to_change_address"},
    {"wrong delivery information", "need_to_change_address"},
    {"ecom_order_to_ship_canceled_reason_not_shipped_on_time", "not_shipped_on_time"},
    {"us_order_to_ship_canceled_reason_not_shipped_on_time_before_rts_prod", "not_shipped_on_time"},
    {"buyer_cancel_late_shipment", "not_shipped_on_time"},
    {"item wasn't shipped on time", "not_shipped_on_time"},
    {"seller_cancel_unpaid_reason_out_of_stock", "out_of_stock"},
    {"seller_cancel_reason_out_of_stock", "out_of_stock"},
    {"out of stock", "out_of_stock"},
    {"seller_cancel_unpaid_reason_wrong_price", "pricing_error"},
    {"seller_cancel_reason_wrong_price", "pricing_error"},
    {"pricing error", "pricing_error"},
    {"seller_cancel_paid_reason_address_not_deliver", "cannot_ship_to_address"},
    {"unable to deliver to buyer address", "cannot_ship_to_address"},
    {"seller_cancel_unpaid_reason_buyer_hasnt_paid_within_time_allowed", "payment_timeout"},
    {"system_cancel_unpaid_time_out", "payment_timeout"},
    {"buyer payment overdue", "payment_timeout"},
    {"seller_cancel_unpaid_reason_buyer_requested_cancellation", "buyer_requested_off_platform"},
    {"seller_cancel_paid_reason_buyer_requested_cancellation", "buyer_requested_off_platform"},
    {"system_cancel_anti_span_block", "risk_control"},
    {"operator_cancel_risk_control_block", "risk_control"},
    {"system_cancel_order_reason_potential_fraud", "risk_control"},
    {"returned_to_shipper_refused", "returned_to_shipper_refused"},
    {"returned_to_shipper_other", "delivery_failed"},
    {"package_damaged", "package_damaged"},
    {"package_lost", "lost_in_transit"},
    {"system_cancel_order_reason_shipping_timeout", "seller_late_ship"},
    {"system_cancel_order_exceed_edt_not_arrive", "seller_late_delivery"},
    {"package rejected", "returned_to_shipper_refused"},
    {"package delivery failed", "delivery_failed"},
    {"package damaged", "package_damaged"},
    {"package lost", "lost_in_transit"},
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& ch : out)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  return out;
}

std::string_view reason_code(std::string_view tiktok) {
  std::string key = lower(tiktok);
  if (key.size() > 3 && key.compare(key.size() - 3, 3, "_uk") == 0) key.resize(key.size() - 3);
  for (const auto& row : reason_table)
    if (row.tiktok == key) return row.code;
  return {};
}

struct line_in {
  std::string id, package_id, package_status, display_status, cancel_user, cancel_reason, tracking, carrier;
  std::optional<instant> rts;
  std::size_t index = 0;
  [[nodiscard]] bool cancelled() const {
    return display_status == "CANCELLED" || package_status == "CANCELLED" || !cancel_user.empty();
  }
  [[nodiscard]] bool shipped() const {
    return package_status == "FULFILLING" || package_status == "COMPLETED" || display_status == "IN_TRANSIT" ||
           display_status == "DELIVERED" || display_status == "COMPLETED";
  }
  [[nodiscard]] bool delivered() const {
    return package_status == "COMPLETED" || display_status == "DELIVERED" || display_status == "COMPLETED";
  }
};

class tiktok_reader {
 public:
  tiktok_reader(json_ctx& c, std::vector<import_warning>& w, const import_options& opts) : c_(c), w_(w), opts_(opts) {}

  void read(const value_view& root, const std::string& base) {
    base_ = base;
    const object_view j(root);
    read_head(j);
    if (c_.failed()) return;
    read_lines(j);
    if (c_.failed()) return;
    read_deadlines(j);
    rebuild_events();
  }

  draft_order d;

 private:
  [[nodiscard]] std::string at(std::string_view key) const { return pointer_append(base_, key); }

  void read_head(const object_view& j) {
    read_string(c_, j, base_, "id", presence::required, d.order_id, 64);
    if (!c_.failed() && d.order_id.empty()) c_.fail("invalid_value", at("id"), "the order id must not be empty");
    d.platform_name = "tiktok";
    d.platform_order_id = d.order_id;
    read_string(c_, j, base_, "user_id", presence::optional, d.buyer_id, 128);
    read_string(c_, j, base_, "status", presence::required, status_, 64);
    if (c_.failed()) return;
    if (std::find(statuses.begin(), statuses.end(), status_) != statuses.end()) {
      d.platform_status = status_;
    } else {
      d.platform_raw_status = status_;
      warn(w_, "unknown_status", at("status"),
           "status \"" + std::string(utf8_prefix(status_, 64)) +
               "\" is none of TikTok's nine: kept as platform.raw_status, not compared");
    }
    if (auto t = read_epoch(c_, j, base_, "create_time", presence::required))
      d.placed_at = *t;
    else if (!c_.failed())
      c_.fail("invalid_value", at("create_time"), "create_time must be a time, not 0");
    const value_view* pv = read_object(c_, j, base_, "payment", presence::required);
    if (pv == nullptr) return;
    const object_view pay(*pv);
    const std::string pbase = at("payment");
    read_string(c_, pay, pbase, "currency", presence::required, d.currency, 3);
    if (c_.failed()) return;
    if (d.currency.size() != 3 ||
        !std::all_of(d.currency.begin(), d.currency.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; })) {
      c_.fail("invalid_value", pointer_append(pbase, "currency"), "currency is a 3-letter ISO 4217 code");
      return;
    }
    exponent_ = currency_exponent(d.currency);
    read_money(c_, pay, pbase, "total_amount", presence::required, exponent_, d.total_minor);
    std::int64_t ship = 0;
    if (read_money(c_, pay, pbase, "shipping_fee", presence::optional, exponent_, ship)) {
      if (ship > d.total_minor)
        c_.fail("invalid_value", pointer_append(pbase, "shipping_fee"), "shipping_fee is more than total_amount");
      d.shipping_minor = ship;
    }
    bool cod = false;
    read_bool(c_, j, base_, "is_cod", presence::optional, cod);
    if (cod) d.payment_method = "cod";
    cod_ = cod;
    read_market(j);
    d.seller_id = opts_.seller_id;
    if (d.seller_id.empty())
      warn(w_, "seller_id_missing", base_.empty() ? "" : base_,
           "the payload names no seller: seller_id is \"\" (give it with --seller)");
    read_order_type(j);
  }

  void read_market(const object_view& j) {
    d.market = opts_.market;
    if (!d.market.empty()) return;
    if (const value_view* av = read_object(c_, j, base_, "recipient_address", presence::optional))
      read_string(c_, object_view(*av), at("recipient_address"), "region_code", presence::optional, d.market, 16);
    if (!c_.failed() && d.market.empty())
      c_.fail("missing_field", pointer_append(at("recipient_address"), "region_code"),
              "the market is neither given (--market) nor in recipient_address.region_code");
  }

  void read_order_type(const object_view& j) {
    std::string type;
    read_string(c_, j, base_, "order_type", presence::optional, type, 32);
    if (type == "PRE_ORDER") {
      d.order_type = "pre_order";
      if (auto r = read_epoch(c_, j, base_, "release_date")) {
        d.release_date = format_date(civil_date{std::chrono::floor<date::days>(*r)});
      } else if (!c_.failed()) {
        c_.fail("missing_field", at("release_date"), "a PRE_ORDER needs its release_date");
      }
    } else if (type == "MADE_TO_ORDER" || type == "BACK_ORDER") {
      d.order_type = type == "MADE_TO_ORDER" ? "made_to_order" : "back_order";
    } else if (!type.empty() && type != "NORMAL" && type != "ZERO_LOTTERY") {
      warn(w_, "unknown_order_type", at("order_type"),
           "order_type \"" + std::string(utf8_prefix(type, 32)) + "\" is not mapped: imported as normal");
    }
    if (const value_view* hv = read_object(c_, j, base_, "handling_duration", presence::optional)) {
      const object_view h(*hv);
      const std::string hbase = at("handling_duration");
      std::string days, kind;
      read_string(c_, h, hbase, "days", presence::optional, days, 8);
      read_string(c_, h, hbase, "type", presence::optional, kind, 32);
      if (auto n = decimal_to_minor(days, 0); n && *n <= 366) {
        d.handling_days = *n;
        if (kind == "CALENDAR_DAY")
          warn(w_, "handling_in_calendar_days", pointer_append(hbase, "type"),
               "TikTok counts this handling time in calendar days; ordertrail counts promise.handling_days in "
               "working days");
      } else if (!days.empty()) {
        c_.fail("invalid_value", pointer_append(hbase, "days"), "handling days are a whole number from 0 to 366");
      }
    }
  }

  void read_lines(const object_view& j) {
    const value_view* arr = read_array(c_, j, base_, "line_items", presence::required);
    if (arr == nullptr) return;
    const auto elements = arr->elements();
    if (elements.empty()) {
      c_.fail("invalid_value", at("line_items"), "an order has at least one line item");
      return;
    }
    std::set<std::string> ids;
    for (std::size_t i = 0; i < elements.size() && !c_.failed(); ++i) {
      const std::string path = pointer_append(at("line_items"), i);
      if (!expect_object(c_, elements[i], path)) return;
      const object_view li(elements[i]);
      line_in in;
      in.index = i;
      draft_line l;
      read_string(c_, li, path, "id", presence::required, in.id, max_id_bytes);
      if (!c_.failed() && in.id.empty()) c_.fail("invalid_value", pointer_append(path, "id"), "a line id is not empty");
      if (!c_.failed() && !ids.insert(in.id).second)
        c_.fail("duplicate_line", pointer_append(path, "id"), "line item id \"" + in.id + "\" is given twice");
      if (!read_string(c_, li, path, "seller_sku", presence::optional, l.sku, 128) || l.sku.empty())
        read_string(c_, li, path, "sku_id", presence::required, l.sku, 128);
      std::string product, variant;
      read_string(c_, li, path, "product_name", presence::optional, product, 20000);
      read_string(c_, li, path, "sku_name", presence::optional, variant, 20000);
      l.name = variant.empty() ? product : product + " (" + variant + ")";
      std::string cur;
      if (read_string(c_, li, path, "currency", presence::optional, cur, 3) && !cur.empty() && cur != d.currency)
        c_.fail("invalid_value", pointer_append(path, "currency"),
                "line currency " + cur + " differs from payment.currency " + d.currency);
      read_money(c_, li, path, "sale_price", presence::required, exponent_, l.unit_price_minor);
      read_string(c_, li, path, "package_id", presence::optional, in.package_id, max_id_bytes);
      read_string(c_, li, path, "package_status", presence::optional, in.package_status, 32);
      read_string(c_, li, path, "display_status", presence::optional, in.display_status, 32);
      read_string(c_, li, path, "cancel_user", presence::optional, in.cancel_user, 32);
      read_string(c_, li, path, "cancel_reason", presence::optional, in.cancel_reason, 256);
      read_string(c_, li, path, "tracking_number", presence::optional, in.tracking, 128);
      read_string(c_, li, path, "shipping_provider_name", presence::optional, in.carrier, 128);
      in.rts = read_epoch(c_, li, path, "rts_time");
      if (c_.failed()) return;
      check_line_values(in, path);
      l.line_id = in.id;
      d.lines.push_back(std::move(l));
      lines_.push_back(std::move(in));
    }
  }

  void check_line_values(const line_in& in, const std::string& path) {
    static constexpr std::array<std::string_view, 5> packages{"TO_FULFILL", "PROCESSING", "FULFILLING", "COMPLETED",
                                                              "CANCELLED"};
    if (!in.package_status.empty() && std::find(packages.begin(), packages.end(), in.package_status) == packages.end())
      warn(w_, "unknown_package_status", pointer_append(path, "package_status"),
           "package_status \"" + std::string(utf8_prefix(in.package_status, 32)) + "\" is not mapped: ignored");
    if (!in.display_status.empty() && std::find(statuses.begin(), statuses.end(), in.display_status) == statuses.end())
      warn(w_, "unknown_status", pointer_append(path, "display_status"),
           "display_status \"" + std::string(utf8_prefix(in.display_status, 32)) + "\" is not mapped: ignored");
  }

  void read_deadlines(const object_view& j) {
    // TikTok's field -> the SPEC 1.1 deadline it stamps ("" = kept raw only).
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 7> fields{{
        {"rts_sla_time", "dispatch_by"},
        {"shipping_due_time", "ship_by"},
        {"tts_sla_time", ""},
        {"collection_due_time", "collection_by"},
        {"delivery_sla_time", "deliver_by"},
        {"delivery_due_time", "delivery"},
        {"cancel_order_sla_time", ""},
    }};
    request_at_ = read_epoch(c_, j, base_, "request_cancel_time");
    paid_at_ = read_epoch(c_, j, base_, "paid_time");
    for (const auto& [field, spec] : fields) {
      auto t = read_epoch(c_, j, base_, field);
      if (!t) continue;
      d.raw_deadlines.emplace_back(std::string(field), *t);
      std::string_view name = spec;
      // The automatic cancellation: of a pending request when there is one,
      // else of an unpaid order (RULES "Importing platform payloads").
      if (field == "cancel_order_sla_time") {
        bool pending = false;
        read_bool(c_, j, base_, "is_buyer_request_cancel", presence::optional, pending);
        name = pending || (request_at_ && status_ != "CANCELLED") ? "cancel_request_response"
               : !paid_at_ && !cod_                               ? "payment"
                                                                  : "";
      }
      if (!name.empty()) d.deadlines.emplace_back(std::string(name), *t);
    }
    rts_at_ = read_epoch(c_, j, base_, "rts_time");
    collection_at_ = read_epoch(c_, j, base_, "collection_time");
    delivery_at_ = read_epoch(c_, j, base_, "delivery_time");
    cancel_at_ = read_epoch(c_, j, base_, "cancel_time");
    update_at_ = read_epoch(c_, j, base_, "update_time");
    read_string(c_, j, base_, "cancel_reason", presence::optional, cancel_reason_, 256);
    read_string(c_, j, base_, "cancellation_initiator", presence::optional, initiator_, 32);
    read_string(c_, j, base_, "tracking_number", presence::optional, tracking_, 128);
    read_string(c_, j, base_, "shipping_provider", presence::optional, carrier_, 128);
  }

  draft_event& add(instant t, std::string type, std::string source) {
    draft_event e;
    e.at = t;
    e.type = std::move(type);
    e.source = std::move(source);
    d.events.push_back(std::move(e));
    return d.events.back();
  }

  // `by` and `reason` of a cancellation from TikTok's initiator and reason.
  void cancel_fields(draft_event& e, std::string_view initiator, const std::string& ipath, std::string_view reason,
                     const std::string& rpath) {
    e.by = party_of(initiator);
    if (e.by.empty()) {
      e.by = "platform";
      e.platform_by = std::string(utf8_prefix(initiator, 32));
      warn(w_, "unknown_initiator", ipath,
           initiator.empty() ? "the cancellation names no initiator: recorded as by platform"
                             : "initiator \"" + e.platform_by + "\" is not mapped: recorded as by platform");
    }
    const std::string_view code = reason_code(reason);
    e.platform_reason = std::string(utf8_prefix(reason, 128));
    e.reason = code.empty() ? e.platform_reason : std::string(code);
    if (code.empty())
      warn(w_, "unknown_cancel_reason", rpath,
           reason.empty() ? "the cancellation gives no reason: the evaluation reports it unknown"
                          : "cancel reason \"" + e.platform_reason +
                                "\" is not mapped: kept as given, the evaluation reports it unknown_reason");
    if (e.reason.empty()) e.reason = "unspecified";
  }

  void rebuild_events() {
    if (paid_at_) {
      auto& e = add(*paid_at_, "payment_succeeded", at("paid_time"));
      e.by = cod_ ? "carrier" : "platform";
    }
    rebuild_packages();
    rebuild_cancellations();
    if (status_ == "COMPLETED") {
      if (update_at_)
        add(*update_at_, "completed", at("update_time")).by = "platform";
      else
        warn(w_, "timestamp_missing", at("update_time"),
             "a COMPLETED order without update_time: its completion is left out");
    }
  }

  void rebuild_packages() {
    // Packages in order of first appearance; lines without package_id that
    // were packed or shipped form package "_1".
    std::vector<std::string> order;
    std::map<std::string, std::vector<const line_in*>> groups;
    for (const auto& l : lines_) {
      if (l.cancelled()) continue;
      // Packed: its own rts_time, with the carrier, or arranged (PROCESSING,
      // AWAITING_COLLECTION); a line that says nothing of itself follows the
      // order's rts_time once the order is past packing.
      const bool silent = l.package_status.empty() && (l.display_status.empty() || l.display_status == status_);
      const bool after_packing = status_ == "AWAITING_COLLECTION" || status_ == "IN_TRANSIT" ||
                                 status_ == "DELIVERED" || status_ == "COMPLETED";
      if (!l.rts && !l.shipped() && l.package_status != "PROCESSING" && l.display_status != "AWAITING_COLLECTION" &&
          !(silent && rts_at_ && after_packing))
        continue;
      const std::string id = l.package_id.empty() ? "_1" : l.package_id;
      if (groups.find(id) == groups.end()) order.push_back(id);
      groups[id].push_back(&l);
    }
    for (const auto& id : order) {
      const auto& ls = groups[id];
      const std::string first = pointer_append(at("line_items"), ls.front()->index);
      std::optional<instant> rts;
      std::string rts_path = at("rts_time");
      for (const auto* l : ls)
        if (l->rts && (!rts || *l->rts < *rts)) {
          rts = l->rts;
          rts_path = pointer_append(pointer_append(at("line_items"), l->index), "rts_time");
        }
      if (!rts) rts = rts_at_;
      const bool shipped = std::any_of(ls.begin(), ls.end(), [](const line_in* l) { return l->shipped(); });
      const bool delivered = std::all_of(ls.begin(), ls.end(), [](const line_in* l) { return l->delivered(); });
      auto units = [&](draft_event& e) {
        e.package_id = id;
        for (const auto* l : ls) e.items.push_back({l->id, 1});
      };
      if (rts) {
        auto& e = add(*rts, "ready_to_ship", rts_path);
        e.by = "seller";
        units(e);
      } else if (!shipped) {
        warn(w_, "timestamp_missing", first, "package " + id + " has no rts_time: its packing is left out");
      }
      if (!shipped) continue;
      std::optional<instant> ship_at = collection_at_;
      std::string ship_path = at("collection_time");
      if (!ship_at && rts) {
        ship_at = rts;
        ship_path = rts_path;
        warn(w_, "shipped_at_estimated", pointer_append(first, "package_status"),
             "package " + id + " is with the carrier but the order has no collection_time: shipped at its rts_time");
      }
      if (!ship_at) {
        warn(w_, "timestamp_missing", pointer_append(first, "package_status"),
             "package " + id + " is with the carrier but neither collection_time nor rts_time says when");
        continue;
      }
      if (rts && *ship_at < *rts)
        warn(w_, "timestamps_out_of_order", ship_path, "package " + id + " was collected before its rts_time");
      auto& e = add(*ship_at, "shipped", ship_path);
      e.by = "carrier";
      e.package_id = id;
      e.carrier = ls.front()->carrier.empty() ? carrier_ : ls.front()->carrier;
      e.tracking_number = ls.front()->tracking.empty() ? tracking_ : ls.front()->tracking;
      if (!delivered) continue;
      if (!delivery_at_) {
        warn(w_, "timestamp_missing", at("delivery_time"),
             "package " + id + " is delivered but the order has no delivery_time: its delivery is left out");
        continue;
      }
      if (*delivery_at_ < *ship_at)
        warn(w_, "timestamps_out_of_order", at("delivery_time"),
             "delivery_time is before package " + id + " was shipped; kept as given");
      if (order.size() > 1)
        warn(w_, "delivered_at_estimated", at("delivery_time"),
             "package " + id + " of " + std::to_string(order.size()) +
                 ": TikTok gives one delivery_time for the order, used for each package");
      auto& dv = add(*delivery_at_, "delivered", at("delivery_time"));
      dv.by = "carrier";
      dv.package_id = id;
    }
  }

  void rebuild_cancellations() {
    const bool whole = status_ == "CANCELLED";
    if (request_at_) {
      auto& e = add(*request_at_, "cancel_requested", at("request_cancel_time"));
      e.by = "buyer";
      if (whole && initiator_ == "BUYER") {
        const std::string_view code = reason_code(cancel_reason_);
        if (!code.empty()) e.reason = code;
      }
    }
    if (whole) {
      if (!cancel_at_) {
        warn(w_, "timestamp_missing", at("cancel_time"),
             "a CANCELLED order without cancel_time: its cancellation is left out");
        return;
      }
      std::string initiator = initiator_, ipath = at("cancellation_initiator"), reason = cancel_reason_,
                  rpath = at("cancel_reason");
      if (initiator.empty() || reason.empty())
        for (const auto& l : lines_)
          if (l.cancelled()) {
            const std::string lp = pointer_append(at("line_items"), l.index);
            if (initiator.empty()) initiator = l.cancel_user, ipath = pointer_append(lp, "cancel_user");
            if (reason.empty()) reason = l.cancel_reason, rpath = pointer_append(lp, "cancel_reason");
            break;
          }
      if (request_at_ && initiator == "BUYER" && *request_at_ <= *cancel_at_) {
        // The buyer's request was granted; the payload does not say by whom.
        auto& e = add(*cancel_at_, "cancel_request_approved", at("cancel_time"));
        e.by = "platform";
        e.platform_reason = std::string(utf8_prefix(reason, 128));
        return;
      }
      cancel_fields(add(*cancel_at_, "cancelled", at("cancel_time")), initiator, ipath, reason, rpath);
      return;
    }
    // Line cancellations: one event per (initiator, reason), at cancel_time,
    // else update_time (warned), in line order.
    std::vector<std::pair<std::pair<std::string, std::string>, std::vector<const line_in*>>> groups;
    for (const auto& l : lines_) {
      if (!l.cancelled()) continue;
      auto key = std::make_pair(l.cancel_user, l.cancel_reason);
      auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == key; });
      if (it == groups.end()) {
        groups.push_back({key, {}});
        it = std::prev(groups.end());
      }
      it->second.push_back(&l);
    }
    for (const auto& [key, ls] : groups) {
      const std::string lp = pointer_append(at("line_items"), ls.front()->index);
      std::optional<instant> t = cancel_at_;
      std::string source = at("cancel_time");
      if (!t && update_at_) {
        t = update_at_;
        source = at("update_time");
        warn(w_, "cancelled_at_estimated", pointer_append(lp, "cancel_user"),
             "a line cancellation has no time of its own: recorded at update_time");
      }
      if (!t) {
        warn(w_, "timestamp_missing", pointer_append(lp, "cancel_user"),
             "a line cancellation with neither cancel_time nor update_time: left out");
        continue;
      }
      auto& e = add(*t, "cancelled", source);
      cancel_fields(e, key.first, pointer_append(lp, "cancel_user"), key.second, pointer_append(lp, "cancel_reason"));
      for (const auto* l : ls) e.items.push_back({l->id, 1});
    }
  }

  json_ctx& c_;
  std::vector<import_warning>& w_;
  const import_options& opts_;
  std::string base_;
  std::string status_, cancel_reason_, initiator_, tracking_, carrier_;
  int exponent_ = 2;
  bool cod_ = false;
  std::vector<line_in> lines_;
  std::optional<instant> paid_at_, rts_at_, collection_at_, delivery_at_, cancel_at_, update_at_, request_at_;
};

}  // namespace

result<imported_order> import_tiktok(std::string_view payload, const import_options& opts) {
  // The whole Get Order Detail response with one order, or that order.
  return run_import<tiktok_reader>(
      payload, opts, [](json_ctx& c, const value_view& root, std::string& base) -> const value_view* {
        const value_view* data = object_view(root).find("data");
        if (data == nullptr || data->kind() != json_kind::object) return &root;
        const value_view* orders = read_array(c, object_view(*data), "/data", "orders", presence::required);
        if (orders == nullptr) return nullptr;
        if (orders->elements().size() != 1) {
          c.fail("invalid_value", "/data/orders",
                 "import one order at a time (NDJSON for many): this response has " +
                     std::to_string(orders->elements().size()));
          return nullptr;
        }
        base = "/data/orders/0";
        return expect_object(c, orders->elements()[0], base) ? &orders->elements()[0] : nullptr;
      });
}

}  // namespace ordertrail::detail
