// `ordertrail import tiktok|shopify FILE|-`: marketplace payloads to
// ordertrail.order/2 (issue 18). The mapping is the core's (ordertrail::import);
// this file reads, writes and numbers lines.
#include <ordertrail/import.hpp>
#include <ordertrail/order.hpp>

#include "commands.hpp"
#include "io.hpp"
#include "present.hpp"
#include "sanitize.hpp"
#include "support.hpp"

namespace ordertrail::cli {
namespace {

void show_warnings(const std::string& where, const std::vector<import_warning>& warnings) {
  for (const auto& w : warnings)
    diag(sanitize(where + ": warning " + w.code + (w.path.empty() ? "" : " at " + w.path) + ": " + w.text));
}

bool blank(std::string_view s) { return s.find_first_not_of(" \t\r") == std::string_view::npos; }

}  // namespace

int cmd_import(const import_options_cli& o, const common_options&) {
  const auto platform = platform_from(o.platform);
  import_options opts{o.market, o.seller};
  const std::string name = display_name(o.input);
  if (!o.ndjson) {
    std::string text;
    if (auto err = read_document(o.input, max_document_bytes, text)) {
      diag("import: " + *err);
      return exit_io;
    }
    auto r = import_order(*platform, text, opts);
    if (!r) return report_invalid("import " + name, r.err(), o.json_errors);
    show_warnings("import " + name, r->warnings);
    return print_stdout(r->order_json + "\n", exit_ok);
  }
  std::string error_sentence;
  const int fd = open_input(o.input, error_sentence);
  if (fd < 0) {
    diag("import: " + error_sentence);
    return exit_io;
  }
  line_reader reader(fd, max_document_bytes);
  sink out;
  if (auto err = out.open("-")) {
    diag("import: " + *err);
    return exit_io;
  }
  std::uint64_t number = 0, ok = 0, rejected = 0;
  auto reject = [&](const error& e) {
    ++rejected;
    diag(sanitize("import " + name + ":" + std::to_string(number) + ": " + error_text(e)));
  };
  for (;;) {
    std::string_view line;
    std::uint64_t length = 0;
    const auto st = reader.next(line, length);
    if (st == line_reader::status::eof) break;
    if (st == line_reader::status::error) {
      diag("import: cannot read " + name);
      return exit_io;
    }
    ++number;
    if (st == line_reader::status::oversize) {
      reject(error{"too_large", "",
                   "line of " + std::to_string(length) + " bytes exceeds the limit of " +
                       std::to_string(max_document_bytes) + " bytes"});
      continue;
    }
    if (blank(line)) {
      reject(error{"empty_line", "", "the line is empty: no order"});
      continue;
    }
    auto r = import_order(*platform, line, opts);
    if (!r) {
      reject(r.err());
      continue;
    }
    show_warnings("import " + name + ":" + std::to_string(number), r->warnings);
    out.write(r->order_json);
    out.write("\n");
    ++ok;
  }
  if (!out.finish()) {
    diag("import: " + out.error());
    return exit_io;
  }
  diag("import: " + std::to_string(number) + " lines, " + std::to_string(ok) + " imported, " +
       std::to_string(rejected) + " rejected");
  return rejected > 0 ? exit_problem : exit_ok;
}

}  // namespace ordertrail::cli
