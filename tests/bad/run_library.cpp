// The library channel of the bad-input corpus (tests/bad/cases.mjs).
//
//   ordertrail_bad_library CORPUS_DIR [--emit FILE]
//
// For every case of CORPUS_DIR/manifest.json: parse_order, the policy
// (parse_policy of the case's document, else builtin_policy of the order's
// market), evaluate — the typed API — and evaluate_json, the text API the
// bindings use. Both must give the expected code and JSON pointer (or, for a
// valid case, an evaluation that passes the case's checks), and agree with
// each other byte for byte. Every output must be valid UTF-8 JSON and every
// error must carry a message. --emit writes evaluate_json's output, one line
// per case, for the WebAssembly channel to compare with.
//
// Every problem found has a category (code, message, utf8, api, check). A
// case whose problems are all marked as known bugs of this channel
// (bugs["library:CATEGORY"]) is reported XFAIL; a marked case that shows no
// problem any more is XPASS, a failure: remove the mark.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ordertrail/ordertrail.hpp"

namespace {

using nlohmann::json;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    std::exit(2);
  }
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Strict UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    unsigned cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    }
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      cp = c & 0x07;
    } else
      return false;
    if (i + n >= s.size()) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (b & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += n + 1;
  }
  return true;
}

// Invalid bytes replaced by '?', so that an output with a UTF-8 bug can still be read.
std::string lossy_utf8(std::string_view s) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t n = 1;
    while (n <= 4 && i + n <= s.size() && !valid_utf8(s.substr(i, n))) ++n;
    if (n <= 4 && i + n <= s.size()) {
      out.append(s.substr(i, n));
      i += n;
    } else {
      out += '?';
      ++i;
    }
  }
  return out;
}

std::string show(std::string_view s, std::size_t max = 160) {
  std::string out;
  for (const char ch : s.substr(0, max)) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c >= 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += ch;
    }
  }
  if (s.size() > max) out += "...";
  return out;
}

struct outcome {
  bool ok = false;
  std::string code, path, message;
  std::string json_text;  // to_json(evaluation) when ok
};

outcome typed_api(const std::string& order_text, const std::string& policy_text, bool has_policy,
                  const std::string& now_text) {
  outcome r;
  auto fail = [&](const ordertrail::error& e) {
    r.code = e.code;
    r.path = e.path;
    r.message = e.message;
    return r;
  };
  auto now = ordertrail::parse_instant(now_text, "/now");
  if (!now) return fail(now.err());
  auto o = ordertrail::parse_order(order_text);
  if (!o) return fail(o.err());
  auto p = has_policy ? ordertrail::parse_policy(policy_text) : ordertrail::builtin_policy(o->market);
  if (!p) return fail(p.err());
  auto e = ordertrail::evaluate(*o, *p, *now);
  if (!e) return fail(e.err());
  r.ok = true;
  r.json_text = ordertrail::to_json(*e);
  return r;
}

