#include "ordertrail/order.hpp"

#include <algorithm>
#include <array>
#include <unordered_map>
#include <unordered_set>

#include "json_in.hpp"
#include "ordertrail/evaluation.hpp"

namespace ordertrail {
namespace {

using detail::json_ctx;
using detail::json_kind;
using detail::object_view;
using detail::presence;
using detail::value_view;

constexpr std::array<std::string_view, 27> event_names{"payment_succeeded",
                                                       "payment_failed",
                                                       "cancelled",
                                                       "cancel_requested",
                                                       "cancel_request_withdrawn",
                                                       "cancel_request_approved",
                                                       "cancel_request_rejected",
                                                       "ready_to_ship",
                                                       "shipped",
                                                       "delivery_attempt_failed",
                                                       "delivered",
                                                       "lost",
                                                       "edd_revised",
                                                       "return_requested",
                                                       "return_approved",
                                                       "return_rejected",
                                                       "return_shipped",
                                                       "return_received",
                                                       "refunded",
                                                       "completed",
                                                       "tracking_update",
                                                       "delivery_refused",
                                                       "returned_to_sender",
                                                       "return_withdrawn",
                                                       "appeal_opened",
                                                       "appeal_decided",
                                                       "case_closed"};

constexpr std::array<std::string_view, 6> party_names{"", "buyer", "seller", "platform", "operator", "carrier"};

result<instant> read_instant(json_ctx& c, const object_view& obj, std::string_view base, std::string_view key,
                             presence p) {
  std::string decoded;
  std::string_view s;
  if (!detail::read_string_view(c, obj, base, key, p, s, decoded, 64)) return error{"absent", "", ""};
  auto t = parse_instant(s);
  if (!t) c.fail(t.err().code, detail::pointer_append(base, key), t.err().message);
  return t;
}

std::optional<civil_date> read_date(json_ctx& c, const object_view& obj, std::string_view base, std::string_view key,
                                    presence p) {
  std::string s;
  if (!detail::read_string(c, obj, base, key, p, s, 32)) return std::nullopt;
  auto d = parse_date(s, detail::pointer_append(base, key));
  if (!d) {
    c.fail(d.err().code, d.err().path, d.err().message);
    return std::nullopt;
  }
  return *d;
}

// Money is checked, never wrapped nor saturated (SPEC 0.3): a product or a
// sum past 2^53 - 1 is invalid_value at the field that takes it there. Every
// operand is at most 2^53 - 1, so a sum of two fits in 64 bits; a product is
// checked for overflow on the way.
bool exceeds_safe(std::int64_t v) { return v > detail::max_safe_integer; }

void read_items(json_ctx& c, const value_view& arr, order& o) {
  const auto elements = arr.elements();
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < elements.size() && !c.failed(); ++i) {
    const auto path = detail::pointer_append("/items", i);
    if (!detail::expect_object(c, elements[i], path)) return;
    const object_view j(elements[i]);
    item it;
    if (detail::read_string(c, j, path, "line_id", presence::optional, it.line_id, max_id_bytes) && it.line_id.empty())
      c.fail("invalid_value", detail::pointer_append(path, "line_id"), "line_id must not be empty");
    detail::read_string(c, j, path, "sku", presence::required, it.sku, 128);
    detail::read_string(c, j, path, "name", presence::optional, it.name, max_text_bytes);
    detail::read_int(c, j, path, "qty", presence::required, 1, 1000000, it.qty);
    detail::read_int(c, j, path, "unit_price_minor", presence::required, 0, detail::max_safe_integer,
                     it.unit_price_minor);
    detail::read_bool(c, j, path, "returnable", presence::optional, it.returnable);
    if (c.failed()) return;
    std::int64_t value = 0;
    if (__builtin_mul_overflow(it.qty, it.unit_price_minor, &value) || exceeds_safe(value)) {
      c.fail("invalid_value", detail::pointer_append(path, "qty"),
             "qty x unit_price_minor exceeds 9007199254740991, the largest amount carried exactly");
      return;
    }
    sum += value;
    if (exceeds_safe(sum)) {
      c.fail("invalid_value", path, "the items' values sum past 9007199254740991, the largest amount carried exactly");
      return;
    }
    o.items.push_back(std::move(it));
  }
}

// Line ids (docs/RULES.md "Lines"): explicit ids are unique and reserved
// first; a line without one takes its sku, else sku#2, sku#3, ...
void assign_line_ids(json_ctx& c, order& o) {
  // The usual order: a few lines, no id given, skus distinct: each line is
  // its sku (checked pairwise, no hashing).
  if (o.items.size() <= 16 &&
      std::all_of(o.items.begin(), o.items.end(), [](const item& it) { return it.line_id.empty(); })) {
    bool distinct = true;
    for (std::size_t i = 0; i < o.items.size() && distinct; ++i)
      for (std::size_t j = 0; j < i && distinct; ++j) distinct = o.items[i].sku != o.items[j].sku;
    if (distinct) {
      for (auto& it : o.items) it.line_id = it.sku;
      return;
    }
  }
  std::vector<std::pair<std::string_view, std::size_t>> given;
  for (std::size_t i = 0; i < o.items.size(); ++i)
    if (!o.items[i].line_id.empty()) given.emplace_back(o.items[i].line_id, i);
  std::stable_sort(given.begin(), given.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (std::size_t k = 1; k < given.size(); ++k) {
    if (given[k].first == given[k - 1].first) {
      c.fail("duplicate_line", detail::pointer_append(detail::pointer_append("/items", given[k].second), "line_id"),
             "line_id \"" + std::string(given[k].first) + "\" is given to two lines");
      return;
    }
  }
  std::unordered_set<std::string> taken;
  taken.reserve(o.items.size() * 2);
  for (const auto& it : o.items)
    if (!it.line_id.empty()) taken.insert(it.line_id);
  std::unordered_map<std::string, int> next;  // per sku, the next suffix to try
  for (auto& it : o.items) {
    if (!it.line_id.empty()) continue;
    std::string id = it.sku;
    if (taken.count(id) != 0) {
      int& n = next.try_emplace(it.sku, 2).first->second;
      do id = it.sku + "#" + std::to_string(n++);
      while (taken.count(id) != 0);
    }
    taken.insert(id);
    it.line_id = std::move(id);
  }
}

// `items` of an event: a plain string (a line_id, else a sku: the whole
// line) or {line_id | sku, qty}; on `refunded` {line_id | sku, amount_minor}.
void read_event_items(json_ctx& c, const value_view& arr, std::string_view base, event& e) {
  const bool money = e.type == event_type::refunded;
  const auto elements = arr.elements();
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < elements.size() && !c.failed(); ++i) {
    const auto path = detail::pointer_append(base, i);
    item_ref r;
    if (elements[i].kind() == json_kind::string && !money) {
      r.ref = elements[i].string();
    } else if (elements[i].kind() == json_kind::object) {
      const object_view j(elements[i]);
      if (detail::read_string(c, j, path, "line_id", presence::optional, r.ref, max_id_bytes)) {
        r.kind = ref_kind::line_id;
      } else if (!c.failed()) {
        detail::read_string(c, j, path, "sku", presence::required, r.ref, 128);
        r.kind = ref_kind::sku;
      }
      std::int64_t q = 0;
      if (money) {
        if (detail::read_int(c, j, path, "amount_minor", presence::required, 0, detail::max_safe_integer, q))
          r.amount_minor = q;
        sum += q;
      } else if (detail::read_int(c, j, path, "qty", presence::optional, 1, 1000000, q)) {
        r.qty = q;
      }
    } else {
      c.fail("invalid_type", path,
             money ? "a refunded line is {line_id | sku, amount_minor}"
                   : "an item is a line_id or sku string, or {line_id | sku, qty}");
    }
    e.items.push_back(std::move(r));
  }
  if (money && !c.failed() && e.amount_minor && sum > *e.amount_minor) {
    c.fail("invalid_value", std::string(base),
           "the lines' amounts sum to " + std::to_string(sum) + ", more than the refund's amount_minor " +
               std::to_string(*e.amount_minor));
  }
}

bool carries_items(event_type t) {
  switch (t) {
    case event_type::cancelled:
    case event_type::ready_to_ship:
    case event_type::shipped:
    case event_type::return_requested:
    case event_type::refunded:
      return true;
    default:
      return false;
  }
}

bool carries_package(event_type t) {
  switch (t) {
    case event_type::tracking_update:
    case event_type::delivery_refused:
    case event_type::returned_to_sender:
    case event_type::cancelled:
    case event_type::ready_to_ship:
    case event_type::shipped:
    case event_type::delivery_attempt_failed:
    case event_type::delivered:
    case event_type::lost:
      return true;
    default:
      return false;
  }
}

bool carries_case(event_type t) {
  switch (t) {
    case event_type::return_withdrawn:
    case event_type::appeal_opened:
    case event_type::appeal_decided:
    case event_type::case_closed:
    case event_type::return_requested:
    case event_type::return_approved:
    case event_type::return_rejected:
    case event_type::return_shipped:
    case event_type::return_received:
    case event_type::refunded:
      return true;
    default:
      return false;
  }
}

void read_order_type(json_ctx& c, const object_view& j, order& o) {
  std::string type;
  if (detail::read_string(c, j, "", "order_type", presence::optional, type, 32)) {
    if (const auto k = order_kind_from(type))
      o.type = *k;
    else
      c.fail("invalid_value", "/order_type", "order_type must be normal, pre_order, made_to_order or back_order");
  }
  if (c.failed()) return;
  const bool pre = o.type == order_kind::pre_order;
  o.release_date = read_date(c, j, "", "release_date", pre ? presence::required : presence::optional);
  if (!c.failed() && o.release_date && !pre)
    c.fail("invalid_value", "/release_date", "release_date is for a pre_order only");
}

void read_id(json_ctx& c, const object_view& j, std::string_view path, std::string_view key, std::string& out) {
  if (detail::read_string(c, j, path, key, presence::optional, out, max_id_bytes) && out.empty())
    c.fail("invalid_value", detail::pointer_append(path, key), std::string(key) + " must not be empty");
}

// The fields of the case steps and of a carrier's scan (SPEC 1.2).
void read_case_fields(json_ctx& c, const object_view& j, std::string_view path, event& e) {
  std::string word;
  switch (e.type) {
    case event_type::return_requested:
      // SPEC 1.2 calls it `type`, which is the event's own type: the case's
      // is `case_type` (docs/RULES.md "After-sales cases").
      if (detail::read_string(c, j, path, "case_type", presence::optional, word, 32)) {
        if (word == "refund_only")
          e.refund_only = true;
        else if (word != "return_and_refund")
          c.fail("invalid_value", detail::pointer_append(path, "case_type"),
                 "a return request's case_type is return_and_refund or refund_only");
      }
      break;
    case event_type::return_approved:
      detail::read_bool(c, j, path, "keep_item", presence::optional, e.keep_item);
      break;
    case event_type::appeal_decided:
      if (detail::read_string(c, j, path, "outcome", presence::required, word, 16)) {
        if (word == "buyer" || word == "seller")
          e.outcome = word == "buyer" ? party::buyer : party::seller;
        else
          c.fail("invalid_value", detail::pointer_append(path, "outcome"), "an appeal's outcome is buyer or seller");
      }
      break;
    case event_type::tracking_update:
      detail::read_string(c, j, path, "status", presence::optional, e.status, 64);
      detail::read_string(c, j, path, "text", presence::optional, e.text, max_text_bytes);
      break;
    default:
      break;
  }
}

// An event at `path` of the document; `fixed_at` set: a command (SPEC 7),
// which has no `at` of its own and is recorded at that instant.
void read_event_at(json_ctx& c, const value_view& v, const std::string& path, std::size_t index, order& o,
                   std::optional<instant> fixed_at) {
  if (!detail::expect_object(c, v, path)) return;
  const object_view j(v);
  event e;
  e.index = index;
  std::string storage;
  std::string_view type;
  if (!detail::read_string_view(c, j, path, "type", presence::required, type, storage, 64)) return;
  const auto t = event_type_from(type);
  if (!t) {
    c.fail("unknown_event_type", detail::pointer_append(path, "type"),
           "unknown event type \"" + std::string(utf8_prefix(type, 64)) + "\"");
    return;
  }
  e.type = *t;
  // Members read so far: when they are all of the object's, the keys of
  // lines, packages and cases (rare in most histories) need no lookup.
  std::size_t seen = 2;  // type, at (required)
  if (fixed_at) {
    --seen;
    if (j.find("at") != nullptr)
      c.fail("invalid_value", detail::pointer_append(path, "at"), "a command has no \"at\": it is recorded at now");
    e.at = *fixed_at;
  } else if (auto at = read_instant(c, j, path, "at", presence::required)) {
    e.at = *at;
  }
  seen += detail::read_string(c, j, path, "id", presence::optional, e.id, 128);
  std::string_view by;
  // A command's missing `by` or `reason` is a refusal of decide, not an error.
  const bool required = e.type == event_type::cancelled && !fixed_at;
  const presence by_presence = required ? presence::required : presence::optional;
  if (detail::read_string_view(c, j, path, "by", by_presence, by, storage, 32)) {
    ++seen;
    const auto p = party_from(by);
    if (!p) {
      c.fail("unknown_party", detail::pointer_append(path, "by"),
             "\"by\" must be buyer, seller, platform, operator or carrier");
    } else {
      e.by = *p;
    }
  }
  const presence reason_presence = by_presence;
  const bool has_reason = detail::read_string(c, j, path, "reason", reason_presence, e.reason, 128);
  seen += has_reason;
  seen += detail::read_string(c, j, path, "note", presence::optional, e.note, max_text_bytes);
  std::int64_t amount = 0;
  const bool amount_matters = e.type == event_type::payment_succeeded || e.type == event_type::refunded;
  if (amount_matters && detail::read_int(c, j, path, "amount_minor",
                                         e.type == event_type::refunded ? presence::required : presence::optional, 0,
                                         detail::max_safe_integer, amount)) {
    e.amount_minor = amount;
    ++seen;
  }
  seen += detail::read_string(c, j, path, "carrier", presence::optional, e.carrier, 128);
  seen += detail::read_string(c, j, path, "tracking_number", presence::optional, e.tracking_number, 128);
  if (e.type == event_type::edd_revised) {
    e.est_delivery = read_date(c, j, path, "est_delivery", presence::required);
    ++seen;
  }
  // A command's claim (not received, delivered but not received) is a
  // refund without a return unless it says otherwise (RULES "Commands").
  if (fixed_at && e.type == event_type::return_requested && j.find("case_type") == nullptr &&
      (e.reason == "not_received" || e.reason == "delivered_not_received"))
    e.refund_only = true;
  if (seen >= j.members().size()) {
    if (c.failed()) return;
    o.events.push_back(std::move(e));
    return;
  }
  read_case_fields(c, j, path, e);
  if (carries_package(e.type)) read_id(c, j, path, "package_id", e.package_id);
  if (carries_case(e.type)) read_id(c, j, path, "case_id", e.case_id);
  if (carries_items(e.type))
    if (const value_view* items = detail::read_array(c, j, path, "items", presence::optional))
      read_event_items(c, *items, detail::pointer_append(path, "items"), e);
  if (c.failed()) return;
  o.events.push_back(std::move(e));
}

void read_event(json_ctx& c, const value_view& v, std::size_t index, order& o) {
  read_event_at(c, v, detail::pointer_append("/events", index), index, o, std::nullopt);
}

// Payments (absent amount = the total) and refunds are summed by the
// replay; their sums over the whole document must be exact.
void check_money_sums(json_ctx& c, const order& o) {
  std::int64_t paid = 0, refunded = 0;
  for (const auto& e : o.events) {
    if (c.failed()) return;
    std::int64_t* sum = e.type == event_type::payment_succeeded ? &paid
                        : e.type == event_type::refunded        ? &refunded
                                                                : nullptr;
    if (sum == nullptr) continue;
    *sum += e.amount_minor.value_or(o.total_minor);
    if (exceeds_safe(*sum)) {
      const auto path = detail::pointer_append("/events", e.index);
      c.fail("invalid_value", e.amount_minor ? detail::pointer_append(path, "amount_minor") : path,
             std::string(e.type == event_type::refunded ? "refunds" : "payments") +
                 " sum past 9007199254740991, the largest amount carried exactly");
    }
  }
}

// SPEC 1.1 `platform`: {name, order_id, status, deadlines: {...}}; unknown
// keys are kept and ignored, a status that is not a status name is not
// compared (docs/RULES.md "Platform-stamped deadlines").
void read_platform(json_ctx& c, const value_view& v, order& o) {
  const object_view j(v);
  platform_info pl;
  detail::read_string(c, j, "/platform", "name", presence::optional, pl.name, 64);
  detail::read_string(c, j, "/platform", "order_id", presence::optional, pl.order_id, 128);
  detail::read_string(c, j, "/platform", "status", presence::optional, pl.status, 64);
  if (const value_view* dv = detail::read_object(c, j, "/platform", "deadlines", presence::optional)) {
    const object_view d(*dv);
    const std::pair<std::string_view, std::optional<instant>*> keys[] = {
        {"payment", &pl.payment},
        {"dispatch_by", &pl.dispatch_by},
        {"ship_by", &pl.ship_by},
        {"collection_by", &pl.collection_by},
        {"delivery", &pl.delivery},
        {"deliver_by", &pl.deliver_by},
        {"cancel_request_response", &pl.cancel_request_response}};
    for (const auto& [key, slot] : keys)
      if (auto t = read_instant(c, d, "/platform/deadlines", key, presence::optional)) *slot = *t;
  }
  o.platform = std::move(pl);
}

}  // namespace

