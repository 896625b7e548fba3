// `ordertrail decide`: may this party record this event now? The core's
// decide answers; this file builds the command from the options, shows the
// decision to an agent, and with --append writes the order with the event
// appended (a temporary file renamed over the target: all or nothing).
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "commands.hpp"
#include "io.hpp"
#include "present.hpp"
#include "sanitize.hpp"
#include "support.hpp"

namespace ordertrail::cli {
namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

// Digits as a JSON number: without leading zeros ("007" is not JSON); a
// number past the core's range stays too large, for the core to say so.
std::string number_text(std::string_view digits) {
  const auto first = digits.find_first_not_of('0');
  return first == std::string_view::npos ? "0" : std::string(digits.substr(first));
}

// `LINE`, `LINE:QTY` (refunds: `LINE:AMOUNT`), comma-separated; a part
// after the last ':' that is not a number belongs to the line's name. LINE
// is a line_id of the order, else a sku (as a plain `--items SKU` is).
void write_items(json_writer& w, const std::vector<std::string>& specs, bool money, const order& o) {
  auto key_for = [&](std::string_view ref) {
    for (const auto& it : o.items)
      if (it.line_id == ref) return "line_id";
    for (const auto& it : o.items)
      if (it.sku == ref) return "sku";
    return "line_id";  // no such line: the core refuses it (unknown_line)
  };
  w.key("items").begin_array();
  for (const auto& list : specs) {
    std::size_t from = 0;
    while (from <= list.size()) {
      const std::size_t comma = std::min(list.find(',', from), list.size());
      const std::string_view spec = std::string_view(list).substr(from, comma - from);
      from = comma + 1;
      if (spec.empty()) continue;
      const std::size_t colon = spec.rfind(':');
      if (colon != std::string_view::npos && all_digits(spec.substr(colon + 1))) {
        w.begin_object().field(key_for(spec.substr(0, colon)), spec.substr(0, colon));
        w.key(money ? "amount_minor" : "qty").raw(number_text(spec.substr(colon + 1)));
        w.end_object();
      } else {
        w.value(spec);
      }
    }
  }
  w.end_array();
}

// The command (SPEC 7) the options describe, as JSON for the core to read.
std::string command_json(const decide_options& o, const order& doc) {
  std::string out;
  json_writer w(out);
  w.begin_object().field("type", o.type);
  auto text = [&](std::string_view key, const std::string& v) {
    if (!v.empty()) w.field(key, v);
  };
  text("id", o.id);
  text("by", o.by);
  text("reason", o.reason);
  text("package_id", o.package_id);
  text("case_id", o.case_id);
  text("case_type", o.case_type);
  if (!o.items.empty()) write_items(w, o.items, o.type == "refunded", doc);
  if (!o.amount.empty()) w.key("amount_minor").raw(number_text(o.amount));
  text("carrier", o.carrier);
  text("tracking_number", o.tracking_number);
  if (o.keep_item) w.field("keep_item", true);
  text("outcome", o.outcome);
  text("est_delivery", o.est_delivery);
  text("status", o.status);
  text("text", o.text);
  text("note", o.note);
  w.end_object();
  return out;
}

// Writes `text` to `path` through a temporary file in the same directory,
// flushed to disk, then renamed over it. Returns an error sentence or "".
std::string write_atomically(const std::string& path, const std::string& text) {
  std::string tmp = path + ".tmp.XXXXXX";
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) return "cannot create a temporary file next to " + path + ": " + std::strerror(errno);
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) ::fchmod(fd, st.st_mode & 07777);  // keep the file's mode
  std::size_t done = 0;
  while (done < text.size()) {
    const auto n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string why = std::strerror(errno);
      ::close(fd);
      ::unlink(tmp.c_str());
      return "cannot write " + tmp + ": " + why;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(tmp.c_str());
    return "cannot write " + tmp + ": " + why;
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(tmp.c_str());
    return "cannot replace " + path + ": " + why;
  }
  // The rename itself is durable once the directory is on disk.
  const auto slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  if (const int d = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY); d >= 0) {
    ::fsync(d);
    ::close(d);
  }
  return {};
}

