// decide (SPEC 7, docs/RULES.md "Decisions"): a command checked against the
// `actions` of the order's evaluation at `now`, refusals in the RULES order.
#include <algorithm>
#include <array>

#include "lifecycle.hpp"
#include "ordertrail/decision.hpp"
#include "ordertrail/json_writer.hpp"
#include "ordertrail/money.hpp"

namespace ordertrail {
namespace {

constexpr std::array<std::string_view, 13> refusal_names{
    "unknown_line",    "unknown_package",           "no_open_case",
    "no_open_request", "party_not_allowed",         "not_allowed_in_status",
    "window_closed",   "reason_not_allowed",        "qty_exceeds",
    "not_returnable",  "amount_exceeds_refundable", "duplicate_id",
    "events_after_now"};

constexpr unsigned bit(party p) { return 1u << static_cast<unsigned>(p); }
constexpr unsigned buyer = bit(party::buyer), seller = bit(party::seller), platform = bit(party::platform),
                   operator_ = bit(party::operator_), carrier = bit(party::carrier);
constexpr unsigned staff = platform | operator_;

// RULES "Who may record what": the parties of each event type.
unsigned parties_of(event_type t) {
  switch (t) {
    case event_type::payment_succeeded:
      return staff | carrier;
    case event_type::payment_failed:
    case event_type::appeal_decided:
    case event_type::case_closed:
    case event_type::completed:
      return staff;
    case event_type::cancelled:
      return buyer | seller | staff;
    case event_type::cancel_requested:
    case event_type::cancel_request_withdrawn:
    case event_type::return_requested:
    case event_type::return_withdrawn:
    case event_type::return_shipped:
    case event_type::appeal_opened:
      return buyer;
    case event_type::cancel_request_approved:
    case event_type::cancel_request_rejected:
    case event_type::ready_to_ship:
    case event_type::edd_revised:
    case event_type::return_approved:
    case event_type::return_rejected:
    case event_type::return_received:
    case event_type::refunded:
      return seller | staff;
    case event_type::shipped:
      return seller | carrier | staff;
    case event_type::tracking_update:
    case event_type::delivery_attempt_failed:
    case event_type::delivered:
    case event_type::lost:
    case event_type::delivery_refused:
    case event_type::returned_to_sender:
      return carrier | staff;
  }
  return 0;
}

std::string parties_text(event_type t) {
  std::string out;
  for (const party p : {party::buyer, party::seller, party::carrier, party::platform, party::operator_})
    if ((parties_of(t) & bit(p)) != 0) out += (out.empty() ? "" : ", ") + std::string(to_string(p));
  return out;
}

// Events about a package that exists (RULES "Refusals" 2).
bool about_existing_package(event_type t) {
  switch (t) {
    case event_type::tracking_update:
    case event_type::delivery_attempt_failed:
    case event_type::delivered:
    case event_type::lost:
    case event_type::delivery_refused:
    case event_type::returned_to_sender:
      return true;
    default:
      return false;
  }
}

// The steps of an open case (RULES "Refusals" 3).
bool case_step(event_type t) {
  switch (t) {
    case event_type::return_withdrawn:
    case event_type::return_approved:
    case event_type::return_rejected:
    case event_type::return_shipped:
    case event_type::return_received:
    case event_type::appeal_opened:
    case event_type::appeal_decided:
    case event_type::case_closed:
      return true;
    default:
      return false;
  }
}

// `items` as {line_id, qty | amount_minor}: each reference resolved to its
// line (line_id first, then sku), merged, in line order, quantities filled
// in. False when a reference names no line (`unknown` set to it).
bool normalise_items(event& x, const evaluation& e, std::string* unknown = nullptr) {
  if (x.items.empty()) return true;
  const std::size_t n = e.lines.size();
  std::vector<std::int64_t> qty(n, 0), amount(n, 0);
  std::vector<bool> named(n, false);
  for (const auto& r : x.items) {
    std::optional<std::size_t> line;
    for (std::size_t l = 0; l < n && !line; ++l)
      if (r.kind != ref_kind::sku && e.lines[l].line_id == r.ref) line = l;
    for (std::size_t l = 0; l < n && !line; ++l)
      if (r.kind != ref_kind::line_id && e.lines[l].sku == r.ref) line = l;
    if (!line) {
      if (unknown != nullptr) *unknown = r.ref;
      return false;
    }
    named[*line] = true;
    qty[*line] += r.qty.value_or(e.lines[*line].qty);
    amount[*line] += r.amount_minor.value_or(0);
  }
  const bool money = x.type == event_type::refunded;
  x.items.clear();
  for (std::size_t l = 0; l < n; ++l) {
    if (!named[l]) continue;
    item_ref r{e.lines[l].line_id, ref_kind::line_id, std::nullopt, std::nullopt};
    if (money)
      r.amount_minor = amount[l];
    else
      r.qty = qty[l];
    x.items.push_back(std::move(r));
  }
  return true;
}

// The check of one command, in the RULES order.
class checker {
 public:
  checker(const order& o, const policy& p, const evaluation& e, event& ev) : o_(o), p_(p), e_(e), ev_(ev) {}