std::string_view to_string(event_type t) { return event_names[static_cast<std::size_t>(t)]; }

std::optional<event_type> event_type_from(std::string_view s) {
  for (std::size_t i = 0; i < event_names.size(); ++i)
    if (event_names[i] == s) return static_cast<event_type>(i);
  return std::nullopt;
}

std::string_view to_string(party p) { return party_names[static_cast<std::size_t>(p)]; }

constexpr std::array<std::string_view, 4> order_kind_names{"normal", "pre_order", "made_to_order", "back_order"};

std::string_view to_string(order_kind k) { return order_kind_names[static_cast<std::size_t>(k)]; }

std::optional<order_kind> order_kind_from(std::string_view s) {
  for (std::size_t i = 0; i < order_kind_names.size(); ++i)
    if (order_kind_names[i] == s) return static_cast<order_kind>(i);
  return std::nullopt;
}

std::optional<party> party_from(std::string_view s) {
  for (std::size_t i = 1; i < party_names.size(); ++i)
    if (party_names[i] == s) return static_cast<party>(i);
  return std::nullopt;
}

result<event> parse_command(std::string_view text, instant now) {
  detail::document scanned;
  auto doc = detail::parse_document(scanned, text, max_document_bytes, max_json_depth);
  if (!doc) return doc.err();
  json_ctx c;
  order holder;
  read_event_at(c, *doc, "", 0, holder, now);
  if (c.failed()) return *c.err;
  return std::move(holder.events.front());
}

