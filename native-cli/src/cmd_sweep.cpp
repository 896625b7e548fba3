// `ordertrail sweep`: every order of an NDJSON stream, evaluated at one
// instant, one output line per input line, in input order.
//
// Memory stays bounded: lines are read in batches of at most batch_lines
// lines / batch_bytes bytes, at most 2 batches per worker (plus one) are in
// flight, and a line longer than the core's document limit is skipped to its
// end, never held. With --threads 1 one loop reads, evaluates and writes; with
// more, a reader thread fills batches, workers evaluate them, and the main
// thread writes them back in input order.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "commands.hpp"
#include "io.hpp"
#include "json_text.hpp"
#include "present.hpp"
#include "support.hpp"

namespace ordertrail::cli {
namespace {

constexpr std::size_t batch_lines = 1024;
constexpr std::size_t batch_bytes = 1 << 20;
constexpr std::size_t shown_rejects = 10;  // human lines on stderr when rejects go to a file
// One counter per due_action, indexed by its value: the last enumerator + 1
// (a new action that is not the last one must move this).
constexpr std::size_t due_kinds = static_cast<std::size_t>(due_action::auto_refund_case) + 1;

struct line_ref {
  std::uint64_t number = 0;
  std::size_t offset = 0;
  std::size_t length = 0;
  std::uint64_t oversize = 0;  // > 0: the line was too long; its length
};

struct batch {
  std::uint64_t seq = 0;
  std::string data;
  std::vector<line_ref> lines;
  std::uint64_t bytes = 0;
  // results
  std::string out;
  std::string rejects;
  std::uint64_t ok = 0;
  std::uint64_t rejected = 0;
  std::uint64_t orders_with_due = 0;
  std::array<std::uint64_t, due_kinds> due{};
  std::vector<std::string> messages;  // "LINE: code at /ptr: message", the first few