  std::optional<refusal> later_event(const event& x) const {
    return refuse(refusal_code::events_after_now, "Event " + std::to_string(x.index) + " (" +
                                                      std::string(to_string(x.type)) + ") is recorded at " +
                                                      format_instant(x.at) + ", after now: decide at or after it.");
  }

  // The id of a recorded event with other content (RULES "Refusals" 12).
  std::optional<refusal> conflict(const event& recorded) const {
    return refuse(refusal_code::duplicate_id, "An event with the id " + quoted(ev_.id) +
                                                  " was recorded with other content (" +
                                                  std::string(to_string(recorded.type)) + ").");
  }

  std::optional<refusal> run() {
    if (auto r = lines()) return r;
    if (auto r = package()) return r;
    if (auto r = open_case()) return r;
    if (auto r = open_request()) return r;
    if (auto r = party_row()) return r;
    const allowed_action* a = nullptr;
    if (auto r = entry(a)) return r;
    if (auto r = reason(*a)) return r;
    if (auto r = quantities(*a)) return r;
    if (auto r = returnable(*a)) return r;
    if (auto r = amounts(*a)) return r;
    return std::nullopt;
  }

 private:
  refusal refuse(refusal_code c, std::string message) const {
    refusal r{c, std::move(message), {}};
    const std::string_view actor = ev_.by == party::buyer ? "buyer" : ev_.by == party::seller ? "seller" : "support";
    for (const auto& n : e_.next_actions)
      if (n.actor == actor) r.alternatives.push_back({n.code, n.until});
    if (ev_.by == party::buyer && std::none_of(r.alternatives.begin(), r.alternatives.end(),
                                               [](const alternative& x) { return x.code == "contact_support"; }))
      r.alternatives.push_back({"contact_support", std::nullopt});
    return r;
  }

  std::string by_text() const { return ev_.by == party::none ? "nobody" : std::string(to_string(ev_.by)); }
  std::string type_text() const { return std::string(to_string(ev_.type)); }
  static std::string quoted(std::string_view s) { return "\"" + std::string(utf8_prefix(s, 64)) + "\""; }

  // 1. Items resolved to lines.
  std::optional<refusal> lines() {
    std::string unknown;
    if (!normalise_items(ev_, e_, &unknown))
      return refuse(refusal_code::unknown_line, "No line of the order has the line_id or sku " + quoted(unknown) + ".");
    return std::nullopt;
  }

  // The entries of `actions` for the command's type and party.
  std::vector<const allowed_action*> entries() const {
    std::vector<const allowed_action*> out;
    for (const auto& a : e_.actions)
      if (a.type == ev_.type && a.by == ev_.by) out.push_back(&a);
    return out;
  }

  const package_view* find_package(std::string_view id) const {
    for (const auto& pk : e_.packages)
      if (pk.package_id == id) return &pk;
    return nullptr;
  }

