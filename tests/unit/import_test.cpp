// Issue 18: the platform importers (docs/RULES.md "Importing platform
// payloads (issue 18)").
//
// The vectors of tests/import/ (each worked by hand in its `why`): a TikTok
// or Shopify payload, the order/2 it becomes (a subset, exactly), the codes
// of the importer's warnings, and a subset of its evaluation at `now` under
// the market's embedded policy — or the error with its pointer INTO the
// payload.
#include <doctest/doctest.h>

#include <filesystem>
#include <ordertrail/import.hpp>

#include "test_orders.hpp"

using namespace ordertrail;
using test_orders::difference;
using test_orders::json;
namespace fs = std::filesystem;

TEST_CASE("import vectors: every hand-worked payload imports as written") {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(fs::path(ORDERTRAIL_SOURCE_DIR) / "tests" / "import"))
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 10);
  for (const auto& file : files) {
    CAPTURE(file.filename().string());
    const json v = json::parse(test_orders::read_source("tests/import/" + file.filename().string()));
    REQUIRE(v.contains("why"));
    const auto platform = platform_from(v["platform"].get<std::string>());
    REQUIRE(platform);
    import_options opts;
    opts.market = v.value("market", "");
    opts.seller_id = v.value("seller_id", "");
    const std::string payload = v["payload"].is_string() ? v["payload"].get<std::string>() : v["payload"].dump();
    auto r = import_order(*platform, payload, opts);
    const json& x = v["expected"];
    if (x.contains("error")) {
      REQUIRE_MESSAGE(!r.ok(), r->order_json);
      CHECK(r.err().code == x["error"]["code"]);
      CHECK(r.err().path == x["error"]["path"]);
      continue;
    }
    REQUIRE_MESSAGE(r.ok(), to_json(r.err()));
    const json order = json::parse(r->order_json);
    if (x.contains("order")) {
      const auto m = difference(x["order"], order, "/order");
      CHECK_MESSAGE(m.empty(), m << "\n" << order.dump());
    }
    json codes = json::array();
    for (const auto& w : r->warnings) codes.push_back(w.code);
    if (x.contains("warnings")) CHECK_MESSAGE(codes == x["warnings"], codes.dump());
    if (x.contains("warning_paths")) {
      json paths = json::array();
      for (const auto& w : r->warnings) paths.push_back(w.path);
      CHECK_MESSAGE(paths == x["warning_paths"], paths.dump());
    }
    // The document is a valid order/2, and its evaluation is as worked.
    auto parsed = parse_order(r->order_json);
    REQUIRE_MESSAGE(parsed.ok(), to_json(parsed.err()));
    if (x.contains("evaluation")) {
      const json e = json::parse(evaluate_json(r->order_json, v["now"].get<std::string>()));
      REQUIRE_MESSAGE(e["schema"] == "ordertrail.evaluation/2", e.dump());
      const auto m = difference(x["evaluation"], e, "/evaluation");
      CHECK_MESSAGE(m.empty(), m);
      if (x.contains("evaluation_warnings")) {
        json ecodes = json::array();
        for (const auto& w : e["warnings"]) ecodes.push_back(w["code"]);
        CHECK_MESSAGE(ecodes == x["evaluation_warnings"], e["warnings"].dump());
      }
      if (x.contains("obligations")) {  // by id: a subset of each named obligation
        for (const auto& [id, want] : x["obligations"].items()) {
          const json* got = nullptr;
          for (const auto& ob : e["obligations"])
            if (ob["id"] == id) got = &ob;
          REQUIRE_MESSAGE(got != nullptr, "no obligation " << id << " in " << e["obligations"].dump());
          const auto m = difference(want, *got, "/obligations/" + id);
          CHECK_MESSAGE(m.empty(), m);
        }
      }
      if (x.contains("anomalies_include")) {
        for (const auto& code : x["anomalies_include"]) {
          bool found = false;
          for (const auto& a : e["anomalies"]) found = found || a["code"] == code;
          CHECK_MESSAGE(found, code << " not in " << e["anomalies"].dump());
        }
      }
      if (x.contains("anomalies")) {
        json acodes = json::array();
        for (const auto& a : e["anomalies"]) acodes.push_back(a["code"]);
        CHECK_MESSAGE(acodes == x["anomalies"], e["anomalies"].dump());
      }
    }
  }
}

