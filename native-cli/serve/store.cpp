#include "store.hpp"

#include <sqlite3.h>

#include <map>
#include <memory>
#include <thread>

namespace ordertrail::serve {
namespace {

[[noreturn]] void fail(sqlite3* db, std::string_view what) {
  throw storage_error(std::string(what) + ": " + (db != nullptr ? sqlite3_errmsg(db) : "out of memory"));
}

constexpr std::string_view schema = R"sql(
CREATE TABLE IF NOT EXISTS orders (
  order_id      TEXT PRIMARY KEY,
  seller_id     TEXT NOT NULL,
  document      TEXT NOT NULL,
  version       INTEGER NOT NULL,
  next_check_at INTEGER,            -- Unix seconds; NULL: nothing changes without an event
  updated_at    INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS orders_next_check ON orders (next_check_at, order_id) WHERE next_check_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS orders_seller ON orders (seller_id, order_id);
CREATE TABLE IF NOT EXISTS idempotency (
  order_id TEXT NOT NULL,
  key      TEXT NOT NULL,
  request  TEXT NOT NULL,           -- SHA-256 of the request body, hex
  status   INTEGER NOT NULL,
  body     TEXT NOT NULL,
  etag     TEXT NOT NULL,
  PRIMARY KEY (order_id, key)
);
CREATE TABLE IF NOT EXISTS tokens (
  sha256     TEXT PRIMARY KEY,      -- of the token; the token itself is never stored
  kind       TEXT NOT NULL CHECK (kind IN ('buyer', 'seller', 'agent')),
  subject    TEXT NOT NULL,         -- the order id (buyer), the seller id (seller), '' (agent)
  label      TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', 'ordertrail.serve/1');
)sql";

}  // namespace

statement::statement(sqlite3* db, std::string_view sql) : db_(db) {
  if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &st_, nullptr) != SQLITE_OK) fail(db, "prepare");
}
statement::~statement() { sqlite3_finalize(st_); }

statement& statement::bind(int i, std::string_view text) {
  if (sqlite3_bind_text(st_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT) != SQLITE_OK)
    fail(db_, "bind");
  return *this;
}
statement& statement::bind(int i, std::int64_t value) {
  if (sqlite3_bind_int64(st_, i, value) != SQLITE_OK) fail(db_, "bind");
  return *this;
}
statement& statement::bind(int i, std::nullopt_t) {
  if (sqlite3_bind_null(st_, i) != SQLITE_OK) fail(db_, "bind");
  return *this;
}
statement& statement::bind(int i, std::optional<std::int64_t> value) {
  return value ? bind(i, *value) : bind(i, std::nullopt);
}

bool statement::step() {
  const int rc = sqlite3_step(st_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(db_, "step");
}
void statement::run() {
  while (step()) {
  }
}
std::string statement::text(int col) const {
  const auto* p = sqlite3_column_text(st_, col);
  return p == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(st_, col));
}
std::int64_t statement::integer(int col) const { return sqlite3_column_int64(st_, col); }
bool statement::null(int col) const { return sqlite3_column_type(st_, col) == SQLITE_NULL; }

connection::connection(const std::string& path) {
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK) {
    std::string why = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw storage_error("open " + path + ": " + why);
  }
  sqlite3_busy_timeout(db_, 30'000);
  // An answer 2xx is sent after COMMIT: with synchronous=FULL the WAL is on
  // the disk by then, so the event survives kill -9 and power loss alike.
  exec("PRAGMA journal_mode=WAL");
  exec("PRAGMA synchronous=FULL");
  exec("PRAGMA foreign_keys=ON");
}
connection::~connection() { sqlite3_close(db_); }

void connection::exec(std::string_view sql) {
  char* message = nullptr;
  const std::string text(sql);
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string why = message != nullptr ? message : sqlite3_errmsg(db_);
    sqlite3_free(message);
    throw storage_error(why);
  }
}

store::store(std::string path) : path_(std::move(path)) {
  std::lock_guard lock(write_mutex_);
  here().exec(schema);
}

connection& store::here() {
  // One connection per (thread, store): SQLite connections are not shared
  // between threads here (SQLITE_OPEN_NOMUTEX).
  thread_local std::map<const store*, std::unique_ptr<connection>> mine;
  auto& slot = mine[this];
  if (!slot) slot = std::make_unique<connection>(path_);
  return *slot;
}

}  // namespace ordertrail::serve