  // 2. The package: one that exists, or the one the entry names.
  std::optional<refusal> package() {
    const bool existing = about_existing_package(ev_.type) || ev_.type == event_type::cancelled;
    if (!ev_.package_id.empty()) {
      if (existing && find_package(ev_.package_id) == nullptr)
        return refuse(refusal_code::unknown_package, "No package " + quoted(ev_.package_id) + " in this order.");
      return std::nullopt;
    }
    if (!about_existing_package(ev_.type)) return std::nullopt;
    std::vector<std::string> candidates;
    for (const auto* a : entries())
      for (const auto& id : a->package_ids)
        if (std::find(candidates.begin(), candidates.end(), id) == candidates.end()) candidates.push_back(id);
    if (candidates.size() == 1) ev_.package_id = candidates.front();
    if (candidates.size() > 1) {
      std::string list;
      for (const auto& id : candidates) list += (list.empty() ? "" : ", ") + id;
      return refuse(refusal_code::unknown_package, "Several packages fit; name the package: " + list + ".");
    }
    return std::nullopt;
  }

  const case_view* find_case(std::string_view id) const {
    for (const auto& c : e_.cases)
      if (c.case_id == id) return &c;
    return nullptr;
  }

  // 3. The case: an open one, named or the only one that takes the step.
  std::optional<refusal> open_case() {
    if (ev_.type == event_type::return_requested) {
      if (ev_.case_id.empty()) {
        // The next free R<n>, as the replay assigns it.
        for (std::size_t n = e_.cases.size() + 1; ev_.case_id.empty() || find_case(ev_.case_id); ++n)
          ev_.case_id = "R" + std::to_string(n);
      }
      return std::nullopt;
    }
    const bool refund_to_case = ev_.type == event_type::refunded && !ev_.case_id.empty();
    if (!case_step(ev_.type) && !refund_to_case) return std::nullopt;
    if (!ev_.case_id.empty()) {
      const case_view* c = find_case(ev_.case_id);
      if (c == nullptr) return refuse(refusal_code::no_open_case, "No case " + quoted(ev_.case_id) + " in this order.");
      if (!c->open())
        return refuse(refusal_code::no_open_case,
                      "Case " + quoted(ev_.case_id) + " is closed (" + std::string(to_string(c->status)) + ").");
      return std::nullopt;
    }
    std::vector<std::string> open, fitting;
    for (const auto& c : e_.cases)
      if (c.open()) open.push_back(c.case_id);
    for (const auto* a : entries())
      for (const auto& id : a->case_ids) fitting.push_back(id);
    if (open.empty()) return refuse(refusal_code::no_open_case, "The order has no open case.");
    // No case takes the step: the one open case names the state in the
    // refusal (6); with several, the order's state does.
    if (fitting.empty() && open.size() > 1) return std::nullopt;
    const auto& pool = fitting.empty() ? open : fitting;
    if (pool.size() == 1) {
      ev_.case_id = pool.front();
      return std::nullopt;
    }
    std::string list;
    for (const auto& id : pool) list += (list.empty() ? "" : ", ") + id;
    return refuse(refusal_code::no_open_case, "Several cases fit; name the case: " + list + ".");
  }

  // 4. A pending request, or a case not yet on its way back.
  std::optional<refusal> open_request() {
    switch (ev_.type) {
      case event_type::cancel_request_withdrawn:
      case event_type::cancel_request_approved:
      case event_type::cancel_request_rejected:
        if (!e_.flags.cancel_request_pending)
          return refuse(refusal_code::no_open_request, "No cancellation request is pending.");
        return std::nullopt;
      case event_type::return_withdrawn:
        if (const case_view* c = find_case(ev_.case_id);
            c != nullptr && (c->status == case_status::returned || c->status == case_status::received))
          return refuse(refusal_code::no_open_request, "Case " + quoted(c->case_id) + " is on its way back (" +
                                                           std::string(to_string(c->status)) +
                                                           "): it can no longer be withdrawn.");
        return std::nullopt;
      default:
        return std::nullopt;
    }
  }

