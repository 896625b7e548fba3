#include "http.hpp"

#include <httplib.h>
#include <pthread.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <mutex>
#include <regex>
#include <thread>

#include "service.hpp"
#include "store.hpp"

namespace ordertrail::serve {
namespace {

// RULES "The order service": a request body is at most an order document.
constexpr std::size_t max_body_bytes = 1'048'576;
constexpr std::size_t worker_threads = 16;

// The Content-Security-Policy of scripts/serve-web, for the static files.
constexpr const char* web_csp =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

// The routes, for 405 (a known path, another method).
struct route_shape {
  std::regex pattern;
  const char* allow;
};
const std::vector<route_shape>& shapes() {
  static const std::vector<route_shape> all = {
      {std::regex(R"(/v1/health)"), "GET"},
      {std::regex(R"(/v1/orders/[^/]+)"), "GET, PUT"},
      {std::regex(R"(/v1/orders/[^/]+/evaluation)"), "GET"},
      {std::regex(R"(/v1/orders/[^/]+/events)"), "POST"},
      {std::regex(R"(/v1/due)"), "GET"},
      {std::regex(R"(/v1/sweep)"), "POST"},
      {std::regex(R"(/v1/sellers/[^/]+/metrics)"), "GET"},
      {std::regex(R"(/v1/clock)"), "GET, PUT"},
  };
  return all;
}

void send(httplib::Response& res, const reply& r) {
  res.status = r.status;
  if (!r.etag.empty()) res.set_header("ETag", r.etag);
  for (const auto& [k, v] : r.headers) res.set_header(k, v);
  if (r.status == 401) res.set_header("WWW-Authenticate", "Bearer realm=\"ordertrail\"");
  res.set_content(r.body, "application/json");
}

std::optional<std::string> param(const httplib::Request& req, const char* name) {
  if (!req.has_param(name)) return std::nullopt;
  return req.get_param_value(name);
}

// The bearer token of a request: the Authorization header, else ?access_token=.
std::string token_of(const httplib::Request& req) {
  const std::string auth = req.get_header_value("Authorization");
  constexpr std::string_view bearer = "Bearer ";
  if (auth.size() > bearer.size() && auth.compare(0, bearer.size(), bearer) == 0) return auth.substr(bearer.size());
  return req.get_param_value("access_token");
}

thread_local std::chrono::steady_clock::time_point request_started;

// A path as the access log shows it: control characters (a decoded %0A that
// would forge a line, %1B that would drive a terminal) as %XX.
std::string loggable(const std::string& path) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : path) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f) {
      out += '%';
      out += digits[c >> 4];
      out += digits[c & 15];
    } else {
      out += ch;
    }
  }
  return out;
}

class app {
 public:
  app(const http_options& opt, store& s, service_clock& c) : opt_(opt), store_(s), service_(s, c), clock_(c) {}

  // Runs `body(who)` for a request with a valid token, or answers 401; a
  // storage failure is a 500, never a crash.
  template <class F>
  httplib::Server::Handler authed(F body) {
    return [this, body](const httplib::Request& req, httplib::Response& res) {
      try {
        auto who = service_.authenticate(token_of(req));
        if (!who) {
          send(res, error_reply(401, "unauthorized", "", "a valid token is required (Authorization: Bearer TOKEN)"));
          return;
        }
        send(res, body(req, *who));
      } catch (const std::exception& e) {
        std::fprintf(stderr, "ordertrail-serve: %s %s: %s\n", req.method.c_str(), req.path.c_str(), e.what());
        send(res, error_reply(500, "storage_error", "", "the store failed; nothing of this request was recorded"));
      }
    };
  }

  // The order id of a path, or a 400.
  static std::optional<reply> bad_id(const std::string& id) {
    if (valid_id(id)) return std::nullopt;
    return error_reply(400, "invalid_id", "",
                       "an id is 1 to 64 characters of A-Z a-z 0-9 . _ : -, from a letter or digit");
  }

  void routes(httplib::Server& svr) {
    svr.Get("/v1/health", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("{\"status\":\"ok\"}", "application/json");
    });
    svr.Put(R"(/v1/orders/([^/]+))", authed([this](const httplib::Request& req, const caller& who) {
              const std::string id = req.matches[1];
              if (auto e = bad_id(id)) return *e;
              return service_.put_order(who, id, req.body, req.get_header_value("If-Match"));
            }));
    svr.Get(R"(/v1/orders/([^/]+))", authed([this](const httplib::Request& req, const caller& who) {
              const std::string id = req.matches[1];
              if (auto e = bad_id(id)) return *e;
              return service_.get_order(who, id);
            }));
    svr.Get(R"(/v1/orders/([^/]+)/evaluation)", authed([this](const httplib::Request& req, const caller& who) {
              const std::string id = req.matches[1];
              if (auto e = bad_id(id)) return *e;
              return service_.get_evaluation(who, id, param(req, "now"));
            }));
    svr.Post(R"(/v1/orders/([^/]+)/events)", authed([this](const httplib::Request& req, const caller& who) {
               const std::string id = req.matches[1];
               if (auto e = bad_id(id)) return *e;
               return service_.post_event(who, id, req.body, req.get_header_value("If-Match"),
                                          req.get_header_value("Idempotency-Key"));
             }));
    svr.Get("/v1/due", authed([this](const httplib::Request& req, const caller& who) {
              return service_.due(who, param(req, "before"), param(req, "limit"));
            }));
    svr.Post("/v1/sweep", authed([this](const httplib::Request&, const caller& who) { return service_.sweep(who); }));
    svr.Get(R"(/v1/sellers/([^/]+)/metrics)", authed([this](const httplib::Request& req, const caller& who) {
              const std::string id = req.matches[1];
              if (auto e = bad_id(id)) return *e;
              return service_.metrics(who, id, param(req, "from"), param(req, "to"));
            }));
    svr.Get("/v1/clock",
            authed([this](const httplib::Request&, const caller& who) { return service_.get_clock(who); }));
    svr.Put("/v1/clock", authed([this](const httplib::Request& req, const caller& who) {
              return service_.put_clock(who, req.body);
            }));

