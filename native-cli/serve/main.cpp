// ordertrail-serve: the order service (SPEC 8, RULES "The order service").
//
//   ordertrail-serve [--db ordertrail.db] [--host 127.0.0.1] [--port 8481] [--web DIR]
//                    [--clock real|INSTANT] [--sweep-every SECONDS] [--seed-orders DIR]
//   ordertrail-serve token create (--buyer ORDER_ID | --seller SELLER_ID | --agent) [--db FILE] [--label TEXT]
#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>

#include <ordertrail/time.hpp>

#include "http.hpp"
#include "service.hpp"
#include "store.hpp"

namespace {

int token_create(const std::string& db, const std::string& buyer, const std::string& seller, bool agent,
                 const std::string& label) {
  using ordertrail::serve::role;
  const int given = (buyer.empty() ? 0 : 1) + (seller.empty() ? 0 : 1) + (agent ? 1 : 0);
  if (given != 1) {
    std::fprintf(stderr,
                 "ordertrail-serve token create: give exactly one of --buyer ORDER_ID, --seller SELLER_ID, --agent\n");
    return 2;
  }
  const std::string& subject = !buyer.empty() ? buyer : seller;
  if (!agent && !ordertrail::serve::valid_id(subject)) {
    std::fprintf(stderr, "ordertrail-serve token create: an id is 1 to 64 characters of A-Z a-z 0-9 . _ : -\n");
    return 2;
  }
  ordertrail::serve::store s(db);
  const role kind = agent ? role::agent : !buyer.empty() ? role::buyer : role::seller;
  // The token is shown once, here; the database keeps only its SHA-256.
  std::cout << ordertrail::serve::create_token(s, kind, agent ? "" : subject, label) << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"ordertrail-serve: the ordertrail order service on SQLite", "ordertrail-serve"};
  ordertrail::serve::http_options opt;
  std::string clock = "real";
  std::string seed_dir;
  app.add_option("--db", opt.db, "the SQLite file (created when absent)")->capture_default_str();
  app.add_option("--host", opt.host, "the address to listen on")->capture_default_str();
  app.add_option("--port", opt.port, "the port (0: any free one, printed)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  app.add_option("--web", opt.web_dir, "also serve this folder's static files at /");
  app.add_option("--clock", clock, "real, or an instant to start a manual clock at (demos, tests)")
      ->capture_default_str();
  app.add_option("--sweep-every", opt.sweep_every, "seconds between scheduler ticks (0: never)")
      ->capture_default_str()
      ->check(CLI::Range(0, 86400));
  app.add_option("--seed-orders", seed_dir, "store the *.json orders of this folder that are not stored yet");

  CLI::App* token = app.add_subcommand("token", "tokens: who may see and do what");
  CLI::App* create = token->add_subcommand("create", "make a token and print it (once)");
  std::string buyer, seller, label, token_db = opt.db;
  bool agent = false;
  create->add_option("--buyer", buyer, "a buyer token for this order id");
  create->add_option("--seller", seller, "a seller token for this seller id");
  create->add_flag("--agent", agent, "an agent token (every order)");
  create->add_option("--db", token_db, "the SQLite file")->capture_default_str();
  create->add_option("--label", label, "a note kept with the token");
  token->require_subcommand(1);

  CLI11_PARSE(app, argc, argv);
  try {
    if (*create) return token_create(token_db, buyer, seller, agent, label);
    if (clock != "real") {
      auto t = ordertrail::parse_instant(clock);
      if (!t) {
        std::fprintf(stderr, "ordertrail-serve: --clock: %s\n", t.err().message.c_str());
        return 2;
      }
      opt.manual_clock = *t;
    }
    opt.seed_dir = seed_dir;
    return ordertrail::serve::run_http(opt);
  } catch (const ordertrail::serve::storage_error& e) {
    std::fprintf(stderr, "ordertrail-serve: %s\n", e.what());
    return 1;
  }
}
