// The texts of `ordertrail help [COMMAND]`.
#include <array>

#include "commands.hpp"

namespace ordertrail::cli {
namespace {

constexpr std::string_view overview = R"(ordertrail - what a marketplace order is at an instant: its status, who can
cancel it and how, what the seller must do by when and what the buyer may still
do (in the market's working-day calendar), the automatic actions that are due,
the refund, and what to do next.

Usage: ordertrail COMMAND [ARGUMENTS] [OPTIONS]

Commands:
  status    ORDER.json|- [--now T] [--policy FILE] [--json] [--explain]
            one order now: status, cancellation, obligations, buyer options, refund, next steps
  timeline  ORDER.json|- [--now T] [--policy FILE] [--json]
            events, obligations and buyer options in time order: what happened, what will
  decide    ORDER.json|- --type TYPE --by PARTY [--reason R] [--items L:Q,...] [...] [--json] [--append FILE]
            may this party record this event now? the exact event to record, or why not
  sweep     ORDERS.ndjson|- [--now T] [-o OUT] [--rejects FILE] [--threads N] [--full]
            every order of a stream, one output line per input line
  metrics   ORDERS.ndjson|- --from DATE --to DATE [--now T] [--json|--csv]
            seller performance against the market thresholds
  quote     --market M [--at T] [--handling-days N] [--transit-days A-B] [--order-type T] [--json]
            the checkout promise of a market
  import    tiktok|shopify PAYLOAD.json|- [--market M] [--seller ID] [--ndjson] [--json]
            a marketplace's order payload as an ordertrail.order/2 document
  policy    list | show MARKET [--month YYYY-MM] | check FILE
            the shipped market policies; validate your own
  serve     [--db FILE] [--port N] [--web DIR] [--clock real|T] | token create --buyer ID|--seller ID|--agent
            the order service (HTTP/JSON on SQLite; runs ordertrail-serve, docs/RULES.md)
  help      [COMMAND]   this text, or a command's with examples

Options of every command:
  --color=auto|always|never   colour only on a terminal (auto), and never when
                              the NO_COLOR environment variable is set
  -h, --help                  the command's help
  --version                   print the version

Instants (--now, --at) are RFC 3339, e.g. 2025-03-05T12:00:00Z or
2025-03-05T04:00:00-08:00; without --now the current time is used (the only
place ordertrail reads a clock). An option given an empty value (--now "",
--policy "", -o "", ...) is a usage error, never its default. '-' reads
standard input wherever a file is accepted; output goes to standard output
unless -o.

Exit codes:
  0  ok
  1  the command ran and found a problem it reports: sweep rejected lines,
     metrics found a breach, policy check found a difference, import
     rejected lines
  2  usage error: unknown command or option, bad or empty --now, unknown
     --market, a sweep output that is its input or the other output
  3  invalid input: an order or policy document is invalid (stderr names the
     file, the line for NDJSON, and the JSON pointer of the value); decide:
     the command is refused
  4  I/O error: a file cannot be read, or the output cannot be written
     (closed pipe, full disk); the output is then incomplete
)";

constexpr std::string_view status_help =
    R"(ordertrail status ORDER.json|- [--now T] [--policy FILE] [--json] [--explain]

One order at one instant, for a support agent: the effective status, who can
cancel and how (until when), each obligation (who must act, by when, what
happens if not) and buyer option (open, upcoming, closed: never "missed") with
its local date and time in the market's zone, the time left or overdue and its state, the automatic actions
due, each after-sales case (its stage, and who must act by when), the refund
and its parts, the next steps and any anomalies in the history.

  --now T         the evaluation instant (RFC 3339); default: the current time
  --policy FILE   evaluate under this policy instead of the order's market's
  --json          print the exact ordertrail.evaluation/2 object (on invalid
                  input: the ordertrail.error/1 object, exit 3)
  --explain       add every rule's explanation

Examples:
  ordertrail status order.json --now 2025-03-05T12:00:00Z
  ordertrail status order.json --now 2025-03-11T00:00:00-08:00 --explain
  curl -s https://backend/orders/US-1002 | ordertrail status - --json | jq .obligations
)";

constexpr std::string_view decide_help =
    R"(ordertrail decide ORDER.json|- --type TYPE --by PARTY [FIELDS] [--now T] [--policy FILE] [--json] [--append FILE]
ordertrail decide ORDER.json|- --command COMMAND.json|- [--now T] [--policy FILE] [--json] [--append FILE]

Whether PARTY (buyer, seller, carrier, platform, operator) may record an
event of TYPE on the order now, by the market's rules, and the exact event
to record: the same answer the widget, the order service and the bindings
get. Refused: why (a code and a sentence) and what the party can do
instead; exit 3, nothing written.

