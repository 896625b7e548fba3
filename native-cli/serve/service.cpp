#include "service.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>
#include <ordertrail/decision.hpp>
#include <ordertrail/evaluation.hpp>
#include <ordertrail/json_writer.hpp>
#include <ordertrail/metrics.hpp>
#include <ordertrail/order.hpp>
#include <ordertrail/policy.hpp>

namespace ordertrail::serve {
namespace {

// RULES "The order service": the bounds of the scheduler and of lists.
constexpr std::int64_t sweep_batch = 500;          // orders per write transaction
constexpr int max_due_per_order = 64;              // due events appended per order and tick
constexpr std::int64_t default_due_limit = 1000;   // GET /v1/due without `limit`
constexpr std::int64_t max_due_limit = 10'000;     // its largest `limit`
constexpr std::size_t max_idempotency_key = 128;   // bytes
constexpr std::size_t max_path_id = 64;            // bytes (an order_id's limit)
constexpr std::string_view token_prefix = "otk_";  // then 43 base64url characters

std::int64_t seconds(instant t) { return t.time_since_epoch().count(); }
instant from_seconds(std::int64_t s) { return instant{std::chrono::seconds{s}}; }

std::string hex_sha256(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int n = 0;
  EVP_Digest(data.data(), data.size(), md.data(), &n, EVP_sha256(), nullptr);
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < n; ++i) {
    out += digits[md[i] >> 4];
    out += digits[md[i] & 15];
  }
  return out;
}

std::string etag_of(std::int64_t version) { return "\"" + std::to_string(version) + "\""; }

// An If-Match header names `version` (or is "*", which any stored version matches).
bool matches(std::string_view if_match, std::int64_t version) {
  if (if_match.empty()) return true;
  std::string_view rest = if_match;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    std::string_view tag = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (tag == "*" || tag == etag_of(version)) return true;
  }
  return false;
}

bool visible(const caller& who, std::string_view order_id, std::string_view seller_id) {
  switch (who.kind) {
    case role::agent:
      return true;
    case role::buyer:
      return who.subject == order_id;
    case role::seller:
      return who.subject == seller_id;
  }
  return false;
}

// The parties a token may record events as (RULES "Tokens").
bool may_act_as(role r, party p) {
  switch (r) {
    case role::buyer:
      return p == party::buyer;
    case role::seller:
      return p == party::seller;
    case role::agent:
      return p == party::carrier || p == party::platform || p == party::operator_;
  }
  return false;
}

reply not_found(std::string_view id) {
  return error_reply(404, "order_not_found", "", "no order " + std::string(id) + " for this token");
}

reply role_refused(std::string_view what) {
  return error_reply(403, "role_not_allowed", "", std::string(what) + " is not allowed with this token");
}

// An error of the core on a request body: malformed JSON is the client's
// syntax (400), an oversize document 413, anything else is content (422).
reply body_error(const error& e) {
  const int status = e.code == "invalid_json" ? 400 : e.code == "too_large" ? 413 : 422;
  return error_reply(status, e.code, e.path, e.message);
}

const policy* policy_of(const order& o, error& err) {
  if (const policy* p = embedded_policy(o.market)) return p;
  err = error{"unknown_market", "/market", "no embedded policy for market " + o.market};
  return nullptr;
}

// When the stored order must be looked at again (RULES "The scheduler").
std::optional<std::int64_t> next_check_of(const order& o, const result<evaluation>& e) {
  if (!e) return seconds(o.placed_at);  // placed after now: look again when it is placed
  if (!e->due.empty()) {
    instant first = e->due.front().at;
    for (const auto& d : e->due) first = std::min(first, d.at);
    return seconds(first);
  }
  if (e->next_check_at) return seconds(*e->next_check_at);
  return std::nullopt;
}

struct stored_order {
  std::string document;
  std::string seller_id;
  std::int64_t version = 0;
};

