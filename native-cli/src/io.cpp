#include "io.hpp"

#include "sanitize.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>

namespace ordertrail::cli {
namespace {

std::string errno_text(int e) { return std::strerror(e); }

// write(2) all of `s`, retrying on EINTR. Returns 0 or the errno.
int write_all(int fd, const char* p, std::size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    p += w;
    n -= static_cast<std::size_t>(w);
  }
  return 0;
}

}  // namespace

bool is_stdio(std::string_view path) { return path == "-"; }

// File names come from the operator, but may still hold escape sequences or
// bidi controls (a file made by someone else): shown sanitized, like any text.
std::string display_name(std::string_view path) { return is_stdio(path) ? "<stdin>" : sanitize(path); }

int open_input(const std::string& path, std::string& error) {
  if (is_stdio(path)) return 0;
  int fd = -1;
  do {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    error = "cannot read " + display_name(path) + ": " + errno_text(errno);
    return -1;
  }
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    error = "cannot read " + display_name(path) + ": " + errno_text(EISDIR);
    return -1;
  }
  return fd;
}

std::uint64_t input_size(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return 0;
  return static_cast<std::uint64_t>(st.st_size);
}

std::optional<std::string> read_document(const std::string& path, std::size_t limit, std::string& out) {
  std::string error;
  const int fd = open_input(path, error);
  if (fd < 0) return error;
  out.clear();
  char buf[65536];
  for (;;) {
    const std::size_t want = std::min(sizeof buf, limit + 1 - out.size());
    if (want == 0) break;
    const ssize_t n = ::read(fd, buf, want);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int e = errno;
      if (fd != 0) ::close(fd);
      return "cannot read " + display_name(path) + ": " + errno_text(e);
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  if (fd != 0) ::close(fd);
  return std::nullopt;
}

line_reader::line_reader(int fd, std::size_t max_line, std::size_t chunk)
    : fd_(fd), max_line_(max_line), chunk_(chunk), cap_(max_line + 2 + chunk) {
  buf_ = static_cast<char*>(std::malloc(cap_));
  if (buf_ == nullptr) throw std::bad_alloc();
}

line_reader::~line_reader() { std::free(buf_); }

bool line_reader::fill() {
  if (eof_) return false;
  if (pos_ > 0) {  // keep the partial line at the front
    std::memmove(buf_, buf_ + pos_, end_ - pos_);
    end_ -= pos_;
    pos_ = 0;
  }
  for (;;) {
    const ssize_t n = ::read(fd_, buf_ + end_, std::min(chunk_, cap_ - end_));
    if (n < 0) {
      if (errno == EINTR) continue;
      errno_ = errno;
      eof_ = true;
      return false;
    }
    if (n == 0) {
      eof_ = true;
      return false;
    }
    end_ += static_cast<std::size_t>(n);
    return true;
  }
}

line_reader::status line_reader::next(std::string_view& line, std::uint64_t& length) {
  std::size_t scanned = pos_;  // no '\n' in [pos_, scanned)
  for (;;) {
    if (const void* nl = std::memchr(buf_ + scanned, '\n', end_ - scanned)) {
      const auto at = static_cast<std::size_t>(static_cast<const char*>(nl) - buf_);
      const std::size_t stop = at > pos_ && buf_[at - 1] == '\r' ? at - 1 : at;  // "\r\n" ends a line too
      line = std::string_view(buf_ + pos_, stop - pos_);
      length = line.size();
      consumed_ += at + 1 - pos_;
      pos_ = at + 1;
      if (length > max_line_) {
        line = {};
        return status::oversize;
      }
      return status::line;
    }
    if (end_ - pos_ > max_line_ + 1) break;  // too long to keep, even if "\r\n" follows: skip it
    const std::size_t kept = end_ - pos_;
    if (!fill()) {
      if (errno_ != 0) return status::error;
      if (pos_ == end_) return status::eof;
      line = std::string_view(buf_ + pos_, end_ - pos_);  // the last line, without '\n'
      length = line.size();
      consumed_ += length;
      pos_ = end_;
      if (length > max_line_) {
        line = {};
        return status::oversize;
      }
      return status::line;
    }
    scanned = pos_ + kept;
  }
  // Oversize: count the line's bytes up to its '\n' (or the end), keeping none.
  std::uint64_t count = end_ - pos_;
  char last = buf_[end_ - 1];
  bool ended = false;
  pos_ = end_ = 0;
  for (;;) {
    if (!fill()) {
      if (errno_ != 0) return status::error;
      break;
    }
    if (const void* nl = std::memchr(buf_, '\n', end_)) {
      const auto at = static_cast<std::size_t>(static_cast<const char*>(nl) - buf_);
      count += at;
      if (at > 0) last = buf_[at - 1];
      consumed_ += 1;
      pos_ = at + 1;
      ended = true;
      break;
    }
    count += end_;
    last = buf_[end_ - 1];
    pos_ = end_ = 0;
  }
  consumed_ += count;
  line = {};
  length = ended && last == '\r' ? count - 1 : count;
  return status::oversize;
}

sink::~sink() {
  if (owned_ && fd_ >= 0) ::close(fd_);
}

std::optional<std::string> sink::open(const std::string& path) {
  buf_.reserve(1 << 16);
  if (path.empty() || is_stdio(path)) {
    fd_ = 1;
    name_ = "<stdout>";
    return std::nullopt;
  }
  if (path == "<stderr>") {
    fd_ = 2;
    name_ = "<stderr>";
    return std::nullopt;
  }
  int fd = -1;
  do {
    fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return "cannot write " + sanitize(path) + ": " + errno_text(errno);
  fd_ = fd;
  owned_ = true;
  name_ = sanitize(path);
  return std::nullopt;
}

void sink::flush() {
  if (buf_.empty()) return;
  if (error_.empty()) {
    if (const int e = write_all(fd_, buf_.data(), buf_.size()); e != 0)
      error_ = "cannot write to " + name_ + ": " + errno_text(e);
  }
  buf_.clear();
}

void sink::write(std::string_view s) {
  if (!error_.empty()) return;
  if (buf_.size() + s.size() > (1 << 16)) flush();
  if (s.size() >= (1 << 16)) {
    if (const int e = write_all(fd_, s.data(), s.size()); e != 0 && error_.empty())
      error_ = "cannot write to " + name_ + ": " + errno_text(e);
    return;
  }
  buf_.append(s);
}

bool sink::finish() {
  flush();
  if (owned_ && fd_ >= 0) {
    if (::close(fd_) != 0 && error_.empty()) error_ = "cannot write to " + name_ + ": " + errno_text(errno);
    fd_ = -1;
    owned_ = false;
  }
  return error_.empty();
}

int print_stdout(std::string_view text, int code) {
  sink out;
  out.open("-");
  out.write(text);
  if (!out.finish()) {
    diag(out.error());
    return exit_io;
  }
  return code;
}

// Every diagnostic is sanitized as a whole, whatever its parts: a name or a
// value that reached a message unsanitized still cannot drive the terminal.
// (sanitize() is idempotent, so parts cleaned before are unchanged.)
void diag(std::string_view message) {
  std::string line = "ordertrail: ";
  line += sanitize(message);
  line += '\n';
  write_all(2, line.data(), line.size());
}

}  // namespace ordertrail::cli