  // 5. The party's row.
  std::optional<refusal> party_row() const {
    if (ev_.by == party::none)
      return refuse(refusal_code::party_not_allowed,
                    "\"by\" is missing: " + type_text() + " is recorded by " + parties_text(ev_.type) + ".");
    if (!party_may_record(ev_.type, ev_.by))
      return refuse(refusal_code::party_not_allowed, by_text() + " may not record " + type_text() +
                                                         "; it is recorded by " + parties_text(ev_.type) + ".");
    return std::nullopt;
  }

  // The window that grants the right, when it exists (RULES "Refusals" 7).
  const window* right_window() const {
    window_id id{};
    switch (ev_.type) {
      case event_type::cancelled:
        if (ev_.by != party::buyer) return nullptr;
        id = window_id::free_cancellation;
        break;
      case event_type::return_requested:
        id = ev_.reason == "not_received"             ? window_id::not_received_claim
             : ev_.reason == "delivered_not_received" ? window_id::delivered_not_received_claim
                                                      : window_id::return_window;
        break;
      case event_type::appeal_opened:
        for (const auto& w : e_.windows)
          if (w.id == window_id::appeal && w.case_id == ev_.case_id) return &w;
        return nullptr;
      default:
        return nullptr;
    }
    return e_.find(id);
  }

  std::optional<refusal> window_refusal(const window& w) const {
    const std::string name(to_string(w.id));
    if (w.state == window_state::upcoming)
      return refuse(refusal_code::window_closed,
                    "The " + name + " window opens at " + format_instant(w.opens_at) + ".");
    std::string text = "The " + name + " window ";
    if (w.state == window_state::closed && w.closes_at)
      text += "closed at " + format_instant(*w.closes_at) + ".";
    else
      text += "is " + std::string(to_string(w.state)) + ".";
    return refuse(refusal_code::window_closed, text);
  }

  std::optional<refusal> status_refusal() const {
    std::string text = by_text() + " may not record " + type_text() + " while ";
    if (const case_view* c = case_step(ev_.type) ? find_case(ev_.case_id) : nullptr)
      text += "case " + quoted(c->case_id) + " is " + std::string(to_string(c->status)) + ".";
    else
      text += "the order is " + std::string(to_string(e_.effective_status)) + ".";
    return refuse(refusal_code::not_allowed_in_status, text);
  }

  // 6-7. An entry for the command, or why there is none.
  std::optional<refusal> entry(const allowed_action*& out) const {
    if ((ev_.type == event_type::shipped || ev_.type == event_type::ready_to_ship) && !ev_.package_id.empty())
      if (const package_view* pk = find_package(ev_.package_id); pk && pk->status != package_status::packed)
        return refuse(
            refusal_code::not_allowed_in_status,
            "Package " + quoted(pk->package_id) + " has left the seller (" + std::string(to_string(pk->status)) + ").");
    if (about_existing_package(ev_.type) && !ev_.package_id.empty()) {
      bool listed = false;
      for (const auto* a : entries())
        listed =
            listed || std::find(a->package_ids.begin(), a->package_ids.end(), ev_.package_id) != a->package_ids.end();
      const package_view* pk = find_package(ev_.package_id);
      if (!listed && pk != nullptr && !entries().empty())
        return refuse(refusal_code::not_allowed_in_status, by_text() + " may not record " + type_text() +
                                                               " for package " + quoted(pk->package_id) + ": it is " +
                                                               std::string(to_string(pk->status)) + ".");
    }
    if (ev_.type == event_type::return_requested && find_case(ev_.case_id) != nullptr)
      return refuse(refusal_code::not_allowed_in_status, "A case " + quoted(ev_.case_id) + " already exists.");
    std::vector<const allowed_action*> found;
    for (const auto* a : entries())
      if (!case_step(ev_.type) || std::find(a->case_ids.begin(), a->case_ids.end(), ev_.case_id) != a->case_ids.end())
        found.push_back(a);
    if (ev_.type == event_type::return_requested) {
      // The reason picks its window's entry; a reason of no window (one the
      // case catalogue does not know) is checked against any entry.
      for (const auto* a : found)
        if (std::find(a->reasons.begin(), a->reasons.end(), ev_.reason) != a->reasons.end()) {
          out = a;
          return std::nullopt;
        }
      if (p_.find_case_reason(ev_.reason) != nullptr || found.empty()) {
        if (const window* w = right_window(); w != nullptr && w->state != window_state::open) return window_refusal(*w);
        if (p_.find_case_reason(ev_.reason) != nullptr) return status_refusal();
      }
      if (!found.empty()) {
        out = found.front();  // reason_not_allowed follows
        return std::nullopt;
      }
      return status_refusal();
    }
    if (!found.empty()) {
      out = found.front();
      return std::nullopt;
    }
    if (const window* w = right_window(); w != nullptr && w->state != window_state::open) return window_refusal(*w);
    return status_refusal();
  }

