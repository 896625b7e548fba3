// The command line: CLI11 parses, a command runs. CLI11's own help is off:
// `ordertrail help` and every `-h/--help` print the texts of help.cpp.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <string_view>
#include <utility>
#include <vector>

#include <ordertrail/version.hpp>

#include "commands.hpp"
#include "io.hpp"
#include "sanitize.hpp"

namespace ordertrail::cli {
namespace {

colour_mode colour_from(const std::string& s) {
  if (s == "always") return colour_mode::always;
  if (s == "never") return colour_mode::never;
  return colour_mode::automatic;
}

int usage_error(const std::string& message, const std::string& command) {
  diag(sanitize(message) + "; see 'ordertrail help" + (command.empty() ? "" : " " + command) + "'");
  return exit_usage;
}

int require(const std::string& value, const std::string& what, const std::string& command) {
  if (!value.empty()) return exit_ok;
  return usage_error(command + ": " + what + " is required", command);
}

}  // namespace

int run(int argc, char** argv) {
  // Everything after `serve` belongs to ordertrail-serve.
  if (argc > 1 && std::string_view(argv[1]) == "serve") return cmd_serve(argc, argv);
  CLI::App app{"ordertrail", "ordertrail"};
  app.set_help_flag();
  app.fallthrough();
  app.require_subcommand(0, 1);

  bool want_version = false;
  bool want_help = false;
  std::string colour = "auto";
  app.add_flag("--version", want_version);
  app.add_flag("-h,--help", want_help);
  app.add_option("--color,--colour", colour)->check(CLI::IsMember({"auto", "always", "never"}));

  auto add = [&](const char* name) {
    CLI::App* s = app.add_subcommand(name);
    s->set_help_flag();
    return s;
  };
  // Every option that takes a value, with the name shown when it is given empty.
  std::vector<std::pair<CLI::Option*, std::string>> valued;
  auto value = [&](CLI::App* cmd, const std::string& names, std::string& target) {
    CLI::Option* o = cmd->add_option(names, target);
    valued.emplace_back(o, names.substr(names.rfind(',') + 1));
    return o;
  };

  order_options status_opt;
  order_options timeline_opt;
  for (auto [cmd, o] : {std::pair{add("status"), &status_opt}, std::pair{add("timeline"), &timeline_opt}}) {
    cmd->add_option("ORDER", o->input);
    value(cmd, "--now", o->now);
    value(cmd, "--policy", o->policy_file);
    cmd->add_flag("--json", o->json);
    if (o == &status_opt) cmd->add_flag("--explain", o->explain);
  }

  decide_options decide_opt;
  CLI::App* decide_cmd = add("decide");
  decide_cmd->add_option("ORDER", decide_opt.input);
  value(decide_cmd, "--now", decide_opt.now);
  value(decide_cmd, "--policy", decide_opt.policy_file);
  value(decide_cmd, "--command", decide_opt.command_file);
  value(decide_cmd, "--append", decide_opt.append);
  for (auto [names, target] :
       {std::pair{"--type", &decide_opt.type}, std::pair{"--by", &decide_opt.by},
        std::pair{"--reason", &decide_opt.reason}, std::pair{"--id", &decide_opt.id},
        std::pair{"--package", &decide_opt.package_id}, std::pair{"--case", &decide_opt.case_id},
        std::pair{"--case-type", &decide_opt.case_type}, std::pair{"--amount", &decide_opt.amount},
        std::pair{"--carrier", &decide_opt.carrier}, std::pair{"--tracking", &decide_opt.tracking_number},
        std::pair{"--outcome", &decide_opt.outcome}, std::pair{"--est-delivery", &decide_opt.est_delivery},
        std::pair{"--status", &decide_opt.status}, std::pair{"--text", &decide_opt.text},
        std::pair{"--note", &decide_opt.note}})
    value(decide_cmd, names, *target);
  decide_cmd->add_option("--items", decide_opt.items);
  decide_cmd->add_flag("--keep-item", decide_opt.keep_item);
  decide_cmd->add_flag("--json", decide_opt.json);

  sweep_options sweep_opt;
  CLI::App* sweep = add("sweep");
  sweep->add_option("ORDERS", sweep_opt.input);
  value(sweep, "--now", sweep_opt.now);
  value(sweep, "-o,--output", sweep_opt.output);
  value(sweep, "--rejects", sweep_opt.rejects);
  value(sweep, "--policy", sweep_opt.policy_file);
  sweep->add_option("--threads", sweep_opt.threads)->check(CLI::Range(1U, 1024U));
  sweep->add_flag("--full", sweep_opt.full);
  bool no_progress = false;
  sweep->add_flag("--no-progress", no_progress);

  import_options_cli import_opt;
  CLI::App* import_cmd = add("import");
  import_cmd->add_option("PLATFORM", import_opt.platform);
  import_cmd->add_option("PAYLOAD", import_opt.input);
  value(import_cmd, "--market", import_opt.market);
  value(import_cmd, "--seller", import_opt.seller);
  import_cmd->add_flag("--ndjson", import_opt.ndjson);
  import_cmd->add_flag("--json", import_opt.json_errors);

  metrics_options metrics_opt;
  CLI::App* metrics = add("metrics");
  metrics->add_option("ORDERS", metrics_opt.input);
  value(metrics, "--from", metrics_opt.from);
  value(metrics, "--to", metrics_opt.to);
  value(metrics, "--now", metrics_opt.now);
  value(metrics, "--policy", metrics_opt.policy_file);
  metrics->add_flag("--json", metrics_opt.json);
  metrics->add_flag("--csv", metrics_opt.csv);

  quote_options quote_opt;
  int handling_days = 0;
  CLI::App* quote = add("quote");
  value(quote, "--market", quote_opt.market);
  value(quote, "--policy", quote_opt.policy_file);
  value(quote, "--at", quote_opt.at);
  CLI::Option* handling = quote->add_option("--handling-days", handling_days);
  value(quote, "--transit-days", quote_opt.transit_days);
  value(quote, "--order-type", quote_opt.order_type);
  value(quote, "--release-date", quote_opt.release_date);
  quote->add_flag("--json", quote_opt.json);

  policy_options policy_opt;
  CLI::App* policy = add("policy");
  policy->add_option("ACTION", policy_opt.action);
  policy->add_option("TARGET", policy_opt.target);
  value(policy, "--month", policy_opt.month);
  value(policy, "--now", policy_opt.now);
  policy->add_flag("--json", policy_opt.json);

  std::string help_topic;
  CLI::App* help = add("help");
  help->add_option("COMMAND", help_topic);

  std::string command;
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    for (const auto* s : app.get_subcommands()) command = s->get_name();
    return usage_error(e.what(), command);
  }
  for (const auto* s : app.get_subcommands()) command = s->get_name();

