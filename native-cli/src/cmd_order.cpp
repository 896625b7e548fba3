// `ordertrail status` and `ordertrail timeline`: one order at one instant.
#include <algorithm>
#include <functional>
#include <vector>

#include "commands.hpp"
#include "io.hpp"
#include "json_text.hpp"
#include "present.hpp"
#include "sanitize.hpp"
#include "support.hpp"

namespace ordertrail::cli {
namespace {

struct evaluated {
  order o;
  policy p;
  evaluation e;
};

// Reads, parses and evaluates; on failure reports and sets `code`.
std::optional<evaluated> load_and_evaluate(const order_options& opt, int& code) {
  const auto now = resolve_instant(opt.now, "--now");
  if (!now) {
    code = exit_usage;
    return std::nullopt;
  }
  std::optional<policy> custom;
  if (!opt.policy_file.empty()) {
    custom = load_policy_file(opt.policy_file, code, opt.json);
    if (!custom) return std::nullopt;
  }
  std::string text;
  if (auto err = read_document(opt.input, max_document_bytes, text)) {
    diag(*err);
    code = exit_io;
    return std::nullopt;
  }
  const std::string where = display_name(opt.input);
  auto o = parse_order(text);
  if (!o) {
    code = report_invalid(where, o.err(), opt.json);
    return std::nullopt;
  }
  policy_book book(std::move(custom));
  error err;
  const policy* p = book.find(o->market, err);
  if (p == nullptr) {
    code = report_invalid(where, err, opt.json);
    return std::nullopt;
  }
  auto e = evaluate(*o, *p, *now);
  if (!e) {
    code = report_invalid(where, e.err(), opt.json);
    return std::nullopt;
  }
  code = exit_ok;
  return evaluated{std::move(*o), *p, std::move(*e)};
}

// --- lines and packages, as the evaluation lists them -------------------------

// "Mug [MUG]": a line by its name and the line_id packages and events refer to.
std::string line_label(const line_view& l) {
  return (l.name.empty() ? std::string("(no name)") : sanitize(l.name)) + " [" + sanitize(l.line_id) + "]";
}

// "1 x Mug [MUG], 2 x Kettle [KETTLE]" for units the evaluation resolved to lines.
std::string units_text(const evaluation& e, const std::vector<line_qty>& units) {
  std::string s;
  for (const auto& u : units) {
    const auto l =
        std::find_if(e.lines.begin(), e.lines.end(), [&](const line_view& x) { return x.line_id == u.line_id; });
    s += (s.empty() ? "" : ", ") + std::to_string(u.qty) + " x " +
         (l != e.lines.end() ? line_label(*l) : "[" + sanitize(u.line_id) + "]");
  }
  return s;
}

// Why units of `l` were cancelled: the reasons of the cancellations that name
// it, then the order's own cancellation.
std::string cancelled_reasons(const evaluation& e, const line_view& l) {
  std::vector<std::string> reasons;
  auto add = [&](const std::string& r) {
    if (std::find(reasons.begin(), reasons.end(), r) == reasons.end()) reasons.push_back(r);
  };
  for (const auto& c : e.line_cancellations)
    for (const auto& u : c.items)
      if (u.line_id == l.line_id) add(c.reason);
  if (e.cancelled) add(e.cancelled->reason);
  std::string s;
  for (const auto& r : reasons) s += (s.empty() ? "" : "; ") + reason_text(r);
  return s;
}

// "1 delivered, 1 cancelled (the item is out of stock)": where the line's
// units are, from its quantities (disjoint: a cancelled unit is no longer
// counted as packed or shipped; a lost parcel's units are cancelled).
std::string line_state_text(const evaluation& e, const line_view& l) {
  std::string s;
  auto add = [&](std::int64_t n, std::string_view what) {
    if (n > 0) s += (s.empty() ? "" : ", ") + std::to_string(n) + " " + std::string(what);
  };
  add(l.delivered_qty - l.returned_qty, "delivered");
  add(l.returned_qty, "delivered and returned");
  add(l.shipped_qty - l.delivered_qty, "with the carrier");
  add(l.packed_qty, "packed, waiting for the carrier");
  add(l.qty - l.cancelled_qty - l.packed_qty - l.shipped_qty, "not shipped yet");
  if (l.cancelled_qty > 0) {
    const std::string why = cancelled_reasons(e, l);
    add(l.cancelled_qty, "cancelled" + (why.empty() ? std::string() : " (" + why + ")"));
  }
  return s;
}

std::string line_money_text(const line_view& l, std::string_view currency) {
  std::string s = money_text(l.unit_price_minor, currency) + " each";
  if (!l.returnable) s += ", not returnable";
  if (l.refunded_minor > 0) s += ", refunded " + money_text(l.refunded_minor, currency);
  return s;
}

// "Package 2: with the carrier, UPS, tracking 1Z..."
std::string package_heading(const package_view& p) {
  std::string s = "Package " + sanitize(p.package_id) + ": " + package_status_text(p.status);
  if (p.status != package_status::packed || !p.carrier.empty() || !p.tracking_number.empty()) {
    s += ", " + (p.carrier.empty() ? std::string("no carrier") : sanitize(p.carrier));
    s += p.tracking_number.empty() ? ", no tracking number" : ", tracking " + sanitize(p.tracking_number);
  }
  if (p.delivery_attempt_failed) s += ", a delivery attempt failed";
  return s;
}

std::string package_dates(const package_view& p, const calendar& cal) {
  std::string s;
  auto add = [&](const std::optional<instant>& t, std::string_view what) {
    if (t) s += (s.empty() ? "" : ", ") + std::string(what) + " " + local_datetime(cal, *t);
  };
  // A parcel made by its shipment (or by a delivery with no shipment) was
  // packed at that instant: said once.
  if (p.packed_at != (p.shipped_at ? p.shipped_at : p.delivered_at ? p.delivered_at : p.lost_at))
    add(p.packed_at, "packed");
  add(p.shipped_at, "shipped");
  add(p.delivered_at, "delivered");
  add(p.lost_at, "lost");
  return s;
}

// "Fri 2025-03-07 09:00 -08:00 out_for_delivery: "On the van"": one carrier scan.
std::string scan_text(const package_view::scan& sc, const calendar& cal) {
  return local_datetime(cal, sc.at) + (sc.status.empty() ? "" : " " + sanitize(sc.status)) +
         (sc.text.empty() ? "" : ": \"" + sanitize(sc.text) + "\"");
}

// What a due action does to its case: "approve case R1", "decide case R1's
// appeal for the buyer", "close case R1 without a refund", "refund case R1: 18.15 USD".
std::string case_action_text(const due_entry& d, std::string_view currency) {
  const std::string id = "case " + sanitize(d.event.case_id);
  switch (d.action) {
    case due_action::auto_approve_case:
      if (d.event.type == event_type::appeal_decided) return "decide " + id + "'s appeal for the buyer";
      return "approve " + id;
    case due_action::auto_close_case:
      return "close " + id + " without a refund";
    case due_action::auto_refund_case:
      return "refund " + id + (d.event.amount_minor ? " " + money_text(*d.event.amount_minor, currency) : "");
    default:
      return due_action_text(d.action);
  }
}

// "cancel the order: the seller did not ship in time (seller_late_ship, seller responsible)";
// an action on some units names them ("cancel 1 x Kettle [KETTLE]: ...") and their package,
// one on a case names the case ("refund case R1 18.15 USD: the seller did not answer in time (...)").
std::string due_text(const due_entry& d, const evaluation& e) {
  std::string s = due_action_text(d.action);
  if (d.action == due_action::auto_cancel && !d.event.items.empty()) s = "cancel " + units_text(e, d.event.items);
  if (!d.event.case_id.empty()) s = case_action_text(d, e.facts.currency);
  if (d.action == due_action::auto_cancel || !d.event.case_id.empty()) s += ": " + reason_text(d.reason);
  s += " (" + sanitize(d.reason) + ", " + responsibility_text(d.responsible) + ")";
  if (!d.event.package_id.empty()) s += "; package " + sanitize(d.event.package_id);
  return s;
}

std::string status_line(order_status s) {
  return std::string(to_string(s)) + " (" + std::to_string(static_cast<int>(s)) + "): " + status_gloss(s);
}

// "until end of Wed 2025-03-12 (in 7d 20h)"
std::string until_text(const calendar& cal, const std::optional<instant>& until, instant now) {
  if (!until) return {};
  return ", until " + local_when(cal, *until) + " (" + relative_text(*until, now) + ")";
}

std::string buyer_cancel_text(const evaluation& e, const calendar& cal) {
  const auto& b = e.buyer_cancel;
  switch (b.mode) {
    case cancel_mode::immediate:
      return "can cancel at once" + until_text(cal, b.until, e.now);
    case cancel_mode::request:
      if (b.reason == "cancel_request_pending") {
        std::string s = "has asked the seller to cancel, waiting for the answer";
        if (b.until) s += ", due " + local_when(cal, *b.until) + " (" + relative_text(*b.until, e.now) + ")";
        return s;
      }
      if (!b.reason.empty())
        return "can ask the seller to cancel (" + reason_text(b.reason) + ")" + until_text(cal, b.until, e.now);
      return "can ask the seller to cancel" + until_text(cal, b.until, e.now);
    case cancel_mode::contact_seller:
      return "must contact the seller: " + reason_text(b.reason) + until_text(cal, b.until, e.now);
    case cancel_mode::lines:
      return "can cancel the items not shipped yet" + until_text(cal, b.until, e.now);
    case cancel_mode::not_allowed: {
      const std::string instead = buyer_alternative(b.reason);
      return "cannot cancel: " + reason_text(b.reason) + (instead.empty() ? "" : "; instead, " + instead);
    }
  }
  return {};
}

std::string seller_cancel_text(const evaluation& e) {
  if (e.seller_cancel.mode == cancel_mode::immediate) return "can cancel now, giving a reason";
  if (e.seller_cancel.mode == cancel_mode::lines) return "can cancel the items not shipped yet, giving a reason";
  return "cannot cancel: " + reason_text(e.seller_cancel.reason);
}

std::string state_coloured(const style& st, obligation_state s, std::string text) {
  switch (s) {
    case obligation_state::met:
      return st.green(text);
    case obligation_state::missed:
      return st.red(text);
    case obligation_state::pending:
      return st.yellow(text);
    case obligation_state::moot:
      return st.dim(text);
  }
  return text;
}

// "Obligations": who must do what by when, and what happens if not.
void obligations_block(const evaluation& e, const calendar& cal, const style& st,
                       const std::function<void(std::string_view)>& line) {
  for (const auto& d : e.obligations) {
    std::string row = "  " + pad(obligation_label(d.id), 26) + pad(actor_label(to_string(d.who)), 8) +
                      state_coloured(st, d.state, pad(obligation_state_label(d.state), 8)) +
                      column(local_when(cal, d.due_at), 30);
    if (d.state == obligation_state::pending || d.state == obligation_state::missed)
      row += relative_text(d.due_at, e.now);
    while (!row.empty() && row.back() == ' ') row.pop_back();
    line(row);
    // A case's clock names its case first ("case R1; if missed: ...").
    const std::string indent = std::string(28, ' ') + (d.case_id.empty() ? "" : "case " + sanitize(d.case_id) + "; ");
    if (d.state == obligation_state::pending) line(indent + "if missed: " + on_miss_text(d.on_miss, d.id));
    if (d.state == obligation_state::missed) line(indent + "missed: " + on_miss_text(d.on_miss, d.id));
    if (d.state == obligation_state::met && d.met_at) line(indent + "done " + local_datetime(cal, *d.met_at));
    if (d.state == obligation_state::moot) line(indent + "no longer applies: " + moot_text(d.moot));
    // "TikTok will cancel at X; our calendar says Y" (platform-stamped deadlines).
    if (d.computed_due_at && *d.computed_due_at != d.due_at)
      line(indent + "stamped by the platform; ordertrail's calendar says " + local_when(cal, *d.computed_due_at));
    else if (d.computed_due_at)
      line(indent + "stamped by the platform; ordertrail's calendar agrees");
  }
}

// "Buyer options": what the buyer may do, worded for its state; never "missed".
std::string window_state_text(const window& w, const calendar& cal, instant now) {
  const auto until = [&] {
    return w.closes_at ? "until " + local_when(cal, *w.closes_at) + " (" + relative_text(*w.closes_at, now) + ")"
                       : "until the order is " + std::string(w.closes_on == "shipped" ? "shipped" : "packed");
  };
  switch (w.state) {
    case window_state::upcoming:
      return "from " + local_from(cal, w.opens_at) + " (" + relative_text(w.opens_at, now) + ")";
    case window_state::open:
      return "open " + until();
    case window_state::used:
      return "used " + (w.used_at ? local_datetime(cal, *w.used_at) : std::string());
    case window_state::closed:
      return "closed " + (w.closes_at ? local_when(cal, *w.closes_at) : std::string());
    case window_state::void_:
      return "not available: " + void_text(w.voided);
  }
  return {};
}

// The same, naming the case an appeal window belongs to.
std::string window_text(const window& w, const calendar& cal, instant now) {
  std::string text = window_state_text(w, cal, now);
  if (!w.case_id.empty()) text += "; case " + sanitize(w.case_id);
  return text;
}

// The refund's reason; an approved case's own reason ("defective") says so.
std::string refund_reason_of(const evaluation& e) {
  const std::string& reason = e.refund.reason;
  for (const auto& c : e.cases)
    if (c.status == case_status::approved && !c.reason.empty() && c.reason == reason)
      return "an approved case: " + reason_text(reason);
  return refund_reason_text(reason);
}

// "case R1, 18.15 USD for 2 x Stoneware cup [CUP]: due now (refund_due), by ...": one of `refund.parts`.
std::string refund_part_text(const refund_part& p, const evaluation& e, const calendar& cal) {
  const std::string amount = money_text(p.amount_minor, e.refund.currency);
  if (p.case_id.empty())
    return amount + " for the cancelled items: " + refund_reason_text(p.reason) + " (" + sanitize(p.reason) + ")";
  std::string s = "case " + sanitize(p.case_id) + ", " + amount + " for " + units_text(e, p.items) + ": ";
  s += p.reason == "refund_due" ? "due now" : p.reason == "case_open" ? "owed once the case comes to its refund" : "";
  s += " (" + sanitize(p.reason) + ")";
  if (p.until)
    s += std::string(p.reason == "refund_due" ? ", by " : "; its current step is due ") + local_when(cal, *p.until) +
         " (" + relative_text(*p.until, e.now) + ")";
  return s;
}

std::string refund_text(const evaluation& e, const calendar& cal) {
  const auto& r = e.refund;
  std::string s;
  if (r.eligible) {
    s = (r.kind == refund_kind::automatic ? "Due: " : "Eligible: up to ") + money_text(r.amount_minor, r.currency) +
        ", " + refund_kind_text(r.kind);
    if (r.until) s += ", until " + local_when(cal, *r.until) + " (" + relative_text(*r.until, e.now) + ")";
  } else {
    s = "None";
  }
  return s + ": " + refund_reason_of(e) + " (" + sanitize(r.reason) + ")";
}

// "answer to return request" from "Answer to return request".
std::string lower_first(std::string s) {
  if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z') s[0] = static_cast<char>(s[0] - 'A' + 'a');
  return s;
}

// Who must act on case `c`, by when: its clock still running (an
// obligation, or the appeal window), or the seller's receipt of a return on
// its way. Empty when nobody has to act.
std::string case_next_text(const evaluation& e, const case_view& c, const calendar& cal) {
  for (const auto& d : e.obligations)
    if (d.case_id == c.case_id && d.state == obligation_state::pending)
      return actor_label(to_string(d.who)) + ": " + lower_first(obligation_label(d.id)) + ", due " +
             local_when(cal, d.due_at) + " (" + relative_text(d.due_at, e.now) +
             "); if missed: " + on_miss_text(d.on_miss, d.id);
  for (const auto& w : e.windows)
    if (w.case_id == c.case_id && w.state == window_state::open && w.closes_at)
      return actor_label(to_string(w.who)) + ": may " + lower_first(window_label(w.id)) + ", until " +
             local_when(cal, *w.closes_at) + " (" + relative_text(*w.closes_at, e.now) + ")";
  if (c.status == case_status::returned)
    for (const auto& a : e.next_actions)
      if (a.code == "receive_return") return actor_label(a.actor) + ": " + next_action_text(a.code);
  return {};
}

// "Cases": each after-sales case with its units and money, its stage in
// words, and who must act by when.
void cases_block(const evaluation& e, const calendar& cal, const std::function<void(std::string_view)>& line) {
  for (const auto& c : e.cases) {
    std::string head = "  " + sanitize(c.case_id) + "  " + case_type_text(c);
    if (!c.reason.empty()) head += ": " + reason_text(c.reason) + " (" + sanitize(c.reason) + ")";
    line(head);
    line("      " + units_text(e, c.items) + "; amount " + money_text(c.amount_minor, e.facts.currency) +
         ", refunded " + money_text(c.refunded_minor, e.facts.currency) + "; opened " +
         local_datetime(cal, c.opened_at));
    std::string stage = case_stage_text(c.status);
    if (c.closed_reason != case_close::none) stage += ": " + case_close_text(c.closed_reason);
    stage += " (" + std::string(to_string(c.status)) +
             (c.closed_reason == case_close::none ? "" : ", " + std::string(to_string(c.closed_reason))) + ")";
    if (c.closed_at) stage += " at " + local_when(cal, *c.closed_at);
    if (std::any_of(e.due.begin(), e.due.end(), [&](const due_entry& d) { return d.event.case_id == c.case_id; }))
      stage += ", once the automatic actions due now are applied";
    line("      stage: " + stage);
    const std::string next = case_next_text(e, c, cal);
    if (!next.empty()) line("      next: " + next);
  }
}

using line_fn = std::function<void(std::string_view)>;

// The header: the status the buyer has now first, then what is recorded
// when the automatic actions due now would change it.
void header_block(const evaluated& v, const style& st, const line_fn& line) {
  const evaluation& e = v.e;
  const order& o = v.o;
  const calendar& cal = v.p.cal;
  line(pad("Order", 11) + st.bold(sanitize(e.order_id)) + "  (market " + sanitize(e.market) + ", policy " +
       sanitize(e.policy_version) + ", seller " + sanitize(o.seller_id) + ")");
  line(pad("Now", 11) + local_datetime(cal, e.now) + "  (" + format_instant(e.now) + "), times in " +
       sanitize(v.p.time_zone));
  line(pad("Status", 11) + st.bold(status_line(e.effective_status)));
  if (e.effective_status != e.status) {
    const std::size_t n = e.due.size();
    line(pad("Recorded", 11) + status_line(e.status) + "; " + std::to_string(n) + " automatic action" +
         (n == 1 ? "" : "s") + " due now, not yet in the history");
  }
  std::vector<std::string> flags;
  if (e.flags.cancel_request_pending) flags.emplace_back("cancellation request pending");
  if (e.flags.case_open) flags.emplace_back("after-sales case open");
  if (e.flags.parcel_in_transit) flags.emplace_back("cancelled with the parcel in transit");
  if (e.flags.lost) flags.emplace_back("parcel lost");
  if (!flags.empty()) {
    std::string f;
    for (const auto& x : flags) f += (f.empty() ? "" : ", ") + x;
    line(pad("Flags", 11) + f);
  }
  line(pad("Total", 11) + money_text(o.total_minor, o.currency) + ", paid " + money_text(e.paid_minor, o.currency) +
       ", refunded " + money_text(e.refunded_minor, o.currency) +
       (o.payment_method.empty() ? "" : ", payment " + sanitize(o.payment_method)));
  for (const auto& x : e.explanation)
    if (x.rule == "future_events") line(pad("Note", 11) + sanitize(x.text));
  if (e.est_delivery) {
    std::string d = weekday_date(*e.est_delivery) + " (original estimate)";
    if (e.revised_est_delivery) d += ", revised to " + weekday_date(*e.revised_est_delivery);
    if (e.flags.delivery_late) d += "; late";
    line(pad("Delivery", 11) + d);
  }
  // For "where is my parcel?": the parcel moved last, and its last scan.
  const package_view* last = nullptr;
  for (const auto& p : e.packages)
    if (!p.carrier.empty() || !p.tracking_number.empty() || !p.scans.empty()) last = &p;
  if (last != nullptr) {
    std::string t =
        (last->carrier.empty() ? std::string("no carrier") : sanitize(last->carrier)) +
        (last->tracking_number.empty() ? ", no tracking number" : ", tracking " + sanitize(last->tracking_number));
    if (e.packages.size() > 1) t += " (package " + sanitize(last->package_id) + ")";
    if (!last->scans.empty()) t += "; last scan " + scan_text(last->scans.back(), cal);
    line(pad("Tracking", 11) + t);
  }
}

// Several lines, or parcels: where each line's units are; else the items.
void lines_block(const evaluated& v, const line_fn& line, const line_fn& heading) {
  const evaluation& e = v.e;
  const order& o = v.o;
  if (o.items.empty()) return;
  if (e.lines.size() > 1 || !e.packages.empty()) {
    heading("Lines");
    for (const auto& l : e.lines) {
      line("  " + std::to_string(l.qty) + " x " + line_label(l) + "  " + line_money_text(l, o.currency));
      line("      " + line_state_text(e, l));
    }
    return;
  }
  heading("Items");
  for (const auto& it : o.items)
    line("  " + std::to_string(it.qty) + " x " + (it.name.empty() ? std::string("(no name)") : sanitize(it.name)) +
         "  [" + sanitize(it.sku) + "]  " + money_text(it.unit_price_minor, o.currency) + " each" +
         (it.returnable ? "" : ", not returnable"));
}

void packages_block(const evaluated& v, const line_fn& line, const line_fn& heading) {
  const evaluation& e = v.e;
  if (e.packages.empty()) return;
  heading("Packages");
  for (const auto& p : e.packages) {
    line("  " + package_heading(p));
    // An order without items is one line of the whole order (SPEC 1.1).
    if (!p.items.empty())
      line("      " + (v.o.items.empty() ? std::string("the whole order") : units_text(e, p.items)));
    const std::string dates = package_dates(p, v.p.cal);
    if (!dates.empty()) line("      " + dates);
    // The carrier's latest scans (all of them are in the timeline).
    constexpr std::size_t shown_scans = 3;
    const std::size_t skip = p.scans.size() > shown_scans ? p.scans.size() - shown_scans : 0;
    if (skip > 0) line("      " + std::to_string(skip) + " earlier scan(s): see the timeline");
    for (std::size_t i = skip; i < p.scans.size(); ++i) line("      scan " + scan_text(p.scans[i], v.p.cal));
  }
}

// The cancellation requests and their answers, as recorded: what the buyer
// asked, and what the seller (or the platform) said.
void requests_block(const evaluated& v, const line_fn& line, const line_fn& heading) {
  std::vector<std::string> rows;
  for (const auto& r : v.e.events) {
    if (!r.applied || r.event_index >= v.o.events.size()) continue;
    const event& ev = v.o.events[r.event_index];
    std::string what;
    switch (ev.type) {
      case event_type::cancel_requested:
        what = "requested";
        break;
      case event_type::cancel_request_withdrawn:
        what = "withdrawn";
        break;
      case event_type::cancel_request_approved:
        what = "approved";
        break;
      case event_type::cancel_request_rejected:
        what = "rejected";
        break;
      default:
        continue;
    }
    std::string row = "  " + pad(what, 10) + local_datetime(v.p.cal, r.at);
    if (ev.by != party::none) row += " by " + std::string(to_string(ev.by));
    if (r.automatic) row += ", automatically";
    if (!ev.reason.empty()) row += ": " + reason_text(ev.reason) + " (" + sanitize(ev.reason) + ")";
    rows.push_back(std::move(row));
  }
  if (rows.empty()) return;
  heading("Cancellation requests");
  for (const auto& r : rows) line(r);
}

void due_block(const evaluated& v, const style& st, const line_fn& line, const line_fn& heading) {
  const evaluation& e = v.e;
  if (e.due.empty()) return;
  heading("Due now: automatic actions the back end should append");
  for (const auto& d : e.due) {
    line("  " + st.yellow(std::string(to_string(d.action))) + "  " + due_text(d, e));
    line("      at " + local_when(v.p.cal, d.at) + " (" + format_instant(d.at) + "); event \"" +
         std::string(to_string(d.event.type)) + "\" by " + std::string(to_string(d.event.by)) +
         (d.event.reason.empty() ? "" : ", reason " + sanitize(d.event.reason)) +
         (d.event.case_id.empty() ? "" : ", case " + sanitize(d.event.case_id)) +
         (d.event.amount_minor ? ", amount " + money_text(*d.event.amount_minor, v.o.currency) : "") +
         (d.event.outcome == party::none ? "" : ", outcome " + std::string(to_string(d.event.outcome))));
  }
}

void cancellation_block(const evaluated& v, const line_fn& line, const line_fn& heading) {
  const evaluation& e = v.e;
  if (e.cancelled) {
    const auto& c = *e.cancelled;
    heading("Cancelled");
    line("  " + local_datetime(v.p.cal, c.at) + " by " +
         std::string(c.by == party::none ? "platform" : to_string(c.by)) + (c.automatic ? ", automatically" : ""));
    line("  Reason: " + reason_text(c.reason) + " (" + sanitize(c.reason) + "); " + responsibility_text(c.responsible));
  }
  heading("Cancellation");
  line("  " + pad("Buyer", 9) + buyer_cancel_text(e, v.p.cal));
  line("  " + pad("Seller", 9) + seller_cancel_text(e));
}

void windows_block(const evaluated& v, const style& st, const line_fn& line, const line_fn& heading) {
  if (v.e.windows.empty()) return;
  heading("Buyer options");
  for (const auto& w : v.e.windows) {
    const std::string text = window_text(w, v.p.cal, v.e.now);
    line("  " + pad(window_label(w.id), 26) +
         (w.state == window_state::open    ? st.green(text)
          : w.state == window_state::void_ ? st.dim(text)
                                           : text));
  }
}

// What is due, then every refund issued, with its date and lines.
void refund_block(const evaluated& v, const line_fn& line, const line_fn& heading) {
  const evaluation& e = v.e;
  heading("Refund");
  line("  " + refund_text(e, v.p.cal));
  for (const auto& p : e.refund.parts) line("  Part: " + refund_part_text(p, e, v.p.cal));
  for (const auto& r : e.refunds) {
    std::string s =
        "  Refunded " + money_text(r.amount_minor, e.facts.currency) + " on " + local_datetime(v.p.cal, r.at);
    if (!r.reason.empty()) s += ": " + reason_text(r.reason) + " (" + sanitize(r.reason) + ")";
    if (!r.case_id.empty()) s += "; case " + sanitize(r.case_id);
    std::string lines;
    for (const auto& i : r.items) {
      const auto l =
          std::find_if(e.lines.begin(), e.lines.end(), [&](const line_view& x) { return x.line_id == i.line_id; });
      lines += (lines.empty() ? "" : ", ") + (l != e.lines.end() ? line_label(*l) : "[" + sanitize(i.line_id) + "]") +
               " " + money_text(i.amount_minor, e.facts.currency);
    }
    if (!lines.empty() && e.lines.size() > 1) s += "; " + lines;
    line(s);
  }
}

// Each party's next steps, by priority (buyer, seller, support, ...).
void next_block(const evaluated& v, const line_fn& line, const line_fn& heading) {
  const evaluation& e = v.e;
  heading(e.next_actions.empty() ? "Next steps" : "Next steps (* the main one for each party)");
  if (e.next_actions.empty()) line("  none");
  std::vector<const next_action*> steps;
  for (const auto& a : e.next_actions) steps.push_back(&a);
  std::stable_sort(steps.begin(), steps.end(),
                   [](const next_action* a, const next_action* b) { return a->priority < b->priority; });
  for (const auto* a : steps) {
    std::string s =
        "  " + std::string(a->primary ? "*" : " ") + " " + actor_label(a->actor) + ": " + next_action_text(a->code);
    if (a->until) s += ", until " + local_when(v.p.cal, *a->until) + " (" + relative_text(*a->until, e.now) + ")";
    line(s);
  }
}

void problems_block(const evaluated& v, bool explain, const style& st, const line_fn& line, const line_fn& heading) {
  const evaluation& e = v.e;
  if (!e.anomalies.empty()) {
    heading(st.yellow("Anomalies") + st.bold(": events that do not fit the history (applied as far as possible)"));
    for (const auto& a : e.anomalies) {
      // An anomaly of the order itself (its promise, its totals) names no event.
      const std::string where = a.event_index < v.o.events.size()
                                    ? "event " + std::to_string(a.event_index) + " (" +
                                          std::string(to_string(v.o.events[a.event_index].type)) + ")"
                                    : std::string("the order");
      line("  " + where + ": " + st.yellow(sanitize(a.code)) + ": " + sanitize(a.text));
    }
  }
  if (!e.warnings.empty()) {
    heading(st.yellow("Warnings") +
            st.bold(": what could not be worked out in full, or disagrees with the platform (the rest is right)"));
    for (const auto& w : e.warnings) line("  " + st.yellow(sanitize(w.code)) + ": " + sanitize(w.text));
  }
  if (explain) {
    heading("Explanation");
    for (const auto& x : e.explanation) line("  " + sanitize(x.rule) + ": " + sanitize(x.text));
  }
}

std::string status_view(const evaluated& v, bool explain, const style& st) {
  std::string out;
  const line_fn line = [&](std::string_view s) {
    out += s;
    out += '\n';
  };
  const line_fn heading = [&](std::string_view s) {
    out += '\n';
    line(st.bold(s));
  };
  header_block(v, st, line);
  lines_block(v, line, heading);
  packages_block(v, line, heading);
  if (!v.e.cases.empty()) {
    heading("Cases (returns and refund claims)");
    cases_block(v.e, v.p.cal, line);
  }
  requests_block(v, line, heading);
  due_block(v, st, line, heading);
  cancellation_block(v, line, heading);
  if (!v.e.obligations.empty()) {
    heading("Obligations (" + sanitize(v.p.time_zone) + ")");
    obligations_block(v.e, v.p.cal, st, line);
  }
  windows_block(v, st, line, heading);
  refund_block(v, line, heading);
  next_block(v, line, heading);
  problems_block(v, explain, st, line, heading);
  return out;
}

// --- timeline ---------------------------------------------------------------------

struct entry {
  instant at;
  int rank;  // at one instant: deadlines pass (0), automatic actions (1), events (2), what they met (3), "now" (4)
  std::size_t seq;
  std::string kind;
  std::string label;
  std::string text;
  std::vector<std::string> notes;
  // for JSON
  std::optional<std::size_t> event_index;
  std::string code;   // event type, deadline id, due action
  std::string state;  // deadline state
  bool applied = true;
  event_skip skipped = event_skip::none;  // events: why the core did not apply it
  bool automatic = false;                 // events: the record of a due automatic action
  bool opens = false;                     // windows: the instant it opens
};

// The units cancellation an applied `cancelled` event made (its record in
// `line_cancellations`: same instant as applied, same party and reason), or
// null when the event cancelled the whole order or nothing.
const line_cancellation* line_cancellation_of(const evaluation& e, const event& ev, const event_outcome* r) {
  if (ev.type != event_type::cancelled || r == nullptr || !r->applied) return nullptr;
  const line_cancellation* found = nullptr;
  for (const auto& c : e.line_cancellations) {
    if (c.at != r->at || c.by != ev.by || c.reason != ev.reason) continue;
    if (found != nullptr) return nullptr;  // two at one instant: not ours to pick
    found = &c;
  }
  return found;
}

// "cancel request rejected": an event's type, in words.
std::string event_label(event_type t) {
  std::string s(to_string(t));
  std::replace(s.begin(), s.end(), '_', ' ');
  return s;
}

std::vector<entry> timeline_entries(const evaluated& v) {
  const evaluation& e = v.e;
  const order& o = v.o;
  std::vector<entry> list;
  std::size_t seq = 0;
  std::string items = std::to_string(o.items.size()) + (o.items.size() == 1 ? " item" : " items");
  list.push_back({o.placed_at,
                  2,
                  seq++,
                  "placed",
                  "placed",
                  "order placed: " + money_text(o.total_minor, o.currency) + (o.items.empty() ? "" : ", " + items) +
                      (o.payment_method.empty() ? "" : ", payment " + sanitize(o.payment_method)),
                  {},
                  std::nullopt,
                  "",
                  "",
                  true});
  for (const auto& d : e.obligations) {
    // A met obligation is placed when it was met, after the event that met it.
    const bool met = d.state == obligation_state::met && d.met_at;
    entry x{met ? *d.met_at : d.due_at,
            met ? 3 : 0,
            seq++,
            "deadline",
            obligation_label(d.id),
            "",
            {},
            std::nullopt,
            std::string(to_string(d.id)),
            std::string(to_string(d.state)),
            true};
    switch (d.state) {
      case obligation_state::met:
        x.text = actor_label(to_string(d.who)) + " obligation met; it was due " + local_when(v.p.cal, d.due_at);
        break;
      case obligation_state::moot:
        x.text = "no longer applies: " + moot_text(d.moot);
        break;
      case obligation_state::missed:
        x.text = actor_label(to_string(d.who)) + " obligation missed: " + on_miss_text(d.on_miss, d.id);
        break;
      case obligation_state::pending:
        x.text = actor_label(to_string(d.who)) + " obligation due; if missed: " + on_miss_text(d.on_miss, d.id);
        break;
    }
    if (!d.case_id.empty()) x.text = "case " + sanitize(d.case_id) + ": " + x.text;
    list.push_back(std::move(x));
  }
  for (const auto& w : e.windows) {
    if (w.state == window_state::void_) continue;
    const std::string of_case = w.case_id.empty() ? "" : "; case " + sanitize(w.case_id);
    // A used window is placed when the buyer used it; an upcoming one also when it opens.
    if (w.state == window_state::upcoming) {
      entry x{w.opens_at,
              0,
              seq++,
              "window",
              window_label(w.id),
              "buyer option opens" + of_case,
              {},
              std::nullopt,
              std::string(to_string(w.id)),
              std::string(to_string(w.state)),
              true};
      x.opens = true;
      list.push_back(std::move(x));
    }
    if (w.state == window_state::used && w.used_at) {
      list.push_back({*w.used_at,
                      3,
                      seq++,
                      "window",
                      window_label(w.id),
                      "buyer option used" + of_case,
                      {},
                      std::nullopt,
                      std::string(to_string(w.id)),
                      std::string(to_string(w.state)),
                      true});
      continue;
    }
    if (!w.closes_at) continue;
    list.push_back(
        {*w.closes_at,
         0,
         seq++,
         "window",
         window_label(w.id),
         std::string(w.state == window_state::closed ? "buyer option closed" : "buyer option ends") + of_case,
         {},
         std::nullopt,
         std::string(to_string(w.id)),
         std::string(to_string(w.state)),
         true});
  }
  for (const auto& d : e.due) {
    list.push_back({d.at,
                    1,
                    seq++,
                    "due",
                    "automatic",
                    std::string(to_string(d.action)) + ": " + due_text(d, e) + "; due now, not yet in the history",
                    {},
                    std::nullopt,
                    std::string(to_string(d.action)),
                    "",
                    true});
  }
  // What the core's replay did with each event (applied, or why not): taken
  // from the evaluation, never re-derived here.
  std::vector<const event_outcome*> outcome(o.events.size(), nullptr);
  for (const auto& r : e.events)
    if (r.event_index < outcome.size()) outcome[r.event_index] = &r;
  for (const auto& ev : o.events) {
    const event_outcome* r = ev.index < outcome.size() ? outcome[ev.index] : nullptr;
    entry x{ev.at,
            2,
            seq++,
            "event",
            event_label(ev.type),
            event_text(ev, o),
            {},
            ev.index,
            std::string(to_string(ev.type)),
            "",
            r != nullptr && r->applied};
    x.skipped = r != nullptr ? r->skipped : event_skip::none;
    x.automatic = r != nullptr && r->automatic;
    if (const line_cancellation* c = line_cancellation_of(e, ev, r))
      x.text += "; cancels " + units_text(e, c->items) + ", the rest goes on";
    // The package(s) the replay applied it to, when the event names none
    // and the order has several.
    if (r != nullptr && r->applied && ev.package_id.empty() && !r->package_id.empty() && e.packages.size() > 1) {
      std::string ids = sanitize(r->package_id);
      for (const auto& id : r->more_package_ids) ids += ", " + sanitize(id);
      x.text += (r->more_package_ids.empty() ? "; package " : "; packages ") + ids;
    }
    if (ev.by != party::none) x.text += " [by " + std::string(to_string(ev.by)) + "]";
    if (r != nullptr && r->applied && r->at != ev.at)
      x.notes.push_back("counted at " + format_instant(r->at) + " in the replay");
    if (x.automatic) x.notes.emplace_back("the record of a due automatic action");
    if (!x.applied) {
      switch (x.skipped) {
        case event_skip::future:
          x.notes.emplace_back("after now: not applied at this instant");
          break;
        case event_skip::duplicate:
          x.notes.emplace_back("not applied: a copy of an event already applied");
          break;
        case event_skip::anomaly:
          x.notes.emplace_back("not applied: it does not fit the history (see the anomaly)");
          break;
        case event_skip::none:
          x.notes.emplace_back("not applied");
          break;
      }
    }
    for (const auto& a : e.anomalies)
      if (a.event_index == ev.index) x.notes.push_back("anomaly " + sanitize(a.code) + ": " + sanitize(a.text));
    list.push_back(std::move(x));
  }
  list.push_back({e.now,
                  4,
                  seq++,
                  "now",
                  "now",
                  "the evaluation instant: " + status_line(e.effective_status),
                  {},
                  std::nullopt,
                  "",
                  "",
                  true});
  std::stable_sort(list.begin(), list.end(), [](const entry& a, const entry& b) {
    if (a.at != b.at) return a.at < b.at;
    if (a.rank != b.rank) return a.rank < b.rank;
    return a.seq < b.seq;
  });
  return list;
}

std::string timeline_view(const evaluated& v, const style& st) {
  const calendar& cal = v.p.cal;
  std::string out = st.bold("Timeline of order " + sanitize(v.e.order_id)) + " (market " + sanitize(v.e.market) +
                    ", times in " + sanitize(v.p.time_zone) + ")\n\n";
  for (const auto& x : timeline_entries(v)) {
    // What happened at an instant (an event, an obligation met, an option
    // used) is its local time; a clock is read as the buyer reads it: one
    // ending at midnight names its last day, one starting then its first.
    const bool clock = x.rank < 2;
    const std::string when = x.opens ? local_from(cal, x.at)
                             : clock ? local_when(cal, x.at)
                                     : local_datetime(cal, x.at);
    std::string label = pad(x.label, 26);
    if (x.kind == "now") {
      out += st.bold(column(when, 32) + "---- now ----  " + x.text) + "\n";
      continue;
    }
    if (x.kind == "deadline") {
      const auto s = x.state == "met"      ? obligation_state::met
                     : x.state == "missed" ? obligation_state::missed
                     : x.state == "moot"   ? obligation_state::moot
                                           : obligation_state::pending;
      label = state_coloured(st, s, label);
    } else if (x.kind == "due") {
      label = st.yellow(label);
    } else if (!x.applied) {
      label = st.dim(label);
    }
    out += column(when, 32) + label + x.text + "\n";
    for (const auto& n : x.notes) out += std::string(58, ' ') + st.yellow("! " + n) + "\n";
  }
  return out;
}

std::string timeline_json(const evaluated& v) {
  std::string out;
  json_out w(out);
  w.begin_object()
      .field("schema", "ordertrail.timeline/1")
      .field("order_id", v.e.order_id)
      .field("market", v.e.market)
      .field("time_zone", v.p.time_zone)
      .field("now", v.e.now)
      .field("effective_status", to_string(v.e.effective_status));
  w.key("entries").begin_array();
  for (const auto& x : timeline_entries(v)) {
    w.begin_object().field("at", x.at).field("local", local_datetime(v.p.cal, x.at)).field("kind", x.kind);
    if (x.kind == "event") {
      w.field("event_index", *x.event_index).field("type", x.code).field("applied", x.applied);
      w.field("automatic", x.automatic);
      if (x.skipped == event_skip::none)
        w.key("skipped").null();
      else
        w.field("skipped", to_string(x.skipped));
    } else if (x.kind == "deadline" || x.kind == "window") {
      w.field("id", x.code).field("state", x.state);
    } else if (x.kind == "due") {
      w.field("action", x.code);
    }
    w.field("text", x.text);
    w.key("notes").begin_array();
    for (const auto& n : x.notes) w.value(n);
    w.end_array().end_object();
  }
  w.end_array().end_object();
  out += '\n';
  return out;
}

}  // namespace

int cmd_status(const order_options& opt, const common_options& c) {
  int code = exit_ok;
  auto v = load_and_evaluate(opt, code);
  if (!v) return code;
  if (opt.json) return print_stdout(to_json(v->e) + "\n", exit_ok);
  return print_stdout(status_view(*v, opt.explain, style(colour_enabled(c.colour, 1))), exit_ok);
}

int cmd_timeline(const order_options& opt, const common_options& c) {
  int code = exit_ok;
  auto v = load_and_evaluate(opt, code);
  if (!v) return code;
  if (opt.json) return print_stdout(timeline_json(*v), exit_ok);
  return print_stdout(timeline_view(*v, style(colour_enabled(c.colour, 1))), exit_ok);
}

}  // namespace ordertrail::cli
