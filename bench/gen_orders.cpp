// bench/gen_orders — a seeded generator of realistic order histories for the
// benchmarks (bench/run). Deterministic: the same seed and index give the
// same order, so the first 10,000 lines of a 1 M file are the 10 k file.
//
//   gen_orders N [--seed S] [--now 2025-06-20T12:00:00Z] > orders.ndjson
//
// Each order is a whole story (payment, packing, shipment, delivery, returns,
// cancellations, refunds, completion) drawn from the rates below, then cut at
// `now`: events after `now` are not written, so recent orders are early in
// their life and old ones are finished or overdue, as in a real order book.
// Markets in proportion US 50 % / ID 30 % / GB 20 %; every status and every
// automatic action appears in 10 k orders (bench/run checks it). Stories are
// coherent (what a back end records), with two deliberate kinds of noise: 3 %
// of orders list two events out of time order, and some late events (a
// shipment after the ship-by deadline, a payment after the payment window, a
// delivery after the delivery deadline) that the automatic rules overtake.
//
// A summary (orders, bytes, events per order) goes to stderr.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

// ---- randomness -----------------------------------------------------------
std::uint64_t mix(std::uint64_t z) {  // splitmix64 finaliser
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}
struct rng {
  std::uint64_t s;
  std::uint64_t next() { return mix(s += 0x9E3779B97F4A7C15ULL); }
  double uni() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }
  std::int64_t range(std::int64_t lo, std::int64_t hi) {  // inclusive
    return lo + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  bool chance(double p) { return uni() < p; }
  template <class T, std::size_t N>
  const T& pick(const T (&a)[N]) {
    return a[next() % N];
  }
};

// ---- time -------------------------------------------------------------------
constexpr std::int64_t MIN = 60, HOUR = 3600, DAY = 86400;