    if (!opt_.web_dir.empty()) {
      svr.set_file_extension_and_mimetype_mapping("mjs", "text/javascript");
      svr.set_file_extension_and_mimetype_mapping("wasm", "application/wasm");
      svr.set_mount_point("/", opt_.web_dir, {{"Content-Security-Policy", web_csp}});
      svr.Get("/", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/demo/"); });
    }

    // Errors httplib answers itself (no route, too large, malformed
    // request) get an ordertrail.error/1 body too.
    svr.set_error_handler(httplib::Server::HandlerWithResponse(
        [](const httplib::Request& req, httplib::Response& res) -> httplib::Server::HandlerResponse {
          if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
          reply r;
          if (res.status == 404) {
            r = error_reply(404, "not_found", "", "no such resource: " + req.path);
            for (const auto& s : shapes())
              if (std::regex_match(req.path, s.pattern)) {
                r = error_reply(405, "method_not_allowed", "", req.method + " is not allowed here; use " + s.allow);
                r.headers.emplace_back("Allow", s.allow);
              }
          } else if (res.status == 413) {
            r = error_reply(413, "too_large", "", "a request body is at most 1 MiB (1048576 bytes)");
          } else {
            r = error_reply(res.status, "bad_request", "", "the request could not be read");
          }
          send(res, r);
          return httplib::Server::HandlerResponse::Handled;
        }));
    svr.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
      request_started = std::chrono::steady_clock::now();
      return httplib::Server::HandlerResponse::Unhandled;
    });
    svr.set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
      res.set_header("Cache-Control", "no-store");
      res.set_header("X-Content-Type-Options", "nosniff");
    });
    // The access log: never the query string (it may carry access_token)
    // and never a header.
    svr.set_logger([](const httplib::Request& req, const httplib::Response& res) {
      const auto us =
          std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - request_started)
              .count();
      std::fprintf(stderr, "%s %s %d %.1fms\n", loggable(req.method).c_str(), loggable(req.path).c_str(), res.status,
                   static_cast<double>(us) / 1000.0);
    });
  }

  // The scheduler: a tick every sweep_every seconds until stopped.
  void scheduler(const std::atomic<bool>& stopping, std::mutex& m, std::condition_variable& wake) {
    std::unique_lock lock(m);
    while (!stopping) {
      wake.wait_for(lock, std::chrono::seconds(opt_.sweep_every), [&] { return stopping.load(); });
      if (stopping) break;
      try {
        const auto r = service_.tick(clock_.now());
        if (r.events > 0)
          std::fprintf(stderr, "scheduler: %lld events on %lld orders\n", static_cast<long long>(r.events),
                       static_cast<long long>(r.orders));
      } catch (const std::exception& e) {
        std::fprintf(stderr, "scheduler: %s\n", e.what());
      }
    }
  }

  service& svc() { return service_; }

 private:
  const http_options& opt_;
  store& store_;
  service service_;
  service_clock& clock_;
};

}  // namespace

int run_http(const http_options& opt) {
  // SIGINT and SIGTERM stop the server from a thread of their own; every
  // other thread inherits the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  store s(opt.db);
  service_clock clock(s, opt.manual_clock);
  app a(opt, s, clock);
  if (!opt.seed_dir.empty())
    if (auto why = a.svc().seed(opt.seed_dir); !why.empty()) {
      std::fprintf(stderr, "ordertrail-serve: --seed-orders: %s\n", why.c_str());
      return 1;
    }

  httplib::Server svr;
  svr.new_task_queue = [] { return new httplib::ThreadPool(worker_threads); };
  svr.set_payload_max_length(max_body_bytes);
  // Answers go out at once: without it a kept-alive client waits ~40 ms per
  // answer (Nagle against the delayed ACK of the answer's second write).
  svr.set_tcp_nodelay(true);
  a.routes(svr);
  const int port =
      opt.port == 0 ? svr.bind_to_any_port(opt.host) : (svr.bind_to_port(opt.host, opt.port) ? opt.port : -1);
  if (port < 0) {
    std::fprintf(stderr, "ordertrail-serve: cannot listen on %s:%d\n", opt.host.c_str(), opt.port);
    return 1;
  }
  std::printf("ordertrail-serve: listening on http://%s:%d/ (db %s, clock %s)\n", opt.host.c_str(), port,
              opt.db.c_str(), opt.manual_clock ? ("manual, " + format_instant(clock.now())).c_str() : "real");
  std::fflush(stdout);

  std::atomic<bool> stopping{false};
  std::mutex m;
  std::condition_variable wake;
  std::thread sched;
  if (opt.sweep_every > 0) sched = std::thread([&] { a.scheduler(stopping, m, wake); });
  std::thread signals([&] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    svr.stop();
  });
  const bool ok = svr.listen_after_bind();
  {
    std::lock_guard lock(m);
    stopping = true;
  }
  wake.notify_all();
  if (sched.joinable()) sched.join();
  if (signals.joinable()) {
    pthread_kill(signals.native_handle(), SIGTERM);  // wakes sigwait when the stop came from elsewhere
    signals.join();
  }
  return ok ? 0 : 1;
}

}  // namespace ordertrail::serve
