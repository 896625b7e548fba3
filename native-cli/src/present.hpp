// Words for people: how instants, durations and money are shown, and the
// English sentences for the core's codes. Nothing here decides anything: every
// function turns a value the core returned into text.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <ordertrail/ordertrail.hpp>

namespace ordertrail::cli {

// --- time, in a market's zone (through the core's calendar) -----------------

// "-08:00", "+05:45".
std::string offset_text(std::chrono::seconds offset);
// "Wed 2025-03-12".
std::string weekday_date(civil_date d);
// "Wed 2025-03-05 10:00 -08:00" (seconds shown only when not zero).
std::string local_datetime(const calendar& cal, instant t);
// Like local_datetime, but an instant that starts a local day is shown as the
// end of the day before ("end of Wed 2025-03-12"), the way date deadlines read.
std::string local_when(const calendar& cal, instant t);
// An instant something starts at, the way the buyer reads it: one that starts
// a local day is that day ("Thu 2025-03-20", as the widget's "from Thu, Mar
// 20"), any other its local date and time.
std::string local_from(const calendar& cal, instant t);
// "7d 20h", "3h 5m", "45m", "less than a minute" (truncated, two units at most).
std::string duration_text(std::chrono::seconds d);
// "in 7d 20h", "2h 5m ago", "now".
std::string relative_text(instant t, instant now);

// --- money --------------------------------------------------------------------

// "25.98 USD", "150,000.00 IDR" from minor units: the core's money_text, with
// the currency code sanitised for a terminal.
std::string money_text(std::int64_t minor, std::string_view currency);

// --- the core's codes in English ------------------------------------------------

std::string status_gloss(order_status s);                    // "paid, waiting for the seller to ship"
std::string obligation_label(obligation_id d);               // "Dispatch by"
std::string obligation_state_label(obligation_state s);      // "due", "done", "missed", "void"
std::string on_miss_text(miss_outcome m, obligation_id id);  // "the request is approved automatically"
std::string moot_text(moot_reason r);                        // "the order was cancelled"
std::string window_label(window_id w);                       // "Free cancellation"
std::string void_text(void_reason r);                        // "the order was packed"
std::string next_action_text(std::string_view code);         // "ask the seller to cancel"
std::string actor_label(std::string_view actor);             // "Buyer"
std::string reason_text(std::string_view reason);            // cancellation reasons and the like
// What the buyer can do instead when cancelling is not possible ("" if nothing).
std::string buyer_alternative(std::string_view reason);
std::string refund_reason_text(std::string_view reason);
std::string refund_kind_text(refund_kind k);
std::string due_action_text(due_action a);          // "cancel the order"
std::string responsibility_text(responsibility r);  // "seller responsible"
std::string package_status_text(package_status s);  // "with the carrier"
std::string case_type_text(const case_view& c);     // "return and refund", "refund only, no return"
std::string case_stage_text(case_status s);         // "approved, waiting for the buyer to send the items back"
std::string case_close_text(case_close c);          // "the items were not sent back in time"
// A sentence for what an event says ("payment of 25.98 USD received"), with
// the package and the items it names as written in the document.
std::string event_text(const event& e, const order& o);
// An event's `items` as written: "1 x MUG, KETTLE" (no qty: the whole line),
// "MUG 5.00 USD" for a refund's amounts.
std::string item_refs_text(const std::vector<item_ref>& refs, std::string_view currency);

// "ordertrail: FILE: CODE at /pointer: message" pieces, sanitised.
std::string error_text(const error& e);

// Pads `s` with spaces to `width` columns (ASCII and UTF-8 aware).
std::string pad(std::string_view s, std::size_t width);
// pad(), but always leaves at least two spaces after `s`.
std::string column(std::string_view s, std::size_t width);

}  // namespace ordertrail::cli
