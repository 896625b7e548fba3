// `ordertrail metrics`: seller performance over a window, from an NDJSON
// stream of orders (the core's metrics_accumulator keeps only counters).
#include <unistd.h>

#include <cstring>
#include <vector>

#include "commands.hpp"
#include "io.hpp"
#include "present.hpp"
#include "sanitize.hpp"
#include "support.hpp"

namespace ordertrail::cli {
namespace {

constexpr std::size_t shown_rejects = 10;

std::string threshold_text(const rate& r) {
  if (!r.threshold_permille) return "no threshold";
  const std::string t = rate{*r.threshold_permille, 1000, std::nullopt, true}.decimal();
  return (r.threshold_is_max ? "max " : "min ") + t;
}

std::string rate_row(const style& st, std::string_view label, const rate& r) {
  std::string value = r.denominator == 0 ? "-" : r.decimal();
  std::string row = "  " + pad(label, 31) + pad(value, 8) +
                    pad("(" + std::to_string(r.numerator) + "/" + std::to_string(r.denominator) + ")", 14) +
                    threshold_text(r);
  if (r.breached()) row += "  " + st.red("BREACH");
  return row;
}

std::string text_view(const std::vector<seller_metrics>& rows, civil_date from, civil_date to, instant now,
                      const style& st) {
  std::string out = st.bold("Seller metrics") + " for orders placed " + format_date(from) + " to " + format_date(to) +
                    " (local dates of each market), evaluated at " + format_instant(now) + "\n";
  if (rows.empty()) out += "\nNo order in the window.\n";
  for (const auto& m : rows) {
    out += "\n" + st.bold("Seller " + sanitize(m.seller_id)) + (m.any_breach() ? "  " + st.red("BREACH") : "") + "\n";
    out += "  " + std::to_string(m.orders) + (m.orders == 1 ? " order, " : " orders, ") + std::to_string(m.paid) +
           " paid; cancellations: buyer " + std::to_string(m.cancelled_by_buyer) + ", seller " +
           std::to_string(m.cancelled_by_seller) + ", platform " + std::to_string(m.cancelled_by_platform) +
           ", carrier " + std::to_string(m.cancelled_by_carrier) + "\n";
    out += rate_row(st, "seller-fault cancellation rate", m.seller_fault_cancellation) + "\n";
    out += rate_row(st, "late dispatch rate", m.late_dispatch) + "\n";
    out += rate_row(st, "valid tracking rate", m.valid_tracking) + "\n";
    out += rate_row(st, "on-time delivery rate", m.on_time_delivery) + "\n";
  }
  return out;
}

// A text cell of the CSV: sanitized like any terminal text, quoted when it
// holds a comma or a quote, and neutralised when a spreadsheet would read it
// as a formula (OWASP "CSV injection": a cell starting with =, +, - or @, or
// with a tab or CR, which sanitize() turns into spaces that some spreadsheets
// skip) by a leading single quote inside the quoted cell.
std::string csv_field(std::string_view s) {
  std::string clean = sanitize(s);
  const auto first = clean.find_first_not_of(' ');
  const bool formula =
      first != std::string::npos && std::string_view("=+-@").find(clean[first]) != std::string_view::npos;
  if (formula) clean.insert(0, "'");
  if (!formula && clean.find_first_of(",\"") == std::string::npos) return clean;
  std::string q = "\"";
  for (const char c : clean) {
    if (c == '"') q += '"';
    q += c;
  }
  return q + "\"";
}

void csv_rate(std::string& out, const rate& r) {
  out += "," + r.decimal() + "," + std::to_string(r.numerator) + "," + std::to_string(r.denominator) + ",";
  if (r.threshold_permille) out += rate{*r.threshold_permille, 1000, std::nullopt, true}.decimal();
  out += r.breached() ? ",true" : ",false";
}

std::string csv_view(const std::vector<seller_metrics>& rows) {
  std::string out =
      "seller_id,orders,paid,cancelled_by_buyer,cancelled_by_seller,cancelled_by_platform,cancelled_by_carrier";
  for (const char* r :
       {"seller_fault_cancellation_rate", "late_dispatch_rate", "valid_tracking_rate", "on_time_delivery_rate"}) {
    const std::string n(r);
    for (const char* suffix : {"", "_numerator", "_denominator", "_threshold", "_breach"}) {
      out += ',';
      out += n;
      out += suffix;
    }
  }
  out += ",breach\n";
  for (const auto& m : rows) {
    out += csv_field(m.seller_id) + "," + std::to_string(m.orders) + "," + std::to_string(m.paid) + "," +
           std::to_string(m.cancelled_by_buyer) + "," + std::to_string(m.cancelled_by_seller) + "," +
           std::to_string(m.cancelled_by_platform) + "," + std::to_string(m.cancelled_by_carrier);
    csv_rate(out, m.seller_fault_cancellation);
    csv_rate(out, m.late_dispatch);
    csv_rate(out, m.valid_tracking);
    csv_rate(out, m.on_time_delivery);
    out += m.any_breach() ? ",true\n" : ",false\n";
  }
  return out;
}

}  // namespace

int cmd_metrics(const metrics_options& opt, const common_options& c) {
  auto from = parse_date(opt.from);
  auto to = parse_date(opt.to);
  if (!from || !to) {
    diag(std::string(!from ? "--from: " : "--to: ") + sanitize((!from ? from : to).err().message));
    return exit_usage;
  }
  if (*to < *from) {
    diag("--to " + sanitize(opt.to) + " is before --from " + sanitize(opt.from));
    return exit_usage;
  }
  const auto now = resolve_instant(opt.now, "--now");
  if (!now) return exit_usage;
  int code = exit_ok;
  std::optional<policy> custom;
  if (!opt.policy_file.empty()) {
    custom = load_policy_file(opt.policy_file, code, opt.json);
    if (!custom) return code;
  }
  policy_book book(std::move(custom));

  std::string err_text;
  const int fd = open_input(opt.input, err_text);
  if (fd < 0) {
    diag(err_text);
    return exit_io;
  }
  const std::string name = display_name(opt.input);
  metrics_accumulator acc(*from, *to);
  line_reader reader(fd, max_document_bytes);
  std::uint64_t number = 0;
  std::uint64_t rejected = 0;
  auto reject = [&](const error& e) {
    if (++rejected <= shown_rejects) diag(name + ":" + std::to_string(number) + ": " + error_text(e));
  };
  for (;;) {
    std::string_view line;
    std::uint64_t length = 0;
    const auto st = reader.next(line, length);
    if (st == line_reader::status::eof) break;
    if (st == line_reader::status::error) {
      diag("cannot read " + name + ": " + std::strerror(reader.error_number()));
      if (fd != 0) ::close(fd);
      return exit_io;
    }
    ++number;
    if (st == line_reader::status::oversize) {
      reject(error{"too_large", "",
                   "line of " + std::to_string(length) + " bytes exceeds the limit of " +
                       std::to_string(max_document_bytes) + " bytes for an order document"});
      continue;
    }
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) {
      reject(error{"empty_line", "", "the line is empty: no order"});
      continue;
    }
    auto o = parse_order(line);
    if (!o) {
      reject(o.err());
      continue;
    }
    error err;
    const policy* p = book.find(o->market, err);
    if (p == nullptr) {
      reject(err);
      continue;
    }
    auto e = evaluate(*o, *p, *now, evaluate_options{false});  // counts need no texts
    if (!e) {
      reject(e.err());
      continue;
    }
    acc.add(*o, *p, *e);
  }
  if (fd != 0) ::close(fd);

  const auto rows = acc.results();
  std::string out;
  if (opt.json)
    out = to_json(rows, *from, *to) + "\n";
  else if (opt.csv)
    out = csv_view(rows);
  else
    out = text_view(rows, *from, *to, *now, style(colour_enabled(c.colour, 1)));
  bool breach = false;
  for (const auto& m : rows) breach = breach || m.any_breach();
  if (rejected > shown_rejects) diag(std::to_string(rejected - shown_rejects) + " more rejected line(s)");
  if (rejected > 0)
    diag("metrics: " + std::to_string(rejected) + " of " + std::to_string(number) +
         " lines were rejected and are not counted: the metrics are incomplete");
  return print_stdout(out, rejected > 0 ? exit_invalid_input : breach ? exit_problem : exit_ok);
}

}  // namespace ordertrail::cli