std::optional<stored_order> load(connection& c, std::string_view id) {
  auto st = c.prepare("SELECT document, seller_id, version FROM orders WHERE order_id = ?");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return stored_order{st.text(0), st.text(1), st.integer(2)};
}

void save(connection& c, std::string_view id, std::string_view seller_id, std::string_view document,
          std::int64_t version, std::optional<std::int64_t> next_check, instant now) {
  auto st = c.prepare(
      "INSERT INTO orders (order_id, seller_id, document, version, next_check_at, updated_at) VALUES (?, ?, ?, ?, ?, "
      "?) "
      "ON CONFLICT (order_id) DO UPDATE SET seller_id = excluded.seller_id, document = excluded.document, "
      "version = excluded.version, next_check_at = excluded.next_check_at, updated_at = excluded.updated_at");
  st.bind(1, id).bind(2, seller_id).bind(3, document).bind(4, version).bind(5, next_check).bind(6, seconds(now));
  st.run();
}

// Appends the order's due events at `now`, one at a time (each may change
// what is due next). Returns how many; `doc` and `o` follow.
int append_due(std::string& doc, order& o, const policy& p, instant now) {
  int appended = 0;
  while (appended < max_due_per_order) {
    auto e = evaluate(o, p, now);
    if (!e || e->due.empty()) break;
    auto next = append_event(doc, to_json(e->due.front().event));
    if (!next) break;
    auto again = parse_order(*next);
    if (!again) break;  // the limits: the order stays as it is, an agent must look at it
    doc = std::move(*next);
    o = std::move(*again);
    ++appended;
  }
  return appended;
}

std::string stored_json(std::string_view id, std::int64_t version, std::optional<std::int64_t> next_check) {
  std::string out;
  json_writer w(out);
  w.begin_object().field("schema", "ordertrail.stored/1").field("order_id", id).field("version", version);
  if (next_check)
    w.field("next_check_at", from_seconds(*next_check));
  else
    w.key("next_check_at").null();
  w.end_object();
  return out;
}

// The 412 of a stale If-Match: the error, the current version and evaluation.
reply version_mismatch(const stored_order& s, instant now) {
  reply r = error_reply(
      412, "version_mismatch", "",
      "the order is at version " + std::to_string(s.version) + " (If-Match names another); redraw from its evaluation");
  std::string evaluation_text = "null";
  if (auto o = parse_order(s.document)) {
    error err;
    if (const policy* p = policy_of(*o, err))
      if (auto e = evaluate(*o, *p, now)) evaluation_text = to_json(*e);
  }
  r.body.pop_back();  // the closing brace of the error document
  r.body += ",\"version\":" + std::to_string(s.version) + ",\"evaluation\":" + evaluation_text + "}";
  r.etag = etag_of(s.version);
  return r;
}

std::optional<std::int64_t> parse_int(std::string_view s) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

bool id_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == ':' || c == '-';
}

}  // namespace

std::string_view to_string(role r) {
  switch (r) {
    case role::buyer:
      return "buyer";
    case role::seller:
      return "seller";
    case role::agent:
      return "agent";
  }
  return "agent";
}

reply error_reply(int status, std::string_view code, std::string_view path, std::string_view message) {
  return reply{status, to_json(error{std::string(code), std::string(path), std::string(message)}), "", {}};
}

bool valid_id(std::string_view id) {
  if (id.empty() || id.size() > max_path_id || !std::isalnum(static_cast<unsigned char>(id.front()))) return false;
  return std::all_of(id.begin(), id.end(), id_char);
}

bool valid_idempotency_key(std::string_view key) {
  return !key.empty() && key.size() <= max_idempotency_key && std::all_of(key.begin(), key.end(), id_char);
}

// ---- the clock

service_clock::service_clock(store& s, std::optional<instant> manual_start) : store_(s), manual_(manual_start) {
  if (!manual_) return;
  manual_now_ = *manual_start;
  // A restart never moves a manual clock back: events were recorded at it.
  auto st = store_.here().prepare("SELECT value FROM meta WHERE key = 'manual_clock'");
  if (st.step())
    if (auto kept = parse_int(st.text(0))) manual_now_ = std::max(manual_now_, from_seconds(*kept));
}