  void reset() {
    data.clear();
    lines.clear();
    bytes = 0;
    out.clear();
    rejects.clear();
    ok = rejected = orders_with_due = 0;
    due.fill(0);
    messages.clear();
  }
};

struct context {
  policy_book* book;
  instant now;
  bool full;
  bool keep_messages;
};

bool blank(std::string_view s) {
  for (const char c : s)
    if (c != ' ' && c != '\t' && c != '\r') return false;
  return true;
}

void reject(const context& ctx, batch& b, std::uint64_t number, const error& e) {
  json_out w(b.rejects);
  w.begin_object().field("line", static_cast<std::int64_t>(number));
  w.key("error").begin_object().field("code", e.code).field("path", e.path).field("message", e.message).end_object();
  w.end_object();
  b.rejects += '\n';
  ++b.rejected;
  if (ctx.keep_messages && b.messages.size() < shown_rejects)
    b.messages.push_back(std::to_string(number) + ": " + error_text(e));
}

void process_line(const context& ctx, batch& b, const line_ref& ref) {
  if (ref.oversize > 0) {
    return reject(ctx, b, ref.number,
                  error{"too_large", "",
                        "line of " + std::to_string(ref.oversize) + " bytes exceeds the limit of " +
                            std::to_string(max_document_bytes) + " bytes for an order document"});
  }
  const std::string_view text(b.data.data() + ref.offset, ref.length);
  if (blank(text)) return reject(ctx, b, ref.number, error{"empty_line", "", "the line is empty: no order"});
  auto o = parse_order(text);
  if (!o) return reject(ctx, b, ref.number, o.err());
  error err;
  const policy* p = ctx.book->find(o->market, err);
  if (p == nullptr) return reject(ctx, b, ref.number, err);
  // Without --full only decisions are written: the core may skip its texts
  // and the per-line views.
  auto e = evaluate(*o, *p, ctx.now, evaluate_options{ctx.full, ctx.full});
  if (!e) return reject(ctx, b, ref.number, e.err());
  json_out w(b.out);
  w.begin_object().field("line", static_cast<std::int64_t>(ref.number));
  if (ctx.full) {
    w.key("evaluation").raw(to_json(*e));
  } else {
    w.field("order_id", e->order_id)
        .field("status", to_string(e->status))
        .field("effective_status", to_string(e->effective_status));
    w.key("due");
    write_due(w, e->due);
  }
  w.end_object();
  b.out += '\n';
  ++b.ok;
  if (!e->due.empty()) ++b.orders_with_due;
  for (const auto& d : e->due) ++b.due[static_cast<std::size_t>(d.action)];
}

void process(const context& ctx, batch& b) {
  for (const auto& ref : b.lines) process_line(ctx, b, ref);
}

// Fills `b` with the next lines. Returns false on a read error.
bool fill(line_reader& reader, batch& b, std::uint64_t& line_number, bool& eof) {
  b.reset();
  const std::uint64_t before = reader.bytes_consumed();
  while (b.lines.size() < batch_lines && b.data.size() < batch_bytes) {
    std::string_view line;
    std::uint64_t length = 0;
    const auto st = reader.next(line, length);
    if (st == line_reader::status::eof) {
      eof = true;
      break;
    }
    if (st == line_reader::status::error) return false;
    line_ref ref;
    ref.number = ++line_number;
    if (st == line_reader::status::oversize) {
      ref.oversize = std::max<std::uint64_t>(length, 1);
    } else {
      ref.offset = b.data.size();
      ref.length = line.size();
      b.data.append(line);
    }
    b.lines.push_back(ref);
  }
  b.bytes = reader.bytes_consumed() - before;
  return true;
}

struct totals {
  std::uint64_t lines = 0, ok = 0, rejected = 0, orders_with_due = 0, bytes = 0;
  std::array<std::uint64_t, due_kinds> due{};
  std::vector<std::string> messages;
};

class progress_bar {
 public:
  progress_bar(bool on, std::uint64_t total_bytes) : on_(on), total_(total_bytes) {}
  void update(const totals& t, std::chrono::steady_clock::time_point start, bool force = false) {
    if (!on_) return;
    const auto now = std::chrono::steady_clock::now();
    if (!force && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    const double secs = std::chrono::duration<double>(now - start).count();
    const auto rate = secs > 0 ? static_cast<std::uint64_t>(static_cast<double>(t.lines) / secs) : 0;
    std::string s = "\r\x1b[K";
    if (total_ > 0) {
      const auto pct = std::min<std::uint64_t>(100, t.bytes * 100 / total_);
      const auto filled = static_cast<std::size_t>(pct * 30 / 100);
      s += "[" + std::string(filled, '#') + std::string(30 - filled, '.') + "] " + std::to_string(pct) + "% ";
    }
    s += std::to_string(t.lines) + " lines, " + std::to_string(t.rejected) + " rejected, " + std::to_string(rate) +
         " orders/s";
    raw_stderr(s);
    drawn_ = true;
  }
  void clear() {
    if (drawn_) raw_stderr("\r\x1b[K");
    drawn_ = false;
  }

 private:
  static void raw_stderr(const std::string& s) {
    sink err;
    err.open("<stderr>");
    err.write(s);
    err.finish();
  }
  bool on_;
  std::uint64_t total_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_{};
};

// Writes a finished batch; false when the output or the rejects stream failed.
bool deliver(batch& b, sink& out, sink& rejects, progress_bar& bar, bool rejects_on_stderr, totals& t) {
  out.write(b.out);
  if (!b.rejects.empty()) {
    if (rejects_on_stderr) bar.clear();
    rejects.write(b.rejects);
    if (rejects_on_stderr) rejects.finish();  // keep stderr in step with the bar
  }
  t.lines += b.lines.size();
  t.ok += b.ok;
  t.rejected += b.rejected;
  t.orders_with_due += b.orders_with_due;
  t.bytes += b.bytes;
  for (std::size_t i = 0; i < due_kinds; ++i) t.due[i] += b.due[i];
  for (auto& m : b.messages)
    if (t.messages.size() < shown_rejects) t.messages.push_back(std::move(m));
  return out.ok() && rejects.ok();
}

// The multi-threaded pipeline: reader thread -> workers -> writer (caller).
class pipeline {
 public:
  pipeline(const context& ctx, unsigned workers) : ctx_(ctx), max_in_flight_(2 * workers + 1) {
    for (unsigned i = 0; i < workers; ++i) threads_.emplace_back([this] { work(); });
  }
  ~pipeline() { stop(); }