result<std::string> append_event(std::string_view order_text, std::string_view event_json) {
  detail::document scanned;
  auto doc = detail::parse_document(scanned, order_text, max_document_bytes, max_json_depth);
  if (!doc) return doc.err();
  json_ctx c;
  if (!detail::expect_object(c, *doc, "")) return *c.err;
  auto offset = [&](std::string_view slice) { return static_cast<std::size_t>(slice.data() - order_text.data()); };
  std::string out;
  out.reserve(order_text.size() + event_json.size() + 16);
  const value_view* events = object_view(*doc).find("events");
  if (events != nullptr && events->kind() != json_kind::array)
    return error{"invalid_type", "/events", "events must be an array"};
  if (events == nullptr) {
    // Before the root's closing brace: `,"events":[...]`.
    const std::size_t close = offset(doc->raw()) + doc->raw().size() - 1;
    out.append(order_text.substr(0, close));
    out.append(doc->members().empty() ? "\"events\":[" : ",\"events\":[").append(event_json).append("]");
    out.append(order_text.substr(close));
    return out;
  }
  const std::size_t close = offset(events->raw()) + events->raw().size() - 1;  // its `]`
  out.append(order_text.substr(0, close));
  if (!events->elements().empty()) out.push_back(',');
  out.append(event_json);
  out.append(order_text.substr(close));
  return out;
}

