// The commands. Each takes its parsed options and returns an exit code
// (io.hpp); main() only parses the command line (commands.cpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "terminal.hpp"

namespace ordertrail::cli {

struct common_options {
  colour_mode colour = colour_mode::automatic;
};

struct order_options {  // status, timeline
  std::string input;
  std::string now;  // RFC 3339; empty = the clock
  std::string policy_file;
  bool json = false;
  bool explain = false;
};

struct sweep_options {
  std::string input;
  std::string now;
  std::string output = "-";
  std::string rejects;  // empty = stderr
  std::string policy_file;
  unsigned threads = 0;  // 0 = hardware threads
  bool full = false;
  bool progress = true;  // only ever drawn on a terminal
};

struct metrics_options {
  std::string input;
  std::string from, to, now;
  std::string policy_file;
  bool json = false;
  bool csv = false;
};

struct quote_options {
  std::string market;
  std::string policy_file;
  std::string at;
  std::optional<int> handling_days;
  std::string transit_days;  // "A-B"
  std::string order_type;    // empty = normal
  std::string release_date;  // YYYY-MM-DD, for a pre_order
  bool json = false;
};

struct policy_options {
  std::string action;  // list, show, check
  std::string target;  // market or file
  std::string month;   // show: "YYYY-MM" month grid
  std::string now;     // check: the years to check when the policy has no holidays
  bool json = false;
};

struct decide_options {  // decide: the command's fields, or --command FILE
  std::string input;
  std::string now;
  std::string policy_file;
  std::string command_file;
  std::string append;  // write the order with the event appended here
  std::string type, by, reason, id, package_id, case_id, case_type, amount, carrier, tracking_number, outcome,
      est_delivery, status, text, note;
  std::vector<std::string> items;  // LINE[:QTY|:AMOUNT],...
  bool keep_item = false;
  bool json = false;
};

struct import_options_cli {  // import tiktok|shopify FILE|-
  std::string platform;
  std::string input;
  std::string market;  // empty: the payload's address country
  std::string seller;
  bool ndjson = false;       // one payload a line
  bool json_errors = false;  // the error object on stdout too
};

int cmd_status(const order_options& o, const common_options& c);
int cmd_import(const import_options_cli& o, const common_options& c);
int cmd_decide(const decide_options& o, const common_options& c);
int cmd_timeline(const order_options& o, const common_options& c);
int cmd_sweep(const sweep_options& o, const common_options& c);
int cmd_metrics(const metrics_options& o, const common_options& c);
int cmd_quote(const quote_options& o, const common_options& c);
int cmd_policy(const policy_options& o, const common_options& c);

// The whole command line: parses argv and runs a command.
int cmd_serve(int argc, char** argv);  // execs ordertrail-serve with argv[2..]
int run(int argc, char** argv);

// Help texts (help.cpp): the overview, or one command's ("" = overview).
// Returns false for an unknown command.
bool help_text(const std::string& command, std::string& out);

}  // namespace ordertrail::cli