  // Reader side: runs on its own thread.
  void read_all(line_reader& reader) {
    std::uint64_t line_number = 0;
    bool eof = false;
    std::uint64_t seq = 0;
    while (!eof) {
      std::unique_ptr<batch> b;
      {
        std::unique_lock lock(m_);
        space_.wait(lock, [&] { return in_flight_ < max_in_flight_ || cancelled_; });
        if (cancelled_) break;
        ++in_flight_;
        if (!pool_.empty()) {
          b = std::move(pool_.back());
          pool_.pop_back();
        }
      }
      if (!b) b = std::make_unique<batch>();
      if (!fill(reader, *b, line_number, eof)) {
        std::lock_guard lock(m_);
        read_error_ = reader.error_number();
        --in_flight_;
        break;
      }
      if (b->lines.empty()) {
        std::lock_guard lock(m_);
        --in_flight_;
        break;
      }
      b->seq = seq++;
      std::lock_guard lock(m_);
      todo_.push_back(std::move(b));
      work_.notify_one();
    }
    std::lock_guard lock(m_);
    reading_done_ = true;
    batches_ = seq;
    work_.notify_all();
    done_.notify_all();
  }

  // Writer side: returns batches in order; nullptr when all are written.
  std::unique_ptr<batch> next_done() {
    std::unique_lock lock(m_);
    done_.wait(lock, [&] { return finished_.count(next_) > 0 || (reading_done_ && next_ >= batches_); });
    auto it = finished_.find(next_);
    if (it == finished_.end()) return nullptr;
    auto b = std::move(it->second);
    finished_.erase(it);
    ++next_;
    return b;
  }
  void recycle(std::unique_ptr<batch> b) {
    std::lock_guard lock(m_);
    --in_flight_;
    pool_.push_back(std::move(b));
    space_.notify_one();
  }
  void cancel() {
    std::lock_guard lock(m_);
    cancelled_ = true;
    space_.notify_all();
    work_.notify_all();
  }
  void stop() {
    {
      std::lock_guard lock(m_);
      stopping_ = true;
      work_.notify_all();
    }
    for (auto& t : threads_)
      if (t.joinable()) t.join();
  }
  [[nodiscard]] int read_error() {
    std::lock_guard lock(m_);
    return read_error_;
  }

 private:
  void work() {
    for (;;) {
      std::unique_ptr<batch> b;
      {
        std::unique_lock lock(m_);
        work_.wait(lock, [&] { return !todo_.empty() || stopping_; });
        if (todo_.empty()) return;
        b = std::move(todo_.front());
        todo_.pop_front();
      }
      if (!cancelled_flag()) process(ctx_, *b);
      std::lock_guard lock(m_);
      finished_.emplace(b->seq, std::move(b));
      done_.notify_all();
    }
  }
  bool cancelled_flag() {
    std::lock_guard lock(m_);
    return cancelled_;
  }