  // 8. The reason, from the entry's list (return requests: also the case
  // catalogue's types).
  std::optional<refusal> reason(const allowed_action& a) const {
    if (a.reasons.empty()) return std::nullopt;
    if (std::find(a.reasons.begin(), a.reasons.end(), ev_.reason) == a.reasons.end()) {
      std::string list;
      for (const auto& r : a.reasons) list += (list.empty() ? "" : ", ") + r;
      if (ev_.reason.empty())
        return refuse(refusal_code::reason_not_allowed,
                      "A reason is required: " + by_text() + " may give for " + type_text() + " now: " + list + ".");
      return refuse(refusal_code::reason_not_allowed, std::string(utf8_prefix(ev_.reason, 64)) + " is not a reason " +
                                                          by_text() + " may give for " + type_text() +
                                                          " now; allowed: " + list + ".");
    }
    if (ev_.type == event_type::return_requested && p_.case_clocks) {
      const case_reason_entry* r = p_.find_case_reason(ev_.reason);
      if (r != nullptr && !(ev_.refund_only ? r->refund_only : r->return_and_refund))
        return refuse(refusal_code::reason_not_allowed, quoted(ev_.reason) + " is not a reason for a " +
                                                            (ev_.refund_only ? "refund_only" : "return_and_refund") +
                                                            " case.");
    }
    return std::nullopt;
  }

  static std::int64_t units_in(const std::vector<line_qty>& items, std::string_view line) {
    for (const auto& i : items)
      if (i.line_id == line) return i.qty;
    return 0;
  }

  // 9. Units, packages and the whole order within the entry's.
  std::optional<refusal> quantities(const allowed_action& a) const {
    const bool units = ev_.type == event_type::cancelled || ev_.type == event_type::ready_to_ship ||
                       ev_.type == event_type::shipped || ev_.type == event_type::return_requested;
    if (!units) return std::nullopt;
    for (const auto& r : ev_.items) {
      const std::int64_t room = units_in(a.items, r.ref);
      if (*r.qty > room)
        return refuse(refusal_code::qty_exceeds, "Line " + quoted(r.ref) + ": " + std::to_string(*r.qty) +
                                                     " unit(s) named, " + std::to_string(room) + " may be.");
    }
    const bool by_package = ev_.type == event_type::cancelled || ev_.type == event_type::shipped;
    if (by_package && !ev_.package_id.empty() && find_package(ev_.package_id) != nullptr &&
        std::find(a.package_ids.begin(), a.package_ids.end(), ev_.package_id) == a.package_ids.end())
      return refuse(refusal_code::qty_exceeds,
                    "Package " + quoted(ev_.package_id) + " is not one " + by_text() + " may name now.");
    if (ev_.type == event_type::cancelled && ev_.items.empty() && ev_.package_id.empty() && !a.whole_order)
      return refuse(
          refusal_code::qty_exceeds,
          "Some units have shipped or were delivered: name the units not shipped, or a package, not the whole order.");
    return std::nullopt;
  }