// The decision, for an agent reading a terminal.
std::string decision_view(const decision& d, const order& o, const policy& p, const std::string& command_type,
                          const std::string& by) {
  const calendar& cal = p.cal;
  const std::string who = by.empty() ? "nobody" : by;
  std::string out = sanitize(o.order_id) + " at " + local_datetime(cal, d.ev.at) + ": ";
  if (d.refused) {
    out += "REFUSED (" + std::string(to_string(d.refused->code)) + ")\n";
    out += "  " + sanitize(d.refused->message) + "\n";
    if (!d.refused->alternatives.empty()) {
      out += "  Instead:\n";
      for (const auto& a : d.refused->alternatives) {
        out += "    - " + next_action_text(a.code);
        if (a.until) out += " (until " + local_when(cal, *a.until) + ")";
        out += "\n";
      }
    }
    out += "  Nothing was recorded.\n";
    return out;
  }
  if (d.already_recorded) {
    out += "ALREADY RECORDED\n  " + sanitize(who) + "'s " + sanitize(command_type) + " is in the order already (" +
           sanitize(event_text(d.ev, o)) + "); nothing to append.\n";
    return out;
  }
  out += "ALLOWED\n";
  out +=
      "  " + sanitize(who) + " may record " + sanitize(command_type) + " now: " + sanitize(event_text(d.ev, o)) + ".\n";
  out += "  Event to record: " + sanitize(to_json(d.ev, o)) + "\n";
  out += "  Afterwards the order is " + std::string(to_string(d.eval.effective_status)) + ": " +
         status_gloss(d.eval.effective_status) + ".\n";
  return out;
}

}  // namespace

// An exclusive lock on the --append target, held until the process ends:
// two `decide --append` runs on one file take turns, so that each reads the
// order the other wrote (the read-modify-write is whole, not only the write).
// The lock is on the file as it is when taken: a run that waited on a file
// another run has since renamed over takes the lock again on the new one.
void lock_target(const std::string& path) {
  for (;;) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;  // no file yet: nothing to read it from either
    ::flock(fd, LOCK_EX);
    struct stat locked {
    }, now{};
    if (::fstat(fd, &locked) == 0 && ::stat(path.c_str(), &now) == 0 && locked.st_ino == now.st_ino &&
        locked.st_dev == now.st_dev)
      return;  // kept open (and locked) until the process exits
    ::close(fd);
  }
}

int cmd_decide(const decide_options& opt, const common_options& c) {
  (void)c;
  const auto now = resolve_instant(opt.now, "--now");
  if (!now) return exit_usage;
  if (!opt.append.empty()) lock_target(opt.append);
  std::optional<policy> custom;
  int code = exit_ok;
  if (!opt.policy_file.empty()) {
    custom = load_policy_file(opt.policy_file, code, opt.json);
    if (!custom) return code;
  }
  std::string text;
  if (auto err = read_document(opt.input, max_document_bytes, text)) {
    diag(*err);
    return exit_io;
  }
  const std::string where = display_name(opt.input);
  auto o = parse_order(text);
  if (!o) return report_invalid(where, o.err(), opt.json);
  policy_book book(std::move(custom));
  error err;
  const policy* p = book.find(o->market, err);
  if (p == nullptr) return report_invalid(where, err, opt.json);
  std::string command_text = opt.command_file.empty() ? command_json(opt, *o) : std::string();
  if (!opt.command_file.empty()) {
    if (auto e = read_document(opt.command_file, max_document_bytes, command_text)) {
      diag(*e);
      return exit_io;
    }
  }
  auto command = parse_command(command_text, *now);
  if (!command) return report_invalid("the command", command.err(), opt.json);
  auto d = decide(*o, *p, *command, *now);
  if (!d) return report_invalid(where, d.err(), opt.json);
  const int verdict = d->refused ? exit_invalid_input : exit_ok;
  if (!opt.append.empty() && d->allowed && !d->already_recorded) {
    auto next = append_event(text, to_json(d->ev, *o));
    if (!next) return report_invalid(where, next.err(), opt.json);
    // The file written must still be an order the next run can read (the
    // limits of RULES "Limits": 1 MiB, 10,000 events).
    if (auto again = parse_order(*next); !again)
      return report_invalid(opt.append + " (with the event)", again.err(), opt.json);
    if (auto why = write_atomically(opt.append, *next + (next->empty() || next->back() == '\n' ? "" : "\n"));
        !why.empty()) {
      diag(sanitize(why));
      return exit_io;
    }
  }
  if (opt.json) return print_stdout(to_json(*d, *o) + "\n", verdict);
  std::string view = decision_view(*d, *o, *p, std::string(to_string(command->type)),
                                   command->by == party::none ? "" : std::string(to_string(command->by)));
  if (!opt.append.empty() && d->allowed && !d->already_recorded)
    view += "  Appended to " + sanitize(opt.append) + ".\n";
  return print_stdout(view, verdict);
}

}  // namespace ordertrail::cli
