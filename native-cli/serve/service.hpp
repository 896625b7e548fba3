// The order service's logic (RULES "The order service"), apart from HTTP:
// each request is a call that returns the reply to send, so the routing in
// http.cpp only reads headers and writes replies.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <ordertrail/time.hpp>

#include "store.hpp"

namespace ordertrail::serve {

enum class role { buyer, seller, agent };
std::string_view to_string(role r);

// Who calls: the token's role and subject (the order id of a buyer token,
// the seller id of a seller token, empty for an agent).
struct caller {
  role kind = role::agent;
  std::string subject;
};

struct reply {
  int status = 200;
  std::string body;  // JSON
  std::string etag;  // empty: no ETag header
  std::vector<std::pair<std::string, std::string>> headers;
};

// An `ordertrail.error/1` reply.
reply error_reply(int status, std::string_view code, std::string_view path, std::string_view message);

// The service's now: the system clock, or a manual clock (kept in the
// database, so a restart never moves it back).
class service_clock {
 public:
  service_clock(store& s, std::optional<instant> manual_start);
  [[nodiscard]] instant now();
  [[nodiscard]] bool manual() const { return manual_; }
  // Moves a manual clock to `t`: "" when done, else the error code.
  std::string set(instant t);

 private:
  store& store_;
  bool manual_ = false;
  std::mutex mutex_;
  instant manual_now_{};
};

struct sweep_result {
  std::int64_t orders = 0;
  std::int64_t events = 0;
};

// Makes a token for `kind` and `subject`, stores its SHA-256, returns it.
std::string create_token(store& s, role kind, std::string_view subject, std::string_view label);

// "" when `id` may name an order or seller in a path, else why not.
bool valid_id(std::string_view id);
bool valid_idempotency_key(std::string_view key);

class service {
 public:
  service(store& s, service_clock& c) : store_(s), clock_(c) {}

  std::optional<caller> authenticate(std::string_view token);

  reply put_order(const caller& who, const std::string& id, std::string_view body, std::string_view if_match);
  reply get_order(const caller& who, const std::string& id);
  reply get_evaluation(const caller& who, const std::string& id, const std::optional<std::string>& now_param);
  reply post_event(const caller& who, const std::string& id, std::string_view body, std::string_view if_match,
                   std::string_view idempotency_key);
  reply due(const caller& who, const std::optional<std::string>& before, const std::optional<std::string>& limit);
  reply sweep(const caller& who);
  reply metrics(const caller& who, const std::string& seller_id, const std::optional<std::string>& from,
                const std::optional<std::string>& to);
  reply get_clock(const caller& who);
  reply put_clock(const caller& who, std::string_view body);

  // The scheduler's tick at `now` (RULES "The scheduler").
  sweep_result tick(instant now);
  // Stores every order file of `dir` not stored yet; "" or the first error.
  std::string seed(const std::string& dir);

 private:
  store& store_;
  service_clock& clock_;
};

}  // namespace ordertrail::serve