instant service_clock::now() {
  if (!manual_) return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  std::lock_guard lock(mutex_);
  return manual_now_;
}

std::string service_clock::set(instant t) {
  if (!manual_) return "clock_not_settable";
  std::lock_guard lock(mutex_);
  if (t < manual_now_) return "clock_backwards";
  store_.write([&](connection& c) {
    auto st = c.prepare(
        "INSERT INTO meta (key, value) VALUES ('manual_clock', ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    st.bind(1, std::to_string(seconds(t)));
    st.run();
  });
  manual_now_ = t;
  return "";
}

// ---- tokens

std::string create_token(store& s, role kind, std::string_view subject, std::string_view label) {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) throw storage_error("RAND_bytes failed");
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string token(token_prefix);
  std::uint32_t acc = 0;
  int bits = 0;
  for (unsigned char b : bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      token += alphabet[(acc >> bits) & 63];
    }
  }
  if (bits > 0) token += alphabet[(acc << (6 - bits)) & 63];
  s.write([&](connection& c) {
    auto st = c.prepare("INSERT INTO tokens (sha256, kind, subject, label, created_at) VALUES (?, ?, ?, ?, ?)");
    st.bind(1, hex_sha256(token)).bind(2, to_string(kind)).bind(3, subject).bind(4, label);
    st.bind(5, seconds(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())));
    st.run();
  });
  return token;
}

std::optional<caller> service::authenticate(std::string_view token) {
  if (token.size() != token_prefix.size() + 43 || token.substr(0, token_prefix.size()) != token_prefix)
    return std::nullopt;
  auto st = store_.here().prepare("SELECT kind, subject FROM tokens WHERE sha256 = ?");
  st.bind(1, hex_sha256(token));
  if (!st.step()) return std::nullopt;
  const std::string kind = st.text(0);
  caller who{kind == "buyer" ? role::buyer : kind == "seller" ? role::seller : role::agent, st.text(1)};
  return who;
}

// ---- orders

reply service::put_order(const caller& who, const std::string& id, std::string_view body, std::string_view if_match) {
  if (who.kind == role::buyer) return role_refused("storing an order");
  auto o = parse_order(body);
  if (!o) return body_error(o.err());
  if (o->order_id != id)
    return error_reply(400, "invalid_value", "/order_id", "order_id " + o->order_id + " is not the path's " + id);
  if (who.kind == role::seller && o->seller_id != who.subject)
    return error_reply(403, "seller_mismatch", "/seller_id", "this token stores orders of seller " + who.subject);
  error err;
  const policy* p = policy_of(*o, err);
  if (p == nullptr) return body_error(err);
  const instant now = clock_.now();
  return store_.write([&](connection& c) -> reply {
    auto old = load(c, id);
    if (old && !visible(who, id, old->seller_id)) return not_found(id);
    if (!old && !if_match.empty() && if_match != "*")
      return error_reply(412, "version_mismatch", "", "no order " + id + " is stored (If-Match names a version)");
    if (old && !matches(if_match, old->version)) return version_mismatch(*old, now);
    std::int64_t version = 1;
    if (old) {
      if (old->document == body) {
        reply same{200, stored_json(id, old->version, std::nullopt), etag_of(old->version), {}};
        auto st = c.prepare("SELECT next_check_at FROM orders WHERE order_id = ?");
        st.bind(1, id);
        if (st.step() && !st.null(0)) same.body = stored_json(id, old->version, st.integer(0));
        return same;
      }
      auto before = parse_order(old->document);
      if (before) {
        const auto& was = before->events;
        const auto& is = o->events;
        for (std::size_t i = 0; i < was.size(); ++i) {
          if (i >= is.size() || to_json(was[i], *before) != to_json(is[i], *o))
            return error_reply(409, "events_rewritten", "/events/" + std::to_string(i),
                               "the stored order has this event; a replacement keeps every recorded event");
        }
      }
      version = old->version + 1;
    }
    const auto next = next_check_of(*o, evaluate(*o, *p, now));
    save(c, id, o->seller_id, body, version, next, now);
    return reply{old ? 200 : 201, stored_json(id, version, next), etag_of(version), {}};
  });
}