result<order> parse_order(std::string_view text) {
  detail::document scanned;
  auto doc = detail::parse_document(scanned, text, max_document_bytes, max_json_depth);
  if (!doc) return doc.err();
  json_ctx c;
  if (!detail::expect_object(c, *doc, "")) return *c.err;
  const object_view j(*doc);
  order o;
  detail::read_string(c, j, "", "order_id", presence::required, o.order_id, 64);
  if (!c.failed() && o.order_id.empty()) c.fail("invalid_value", "/order_id", "order_id must not be empty");
  detail::read_string(c, j, "", "market", presence::required, o.market, 16);
  detail::read_string(c, j, "", "seller_id", presence::required, o.seller_id, 128);
  detail::read_string(c, j, "", "buyer_id", presence::optional, o.buyer_id, 128);
  detail::read_string(c, j, "", "currency", presence::required, o.currency, 3);
  if (!c.failed() && o.currency.size() != 3)
    c.fail("invalid_value", "/currency", "currency is a 3-letter ISO 4217 code");
  detail::read_int(c, j, "", "total_minor", presence::required, 0, detail::max_safe_integer, o.total_minor);
  if (const value_view* items = detail::read_array(c, j, "", "items", presence::optional)) read_items(c, *items, o);
  if (!c.failed()) assign_line_ids(c, o);
  std::int64_t shipping = 0;
  if (detail::read_int(c, j, "", "shipping_minor", presence::optional, 0, detail::max_safe_integer, shipping)) {
    if (shipping > o.total_minor)
      c.fail(
          "invalid_value", "/shipping_minor",
          "shipping_minor " + std::to_string(shipping) + " is more than total_minor " + std::to_string(o.total_minor));
    o.shipping_minor = shipping;
  }
  detail::read_string(c, j, "", "payment_method", presence::optional, o.payment_method, 64);
  read_order_type(c, j, o);
  if (auto t = read_instant(c, j, "", "placed_at", presence::required)) o.placed_at = *t;
  if (const value_view* pv = detail::read_object(c, j, "", "promise", presence::optional)) {
    const object_view p(*pv);
    std::int64_t h = 0;
    if (detail::read_int(c, p, "/promise", "handling_days", presence::optional, 0, 366, h))
      o.promised.handling_days = static_cast<int>(h);
    std::array<int, 2> transit{};
    if (detail::read_day_range(c, p, "/promise", "transit_days", presence::optional, 366, transit))
      o.promised.transit_days = transit;
    o.promised.est_delivery = read_date(c, p, "/promise", "est_delivery", presence::optional);
  }
  if (const value_view* pv = detail::read_object(c, j, "", "platform", presence::optional)) read_platform(c, *pv, o);
  if (const value_view* events = detail::read_array(c, j, "", "events", presence::optional)) {
    const auto elements = events->elements();
    if (elements.size() > max_events) {
      c.fail("too_many_events", "/events",
             std::to_string(elements.size()) + " events exceed the limit of " + std::to_string(max_events));
    }
    o.events.reserve(elements.size());
    for (std::size_t i = 0; i < elements.size() && !c.failed(); ++i) read_event(c, elements[i], i, o);
    check_money_sums(c, o);
  }
  if (c.failed()) return *c.err;
  return o;
}

}  // namespace ordertrail
