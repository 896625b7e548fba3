// ordertrail/decision.hpp — whether a party may record an event now, and the
// exact event to record (SPEC 7, docs/RULES.md "Decisions").
//
// `decide` reads the order's evaluation at `now`: a command is allowed
// exactly when the evaluation's `actions` list admits it, so the list a
// widget shows and the answer a back end gets are one table.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ordertrail/error.hpp"
#include "ordertrail/evaluation.hpp"
#include "ordertrail/order.hpp"
#include "ordertrail/policy.hpp"
#include "ordertrail/time.hpp"

namespace ordertrail {

// Why a command is refused, in the order the checks run.
enum class refusal_code {
  unknown_line,
  unknown_package,
  no_open_case,
  no_open_request,
  party_not_allowed,
  not_allowed_in_status,
  window_closed,
  reason_not_allowed,
  qty_exceeds,
  not_returnable,
  amount_exceeds_refundable,
  duplicate_id,
  events_after_now,  // a recorded event is dated after `now`
};
std::string_view to_string(refusal_code c);

// What the refused party may do instead: one of its `next_actions`.
struct alternative {
  std::string code;
  std::optional<instant> until;
};

struct refusal {
  refusal_code code{};
  std::string message;  // English, from the templates of RULES "Decisions"
  std::vector<alternative> alternatives;
};

struct decision {
  bool allowed = false;
  // The command repeats a recorded event (same id and content): allowed,
  // and nothing is to be appended.
  bool already_recorded = false;
  // The normalised event (`at` = now; items as {line_id, qty}, refunds as
  // {line_id, amount_minor}; inferred case and package ids written out).
  event ev;
  std::optional<refusal> refused;
  // The evaluation at `now` with the event appended; refused or already
  // recorded: the current one.
  evaluation eval;
};

// Whether `by` may ever record an event of type `t` (RULES "Who may record
// what"); the state decides the rest.
bool party_may_record(event_type t, party by);

// Decides `command` (an event whose `at` is `now`, e.g. from parse_command)
// on `o` under `p`. Errors: the evaluation's (now_before_placed,
// calendar_exhausted).
result<decision> decide(const order& o, const policy& p, const event& command, instant now);

// The normalised event as JSON, keys in the RULES order (`o`: for line ids).
std::string to_json(const event& e, const order& o);

// `ordertrail.decision/1`, compact.
std::string to_json(const decision& d, const order& o);

// Convenience for the bindings and the CLI: parse the order, the command and
// the policy (empty = the embedded policy of the order's market), decide,
// serialise. An `ordertrail.decision/1` or `ordertrail.error/1` JSON text.
std::string decide_json(std::string_view order_json, std::string_view command_json, std::string_view now_rfc3339,
                        std::string_view policy_json = {});

}  // namespace ordertrail