reply service::get_order(const caller& who, const std::string& id) {
  auto s = load(store_.here(), id);
  if (!s || !visible(who, id, s->seller_id)) return not_found(id);
  return reply{200, s->document, etag_of(s->version), {}};
}

reply service::get_evaluation(const caller& who, const std::string& id, const std::optional<std::string>& now_param) {
  instant now = clock_.now();
  if (now_param) {
    if (who.kind != role::agent)
      return error_reply(403, "time_travel_not_allowed", "", "only an agent token may evaluate at another instant");
    auto t = parse_instant(*now_param);
    if (!t) return error_reply(400, t.err().code, "", "now: " + t.err().message);
    now = *t;
  }
  auto s = load(store_.here(), id);
  if (!s || !visible(who, id, s->seller_id)) return not_found(id);
  auto o = parse_order(s->document);
  if (!o)
    return error_reply(500, "storage_error", o.err().path, "the stored order no longer parses: " + o.err().message);
  error err;
  const policy* p = policy_of(*o, err);
  if (p == nullptr) return error_reply(500, "storage_error", err.path, err.message);
  auto e = evaluate(*o, *p, now);
  if (!e) return error_reply(422, e.err().code, e.err().path, e.err().message);
  return reply{200, to_json(*e), etag_of(s->version), {}};
}

reply service::post_event(const caller& who, const std::string& id, std::string_view body, std::string_view if_match,
                          std::string_view idempotency_key) {
  if (!idempotency_key.empty() && !valid_idempotency_key(idempotency_key))
    return error_reply(400, "invalid_idempotency_key", "",
                       "Idempotency-Key is 1 to 128 characters of A-Z a-z 0-9 . _ : -");
  const std::string request = hex_sha256(body);
  const instant now = clock_.now();
  return store_.write([&](connection& c) -> reply {
    auto s = load(c, id);
    if (!s || !visible(who, id, s->seller_id)) return not_found(id);
    if (!idempotency_key.empty()) {
      auto st = c.prepare("SELECT request, status, body, etag FROM idempotency WHERE order_id = ? AND key = ?");
      st.bind(1, id).bind(2, idempotency_key);
      if (st.step()) {
        if (st.text(0) != request)
          return error_reply(422, "idempotency_key_reused", "",
                             "this Idempotency-Key was used for another request on this order");
        return reply{static_cast<int>(st.integer(1)), st.text(2), st.text(3), {{"Idempotent-Replayed", "true"}}};
      }
    }
    if (!matches(if_match, s->version)) return version_mismatch(*s, now);
    auto command = parse_command(body, now);
    if (!command) return body_error(command.err());
    if (command->by == party::none && who.kind == role::buyer) command->by = party::buyer;
    if (command->by == party::none && who.kind == role::seller) command->by = party::seller;
    if (command->by != party::none && !may_act_as(who.kind, command->by))
      return error_reply(403, "party_not_allowed_for_token", "/by",
                         "a " + std::string(to_string(who.kind)) + " token may not record events as " +
                             std::string(to_string(command->by)));
    auto o = parse_order(s->document);
    if (!o) return error_reply(500, "storage_error", o.err().path, "the stored order no longer parses");
    error err;
    const policy* p = policy_of(*o, err);
    if (p == nullptr) return error_reply(500, "storage_error", err.path, err.message);

    // The automatic actions due by now first, so the stored history runs forward.
    std::string doc = s->document;
    std::int64_t version = s->version;
    if (append_due(doc, *o, *p, now) > 0) ++version;

    auto d = decide(*o, *p, *command, now);
    if (!d) return error_reply(422, d.err().code, d.err().path, d.err().message);
    int status = d->refused ? 409 : d->already_recorded ? 200 : 201;
    if (status == 201) {
      auto next = append_event(doc, to_json(d->ev, *o));
      if (!next) return error_reply(500, "storage_error", next.err().path, next.err().message);
      if (auto again = parse_order(*next); !again)
        return error_reply(422, again.err().code, again.err().path, "with the event: " + again.err().message);
      doc = std::move(*next);
      ++version;
    }
    reply r{status, to_json(*d, *o), etag_of(version), {}};
    if (version != s->version) save(c, id, s->seller_id, doc, version, next_check_of(*o, d->eval), now);
    if (!idempotency_key.empty()) {
      auto st =
          c.prepare("INSERT INTO idempotency (order_id, key, request, status, body, etag) VALUES (?, ?, ?, ?, ?, ?)");
      st.bind(1, id).bind(2, idempotency_key).bind(3, request).bind(4, std::int64_t{r.status}).bind(5, r.body);
      st.bind(6, r.etag);
      st.run();
    }
    return r;
  });
}