std::int64_t days_from_civil(int y, unsigned m, unsigned d) {  // H. Hinnant
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + static_cast<std::int64_t>(doe) - 719468;
}
void civil_from_days(std::int64_t z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int>(yoe) + static_cast<int>(era) * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}
void put2(std::string& s, unsigned v) {
  s += static_cast<char>('0' + v / 10);
  s += static_cast<char>('0' + v % 10);
}
void put_date(std::string& s, std::int64_t days) {
  int y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  put2(s, static_cast<unsigned>(y / 100));
  put2(s, static_cast<unsigned>(y % 100));
  s += '-';
  put2(s, m);
  s += '-';
  put2(s, d);
}
void put_instant(std::string& s, std::int64_t t) {
  const std::int64_t days = (t >= 0 ? t : t - DAY + 1) / DAY;
  const std::int64_t sec = t - days * DAY;
  put_date(s, days);
  s += 'T';
  put2(s, static_cast<unsigned>(sec / 3600));
  s += ':';
  put2(s, static_cast<unsigned>(sec / 60 % 60));
  s += ':';
  put2(s, static_cast<unsigned>(sec % 60));
  s += 'Z';
}
bool parse_instant(const char* s, std::int64_t& t) {
  int y, mo, d, h, mi, se;
  if (std::sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ", &y, &mo, &d, &h, &mi, &se) != 6) return false;
  t = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * DAY + h * HOUR + mi * MIN + se;
  return true;
}

// ---- the domain -------------------------------------------------------------
struct market {
  const char* id;
  const char* currency;
  std::int64_t utc_offset;  // roughly, for local dates of the promise
  std::int64_t price_lo, price_hi, price_step;
  double cod;                // share of cash-on-delivery orders
  const char* other_method;  // besides card/cod
};
constexpr market US{"US", "USD", -7 * HOUR, 599, 12999, 100, 0.03, "paypal"};
constexpr market GB{"GB", "GBP", 1 * HOUR, 499, 9999, 100, 0.0, "paypal"};
constexpr market ID{"ID", "IDR", 7 * HOUR, 1500000, 45000000, 50000, 0.30, "ewallet"};

constexpr const char* names_en[] = {"Ceramic mug", "Desk lamp",    "Tea sampler", "Phone case", "Yoga mat",
                                    "Earbuds",     "Tee, black M", "Lip tint x3", "Novel",      "Bottle 750ml"};
constexpr const char* names_id[] = {
    "Kaos polos XL", "Batik M",    "Hijab voal", "Sambal 200g", "Sepatu 42",
    "Casing HP",     "Serum 30ml", "Tas kulit",  "Kopi gayo",   "Mukena \xe2\x80\x93 abu"};
constexpr const char* buyer_reasons[] = {"changed_mind", "wrong_item_selected", "duplicate_order",
                                         "better_price_elsewhere"};
constexpr const char* seller_reasons[] = {"out_of_stock", "out_of_stock", "pricing_error", "cannot_ship_to_address"};
constexpr const char* platform_reasons[] = {"risk_control", "account_issue", "address_undeliverable"};
constexpr const char* carriers_us[] = {"UPS", "USPS", "FedEx"};
constexpr const char* carriers_gb[] = {"Royal Mail", "Evri", "DPD"};
constexpr const char* carriers_id[] = {"JNE", "J&T", "SiCepat"};

struct item {
  std::string sku;
  int qty;
  std::int64_t price;
  bool returnable;
};

struct ev {
  std::int64_t at;
  std::string text;  // the whole event object, with its id filled in later
};

class story {
 public:
  void add(std::int64_t at, const char* type, const std::string& extra = {}) {
    std::string s = "{\"type\":\"";
    s += type;
    s += "\",\"at\":\"";
    put_instant(s, at);
    s += '"';
    s += extra;
    s += '}';
    events_.push_back({at, std::move(s)});
  }
  std::vector<ev>& events() { return events_; }

 private:
  std::vector<ev> events_;
};

std::string by(const char* party) { return std::string(",\"by\":\"") + party + "\""; }
std::string by_reason(const char* party, const char* reason) {
  return std::string(",\"by\":\"") + party + "\",\"reason\":\"" + reason + "\"";
}
std::string amount(std::int64_t v) { return ",\"amount_minor\":" + std::to_string(v); }

struct stats {
  std::uint64_t orders = 0, bytes = 0, events = 0;
  std::uint64_t by_events[16] = {};
};

std::string order(std::uint64_t seed, std::uint64_t index, std::int64_t now, stats& st) {
  rng r{mix(seed * 0xD1B54A32D192ED03ULL + index)};
  const double mu = r.uni();
  const market& m = mu < 0.5 ? US : mu < 0.8 ? ID : GB;

  // Placement: mostly spread over the last 120 days; a few in the last two
  // days and the last two hours (the unpaid and on-hold part of the book).
  const double au = r.uni();
  const std::int64_t age = au < 0.005  ? r.range(60, 2 * HOUR)
                           : au < 0.03 ? r.range(60, 48 * HOUR)
                                       : r.range(HOUR, 120 * DAY);
  const std::int64_t placed = now - age;

  // Items
  const double iu = r.uni();
  const int n_items = iu < 0.78 ? 1 : iu < 0.97 ? 2 : 3;
  std::vector<item> items;
  std::int64_t total = 0;
  for (int i = 0; i < n_items; ++i) {
    item it{"SKU-" + std::to_string(r.range(10000, 99999)), r.chance(0.8) ? 1 : static_cast<int>(r.range(2, 4)),
            r.range(m.price_lo / m.price_step, m.price_hi / m.price_step) * m.price_step - (m.price_step > 100 ? 0 : 1),
            !r.chance(0.08)};
    total += it.qty * it.price;
    items.push_back(std::move(it));
  }
  const char* method = r.chance(m.cod) ? "cod" : r.chance(0.85) ? "card" : m.other_method;
  const bool cod = std::strcmp(method, "cod") == 0;
  const std::int64_t est_days = (placed + m.utc_offset) / DAY + r.range(8, 12);

  std::string s;
  s.reserve(1024);
  s += "{\"order_id\":\"";
  s += m.id;
  s += '-';
  const std::string num = std::to_string(100000000 + index);
  s += num;
  s += "\",\"market\":\"";
  s += m.id;
  s += "\",\"seller_id\":\"S";
  s += std::to_string(r.range(1, 2000));
  s += "\",\"buyer_id\":\"B";
  s += std::to_string(r.range(1, 900000));
  s += "\",\"currency\":\"";
  s += m.currency;
  s += "\",\"total_minor\":";
  s += std::to_string(total);
  s += ",\"items\":[";
  for (int i = 0; i < n_items; ++i) {
    if (i) s += ',';
    s += "{\"sku\":\"" + items[i].sku + "\",\"name\":\"" + (m.id[0] == 'I' ? r.pick(names_id) : r.pick(names_en)) +
         "\",\"qty\":" + std::to_string(items[i].qty) + ",\"unit_price_minor\":" + std::to_string(items[i].price);
    if (!items[i].returnable) s += ",\"returnable\":false";
    s += '}';
  }
  s += "],\"payment_method\":\"";
  s += method;
  s += "\",\"placed_at\":\"";
  put_instant(s, placed);
  s += "\",\"promise\":{\"est_delivery\":\"";
  put_date(s, est_days);
  s += "\"},\"events\":[";

  // ---- the story ----
  story h;
  std::int64_t t = placed;
  std::int64_t paid = 0, refunded = 0;
  auto refund = [&](std::int64_t at, std::int64_t v, const char* reason) {
    if (v <= 0) return;
    h.add(at, "refunded", amount(v) + ",\"reason\":\"" + reason + "\"");
    refunded += v;
  };
  [&] {
    if (!cod) {
      const double fu = r.uni();
      const int fails = fu < 0.03 ? 2 : fu < 0.13 ? 1 : 0;
      for (int i = 0; i < fails; ++i) {
        t += r.range(MIN, 20 * MIN);
        h.add(t, "payment_failed",
              r.chance(0.7) ? ",\"reason\":\"card_declined\"" : ",\"reason\":\"insufficient_funds\"");
      }
      const double pu = r.uni();
      if (pu < 0.03) {  // never paid: cancelled by the buyer, or left to time out
        if (r.chance(0.4))
          h.add(t + r.range(10 * MIN, 40 * HOUR), "cancelled", by_reason("buyer", r.pick(buyer_reasons)));
        return;
      }
      if (pu < 0.04)
        t = placed + 48 * HOUR + r.range(MIN, 12 * HOUR);  // paid after the payment window
      else
        t += r.chance(0.9) ? r.range(MIN, 30 * MIN) : r.range(HOUR, 40 * HOUR);
      h.add(t, "payment_succeeded", r.chance(0.4) ? amount(total) : std::string());  // no amount: the total
      paid = total;
    }
    const std::int64_t confirmed = t;

    // Before shipment: cancellations and requests
    const double cu = r.uni();
    if (!cod && cu < 0.01) {  // remorse: the buyer cancels within the hour
      t += r.range(2 * MIN, 50 * MIN);
      h.add(t, "cancelled", by_reason("buyer", r.pick(buyer_reasons)));
      if (r.chance(0.9)) refund(t + r.range(10 * MIN, 3 * HOUR), paid, "order_cancelled");
      return;
    }
    if (cu < 0.04) {
      t += r.range(4 * HOUR, 3 * DAY);
      h.add(t, "cancelled", by_reason("seller", r.pick(seller_reasons)));
      if (r.chance(0.85)) refund(t + r.range(10 * MIN, 2 * DAY), paid, "order_cancelled");
      return;
    }
    if (cu < 0.045) {
      t += r.range(HOUR, 2 * DAY);
      h.add(t, "cancelled", by_reason("platform", r.pick(platform_reasons)));
      if (r.chance(0.85)) refund(t + r.range(10 * MIN, 2 * DAY), paid, "order_cancelled");
      return;
    }
    std::int64_t not_before = t;  // a shipment after the answer to a request
    if (cu < 0.095) {
      const std::int64_t rq = confirmed + r.range(2 * HOUR, 4 * DAY);
      h.add(rq, "cancel_requested", by_reason("buyer", r.pick(buyer_reasons)));
      const double qu = r.uni();
      if (qu < 0.5) {
        const std::int64_t at = rq + r.range(HOUR, 40 * HOUR);
        h.add(at, "cancel_request_approved", by("seller"));
        if (r.chance(0.85)) refund(at + r.range(10 * MIN, 2 * DAY), paid, "order_cancelled");
        return;
      }
      if (qu < 0.75) {
        not_before = rq + r.range(HOUR, 40 * HOUR);
        h.add(not_before, "cancel_request_rejected", by_reason("seller", "already_packed"));
      } else if (qu < 0.85) {
        not_before = rq + r.range(HOUR, 30 * HOUR);
        h.add(not_before, "cancel_request_withdrawn", by("buyer"));
      } else {
        not_before = rq + r.range(HOUR, 5 * DAY);  // unanswered: shipped before or after the deadline
      }
    }

    // Shipment
    const double su = r.uni();
    std::int64_t ship;
    if (su < 0.03)
      ship = placed + r.range(12 * DAY, 18 * DAY);  // late
    else if (su < 0.045)
      ship = placed + r.range(8 * DAY, 12 * DAY);  // close to the deadline, either side
    else
      ship = std::max(t, not_before) + r.range(3 * HOUR, 3 * DAY);
    ship = std::max(ship, not_before + r.range(10 * MIN, 3 * HOUR));
    if (r.chance(0.95)) h.add(std::max(ship - r.range(30 * MIN, 20 * HOUR), not_before + 1), "ready_to_ship");
    if (su > 0.985) return;  // never shipped
    const char* carrier = m.id[0] == 'U'   ? r.pick(carriers_us)
                          : m.id[0] == 'G' ? r.pick(carriers_gb)
                                           : r.pick(carriers_id);
    std::string fields = std::string(",\"carrier\":\"") + carrier + '"';
    if (r.chance(0.97))
      fields += ",\"tracking_number\":\"" + std::to_string(r.range(10000000000LL, 99999999999LL)) + '"';
    h.add(ship, "shipped", fields);
    t = ship;

    // Transit
    const double tu = r.uni();
    if (r.chance(0.5)) {  // the carrier's own estimate (moves no deadline)
      std::string e = ",\"est_delivery\":\"";
      put_date(e, est_days + r.range(-2, 4));
      h.add(t + r.range(10 * MIN, 12 * HOUR), "edd_revised", e + "\"");
    }
    if (tu < 0.007) {
      h.add(t + r.range(3 * DAY, 12 * DAY), "lost");
      if (r.chance(0.5)) refund(t + r.range(13 * DAY, 16 * DAY), paid, "lost_in_transit");
      return;
    }
    const double au2 = r.uni();
    const int attempts = au2 < 0.05 ? 2 : au2 < 0.2 ? 1 : 0;
    for (int i = 0; i < attempts; ++i) {
      t += r.range(DAY, 4 * DAY);
      h.add(t, "delivery_attempt_failed",
            r.chance(0.6) ? ",\"reason\":\"no_one_home\"" : ",\"reason\":\"address_issue\"");
    }
    if (tu < 0.017) return;  // never delivered
    std::int64_t delivered;
    if (tu < 0.032)
      delivered = (est_days - m.utc_offset / DAY) * DAY + r.range(25 * DAY, 40 * DAY);  // very late, either side
    else
      delivered = t + r.range(DAY + HOUR, 7 * DAY);
    h.add(delivered, "delivered");
    t = delivered;

    // After delivery: returns, completion
    const std::int64_t window_end = delivered + 31 * DAY;
    if (r.chance(0.08)) {
      const std::int64_t rr = delivered + r.range(HOUR, 25 * DAY);
      std::int64_t value = 0;
      std::string which;
      if (n_items > 1 && r.chance(0.5)) {
        const item& it = items[r.next() % items.size()];
        which = ",\"items\":[\"" + it.sku + "\"]";
        value = it.returnable ? it.qty * it.price : 0;
      } else {
        for (const auto& it : items)
          if (it.returnable) value += it.qty * it.price;
      }
      h.add(rr, "return_requested", by_reason("buyer", r.chance(0.5) ? "damaged" : "not_as_described") + which);
      const double ru = r.uni();
      if (ru < 0.65) {
        std::int64_t at = rr + r.range(2 * HOUR, 40 * HOUR);
        h.add(at, "return_approved");
        h.add(at += r.range(DAY, 3 * DAY), "return_shipped",
              ",\"tracking_number\":\"R" + std::to_string(r.range(10000000, 99999999)) + "\"");
        h.add(at += r.range(3 * DAY, 7 * DAY), "return_received");
        refund(at + r.range(HOUR, 2 * DAY), std::min(value, paid - refunded), "return");
        t = at + 2 * DAY;
      } else if (ru < 0.85) {
        h.add(rr + r.range(2 * HOUR, 40 * HOUR), "return_rejected", ",\"reason\":\"used_item\"");
        t = rr + 2 * DAY;
      } else {
        return;  // unanswered: auto-approved, and the return stays open
      }
    }
    if (r.chance(0.8)) h.add(std::max(window_end, t) + r.range(HOUR, 2 * DAY), "completed");
  }();

  // Cut at now, number the events, and sometimes list two out of time order.
  auto& evs = h.events();
  std::vector<ev*> kept;
  for (auto& e : evs)
    if (e.at <= now) kept.push_back(&e);
  // At most 10 events: drop the optional carrier events of the longest stories.
  for (const char* optional : {"edd_revised", "delivery_attempt_failed", "ready_to_ship", "payment_failed"})
    for (std::size_t i = kept.size(); kept.size() > 10 && i-- > 0;)
      if (kept[i]->text.find(optional) != std::string::npos) kept.erase(kept.begin() + static_cast<std::ptrdiff_t>(i));
  if (kept.size() >= 3 && r.chance(0.03)) {
    const std::size_t i = r.next() % (kept.size() - 1);
    std::swap(kept[i], kept[i + 1]);
  }
  for (std::size_t i = 0; i < kept.size(); ++i) {
    if (i) s += ',';
    s += kept[i]->text;
  }
  s += "]}\n";
  ++st.orders;
  st.bytes += s.size();
  st.events += kept.size();
  ++st.by_events[std::min<std::size_t>(kept.size(), 15)];
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s N [--seed S] [--now 2025-06-20T12:00:00Z]\n", argv[0]);
    return 2;
  }
  const std::uint64_t n = std::strtoull(argv[1], nullptr, 10);
  std::uint64_t seed = 1;
  std::int64_t now = 0;
  parse_instant("2025-06-20T12:00:00Z", now);
  for (int i = 2; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--seed") == 0) {
      seed = std::strtoull(argv[i + 1], nullptr, 10);
    } else if (std::strcmp(argv[i], "--now") == 0) {
      if (!parse_instant(argv[i + 1], now)) {
        std::fprintf(stderr, "gen_orders: --now must be YYYY-MM-DDTHH:MM:SSZ\n");
        return 2;
      }
    } else {
      std::fprintf(stderr, "gen_orders: unknown option %s\n", argv[i]);
      return 2;
    }
  }
  stats st;
  std::string buf;
  buf.reserve(2 << 20);
  for (std::uint64_t i = 0; i < n; ++i) {
    buf += order(seed, i, now, st);
    if (buf.size() > (1 << 20)) {
      if (std::fwrite(buf.data(), 1, buf.size(), stdout) != buf.size()) return 1;
      buf.clear();
    }
  }
  if (std::fwrite(buf.data(), 1, buf.size(), stdout) != buf.size() || std::fflush(stdout) != 0) return 1;
  std::fprintf(stderr, "gen_orders: %llu orders, %llu bytes (%.0f per order), %.2f events per order; events:",
               static_cast<unsigned long long>(st.orders), static_cast<unsigned long long>(st.bytes),
               st.orders ? static_cast<double>(st.bytes) / st.orders : 0.0,
               st.orders ? static_cast<double>(st.events) / st.orders : 0.0);
  for (int k = 0; k < 16; ++k)
    if (st.by_events[k]) std::fprintf(stderr, " %d:%.1f%%", k, 100.0 * st.by_events[k] / st.orders);
  std::fprintf(stderr, "\n");
  return 0;
}
