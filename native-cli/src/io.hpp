// Files, standard streams and exit codes. Every failure to read or write is
// reported (exit code 4), never mistaken for success.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ordertrail::cli {

// The exit codes of every command (documented in `ordertrail help`).
enum exit_code : int {
  exit_ok = 0,
  exit_problem = 1,        // ran, and found a problem it reports
  exit_usage = 2,          // bad command line
  exit_invalid_input = 3,  // an order or a policy is invalid
  exit_io = 4,             // cannot read or write
};

// "-" means the standard stream.
bool is_stdio(std::string_view path);
// How a path is named in messages: "<stdin>" for "-".
std::string display_name(std::string_view path);

// Reads a whole document (a file, or stdin for "-"), at most `limit` + 1
// bytes: a longer input is cut there, so that the core reports it as too
// large without the CLI reading gigabytes. Returns an error sentence, or
// nullopt on success.
std::optional<std::string> read_document(const std::string& path, std::size_t limit, std::string& out);

// Opens `path` for reading ("-" = stdin): a file descriptor, or -1 with the
// error sentence in `error`.
int open_input(const std::string& path, std::string& error);
// Size of a regular file behind `fd`, or 0 when unknown (pipes, terminals).
std::uint64_t input_size(int fd);

// Splits a byte stream into lines with bounded memory: a line longer than
// `max_line` bytes is not kept; it is skipped to its end and reported as
// `oversize` with its length. A line ends at '\n' or "\r\n", which is
// removed (and not counted against `max_line`); a last line without '\n' is
// still a line, kept as it is.
class line_reader {
 public:
  enum class status { line, oversize, eof, error };

  line_reader(int fd, std::size_t max_line, std::size_t chunk = 1 << 20);
  line_reader(const line_reader&) = delete;
  line_reader& operator=(const line_reader&) = delete;
  ~line_reader();

  // `line` stays valid until the next call. For `oversize`, `length` is the
  // line's length in bytes; for `error`, error_number() says why.
  status next(std::string_view& line, std::uint64_t& length);
  [[nodiscard]] int error_number() const { return errno_; }
  [[nodiscard]] std::uint64_t bytes_consumed() const { return consumed_; }

 private:
  bool fill();  // reads more after end_; false at EOF or error
  int fd_;
  std::size_t max_line_;
  std::size_t chunk_;
  char* buf_;
  std::size_t cap_;
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  bool eof_ = false;
  int errno_ = 0;
  std::uint64_t consumed_ = 0;
};

// A buffered output that remembers the first write error (closed pipe, full
// disk): after one, further writes are dropped and ok() is false.
class sink {
 public:
  sink() = default;
  sink(const sink&) = delete;
  sink& operator=(const sink&) = delete;
  ~sink();

  // "-" or "" = stdout; "<stderr>" = stderr. Returns an error sentence or nullopt.
  std::optional<std::string> open(const std::string& path);
  void write(std::string_view s);
  // Flushes (and closes a file). Returns false when any write failed.
  bool finish();
  [[nodiscard]] bool ok() const { return error_.empty(); }
  [[nodiscard]] const std::string& error() const { return error_; }
  [[nodiscard]] const std::string& name() const { return name_; }

 private:
  void flush();
  int fd_ = 1;
  bool owned_ = false;
  std::string name_ = "<stdout>";
  std::string buf_;
  std::string error_;
};

// Writes a whole text to stdout; on failure prints the reason on stderr and
// returns exit_io, else `code`.
int print_stdout(std::string_view text, int code);

// Diagnostics on stderr, prefixed "ordertrail: ".
void diag(std::string_view message);

}  // namespace ordertrail::cli