  --type TYPE        the event type (cancelled, cancel_requested, shipped,
                     return_requested, refunded, ...)
  --by PARTY         who records it
  --reason R         a reason code of the market's catalogue
  --items L[:Q],...  units by line_id or sku (no :Q = the whole line);
                     for refunded L:AMOUNT in minor units; may repeat
  --package ID, --case ID, --case-type return_and_refund|refund_only,
  --amount N, --carrier C, --tracking N, --keep-item, --outcome buyer|seller,
  --est-delivery YYYY-MM-DD, --status S, --text T, --note N, --id ID
                     the other fields of the event (--id makes retries safe:
                     the same id and content again is "already recorded")
  --command FILE     the command as JSON instead ({type, by, reason, items, ...}
                     without "at")
  --now T            the instant to decide at and to record (RFC 3339);
                     default: the current time
  --json             print the ordertrail.decision/1 object
  --append FILE      when allowed, write the order with the event appended
                     to FILE (often ORDER.json itself): a temporary file
                     renamed over FILE, so FILE is whole before and after

Examples:
  ordertrail decide order.json --type cancelled --by buyer --reason changed_mind --now 2025-03-03T18:40:00Z
  ordertrail decide order.json --type shipped --by seller --carrier UPS --tracking 1Z999 --append order.json
  ordertrail decide order.json --type refunded --by seller --amount 1500 --items MUG:1500 --json
)";

constexpr std::string_view timeline_help = R"(ordertrail timeline ORDER.json|- [--now T] [--policy FILE] [--json]

The order's events, obligations and the ends of buyer options merged in time order (local time of the
market), with what happened, what is due now, and what will happen. Whether
each event was applied is the core's answer (its replay): events dated after
--now are shown but not applied, so "what if it were Tuesday?" is one
command, and so are copies of an event already applied and events that do
not fit the history (with the anomaly). --json gives each event's "applied",
"skipped" (null, "duplicate", "future", "anomaly") and "automatic".

  --now T         the evaluation instant; default: the current time
  --policy FILE   evaluate under this policy instead of the order's market's
  --json          an ordertrail.timeline/1 object

Examples:
  ordertrail timeline order.json --now 2025-03-05T12:00:00Z
  ordertrail timeline order.json --now 2025-03-11T09:00:00-08:00   # next Tuesday
)";

constexpr std::string_view sweep_help =
    R"(ordertrail sweep ORDERS.ndjson|- [--now T] [-o OUT] [--rejects FILE] [--threads N] [--full]

Evaluates every order of a newline-delimited JSON stream at one instant and
writes one line per order, in input order:
  {"line":N,"order_id":...,"status":...,"effective_status":...,"due":[...]}
(--full: {"line":N,"evaluation":{...the whole ordertrail.evaluation/2...}}).
Every input line is either an output line or a reject
  {"line":N,"error":{"code":...,"path":...,"message":...}}
and a bad line never stops the run. A blank line is a reject (code
"empty_line"); a line longer than the 1 MiB document limit is a reject
("too_large"). Memory stays bounded whatever the input size.
A summary goes to stderr (lines read, ok, rejected, due actions by kind,
orders/s), with a progress bar only when stderr is a terminal.

  --now T           the evaluation instant; default: the current time
  -o, --output OUT  write results to OUT (default: standard output)
  --rejects FILE    write rejects to FILE (default: standard error); the first
                    ones are also named on stderr as FILE:LINE: code at /pointer
  --threads N       worker threads (default: the number of hardware threads);
                    the output order is the input order whatever N
  --full            the whole evaluation on each line
  --policy FILE     evaluate every order under this policy
  --no-progress     never draw the progress bar

-o and --rejects may not name the input, nor each other (the same file by
device and inode: through a symlink, a hard link or stdout too): the sweep
refuses before writing anything (exit 2) instead of emptying the input.

Exit: 0 all lines evaluated, 1 some lines rejected, 2 usage error (an output
is the input or the other output), 4 the input could not be read or the
output could not be written (the output is then incomplete).

Examples:
  ordertrail sweep orders.ndjson --now 2025-03-05T12:00:00Z -o due.ndjson --rejects bad.ndjson
  zcat orders.ndjson.gz | ordertrail sweep - --threads 8 | jq -c 'select(.due != [])'
)";

constexpr std::string_view metrics_help =
    R"(ordertrail metrics ORDERS.ndjson|- --from DATE --to DATE [--now T] [--json|--csv]

Seller performance over a window of placement dates (local dates of each
market): per seller, orders, paid orders, cancellations by responsibility, the
seller-fault cancellation rate, late dispatch rate, valid tracking rate and
on-time delivery rate, each against the policy's threshold; breaches marked.

  --from DATE, --to DATE   the window, YYYY-MM-DD, both included
  --now T                  the evaluation instant; default: the current time
  --json                   an ordertrail.metrics/1 object
  --csv                    one CSV row per seller; a seller id a spreadsheet
                           would run as a formula (starting with =, +, -, @,
                           tab or CR) is written as '=..., inside quotes
  --policy FILE            evaluate every order under this policy