TEST_CASE("import: money is exact in the currency's decimals, never a float") {
  // Through the importer: "12.5" USD is 1250 cents, "19.99" 1999, "0.1" 10;
  // JPY has no decimals and KWD three.
  auto total = [](std::string currency, std::string amount) {
    const std::string p =
        R"({"id":"M1","status":"UNPAID","create_time":1744128000,"recipient_address":{"region_code":"US"},)"
        R"("payment":{"currency":")" +
        currency + R"(","total_amount":")" + amount + R"("},"line_items":[{"id":"L1","sku_id":"S","sale_price":"0"}]})";
    auto r = import_order(platform_kind::tiktok, p, {});
    return r.ok() ? std::to_string(json::parse(r->order_json)["total_minor"].get<long long>())
                  : r.err().code + " " + r.err().path;
  };
  CHECK(total("USD", "12.5") == "1250");
  CHECK(total("USD", "19.99") == "1999");
  CHECK(total("USD", "0.1") == "10");
  CHECK(total("USD", "7") == "700");
  CHECK(total("USD", "12.345") == "invalid_value /payment/total_amount");
  CHECK(total("USD", "1e3") == "invalid_value /payment/total_amount");
  CHECK(total("USD", "-1") == "invalid_value /payment/total_amount");
  CHECK(total("USD", "90071992547409.92") == "invalid_value /payment/total_amount");  // past 2^53 - 1
  CHECK(total("USD", "90071992547409.91") == "9007199254740991");
  CHECK(total("JPY", "1500") == "1500");
  CHECK(total("JPY", "1500.0") == "invalid_value /payment/total_amount");
  CHECK(total("KWD", "1.5") == "1500");
  CHECK(total("IDR", "15000") == "1500000");
}

TEST_CASE("platform object given by hand: read by parse_order, errors at their pointer, tolerance from the policy") {
  json o = test_orders::paid_order();
  o["platform"] = {{"name", "tiktok"}, {"deadlines", {{"ship_by", "not a time"}}}};
  auto r = parse_order(o.dump());
  REQUIRE(!r.ok());
  CHECK(r.err().code == "invalid_instant");
  CHECK(r.err().path == "/platform/deadlines/ship_by");
  o["platform"] = {{"deadlines", {{"later_maybe", "2025-01-01T00:00:00Z"}}}, {"status", "SHIPPED_ISH"}};
  r = parse_order(o.dump());
  REQUIRE(r.ok());  // unknown keys are kept and ignored
  // A status that is not one of the nine is not compared: no status_mismatch.
  const json e = json::parse(evaluate_json(o.dump(), "2025-03-04T00:00:00Z"));
  for (const auto& w : e["warnings"]) CHECK(w["code"] != "status_mismatch");
  // A stamp 30 min from the computed payment deadline is within the default
  // 60 min: no warning; a policy with platform_tolerance_minutes 10 warns.
  json unpaid = test_orders::base_order();
  const auto placed = parse_instant(unpaid["placed_at"].get<std::string>());
  REQUIRE(placed.ok());
  const std::string stamp = format_instant(*placed + std::chrono::hours{48} + std::chrono::minutes{30});
  unpaid["platform"] = {{"deadlines", {{"payment", stamp}}}};
  const json e60 = json::parse(evaluate_json(unpaid.dump(), unpaid["placed_at"].get<std::string>()));
  CHECK(e60["warnings"].empty());
  CHECK(e60["obligations"][0]["due_at"] == stamp);
  json policy = json::parse(test_orders::read_source("policies/" + unpaid["market"].get<std::string>() + ".json"));
  policy["platform_tolerance_minutes"] = 10;
  const json e10 = json::parse(evaluate_json(unpaid.dump(), unpaid["placed_at"].get<std::string>(), policy.dump()));
  REQUIRE(e10["warnings"].size() == 1);
  CHECK(e10["warnings"][0]["code"] == "deadline_mismatch");
}

TEST_CASE("import_order_json: the JSON face the WASM import module exports") {
  const json bad = json::parse(import_order_json("amazon", "{}", {}));
  CHECK(bad["schema"] == "ordertrail.error/1");
  CHECK(bad["code"] == "invalid_value");
  const json v = json::parse(test_orders::read_source("tests/import/t02_on_hold.json"));
  const json out = json::parse(import_order_json("tiktok", v["payload"].dump(), {"", "S-1"}));
  CHECK(out["schema"] == "ordertrail.import/1");
  CHECK(out["order"]["schema"] == "ordertrail.order/2");
  CHECK(out["order"]["seller_id"] == "S-1");
  CHECK(out["warnings"] == json::array());
  const json err = json::parse(import_order_json("tiktok", R"({"id":1})", {}));
  CHECK(err["code"] == "invalid_type");
  CHECK(err["path"] == "/id");
}