  const context& ctx_;
  std::size_t max_in_flight_;
  std::mutex m_;
  std::condition_variable work_, done_, space_;
  std::deque<std::unique_ptr<batch>> todo_;
  std::map<std::uint64_t, std::unique_ptr<batch>> finished_;
  std::vector<std::unique_ptr<batch>> pool_;
  std::size_t in_flight_ = 0;
  std::uint64_t next_ = 0;
  std::uint64_t batches_ = 0;
  bool reading_done_ = false;
  bool cancelled_ = false;
  bool stopping_ = false;
  int read_error_ = 0;
  std::vector<std::thread> threads_;
};

// A stream that is a regular file, by device and inode (pipes, terminals and
// devices such as /dev/null may be shared: nothing is overwritten there).
struct file_id {
  dev_t dev = 0;
  ino_t ino = 0;
  bool operator==(const file_id&) const = default;
};

std::optional<file_id> id_of(const struct stat& st) {
  if (!S_ISREG(st.st_mode)) return std::nullopt;
  return file_id{st.st_dev, st.st_ino};
}
std::optional<file_id> fd_id(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return std::nullopt;
  return id_of(st);
}
// An output as named on the command line: "-" is stdout, "<stderr>" stderr,
// else the file it names (through symlinks), if it exists.
std::optional<file_id> output_id(const std::string& path) {
  if (path.empty() || is_stdio(path)) return fd_id(1);
  if (path == "<stderr>") return fd_id(2);
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return id_of(st);
}
bool named_file(const std::string& path) { return !path.empty() && !is_stdio(path) && path != "<stderr>"; }
bool missing(const std::string& path) {
  struct stat st {};
  return named_file(path) && ::stat(path.c_str(), &st) != 0;
}
std::string shown(const std::string& path, const char* flag) {
  if (path == "<stderr>") return "the standard error (where rejects go without --rejects)";
  if (path.empty() || is_stdio(path))
    return std::string("the standard output") + (flag[0] != 0 ? " (" + std::string(flag) + " -)" : "");
  return std::string(flag) + " " + display_name(path);
}

// Refuses an output that is the input, or that is the other output (two
// separate opens of one file overwrite each other): sweeping into the file
// being read empties it. Checked before anything is opened for writing; the
// outputs that do not exist yet are checked again once created (check_created).
std::optional<std::string> same_file(const std::optional<file_id>& input, const std::string& input_name,
                                     const std::string& output, const std::string& rejects) {
  const auto out = output_id(output);
  const auto rej = output_id(rejects);
  const std::string in = input_name == "-" ? "the standard input" : "the input file " + display_name(input_name);
  if (input && out && *out == *input)
    return shown(output, "-o") + " is " + in + ": writing there would destroy the input";
  if (input && rej && *rej == *input)
    return shown(rejects, "--rejects") + " is " + in + ": writing there would destroy the input";
  // Both on stdout/stderr through one shell redirection share an offset: lines interleave, nothing is lost.
  if (out && rej && *out == *rej && (named_file(output) || named_file(rejects)))
    return shown(rejects, "--rejects") + " is the same file as " + shown(output, "-o") +
           ": the two streams would overwrite each other";
  if (missing(output) && output == rejects)
    return "--rejects and -o name the same file " + display_name(output) +
           ": the two streams would overwrite each other";
  return std::nullopt;
}

std::string read_error_text(const std::string& input, int e) {
  return "cannot read " + display_name(input) + ": " + std::strerror(e);
}

}  // namespace

int cmd_sweep(const sweep_options& opt, const common_options& /*c*/) {
  const auto now = resolve_instant(opt.now, "--now");
  if (!now) return exit_usage;
  int code = exit_ok;
  std::optional<policy> custom;
  if (!opt.policy_file.empty()) {
    custom = load_policy_file(opt.policy_file, code, false);
    if (!custom) return code;
  }
  policy_book book(std::move(custom));
  book.preload();

  std::string error;
  const int fd = open_input(opt.input, error);
  if (fd < 0) {
    diag(error);
    return exit_io;
  }
  const bool rejects_on_stderr = opt.rejects.empty();
  const std::string rejects_path = rejects_on_stderr ? "<stderr>" : opt.rejects;
  const auto input_id = fd_id(fd);
  auto refuse = [&](const std::string& why) {
    if (fd != 0) ::close(fd);
    diag("sweep: " + why + "; nothing was written (see 'ordertrail help sweep')");
    return exit_usage;
  };
  if (auto why = same_file(input_id, opt.input, opt.output, rejects_path)) return refuse(*why);
  const bool output_existed = output_id(opt.output).has_value();
  sink out;
  if (auto err = out.open(opt.output)) {
    if (fd != 0) ::close(fd);
    diag(*err);
    return exit_io;
  }
  // An output created just now may be the rejects file under another name
  // ("a" and "./a", or a dangling symlink): it is empty, so checking again
  // loses nothing.
  if (!output_existed)
    if (auto why = same_file(input_id, opt.input, opt.output, rejects_path)) return refuse(*why);
  sink rejects;
  if (auto err = rejects.open(rejects_path)) {
    if (fd != 0) ::close(fd);
    diag(*err);
    return exit_io;
  }

  const unsigned threads = opt.threads > 0 ? opt.threads : std::max(1U, std::thread::hardware_concurrency());
  const context ctx{&book, *now, opt.full, !rejects_on_stderr};
  progress_bar bar(opt.progress && is_terminal(2), input_size(fd));
  totals t;
  line_reader reader(fd, max_document_bytes);
  const auto start = std::chrono::steady_clock::now();
  bool write_failed = false;
  int read_errno = 0;

  if (threads == 1) {
    std::uint64_t line_number = 0;
    bool eof = false;
    batch b;
    while (!eof) {
      if (!fill(reader, b, line_number, eof)) {
        read_errno = reader.error_number();
        break;
      }
      if (b.lines.empty()) break;
      process(ctx, b);
      if (!deliver(b, out, rejects, bar, rejects_on_stderr, t)) {
        write_failed = true;
        break;
      }
      bar.update(t, start);
    }
  } else {
    pipeline pipe(ctx, threads);
    std::thread reading([&] { pipe.read_all(reader); });
    while (auto b = pipe.next_done()) {
      if (!write_failed && !deliver(*b, out, rejects, bar, rejects_on_stderr, t)) {
        write_failed = true;
        pipe.cancel();
      }
      if (!write_failed) bar.update(t, start);
      pipe.recycle(std::move(b));
    }
    reading.join();
    pipe.stop();
    read_errno = pipe.read_error();
  }
  if (fd != 0) ::close(fd);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  bar.clear();

  const bool out_ok = out.finish();
  const bool rejects_ok = rejects.finish();
  if (!out_ok || !rejects_ok || write_failed) {
    diag("sweep: " + (!out.ok() ? out.error() : rejects.error()));
    diag("sweep: stopped after " + std::to_string(t.lines) + " lines; the output is incomplete");
    return exit_io;
  }
  if (read_errno != 0) {
    diag("sweep: " + read_error_text(opt.input, read_errno));
    diag("sweep: stopped after " + std::to_string(t.lines) + " lines; the output is incomplete");
    return exit_io;
  }

  const std::string name = display_name(opt.input);
  for (const auto& m : t.messages) diag(std::string(name).append(":").append(m));
  if (t.rejected > t.messages.size() && !rejects_on_stderr)
    diag(std::to_string(t.rejected - t.messages.size()) + " more rejected line(s) in " + display_name(opt.rejects));
  diag("sweep: " + name + ": " + std::to_string(t.lines) + (t.lines == 1 ? " line" : " lines") + " read, " +
       std::to_string(t.ok) + " ok, " + std::to_string(t.rejected) + " rejected");
  std::string due;
  std::uint64_t actions = 0;
  for (std::size_t i = 0; i < due_kinds; ++i) {
    if (t.due[i] == 0) continue;
    due +=
        (due.empty() ? "" : ", ") + std::string(to_string(static_cast<due_action>(i))) + " " + std::to_string(t.due[i]);
    actions += t.due[i];
  }
  diag("sweep: due actions: " +
       (due.empty() ? std::string("none")
                    : due + " (" + std::to_string(actions) + " on " + std::to_string(t.orders_with_due) +
                          (t.orders_with_due == 1 ? " order)" : " orders)")));
  const auto rate = secs > 0 ? static_cast<std::uint64_t>(static_cast<double>(t.lines) / secs) : 0;
  char elapsed[32];
  std::snprintf(elapsed, sizeof elapsed, "%.3f", secs);
  diag("sweep: " + std::string(elapsed) + " s, " + std::to_string(rate) + " orders/s, " + std::to_string(threads) +
       (threads == 1 ? " thread" : " threads"));
  return t.rejected > 0 ? exit_problem : exit_ok;
}

}  // namespace ordertrail::cli