Exit: 0 no breach, 1 a breach, 3 some lines were invalid (they are named on
stderr and not counted: the metrics are incomplete).

Examples:
  ordertrail metrics orders.ndjson --from 2025-03-01 --to 2025-03-31 --now 2025-04-15T00:00:00Z
  ordertrail metrics orders.ndjson --from 2025-03-01 --to 2025-03-31 --csv > sellers.csv
)";

constexpr std::string_view quote_help =
    R"(ordertrail quote --market M [--at T] [--handling-days N] [--transit-days A-B]
                 [--order-type T [--release-date D]] [--json]

The promise shown at checkout for an order placed at T: pay-by, free
cancellation, dispatch, the estimated delivery range, the auto-cancel
deadline (for the order type: a made-to-order order's counts from its
dispatch date), the not-received claim date and the return window.

  --market M           a shipped market (see 'ordertrail policy list')
  --policy FILE        quote under this policy instead of --market
  --at T               the placement instant; default: the current time
  --handling-days N    working days of handling (default: the policy's)
  --transit-days A-B   working days in transit (default: the policy's)
  --order-type T       normal (default), made_to_order, back_order, pre_order
  --release-date D     a pre_order's release date (YYYY-MM-DD)
  --json               an ordertrail.quote/1 object

Examples:
  ordertrail quote --market US --at 2025-03-03T18:00:00Z
  ordertrail quote --market GB --at 2025-12-19T16:00:00Z --handling-days 1 --transit-days 1-3 --json
  ordertrail quote --market US --at 2025-03-03T18:00:00Z --order-type made_to_order --handling-days 12
)";

constexpr std::string_view import_help =
    R"(ordertrail import tiktok|shopify PAYLOAD.json|- [--market M] [--seller ID] [--ndjson] [--json]

Turns a marketplace's own order payload into an ordertrail.order/2 document:
  tiktok    one order of TikTok Shop's Get Order Detail (API version 202309),
            or the whole response when it holds one order
  shopify   one Shopify Admin REST order, bare or as {"order": {...}}
The history is rebuilt from the payload's timestamps and line/package fields,
money from its decimal strings (exactly, by the currency's decimals), and the
platform's status and deadlines are kept in `platform`, so that `status` warns
status_mismatch and deadline_mismatch when ordertrail's clock disagrees.
docs/RULES.md "Importing platform payloads" has every mapping.

Options:
  --market M    the order's market (policy); default: the address's country
  --seller ID   the order's seller_id (TikTok payloads name no seller)
  --ndjson      one payload a line: one order/2 document a line; a line that
                cannot be imported is reported with its number and skipped
                (exit 1 when any was)
  --json        with one payload: also print the error object on stdout

What the importer could not map is kept as given and reported on stderr as
"warning CODE at /pointer: text" (never silently guessed); an invalid payload
is an error naming the JSON pointer inside the payload (exit 3).

Examples:
  ordertrail import tiktok order.json --market US --seller S-1 > order2.json
  ordertrail import tiktok - --ndjson --seller S-1 < orders.ndjson > orders2.ndjson
  ordertrail import tiktok order.json --seller S-1 | ordertrail status - --now 2025-03-05T12:00:00Z
)";

constexpr std::string_view policy_help = R"(ordertrail policy list | show MARKET [--month YYYY-MM] | check FILE

  list                 the market policies built into this ordertrail
  show MARKET          a readable calendar of a market: zone, weekend,
                       cutoff, holidays, windows, notes (--json: the policy
                       document itself; --month YYYY-MM: a month grid)
  check FILE           validate a policy file, then compare its tz_rule with
                       the OS tz database (libdate-tz, /usr/share/zoneinfo)
                       for every day of its holiday years: the start of each
                       local day and the UTC offset around every change.
                       --json: an ordertrail.policy_check/1 object.

Exit (check): 0 valid and no difference, 1 differences found, 3 invalid
policy (stderr names the JSON pointer), 4 unreadable file.

Examples:
  ordertrail policy list
  ordertrail policy show GB --month 2025-03
  ordertrail policy check my-market.json
)";

}  // namespace

bool help_text(const std::string& command, std::string& out) {
  struct page {
    std::string_view name;
    std::string_view text;
  };
  static constexpr std::array<page, 9> pages{{{"", overview},
                                              {"import", import_help},
                                              {"status", status_help},
                                              {"decide", decide_help},
                                              {"timeline", timeline_help},
                                              {"sweep", sweep_help},
                                              {"metrics", metrics_help},
                                              {"quote", quote_help},
                                              {"policy", policy_help}}};
  for (const auto& p : pages) {
    if (p.name == command) {
      out = p.text;
      return true;
    }
  }
  if (command == "help") {
    out = "ordertrail help [COMMAND]\n\nThe overview, or a command's help with examples.\n";
    return true;
  }
  return false;
}

}  // namespace ordertrail::cli
