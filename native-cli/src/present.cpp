#include "present.hpp"

#include <array>
#include <cstdio>

#include "sanitize.hpp"

namespace ordertrail::cli {
namespace {

std::string two(long v) {
  std::array<char, 8> b{};
  std::snprintf(b.data(), b.size(), "%02ld", v);
  return b.data();
}

struct code_text {
  std::string_view code;
  std::string_view text;
};

template <std::size_t N>
std::string lookup(const std::array<code_text, N>& table, std::string_view code) {
  for (const auto& row : table)
    if (row.code == code) return std::string(row.text);
  return sanitize(code);  // a code this CLI does not know yet: shown as is
}

}  // namespace

std::string offset_text(std::chrono::seconds offset) {
  const long s = static_cast<long>(offset.count());
  const long a = s < 0 ? -s : s;
  return std::string(s < 0 ? "-" : "+") + two(a / 3600) + ":" + two(a / 60 % 60);
}

std::string weekday_date(civil_date d) {
  return std::string(weekday_abbrev(date::weekday{date::sys_days{d}})) + " " + format_date(d);
}

std::string local_datetime(const calendar& cal, instant t) {
  const auto local = cal.tz().to_local(t);
  const auto day = std::chrono::floor<date::days>(local);
  const long secs = static_cast<long>((local - day).count());
  std::string out = weekday_date(civil_date{date::sys_days{day.time_since_epoch()}}) + " " + two(secs / 3600) + ":" +
                    two(secs / 60 % 60);
  if (secs % 60 != 0) out += ":" + two(secs % 60);
  return out + " " + offset_text(cal.tz().offset_at(t));
}

std::string local_when(const calendar& cal, instant t) {
  const civil_date d = cal.local_date(t);
  if (cal.start_of_day(d) == t) return "end of " + weekday_date(civil_date{date::sys_days{d} - date::days{1}});
  return local_datetime(cal, t);
}

std::string local_from(const calendar& cal, instant t) {
  const civil_date d = cal.local_date(t);
  if (cal.start_of_day(d) == t) return weekday_date(d);
  return local_datetime(cal, t);
}

std::string duration_text(std::chrono::seconds d) {
  long s = static_cast<long>(d.count());
  if (s < 0) s = -s;
  const long days = s / 86400;
  const long hours = s / 3600 % 24;
  const long minutes = s / 60 % 60;
  if (days > 0) return std::to_string(days) + "d" + (hours > 0 ? " " + std::to_string(hours) + "h" : "");
  if (hours > 0) return std::to_string(hours) + "h" + (minutes > 0 ? " " + std::to_string(minutes) + "m" : "");
  if (minutes > 0) return std::to_string(minutes) + "m";
  return "less than a minute";
}

std::string relative_text(instant t, instant now) {
  if (t == now) return "now";
  if (t > now) return "in " + duration_text(t - now);
  return duration_text(now - t) + " ago";
}

std::string money_text(std::int64_t minor, std::string_view currency) {
  return ordertrail::money_text(minor, sanitize(currency));
}

std::string status_gloss(order_status s) {
  switch (s) {
    case order_status::unpaid:
      return "waiting for payment";
    case order_status::on_hold:
      return "paid, in the buyer's free-cancellation window";
    case order_status::awaiting_shipment:
      return "paid, waiting for the seller to ship";
    case order_status::partially_shipping:
      return "partly shipped: some items are with the carrier, the rest still to ship";
    case order_status::awaiting_collection:
      return "packed, waiting for the carrier to collect it";
    case order_status::in_transit:
      return "with the carrier";
    case order_status::delivered:
      return "delivered";
    case order_status::completed:
      return "completed";
    case order_status::cancelled:
      return "cancelled";
  }
  return {};
}

std::string obligation_label(obligation_id d) {
  switch (d) {
    case obligation_id::payment:
      return "Payment";
    case obligation_id::dispatch_by:
      return "Dispatch by";
    case obligation_id::ship_by:
      return "Ship by (or auto-cancel)";
    case obligation_id::cancel_request_response:
      return "Answer to cancel request";
    case obligation_id::delivery:
      return "Delivery";
    case obligation_id::return_response:
      return "Answer to return request";
    case obligation_id::return_ship_back:
      return "Send the return back";
    case obligation_id::return_receipt:
      return "Confirm return receipt";
    case obligation_id::return_receipt_response:
      return "Refund received return";
    case obligation_id::case_refund:
      return "Refund the approved case";
    case obligation_id::appeal_decision:
      return "Decide the appeal";
  }
  return {};
}

std::string obligation_state_label(obligation_state s) {
  switch (s) {
    case obligation_state::pending:
      return "due";
    case obligation_state::met:
      return "done";
    case obligation_state::missed:
      return "missed";
    case obligation_state::moot:
      return "void";
  }
  return {};
}

std::string on_miss_text(miss_outcome m, obligation_id id) {
  switch (m) {
    case miss_outcome::auto_cancel:
      if (id == obligation_id::payment) return "the unpaid order is cancelled automatically";
      if (id == obligation_id::delivery) return "what is not delivered is cancelled and refunded automatically";
      return "what is not ready is cancelled and refunded automatically (seller responsible)";
    case miss_outcome::auto_approve:
      return "the request is approved automatically";
    case miss_outcome::auto_reject:
      return "the request is rejected automatically";
    case miss_outcome::auto_approve_case:
      if (id == obligation_id::appeal_decision) return "the appeal is decided for the buyer automatically";
      return "the request is approved automatically";
    case miss_outcome::auto_close_case:
      return "the case closes without a refund";
    case miss_outcome::auto_refund_case:
      return "the platform refunds the buyer automatically (seller responsible)";
    case miss_outcome::late_dispatch:
      return "counted as a late dispatch in the seller's metrics";
  }
  return {};
}

std::string moot_text(moot_reason r) {
  switch (r) {
    case moot_reason::order_cancelled:
      return "the order was cancelled";
    case moot_reason::order_completed:
      return "the order was completed";
    case moot_reason::superseded_by_shipment:
      return "the shipment closed the request";
    case moot_reason::request_withdrawn:
      return "the request was withdrawn";
    case moot_reason::not_applicable:
      return "it did not apply when it fell due";
    case moot_reason::case_closed:
      return "the case closed first";
    case moot_reason::none:
      break;
  }
  return {};
}

std::string window_label(window_id w) {
  switch (w) {
    case window_id::free_cancellation:
      return "Free cancellation";
    case window_id::cancel_request:
      return "Ask the seller to cancel";
    case window_id::not_received_claim:
      return "Claim: not received";
    case window_id::return_window:
      return "Return";
    case window_id::delivered_not_received_claim:
      return "Delivered, not received";
    case window_id::appeal:
      return "Appeal the rejection";
  }
  return {};
}

std::string void_text(void_reason r) {
  switch (r) {
    case void_reason::order_cancelled:
      return "the order was cancelled";
    case void_reason::packed:
      return "the order was packed";
    case void_reason::shipped:
      return "the order was shipped";
    case void_reason::delivered:
      return "the order was delivered";
    case void_reason::completed:
      return "the order was completed";
    case void_reason::nothing_paid:
      return "nothing was paid";
    case void_reason::no_eligible_units:
      return "no item is left to claim";
    case void_reason::case_closed:
      return "the case closed first";
    case void_reason::none:
      break;
  }
  return {};
}

std::string next_action_text(std::string_view code) {
  static constexpr std::array<code_text, 28> table{{
      {"pay_now", "pay for the order"},
      {"review_payment_method", "check the payment method (a payment did not go through)"},
      {"cancel_now", "cancel at once, if the order is no longer wanted"},
      {"request_cancellation", "ask the seller to cancel, if the order is no longer wanted"},
      {"withdraw_cancellation_request", "withdraw the cancellation request, if the order is wanted after all"},
      {"contact_seller", "contact the seller, who has to cancel, if the order is no longer wanted"},
      {"wait_for_shipment", "wait for the seller to ship"},
      {"track_shipment", "track the parcel with the carrier"},
      {"wait_for_delivery", "wait for the delivery"},
      {"verify_address", "check the delivery address"},
      {"check_email", "look for the cancellation and refund notice in email"},
      {"claim_refund_not_received", "claim a refund for the order not received"},
      {"return_item", "return the items for a refund"},
      {"reorder", "order again, from this seller or another"},
      {"contact_support", "contact support if something is not right"},
      {"open_dispute", "open a dispute about the rejected return"},
      {"ship_return", "send the return back"},
      {"appeal", "appeal the seller's rejection"},
      {"refuse_delivery", "refuse the parcel at the door (the order is cancelled and refunded)"},
      {"answer_cancel_request", "approve or reject the buyer's cancellation request"},
      {"ship_order", "pack and ship the order"},
      {"answer_return", "approve or reject the return or refund request"},
      {"refund_return", "refund the case (the return received, or the claim approved)"},
      {"receive_return", "confirm the return when it arrives"},
      {"decide_appeal", "decide the buyer's appeal"},
      {"refund_buyer", "refund the buyer"},
      {"intercept_parcel", "ask the carrier to stop the parcel and return it"},
      {"review_anomalies", "review the events that did not fit the order's history"},
  }};
  return lookup(table, code);
}

std::string actor_label(std::string_view actor) {
  if (actor == "buyer") return "Buyer";
  if (actor == "seller") return "Seller";
  if (actor == "support") return "Support";
  if (actor == "platform") return "Platform";
  if (actor == "carrier") return "Carrier";
  if (actor == "operator") return "Operator";
  return sanitize(actor);
}

std::string reason_text(std::string_view reason) {
  static constexpr std::array<code_text, 48> table{{
      {"changed_mind", "the buyer changed their mind"},
      {"wrong_item_selected", "the buyer chose the wrong item, type or colour"},
      {"duplicate_order", "a duplicate order"},
      {"better_price_elsewhere", "the buyer found a better price elsewhere"},
      {"payment_timeout", "the order was not paid in time"},
      {"buyer_request_approved", "the buyer's cancellation request was approved"},
      {"out_of_stock", "the item is out of stock"},
      {"pricing_error", "the price was wrong"},
      {"cannot_ship_to_address", "the seller cannot ship to the address"},
      {"seller_late_ship", "the seller did not ship in time"},
      {"seller_late_delivery", "the order was not delivered in time"},
      {"buyer_requested_off_platform", "the buyer asked the seller outside the platform"},
      {"payment_failed", "the payment failed"},
      {"account_issue", "an account issue (verification or suspension)"},
      {"risk_control", "the platform's risk control"},
      {"address_undeliverable", "the address cannot be delivered to"},
      {"delivery_restricted", "delivery to the address is restricted"},
      {"lost_in_transit", "the carrier lost the parcel"},
      {"seller_no_response", "the seller did not answer in time"},
      {"return_window_closed", "the return window closed"},
      {"already_shipped", "the order has shipped"},
      {"partially_shipped", "part of the order has shipped"},
      {"already_delivered", "the order was delivered"},
      {"order_completed", "the order is completed"},
      {"already_cancelled", "the order is already cancelled"},
      {"remorse_window", "the buyer's free-cancellation window is still open"},
      {"seller_must_cancel", "only the seller can cancel in this market"},
      {"cancel_request_pending", "a cancellation request is waiting for the seller's answer"},
      {"superseded_by_shipment", "the shipment closed the cancellation request"},
      {"not_received", "the order has not arrived"},
      {"after_packing", "the order is packed; only the seller can cancel now"},
      {"not_allowed_in_status", "the market does not let the seller cancel in this status"},
      {"line_cancel_not_allowed", "the market does not let the seller cancel some items only"},
      {"need_to_change_address", "the buyer needs to change the address"},
      {"forgot_coupon", "the buyer forgot to use a coupon"},
      {"not_shipped_on_time", "the order was not shipped on time"},
      {"delivery_failed", "the delivery failed"},
      {"returned_to_shipper_refused", "the parcel was refused and went back to the seller"},
      {"package_damaged", "the parcel was damaged"},
      {"delivered_not_received", "marked delivered, but the buyer did not get it"},
      {"defective", "the item is defective"},
      {"wrong_item", "the seller sent the wrong item"},
      {"missing_item", "an item is missing from the parcel"},
      {"not_as_described", "the item is not as described"},
      {"not_shipped_back", "the buyer did not send the return back in time"},
      {"rejected", "the rejection was not appealed in time"},
      {"platform_no_decision", "the platform did not decide the appeal in time"},
      {"case_approved", "a case was approved"},
  }};
  return lookup(table, reason);
}

std::string buyer_alternative(std::string_view reason) {
  if (reason == "already_shipped") return "refuse the delivery, or return the items after they arrive";
  if (reason == "already_delivered") return "return the items within the return window";
  if (reason == "order_completed" || reason == "already_cancelled") return "contact support if something is not right";
  return {};
}

std::string refund_reason_text(std::string_view reason) {
  static constexpr std::array<code_text, 18> table{{
      {"order_cancelled", "the order was cancelled"},
      {"units_cancelled", "some items were cancelled; their share is due back"},
      {"lost_in_transit", "the carrier lost the parcel"},
      {"seller_late_delivery", "the order was not delivered in time"},
      {"already_refunded", "everything paid was already refunded"},
      {"return_refunded", "the return was refunded; nothing more is due on it"},
      {"overpaid", "more was paid than the order's total; the excess is due back"},
      {"nothing_paid", "nothing was paid"},
      {"not_received", "the order has not arrived and may be claimed"},
      {"return_window_open", "the return window is open"},
      {"return_in_progress", "a return or claim is in progress"},
      {"return_received", "the seller received the return"},
      {"return_rejected", "the return or claim was rejected"},
      {"return_window_closed", "the return window closed"},
      {"case_open", "a case is open; its money is not due yet"},
      {"items_not_returnable", "no item of the order can be returned"},
      {"order_completed", "the order is completed"},
      {"order_active", "the order is still active"},
  }};
  return lookup(table, reason);
}

std::string refund_kind_text(refund_kind k) {
  switch (k) {
    case refund_kind::automatic:
      return "not refunded yet; it is refunded automatically";
    case refund_kind::return_and_refund:
      return "refunded once the items are returned";
    case refund_kind::refund_only:
      return "refunded on a claim, without a return";
    case refund_kind::none:
      return "no refund";
    case refund_kind::mixed:
      return "the cancelled items' share automatically, the rest on a return or claim";
  }
  return {};
}

std::string due_action_text(due_action a) {
  switch (a) {
    case due_action::auto_cancel:
      return "cancel the order";
    case due_action::auto_approve:
      return "approve the cancellation request";
    case due_action::auto_reject:
      return "reject the cancellation request";
    case due_action::auto_approve_case:
      return "approve the case (or decide its appeal for the buyer)";
    case due_action::auto_close_case:
      return "close the case without a refund";
    case due_action::auto_refund_case:
      return "refund the case";
    case due_action::auto_complete:
      return "complete the order";
  }
  return {};
}

std::string case_type_text(const case_view& c) {
  std::string s = c.refund_only ? "refund only, no return" : "return and refund";
  if (c.keep_item) s += ", the buyer keeps the items";
  return s;
}

std::string case_stage_text(case_status s) {
  switch (s) {
    case case_status::requested:
      return "requested, waiting for the seller's answer";
    case case_status::approved:
      return "approved, the refund is due";
    case case_status::awaiting_return:
      return "approved, waiting for the buyer to send the items back";
    case case_status::returned:
      return "sent back, on its way to the seller";
    case case_status::received:
      return "received back by the seller, the refund is due";
    case case_status::rejected:
      return "rejected by the seller, the buyer may appeal";
    case case_status::appealed:
      return "appealed, waiting for the platform's decision";
    case case_status::refunded:
      return "refunded and closed";
    case case_status::closed:
      return "closed";
  }
  return {};
}

std::string case_close_text(case_close c) {
  switch (c) {
    case case_close::withdrawn:
      return "the buyer withdrew it";
    case case_close::not_shipped_back:
      return "the items were not sent back in time";
    case case_close::rejected:
      return "rejected, and not appealed in time";
    case case_close::appeal_lost:
      return "the appeal was decided for the seller";
    case case_close::units_cancelled:
      return "its items were cancelled (their refund is the order's)";
    case case_close::delivered:
      return "the parcel was delivered after all";
    case case_close::none:
      break;
  }
  return {};
}

std::string package_status_text(package_status s) {
  switch (s) {
    case package_status::packed:
      return "packed, waiting for the carrier";
    case package_status::in_transit:
      return "with the carrier";
    case package_status::delivered:
      return "delivered";
    case package_status::lost:
      return "lost by the carrier";
    case package_status::refused:
      return "refused at the door";
    case package_status::returned_to_sender:
      return "returned to the sender";
  }
  return {};
}

std::string responsibility_text(responsibility r) {
  if (r == responsibility::none) return "nobody at fault";
  return std::string(to_string(r)) + " responsible";
}

std::string event_text(const event& e, const order& o) {
  auto with_reason = [&](std::string s) {
    if (!e.reason.empty()) s += " (" + sanitize(e.reason) + ")";
    return s;
  };
  auto by = [&](std::string_view fallback) {
    return e.by == party::none ? std::string(fallback) : std::string(to_string(e.by));
  };
  std::string s;
  switch (e.type) {
    case event_type::payment_succeeded:
      s = "payment of " + money_text(e.amount_minor.value_or(o.total_minor), o.currency) + " received";
      break;
    case event_type::payment_failed:
      s = with_reason("payment failed");
      break;
    case event_type::cancelled:
      s = "cancelled by " + by("?") + ": " + reason_text(e.reason) + " (" + sanitize(e.reason) + ")";
      break;
    case event_type::cancel_requested:
      s = with_reason("the buyer asked the seller to cancel");
      break;
    case event_type::cancel_request_withdrawn:
      s = "the buyer withdrew the cancellation request";
      break;
    case event_type::cancel_request_approved:
      s = "cancellation request approved by " + by("seller");
      break;
    case event_type::cancel_request_rejected:
      s = with_reason("cancellation request rejected");
      break;
    case event_type::ready_to_ship:
      s = "packed: ready for the carrier to collect";
      break;
    case event_type::shipped:
      s = "handed to the carrier";
      if (!e.carrier.empty()) s += " " + sanitize(e.carrier);
      s += e.tracking_number.empty() ? ", no tracking number" : ", tracking " + sanitize(e.tracking_number);
      break;
    case event_type::delivery_attempt_failed:
      s = with_reason("delivery attempt failed");
      break;
    case event_type::delivered:
      s = "delivered";
      break;
    case event_type::lost:
      s = "the carrier declared the parcel lost";
      break;
    case event_type::edd_revised:
      s = "estimated delivery shown to the buyer revised to " +
          (e.est_delivery ? weekday_date(*e.est_delivery) : std::string("?"));
      break;
    case event_type::return_requested:
      s = with_reason(e.refund_only ? "the buyer claimed a refund without a return" : "the buyer asked to return");
      break;
    case event_type::return_approved:
      s = with_reason(e.keep_item ? "return approved, the buyer keeps the items" : "return approved");
      break;
    case event_type::return_rejected:
      s = with_reason("return rejected");
      break;
    case event_type::return_shipped:
      s = "the buyer sent the return";
      if (!e.tracking_number.empty()) s += ", tracking " + sanitize(e.tracking_number);
      break;
    case event_type::return_received:
      s = "the seller received the return";
      break;
    case event_type::refunded:
      s = with_reason("refund of " + money_text(e.amount_minor.value_or(0), o.currency));
      break;
    case event_type::completed:
      s = "order completed";
      break;
    case event_type::tracking_update:
      s = "carrier scan";
      if (!e.status.empty()) s += " " + sanitize(e.status);
      if (!e.text.empty()) s += ": \"" + sanitize(e.text) + "\"";
      break;
    case event_type::delivery_refused:
      s = with_reason("the buyer refused the parcel at the door");
      break;
    case event_type::returned_to_sender:
      s = with_reason("the parcel came back to the sender undelivered");
      break;
    case event_type::return_withdrawn:
      s = "the buyer withdrew the return request";
      break;
    case event_type::appeal_opened:
      s = "the buyer appealed the rejection";
      break;
    case event_type::appeal_decided:
      s = std::string("the platform decided the appeal for the ") + (e.outcome == party::buyer ? "buyer" : "seller");
      break;
    case event_type::case_closed:
      s = with_reason("the platform closed the case");
      break;
  }
  if (!e.case_id.empty()) s += "; case " + sanitize(e.case_id);
  if (!e.package_id.empty()) s += "; package " + sanitize(e.package_id);
  if (!e.items.empty()) s += "; items " + item_refs_text(e.items, o.currency);
  if (!e.note.empty()) s += "; note: \"" + sanitize(e.note) + "\"";
  return s;
}

std::string item_refs_text(const std::vector<item_ref>& refs, std::string_view currency) {
  std::string s;
  for (const auto& r : refs) {
    if (!s.empty()) s += ", ";
    if (r.qty) s += std::to_string(*r.qty) + " x ";
    s += sanitize(r.ref);
    if (r.amount_minor) s += " " + money_text(*r.amount_minor, currency);
  }
  return s;
}

std::string error_text(const error& e) {
  std::string s = sanitize(e.code);
  if (!e.path.empty()) s += " at " + sanitize(e.path);
  return s + ": " + sanitize(e.message);
}

std::string column(std::string_view s, std::size_t width) {
  std::string out = pad(s, width);
  if (out.size() == s.size()) out += "  ";
  return out;
}

std::string pad(std::string_view s, std::size_t width) {
  std::size_t cols = 0;
  for (const char ch : s)
    if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80) ++cols;
  std::string out(s);
  if (cols < width) out.append(width - cols, ' ');
  return out;
}

}  // namespace ordertrail::cli
