// The service's store: one SQLite file (RULES "The order service"). A
// connection per thread; writes take the process's write lock and one
// BEGIN IMMEDIATE transaction, so they are serialised here and against other
// processes (a `token create` while the service runs).
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace ordertrail::serve {

// A failure of SQLite itself (disk full, corrupt file): the request that met
// it gets 500 `storage_error`, and nothing of its transaction is kept.
struct storage_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// One prepared statement; bind by position (1-based), step, read columns.
class statement {
 public:
  statement(sqlite3* db, std::string_view sql);
  ~statement();
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;

  statement& bind(int i, std::string_view text);
  statement& bind(int i, std::int64_t value);
  statement& bind(int i, std::nullopt_t);
  statement& bind(int i, std::optional<std::int64_t> value);
  bool step();  // true: a row is there; false: done
  void run();   // steps to the end
  [[nodiscard]] std::string text(int col) const;
  [[nodiscard]] std::int64_t integer(int col) const;
  [[nodiscard]] bool null(int col) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* st_ = nullptr;
};

class connection {
 public:
  explicit connection(const std::string& path);
  ~connection();
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  void exec(std::string_view sql);
  statement prepare(std::string_view sql) { return {db_, sql}; }
  [[nodiscard]] sqlite3* raw() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

// The file, its schema, and a connection for the calling thread.
class store {
 public:
  explicit store(std::string path);  // opens (creating the schema) or throws storage_error
  connection& here();                // this thread's connection
  [[nodiscard]] const std::string& path() const { return path_; }

  // Runs `body` in one write transaction (committed when it returns, rolled
  // back when it throws).
  template <class F>
  auto write(F&& body) {
    std::lock_guard lock(write_mutex_);
    connection& c = here();
    c.exec("BEGIN IMMEDIATE");
    try {
      if constexpr (std::is_void_v<decltype(body(c))>) {
        body(c);
        c.exec("COMMIT");
      } else {
        auto r = body(c);
        c.exec("COMMIT");
        return r;
      }
    } catch (...) {
      c.exec("ROLLBACK");
      throw;
    }
  }

 private:
  std::string path_;
  std::mutex write_mutex_;
};

}  // namespace ordertrail::serve