  // 10. A return of goods needs returnable lines.
  std::optional<refusal> returnable(const allowed_action& a) const {
    if (ev_.type != event_type::return_requested || ev_.refund_only) return std::nullopt;
    auto line_returnable = [&](std::string_view id) {
      for (const auto& l : e_.lines)
        if (l.line_id == id) return l.returnable;
      return false;
    };
    for (const auto& r : ev_.items)
      if (!line_returnable(r.ref))
        return refuse(refusal_code::not_returnable,
                      "Line " + quoted(r.ref) + " is not returnable: ask for a refund_only case instead.");
    if (ev_.items.empty() &&
        std::none_of(a.items.begin(), a.items.end(), [&](const line_qty& i) { return line_returnable(i.line_id); }))
      return refuse(refusal_code::not_returnable, "No item that may be claimed is returnable.");
    return std::nullopt;
  }

  // 11. Money within the entry's bound, and each line's.
  std::optional<refusal> amounts(const allowed_action& a) const {
    if (ev_.type != event_type::refunded && ev_.type != event_type::payment_succeeded) return std::nullopt;
    const std::int64_t amount = ev_.amount_minor.value_or(0);
    if (a.max_amount_minor && amount > *a.max_amount_minor)
      return refuse(refusal_code::amount_exceeds_refundable,
                    money_text(amount, o_.currency) + " is more than the " +
                        money_text(*a.max_amount_minor, o_.currency) + " that may be " +
                        (ev_.type == event_type::refunded ? "refunded" : "paid") + " now.");
    for (const auto& r : ev_.items)
      for (const auto& l : e_.lines)
        if (l.line_id == r.ref && r.amount_minor.value_or(0) > l.refundable_minor)
          return refuse(refusal_code::amount_exceeds_refundable,
                        "Line " + quoted(r.ref) + ": " + money_text(*r.amount_minor, o_.currency) +
                            " is more than its refundable " + money_text(l.refundable_minor, o_.currency) + ".");
    return std::nullopt;
  }