// ---- lists, the scheduler, metrics, the clock

reply service::due(const caller& who, const std::optional<std::string>& before,
                   const std::optional<std::string>& limit) {
  if (who.kind == role::buyer) return role_refused("listing due orders");
  instant until = clock_.now();
  if (before) {
    auto t = parse_instant(*before);
    if (!t) return error_reply(400, t.err().code, "", "before: " + t.err().message);
    until = *t;
  }
  std::int64_t n = default_due_limit;
  if (limit) {
    auto v = parse_int(*limit);
    if (!v || *v < 1 || *v > max_due_limit)
      return error_reply(400, "invalid_value", "", "limit is a whole number from 1 to 10000");
    n = *v;
  }
  auto st = store_.here().prepare(
      who.kind == role::agent
          ? "SELECT order_id, next_check_at FROM orders WHERE next_check_at <= ?1 ORDER BY next_check_at, order_id "
            "LIMIT ?2"
          : "SELECT order_id, next_check_at FROM orders WHERE next_check_at <= ?1 AND seller_id = ?3 "
            "ORDER BY next_check_at, order_id LIMIT ?2");
  st.bind(1, seconds(until)).bind(2, n);
  if (who.kind != role::agent) st.bind(3, who.subject);
  std::string out;
  json_writer w(out);
  w.begin_object().field("schema", "ordertrail.due/1").field("before", until);
  w.key("orders").begin_array();
  while (st.step())
    w.begin_object().field("order_id", st.text(0)).field("next_check_at", from_seconds(st.integer(1))).end_object();
  w.end_array().end_object();
  return reply{200, out, "", {}};
}

sweep_result service::tick(instant now) {
  sweep_result total;
  for (;;) {
    const std::int64_t taken = store_.write([&](connection& c) {
      auto st = c.prepare(
          "SELECT order_id, seller_id, document, version FROM orders WHERE next_check_at <= ? "
          "ORDER BY next_check_at, order_id LIMIT ?");
      st.bind(1, seconds(now)).bind(2, sweep_batch);
      // The batch is read first: rows are not updated under a running SELECT.
      struct due_row {
        std::string id, seller_id, doc;
        std::int64_t version;
      };
      std::vector<due_row> batch;
      while (st.step()) batch.push_back({st.text(0), st.text(1), st.text(2), st.integer(3)});
      for (auto& [id, seller_id, doc, version] : batch) {
        std::optional<std::int64_t> next;
        auto o = parse_order(doc);
        error err;
        const policy* p = o ? policy_of(*o, err) : nullptr;
        if (p != nullptr) {
          const int n = append_due(doc, *o, *p, now);
          if (n > 0) {
            ++version;
            ++total.orders;
            total.events += n;
          }
          next = next_check_of(*o, evaluate(*o, *p, now));
          // Progress: an order left due (the per-tick cap) is looked at next second.
          if (next && *next <= seconds(now)) next = seconds(now) + 1;
        }
        save(c, id, seller_id, doc, version, next, now);
      }
      const auto rows = static_cast<std::int64_t>(batch.size());
      return rows;
    });
    if (taken < sweep_batch) break;
  }
  return total;
}

