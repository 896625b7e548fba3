// The HTTP face of the service (cpp-httplib): routes, tokens from headers,
// limits, the access log, the scheduler's thread.
#pragma once

#include <optional>
#include <string>

#include <ordertrail/time.hpp>

namespace ordertrail::serve {

struct http_options {
  std::string db = "ordertrail.db";
  std::string host = "127.0.0.1";
  int port = 8481;
  std::string web_dir;                  // empty: /v1 only
  std::optional<instant> manual_clock;  // nullopt: the system clock
  int sweep_every = 60;                 // seconds; 0: no scheduler thread
  std::string seed_dir;
};

// Serves until SIGINT or SIGTERM; the exit status.
int run_http(const http_options& opt);

}  // namespace ordertrail::serve