  const order& o_;
  const policy& p_;
  const evaluation& e_;
  event& ev_;
};

// Whether a command says what a recorded event of the same id says: the
// events' JSON without `at` and `note`, ids and the amount the command
// leaves out taken from the recorded one.
bool same_content(const order& o, event command, event recorded, const evaluation& e) {
  normalise_items(command, e);
  normalise_items(recorded, e);
  // An imported event without `by` is the same as a retry that names it.
  if (recorded.by == party::none) recorded.by = command.by;
  if (command.case_id.empty()) command.case_id = recorded.case_id;
  if (command.package_id.empty()) command.package_id = recorded.package_id;
  if (!command.amount_minor) command.amount_minor = recorded.amount_minor;
  for (event* x : {&command, &recorded}) {
    x->at = instant{};
    x->note.clear();
    if (x->type == event_type::payment_succeeded && !x->amount_minor) x->amount_minor = o.total_minor;
  }
  return to_json(command, o) == to_json(recorded, o);
}

}  // namespace

std::string_view to_string(refusal_code c) { return refusal_names[static_cast<std::size_t>(c)]; }

bool party_may_record(event_type t, party by) { return by != party::none && (parties_of(t) & bit(by)) != 0; }

result<decision> decide(const order& o, const policy& p, const event& command, instant now) {
  auto current = evaluate(o, p, now);
  if (!current) return current.err();
  decision d;
  d.ev = command;
  d.ev.at = now;
  d.ev.index = o.events.size();
  // 0. A retry: the same id and content as a recorded event.
  const event* same_id = nullptr;
  if (!command.id.empty())
    for (const auto& x : o.events)
      if (x.id == command.id) {
        same_id = &x;
        break;
      }
  if (same_id != nullptr && same_content(o, command, *same_id, *current)) {
    d.allowed = true;
    d.already_recorded = true;
    d.ev = *same_id;
    normalise_items(d.ev, *current);
    d.eval = std::move(*current);
    return d;
  }
  checker check(o, p, *current, d.ev);
  d.refused = check.run();
  // A recorded event dated after `now`: the new one would go before it in
  // time, and the history would change behind it (RULES "Refusals" 0b).
  if (!d.refused)
    for (const auto& x : o.events)
      if (x.at > now) {
        d.refused = check.later_event(x);
        break;
      }
  if (!d.refused && same_id != nullptr) d.refused = check.conflict(*same_id);
  if (d.ev.type == event_type::payment_succeeded && !d.ev.amount_minor)
    d.ev.amount_minor = std::max<std::int64_t>(0, o.total_minor - current->paid_minor);
  if (d.refused) {
    d.eval = std::move(*current);
    return d;
  }
  order next = o;
  next.events.push_back(d.ev);
  auto after = evaluate(next, p, now);
  if (!after) return after.err();
  d.allowed = true;
  // An id-less copy of a recorded event (SPEC 1.2 "Duplicates"), as the
  // replay itself judges it: already recorded, nothing to append.
  for (const auto& x : after->events)
    if (x.event_index == d.ev.index && x.skipped == event_skip::duplicate) {
      d.already_recorded = true;
      d.eval = std::move(*current);
      return d;
    }
  d.eval = std::move(*after);
  return d;
}

std::string to_json(const event& e, const order& o) {
  (void)o;
  std::string out;
  json_writer w(out);
  w.begin_object().field("type", to_string(e.type)).field("at", e.at);
  if (!e.id.empty()) w.field("id", e.id);
  if (e.by != party::none) w.field("by", to_string(e.by));
  if (!e.reason.empty()) w.field("reason", e.reason);
  if (!e.package_id.empty()) w.field("package_id", e.package_id);
  if (!e.case_id.empty()) w.field("case_id", e.case_id);
  if (e.type == event_type::return_requested) w.field("case_type", e.refund_only ? "refund_only" : "return_and_refund");
  if (!e.items.empty()) {
    w.key("items").begin_array();
    for (const auto& r : e.items) {
      w.begin_object().field("line_id", r.ref);
      if (e.type == event_type::refunded)
        w.field("amount_minor", r.amount_minor.value_or(0));
      else
        w.field("qty", r.qty.value_or(0));
      w.end_object();
    }
    w.end_array();
  }
  if (e.amount_minor) w.field("amount_minor", *e.amount_minor);
  if (!e.carrier.empty()) w.field("carrier", e.carrier);
  if (!e.tracking_number.empty()) w.field("tracking_number", e.tracking_number);
  if (e.keep_item) w.field("keep_item", true);
  if (e.outcome != party::none) w.field("outcome", to_string(e.outcome));
  if (e.est_delivery) w.field("est_delivery", format_date(*e.est_delivery));
  if (!e.status.empty()) w.field("status", e.status);
  if (!e.text.empty()) w.field("text", e.text);
  if (!e.note.empty()) w.field("note", e.note);
  w.end_object();
  return out;
}

std::string to_json(const decision& d, const order& o) {
  std::string out;
  json_writer w(out);
  w.begin_object()
      .field("schema", "ordertrail.decision/1")
      .field("allowed", d.allowed)
      .field("already_recorded", d.already_recorded);
  w.key("event").raw(to_json(d.ev, o));
  w.key("refusal");
  if (d.refused) {
    w.begin_object().field("code", to_string(d.refused->code)).field("message", d.refused->message);
    w.key("alternatives").begin_array();
    for (const auto& a : d.refused->alternatives)
      w.begin_object().field("code", a.code).field("until", a.until).end_object();
    w.end_array().end_object();
  } else {
    w.null();
  }
  w.key("evaluation").raw(to_json(d.eval));
  w.end_object();
  return out;
}

std::string decide_json(std::string_view order_json, std::string_view command_json, std::string_view now_rfc3339,
                        std::string_view policy_json) {
  auto now = parse_instant(now_rfc3339, "/now");
  if (!now) return to_json(now.err());
  auto o = parse_order(order_json);
  if (!o) return to_json(o.err());
  auto command = parse_command(command_json, *now);
  if (!command) return to_json(command.err());
  std::optional<policy> custom;
  auto p = detail::policy_for(*o, policy_json, custom);
  if (!p) return to_json(p.err());
  auto d = decide(*o, **p, *command, *now);
  if (!d) return to_json(d.err());
  return to_json(*d, *o);
}

}  // namespace ordertrail