reply service::sweep(const caller& who) {
  if (who.kind != role::agent) return role_refused("sweeping");
  const instant now = clock_.now();
  const sweep_result r = tick(now);
  std::string out;
  json_writer w(out);
  w.begin_object()
      .field("schema", "ordertrail.sweep/1")
      .field("now", now)
      .field("orders", r.orders)
      .field("events", r.events)
      .end_object();
  return reply{200, out, "", {}};
}

reply service::metrics(const caller& who, const std::string& seller_id, const std::optional<std::string>& from,
                       const std::optional<std::string>& to) {
  if (who.kind == role::buyer || (who.kind == role::seller && who.subject != seller_id))
    return role_refused("reading this seller's metrics");
  if (!from || !to) return error_reply(400, "missing_field", "", "from and to (YYYY-MM-DD) are required");
  auto f = parse_date(*from);
  auto t = parse_date(*to);
  if (!f) return error_reply(400, f.err().code, "", "from: " + f.err().message);
  if (!t) return error_reply(400, t.err().code, "", "to: " + t.err().message);
  const instant now = clock_.now();
  metrics_accumulator acc(*f, *t);
  auto st = store_.here().prepare("SELECT document FROM orders WHERE seller_id = ? ORDER BY order_id");
  st.bind(1, seller_id);
  while (st.step()) {
    auto o = parse_order(st.text(0));
    if (!o) continue;
    error err;
    const policy* p = policy_of(*o, err);
    if (p == nullptr) continue;
    if (auto e = evaluate(*o, *p, now)) acc.add(*o, *p, *e);
  }
  return reply{200, to_json(acc.results(), *f, *t), "", {}};
}

reply service::get_clock(const caller& who) {
  if (who.kind != role::agent) return role_refused("reading the clock");
  std::string out;
  json_writer w(out);
  w.begin_object().field("now", clock_.now()).field("manual", clock_.manual()).end_object();
  return reply{200, out, "", {}};
}

reply service::put_clock(const caller& who, std::string_view body) {
  if (who.kind != role::agent) return role_refused("setting the clock");
  auto doc = nlohmann::json::parse(body, nullptr, false);
  if (doc.is_discarded()) return error_reply(400, "invalid_json", "", "the body is not JSON");
  if (!doc.is_object() || !doc.contains("now") || !doc["now"].is_string())
    return error_reply(422, "missing_field", "/now", "the body is {\"now\": INSTANT}");
  auto t = parse_instant(doc["now"].get<std::string>(), "/now");
  if (!t) return error_reply(422, t.err().code, t.err().path, t.err().message);
  if (auto why = clock_.set(*t); !why.empty())
    return error_reply(409, why, "/now",
                       why == "clock_backwards" ? "time only runs forward: the clock is already later"
                                                : "the service runs on the real clock (start it with --clock INSTANT)");
  return get_clock(who);
}

std::string service::seed(const std::string& dir) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  if (ec) return dir + ": " + ec.message();
  std::sort(files.begin(), files.end());
  const instant now = clock_.now();
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    const std::string doc = text.str();
    auto o = parse_order(doc);
    if (!o) return f.string() + ": " + o.err().code + " at " + o.err().path + ": " + o.err().message;
    error err;
    const policy* p = policy_of(*o, err);
    if (p == nullptr) return f.string() + ": " + err.message;
    store_.write([&](connection& c) {
      if (load(c, o->order_id)) return;
      save(c, o->order_id, o->seller_id, doc, 1, next_check_of(*o, evaluate(*o, *p, now)), now);
    });
  }
  return "";
}

}  // namespace ordertrail::serve
