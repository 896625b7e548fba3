// Writes N synthetic orders as NDJSON (about 560 bytes each), deterministic
// for a seed, for the big sweep test and the throughput benchmark.
//
//   ordertrail_gen_orders N [--bad-every K] [--seed S]
//
// With --bad-every K, line K, 2K, 3K, ... is malformed (in turn: invalid JSON,
// a blank line, a missing field, a bad instant, an unknown event type), so a
// sweep of the output must reject exactly N / K lines.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

namespace {

std::uint64_t state = 0x9E3779B97F4A7C15ULL;
std::uint64_t next() {  // splitmix64
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}
int pick(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }

std::string instant(std::int64_t t) {
  const std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}
std::string day(std::int64_t t) { return instant(t).substr(0, 10); }

constexpr std::int64_t hour = 3600;
constexpr std::int64_t base = 1738368000;  // 2025-02-01T00:00:00Z

struct market {
  const char* id;
  const char* currency;
};
constexpr market markets[] = {{"US", "USD"}, {"US", "USD"}, {"GB", "GBP"}, {"ID", "IDR"}};
constexpr const char* products[] = {"Ceramic mug, 12 oz", "Desk lamp, blue", "Tea sampler",        "Phone case, clear",
                                    "Kemeja batik, M",    "Paperback novel", "LED bulbs (4-pack)", "Yoga mat"};

std::string order(std::uint64_t n) {
  const market& m = markets[pick(4)];
  const std::int64_t placed = base + pick(56 * 24) * hour + pick(3600);
  const int qty = 1 + pick(3);
  const int price = 499 + pick(9500);
  const int total = qty * price;
  std::string id = std::string(m.id) + "-" + std::to_string(100000 + n);
  std::string s = "{\"order_id\":\"" + id + "\",\"market\":\"" + m.id + "\",\"seller_id\":\"S-" +
                  std::to_string(1 + pick(40)) + "\",\"buyer_id\":\"B-" + std::to_string(1 + pick(100000)) +
                  "\",\"currency\":\"" + m.currency + "\",\"total_minor\":" + std::to_string(total) +
                  ",\"items\":[{\"sku\":\"SKU-" + std::to_string(pick(5000)) + "\",\"name\":\"" + products[pick(8)] +
                  "\",\"qty\":" + std::to_string(qty) + ",\"unit_price_minor\":" + std::to_string(price) +
                  ",\"returnable\":" + (pick(10) == 0 ? "false" : "true") + "}],\"payment_method\":\"" +
                  (pick(8) == 0 ? "cod" : "card") + "\",\"placed_at\":\"" + instant(placed) +
                  "\",\"promise\":{\"handling_days\":2,\"transit_days\":[3,5],\"est_delivery\":\"" +
                  day(placed + static_cast<std::int64_t>(7 + pick(4)) * 24 * hour) + "\"},\"events\":[";
  // How far the story goes: 0 unpaid, 1 paid, 2 request, 3 shipped, 4 delivered, 5 returned, 6 cancelled
  const int stage = pick(7);
  std::string ev;
  auto add = [&](const std::string& e) { ev += (ev.empty() ? "" : ",") + e; };
  std::int64_t t = placed + 60 + pick(1800);
  if (stage == 0) {
    if (pick(2) == 0)
      add("{\"id\":\"e1\",\"type\":\"payment_failed\",\"at\":\"" + instant(t) + "\",\"reason\":\"card_declined\"}");
  } else {
    add("{\"id\":\"e1\",\"type\":\"payment_succeeded\",\"at\":\"" + instant(t) +
        "\",\"amount_minor\":" + std::to_string(total) + "}");
    t += (20 + pick(60)) * hour;
    if (stage == 2) {
      add("{\"id\":\"e2\",\"type\":\"cancel_requested\",\"at\":\"" + instant(t) +
          "\",\"by\":\"buyer\",\"reason\":\"changed_mind\"}");
    } else if (stage == 6) {
      add("{\"id\":\"e2\",\"type\":\"cancelled\",\"at\":\"" + instant(t) +
          "\",\"by\":\"seller\",\"reason\":\"out_of_stock\"}");
    } else if (stage >= 3) {
      add("{\"id\":\"e2\",\"type\":\"shipped\",\"at\":\"" + instant(t) +
          "\",\"by\":\"seller\",\"carrier\":\"UPS\",\"tracking_number\":\"1Z" +
          std::to_string(100000000 + pick(900000000)) + "\"}");
      t += (48 + pick(120)) * hour;
      if (stage >= 4) add("{\"id\":\"e3\",\"type\":\"delivered\",\"at\":\"" + instant(t) + "\",\"by\":\"carrier\"}");
      if (stage == 5) {
        t += (24 + pick(200)) * hour;
        add("{\"id\":\"e4\",\"type\":\"return_requested\",\"at\":\"" + instant(t) +
            "\",\"by\":\"buyer\",\"reason\":\"damaged\"}");
      }
    }
  }
  return s + ev + "]}";
}

std::string bad(std::uint64_t k) {
  switch (k % 5) {
    case 0:
      return "{\"order_id\":\"X-1\",\"market\":\"US\",";
    case 1:
      return "";
    case 2:
      return "{\"market\":\"US\",\"seller_id\":\"S-1\",\"currency\":\"USD\",\"total_minor\":1,\"placed_at\":\"2025-03-"
             "01T00:00:00Z\"}";
    case 3:
      return "{\"order_id\":\"X-3\",\"market\":\"US\",\"seller_id\":\"S-1\",\"currency\":\"USD\",\"total_minor\":1,"
             "\"placed_at\":\"2025-03-01 00:00\"}";
    default:
      return "{\"order_id\":\"X-4\",\"market\":\"US\",\"seller_id\":\"S-1\",\"currency\":\"USD\",\"total_minor\":1,"
             "\"placed_at\":\"2025-03-01T00:00:00Z\",\"events\":[{\"type\":\"teleported\",\"at\":\"2025-03-02T00:00:"
             "00Z\"}]}";
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s N [--bad-every K] [--seed S]\n", argv[0]);
    return 2;
  }
  const std::uint64_t n = std::strtoull(argv[1], nullptr, 10);
  std::uint64_t bad_every = 0;
  for (int i = 2; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--bad-every") == 0) bad_every = std::strtoull(argv[i + 1], nullptr, 10);
    if (std::strcmp(argv[i], "--seed") == 0) state ^= std::strtoull(argv[i + 1], nullptr, 10);
  }
  std::string buf;
  for (std::uint64_t line = 1; line <= n; ++line) {
    buf += bad_every > 0 && line % bad_every == 0 ? bad(line / bad_every) : order(line);
    buf += '\n';
    if (buf.size() > (1 << 20)) {
      std::fwrite(buf.data(), 1, buf.size(), stdout);
      buf.clear();
    }
  }
  std::fwrite(buf.data(), 1, buf.size(), stdout);
  return std::fflush(stdout) == 0 ? 0 : 1;
}