  if (want_version) return print_stdout("ordertrail " + std::string(version()) + "\n", exit_ok);
  if (command.empty() || command == "help" || want_help) {
    std::string topic = command == "help" ? help_topic : want_help ? command : "";
    std::string text;
    if (!help_text(topic, text)) return usage_error("no command \"" + topic + "\"", "");
    if (command.empty() && !want_help) {  // no command at all: a usage error, the overview on stderr
      diag("no command given");
      std::fputs(text.c_str(), stderr);
      return exit_usage;
    }
    return print_stdout(text, exit_ok);
  }

  // An empty value is never a choice: `--now "$RUN_AT"` with RUN_AT unset must
  // not mean the clock, nor `--policy "$FILE"` the embedded policy.
  for (const auto& [o, name] : valued) {
    if (o->count() == 0) continue;
    for (const auto& r : o->results()) {
      if (!r.empty()) continue;
      if (name == "--now" || name == "--at")
        return usage_error(command + ": " + name +
                               " is empty: give an RFC 3339 instant such as 2025-03-14T18:00:00Z, or leave " + name +
                               " out to use the current time",
                           command);
      return usage_error(command + ": " + name + " is empty", command);
    }
  }

  const common_options common{colour_from(colour)};
  if (metrics_opt.json && metrics_opt.csv) return usage_error("metrics: --json and --csv exclude each other", command);
  if (command == "status") {
    if (int r = require(status_opt.input, "ORDER (a file, or - for stdin)", command)) return r;
    return cmd_status(status_opt, common);
  }
  if (command == "timeline") {
    if (int r = require(timeline_opt.input, "ORDER (a file, or - for stdin)", command)) return r;
    return cmd_timeline(timeline_opt, common);
  }
  if (command == "decide") {
    if (int r = require(decide_opt.input, "ORDER (a file, or - for stdin)", command)) return r;
    if (decide_opt.command_file.empty()) {
      if (int r = require(decide_opt.type, "--type TYPE (or --command FILE)", command)) return r;
    } else if (!decide_opt.type.empty() || !decide_opt.by.empty() || !decide_opt.items.empty()) {
      return usage_error("decide: --command FILE excludes --type, --by and the other fields", command);
    }
    if (!decide_opt.amount.empty() && decide_opt.amount.find_first_not_of("0123456789") != std::string::npos)
      return usage_error("decide: --amount is a whole number of minor units", command);
    if (decide_opt.input == "-" && decide_opt.command_file == "-")
      return usage_error("decide: the order and the command cannot both be stdin", command);
    return cmd_decide(decide_opt, common);
  }
  if (command == "sweep") {
    if (int r = require(sweep_opt.input, "ORDERS (a file, or - for stdin)", command)) return r;
    sweep_opt.progress = !no_progress;
    return cmd_sweep(sweep_opt, common);
  }
  if (command == "import") {
    if (import_opt.platform != "tiktok" && import_opt.platform != "shopify")
      return usage_error("import: PLATFORM is tiktok or shopify", command);
    if (int r = require(import_opt.input, "PAYLOAD (a file, or - for stdin)", command)) return r;
    return cmd_import(import_opt, common);
  }
  if (command == "metrics") {
    if (int r = require(metrics_opt.input, "ORDERS (a file, or - for stdin)", command)) return r;
    if (int r = require(metrics_opt.from, "--from DATE", command)) return r;
    if (int r = require(metrics_opt.to, "--to DATE", command)) return r;
    return cmd_metrics(metrics_opt, common);
  }
  if (command == "quote") {
    if (handling->count() > 0) quote_opt.handling_days = handling_days;
    return cmd_quote(quote_opt, common);
  }
  if (command == "policy") {
    if (policy_opt.action.empty()) return usage_error("policy: expected list, show MARKET or check FILE", command);
    if (policy_opt.action == "list" && !policy_opt.target.empty())
      return usage_error("policy list takes no argument", command);
    return cmd_policy(policy_opt, common);
  }
  return usage_error("unknown command \"" + command + "\"", "");
}

}  // namespace ordertrail::cli