// The value a check names: "/json/pointer" or "obligation:ID" (that obligation's due_at).
std::optional<json> checked_value(const json& doc, const std::string& key) {
  constexpr std::string_view prefix = "obligation:";
  if (key.rfind(prefix, 0) == 0) {
    const auto id = key.substr(prefix.size());
    for (const auto& o : doc.value("obligations", json::array()))
      if (o.value("id", "") == id) return o.value("due_at", json());
    return std::nullopt;
  }
  const json::json_pointer ptr(key);
  if (!doc.contains(ptr)) return std::nullopt;
  return doc.at(ptr);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: ordertrail_bad_library CORPUS_DIR [--emit FILE]\n");
    return 2;
  }
  const std::string dir = argv[1];
  std::string emit_path;
  for (int i = 2; i < argc; ++i) {
    if (std::string(argv[i]) == "--emit" && i + 1 < argc) emit_path = argv[++i];
  }
  const json manifest = json::parse(read_file(dir + "/manifest.json"));
  std::string emitted;
  int passed = 0, failed = 0, xfailed = 0, xpassed = 0;
  std::vector<std::pair<double, std::string>> slow;

  for (const auto& c : manifest) {
    const std::string name = c.at("name");
    const std::string order_text = read_file(dir + "/" + c.at("order").get<std::string>());
    const bool has_policy = !c.at("policy").get<std::string>().empty();
    const std::string policy_text = has_policy ? read_file(dir + "/" + c.at("policy").get<std::string>()) : "";
    const std::string now = c.at("now");
    const bool want_ok = c.at("ok");
    const std::string want_code = c.at("code"), want_path = c.at("path");
    // Each problem has a category; a known bug marks "library:CATEGORY" (see README.md).
    std::vector<std::pair<std::string, std::string>> problems;
    auto problem = [&](const char* category, std::string text) { problems.emplace_back(category, std::move(text)); };
    const auto start = std::chrono::steady_clock::now();
    const outcome typed = typed_api(order_text, policy_text, has_policy, now);
    const std::string out = ordertrail::evaluate_json(order_text, now, policy_text);
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    slow.emplace_back(ms, name);
    emitted += out;
    emitted += '\n';

    // The policy alone: a parse-stage policy case fails in parse_policy, any other parses.
    if (has_policy) {
      auto p = ordertrail::parse_policy(policy_text);
      const bool parse_stage = c.at("stage") == "parse" && !want_ok;
      if (parse_stage && p) problem("code", "parse_policy accepted the policy");
      if (!parse_stage && !p)
        problem("code", "parse_policy refused the policy: " + p.err().code + " at " + p.err().path);
    }

    // The typed API against the expectation.
    if (want_ok) {
      if (!typed.ok) problem("code", "expected a valid evaluation, got " + typed.code + " at \"" + typed.path + "\"");
    } else if (typed.ok) {
      problem("code", "expected " + want_code + " at \"" + want_path + "\", got a valid evaluation");
    } else {
      if (typed.code != want_code || typed.path != want_path)
        problem("code", "expected " + want_code + " at \"" + want_path + "\", got " + typed.code + " at \"" +
                            typed.path + "\"");
      if (typed.message.empty()) problem("message", "the error has no message");
    }

    // evaluate_json: valid UTF-8 JSON, the same answer as the typed API, byte for byte.
    if (!valid_utf8(out)) problem("utf8", "evaluate_json output is not valid UTF-8: " + show(out, 400));
    const json doc = json::parse(lossy_utf8(out), nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
      problem("api", "evaluate_json output is not a JSON object: " + show(out));
    } else if (typed.ok) {
      if (out != typed.json_text) problem("api", "evaluate_json differs from to_json(evaluate(...))");
      for (const auto& [key, want] : c.at("checks").items()) {
        const auto got = checked_value(doc, key);
        if (!got)
          problem("check", "check " + key + ": absent");
        else if (*got != want)
          problem("check", "check " + key + ": expected " + want.dump() + ", got " + got->dump());
      }
    } else {
      if (doc.value("schema", "") != "ordertrail.error/1" || doc.value("code", "") != typed.code ||
          doc.value("path", "?") != typed.path)
        problem("api", "evaluate_json disagrees with the typed API: " + show(out));
      if (doc.value("message", "").empty()) problem("message", "evaluate_json's error has no message");
      if (out != ordertrail::to_json(ordertrail::error{typed.code, typed.path, typed.message}))
        problem("api", "evaluate_json's error differs from to_json(error) of the typed API");
    }

    const std::string got = typed.ok ? "ok" : typed.code + " at \"" + typed.path + "\"";
    const json& bugs = c.at("bugs");
    std::vector<std::string> marks;  // the bug ids of this channel
    for (const auto& [key, id] : bugs.items())
      if (key.rfind("library:", 0) == 0) marks.push_back(id.get<std::string>());
    bool unexplained = false;
    std::string explained;
    for (const auto& [category, text] : problems) {
      const std::string key = "library:" + category;
      if (bugs.contains(key)) {
        if (explained.empty()) explained = bugs.at(key).get<std::string>() + ": " + text;
      } else {
        unexplained = true;
        std::printf("FAIL  %s: [%s] %s\n", name.c_str(), category.c_str(), text.c_str());
      }
    }
    if (unexplained) {
      ++failed;
    } else if (!explained.empty()) {
      ++xfailed;
      std::printf("XFAIL %s: %s\n", name.c_str(), explained.c_str());
    } else if (!marks.empty()) {
      ++xpassed;
      std::printf("XPASS %s: known bug %s no longer shows (%s): remove its mark in cases.mjs\n", name.c_str(),
                  marks.front().c_str(), got.c_str());
    } else {
      ++passed;
      std::printf("PASS  %s: %s\n", name.c_str(), got.c_str());
    }
  }

  if (!emit_path.empty()) {
    std::ofstream e(emit_path, std::ios::binary);
    e << emitted;
    if (!e) {
      std::fprintf(stderr, "cannot write %s\n", emit_path.c_str());
      return 2;
    }
  }
  std::sort(slow.rbegin(), slow.rend());
  std::printf("slowest:");
  for (std::size_t i = 0; i < 3 && i < slow.size(); ++i)
    std::printf(" %s %.0f ms;", slow[i].second.c_str(), slow[i].first);
  std::printf("\nlibrary: %zu cases: %d passed, %d failed, %d known bugs (XFAIL), %d fixed bugs still marked (XPASS)\n",
              manifest.size(), passed, failed, xfailed, xpassed);
  return failed == 0 && xpassed == 0 ? 0 : 1;
}
