// bench/gen_orders — a seeded generator of realistic order histories for the
// benchmarks (bench/run). Deterministic: the same seed and index give the
// same order, so the first 10,000 lines of a 1 M file are the 10 k file.
//
//   gen_orders N [--seed S] [--now 2025-06-20T12:00:00Z] [--mix v1|v2] [--v2-share P] > orders.ndjson
//
// --mix v1 (the default) is the issue-6 distribution, unchanged byte for byte.
// --mix v2 makes half the orders (--v2-share P: a share P) multi-line,
// multi-package stories (issue 12, docs/LINES.md; `order_v2` below); which
// orders those are depends on the seed and index alone, and the others are
// the same as in the v1 file.
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
#include <algorithm>
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
  std::uint64_t v2 = 0, v2_packages = 0, v2_split = 0, v2_line_cancels = 0, v2_item_refunds = 0, v2_returns = 0;
};

// Cut at now, number the events, and sometimes list two out of time order;
// at most `cap` events: drop the optional carrier events of the longest stories.
void finish(std::string& s, story& h, rng& r, std::int64_t now, stats& st, std::size_t cap) {
  auto& evs = h.events();
  std::vector<ev*> kept;
  for (auto& e : evs)
    if (e.at <= now) kept.push_back(&e);
  for (const char* optional : {"edd_revised", "delivery_attempt_failed", "ready_to_ship", "payment_failed"})
    for (std::size_t i = kept.size(); kept.size() > cap && i-- > 0;)
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
}

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

  finish(s, h, r, now, st, 10);
  return s;
}

// ---- the v2 mix: lines and packages (docs/LINES.md) -------------------------
// 2-4 lines of 1-3 units, some not returnable, a shipping charge shared by the
// lines; items split across two packages shipped apart (sometimes the second
// late, or never); a seller's out-of-stock cancellation of some units, with
// its refund (per line, or left to the attribution; sometimes the goods only,
// so the shipping share stays due); returns of some units, refunded per line;
// goodwill refunds on one line. Amounts are exact: the lines' values sum to
// total - shipping, so a line's allocation is its value and a unit of it is
// worth its price; shipping shares by largest remainder (SPEC 1.1).
struct line2 {
  std::string ref;  // how events name the line: its line_id, else its sku
  int qty;
  std::int64_t price;
  bool returnable;
  std::int64_t share = 0;  // shipping_share_minor
  int cancelled = 0;
};

std::string items_qty(const std::vector<line2>& ls, const std::vector<int>& qty) {
  std::string s = ",\"items\":[";
  bool first = true;
  for (std::size_t i = 0; i < ls.size(); ++i) {
    if (qty[i] <= 0) continue;
    if (!first) s += ',';
    first = false;
    if (qty[i] == ls[i].qty - ls[i].cancelled && ls[i].cancelled == 0)
      s += "\"" + ls[i].ref + "\"";  // the whole line, as a plain reference
    else
      s += "{\"" + std::string(ls[i].ref[0] == 'L' ? "line_id" : "sku") + "\":\"" + ls[i].ref +
           "\",\"qty\":" + std::to_string(qty[i]) + "}";
  }
  return s + "]";
}
std::string item_amount(const line2& l, std::int64_t v) {
  return ",\"items\":[{\"" + std::string(l.ref[0] == 'L' ? "line_id" : "sku") + "\":\"" + l.ref +
         "\",\"amount_minor\":" + std::to_string(v) + "}]";
}

std::string order_v2(std::uint64_t seed, std::uint64_t index, std::int64_t now, stats& st) {
  rng r{mix(seed * 0xA0761D6478BD642FULL + index)};
  const double mu = r.uni();
  const market& m = mu < 0.5 ? US : mu < 0.8 ? ID : GB;
  const double au = r.uni();
  const std::int64_t age = au < 0.005  ? r.range(60, 2 * HOUR)
                           : au < 0.03 ? r.range(60, 48 * HOUR)
                                       : r.range(HOUR, 120 * DAY);
  const std::int64_t placed = now - age;

  // Lines and money
  const int n = static_cast<int>(r.range(2, 4));
  const bool line_ids = r.chance(0.25);
  const std::int64_t sku0 = r.range(10000, 99990);
  std::vector<line2> ls;
  std::int64_t goods = 0;
  for (int i = 0; i < n; ++i) {
    line2 l{line_ids ? "L" + std::to_string(i + 1) : "SKU-" + std::to_string(sku0 + i), static_cast<int>(r.range(1, 3)),
            r.range(m.price_lo / m.price_step, m.price_hi / m.price_step) * m.price_step - (m.price_step > 100 ? 0 : 1),
            !r.chance(0.15)};
    goods += l.qty * l.price;
    ls.push_back(std::move(l));
  }
  const std::int64_t shipping = r.chance(0.3) ? 0 : r.range(2, 12) * m.price_step / 2 - (m.price_step > 100 ? 0 : 1);
  const std::int64_t total = goods + shipping;
  {  // shipping shares: floor(S * w / W), the rest by largest remainder, ties to the earlier line
    std::int64_t given = 0;
    std::vector<std::int64_t> rem(ls.size());
    for (std::size_t i = 0; i < ls.size(); ++i) {
      const __int128 p = static_cast<__int128>(shipping) * (ls[i].qty * ls[i].price);
      ls[i].share = static_cast<std::int64_t>(p / goods);
      rem[i] = static_cast<std::int64_t>(p % goods);
      given += ls[i].share;
    }
    for (; given < shipping; ++given) {
      std::size_t best = 0;
      for (std::size_t i = 1; i < ls.size(); ++i)
        if (rem[i] > rem[best]) best = i;
      ++ls[best].share;
      rem[best] = -1;
    }
  }
  const char* method = r.chance(m.cod) ? "cod" : r.chance(0.85) ? "card" : m.other_method;
  const bool cod = std::strcmp(method, "cod") == 0;
  const std::int64_t est_days = (placed + m.utc_offset) / DAY + r.range(8, 12);

  std::string s;
  s.reserve(2048);
  s += "{\"order_id\":\"";
  s += m.id;
  s += '-';
  s += std::to_string(100000000 + index);
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
  s += ",\"shipping_minor\":";
  s += std::to_string(shipping);
  s += ",\"items\":[";
  for (int i = 0; i < n; ++i) {
    if (i) s += ',';
    s += '{';
    if (line_ids) s += "\"line_id\":\"" + ls[i].ref + "\",";
    s += "\"sku\":\"SKU-" + std::to_string(sku0 + i) + "\",\"name\":\"" +
         (m.id[0] == 'I' ? r.pick(names_id) : r.pick(names_en)) + "\",\"qty\":" + std::to_string(ls[i].qty) +
         ",\"unit_price_minor\":" + std::to_string(ls[i].price);
    if (!ls[i].returnable) s += ",\"returnable\":false";
    s += '}';
  }
  s += "],\"payment_method\":\"";
  s += method;
  s += "\",\"placed_at\":\"";
  put_instant(s, placed);
  s += "\",\"promise\":{\"est_delivery\":\"";
  put_date(s, est_days);
  s += "\"},\"events\":[";

  story h;
  std::int64_t t = placed;
  std::int64_t paid = 0, refunded = 0;
  auto refund = [&](std::int64_t at, std::int64_t v, const char* reason, const line2* line = nullptr) {
    v = std::min(v, paid - refunded);
    if (v <= 0) return;
    std::string f = amount(v) + ",\"reason\":\"" + reason + "\"";
    if (line) {
      f += item_amount(*line, v);
      ++st.v2_item_refunds;
    }
    h.add(at, "refunded", f);
    refunded += v;
  };
  const char* carriers_of_m[3];
  for (int i = 0; i < 3; ++i)
    carriers_of_m[i] = m.id[0] == 'U' ? carriers_us[i] : m.id[0] == 'G' ? carriers_gb[i] : carriers_id[i];
  [&] {
    if (!cod) {
      const double fu = r.uni();
      const int fails = fu < 0.03 ? 2 : fu < 0.13 ? 1 : 0;
      for (int i = 0; i < fails; ++i) {
        t += r.range(MIN, 20 * MIN);
        h.add(t, "payment_failed", ",\"reason\":\"card_declined\"");
      }
      const double pu = r.uni();
      if (pu < 0.03) {
        if (r.chance(0.4))
          h.add(t + r.range(10 * MIN, 40 * HOUR), "cancelled", by_reason("buyer", r.pick(buyer_reasons)));
        return;
      }
      if (pu < 0.04)
        t = placed + 48 * HOUR + r.range(MIN, 12 * HOUR);
      else
        t += r.chance(0.9) ? r.range(MIN, 30 * MIN) : r.range(HOUR, 40 * HOUR);
      h.add(t, "payment_succeeded", r.chance(0.4) ? amount(total) : std::string());
      paid = total;
    }

    // Before shipment: whole-order cancellations, a seller's out-of-stock units
    const double cu = r.uni();
    if (!cod && cu < 0.01) {
      t += r.range(2 * MIN, 50 * MIN);
      h.add(t, "cancelled", by_reason("buyer", r.pick(buyer_reasons)));
      if (r.chance(0.9)) refund(t + r.range(10 * MIN, 3 * HOUR), paid, "order_cancelled");
      return;
    }
    if (cu < 0.03) {
      t += r.range(4 * HOUR, 3 * DAY);
      h.add(t, "cancelled", by_reason("seller", r.pick(seller_reasons)));
      if (r.chance(0.85)) refund(t + r.range(10 * MIN, 2 * DAY), paid, "order_cancelled");
      return;
    }
    std::int64_t not_before = t;
    if (cu < 0.18) {  // some units of one line out of stock
      line2& l = ls[r.next() % ls.size()];
      const int k = static_cast<int>(r.range(1, l.qty));
      std::vector<int> q(ls.size(), 0);
      q[static_cast<std::size_t>(&l - ls.data())] = k;
      t += r.range(2 * HOUR, 2 * DAY);
      h.add(t, "cancelled", by_reason("seller", "out_of_stock") + items_qty(ls, q));
      const std::int64_t goods_back = k * l.price, share_back = l.share * k / l.qty;  // r = 0 units before
      l.cancelled = k;
      ++st.v2_line_cancels;
      not_before = t;
      const double ru = r.uni();
      if (ru < 0.4)
        refund(t + r.range(10 * MIN, 2 * DAY), goods_back + share_back, "units_cancelled", &l);
      else if (ru < 0.65)
        refund(t + r.range(10 * MIN, 2 * DAY), goods_back + share_back, "units_cancelled");  // left to attribution
      else if (ru < 0.85)
        refund(t + r.range(10 * MIN, 2 * DAY), goods_back, "units_cancelled", &l);  // the shipping share stays due
      // else: not refunded yet (due automatically)
    } else if (cu < 0.22) {
      const std::int64_t rq = t + r.range(2 * HOUR, 2 * DAY);
      h.add(rq, "cancel_requested", by_reason("buyer", r.pick(buyer_reasons)));
      not_before = rq + r.range(HOUR, 40 * HOUR);
      h.add(not_before, "cancel_request_rejected", by_reason("seller", "already_packed"));
    }

    // Packages: one, or the units split across two
    std::vector<int> left(ls.size());
    int units = 0;
    for (std::size_t i = 0; i < ls.size(); ++i) units += left[i] = ls[i].qty - ls[i].cancelled;
    std::vector<int> p1 = left, p2(ls.size(), 0);
    const bool split = units >= 2 && r.chance(0.6);
    if (split) {
      ++st.v2_split;
      for (std::size_t i = 0; i < ls.size(); ++i) {
        if (left[i] == 0) continue;
        if (left[i] >= 2 && r.chance(0.25)) {
          p2[i] = static_cast<int>(r.range(1, left[i] - 1));
        } else if (r.chance(0.5)) {
          p2[i] = left[i];
        }
        p1[i] = left[i] - p2[i];
      }
      int n1 = 0, n2 = 0;
      for (std::size_t i = 0; i < ls.size(); ++i) n1 += p1[i], n2 += p2[i];
      if (n1 == 0 || n2 == 0) {  // both packages non-empty: move one unit, else the last line
        std::vector<int>& from = n1 == 0 ? p2 : p1;
        std::vector<int>& to = n1 == 0 ? p1 : p2;
        std::size_t i = ls.size();
        while (i-- > 0 && from[i] == 0) {
        }
        const int give = from[i] >= 2 ? 1 : from[i];
        from[i] -= give;
        to[i] += give;
      }
    }
    const double su = r.uni();
    std::int64_t ship;
    if (su < 0.03)
      ship = placed + r.range(12 * DAY, 18 * DAY);
    else if (su < 0.045)
      ship = placed + r.range(8 * DAY, 12 * DAY);
    else
      ship = std::max(t, not_before) + r.range(3 * HOUR, 3 * DAY);
    ship = std::max(ship, not_before + r.range(10 * MIN, 3 * HOUR));
    auto tracking = [&]() {
      std::string f = std::string(",\"carrier\":\"") + carriers_of_m[r.next() % 3] + '"';
      if (r.chance(0.97)) f += ",\"tracking_number\":\"" + std::to_string(r.range(10000000000LL, 99999999999LL)) + '"';
      return f;
    };
    struct parcel {
      std::string id;
      std::vector<int> q;
      std::int64_t shipped = -1, delivered = -1;
    };
    std::vector<parcel> parcels;
    if (!split) {
      const bool named = r.chance(0.5);
      if (r.chance(0.95))
        h.add(std::max(ship - r.range(30 * MIN, 20 * HOUR), not_before + 1), "ready_to_ship",
              named ? std::string(",\"package_id\":\"P1\"") : std::string());
      if (su > 0.985) return;
      h.add(ship, "shipped", (named ? std::string(",\"package_id\":\"P1\"") : std::string()) + tracking());
      parcels.push_back({named ? "P1" : "1", p1, ship});
    } else {
      if (r.chance(0.95))
        h.add(std::max(ship - r.range(30 * MIN, 20 * HOUR), not_before + 1), "ready_to_ship",
              ",\"package_id\":\"P1\"" + items_qty(ls, p1));
      if (su > 0.985) return;
      h.add(ship, "shipped", ",\"package_id\":\"P1\"" + items_qty(ls, p1) + tracking());
      parcels.push_back({"P1", p1, ship});
      const double u2 = r.uni();
      if (u2 >= 0.08) {  // else the second package is never shipped (partially shipping, then seller_late_ship)
        const std::int64_t ship2 = u2 < 0.15   ? placed + r.range(12 * DAY, 18 * DAY)  // late
                                   : u2 < 0.45 ? ship + r.range(0, 2 * HOUR)           // the same dispatch, two boxes
                                               : ship + r.range(6 * HOUR, 4 * DAY);
        if (r.chance(0.8))
          h.add(std::max(ship2 - r.range(10 * MIN, 10 * HOUR), ship), "ready_to_ship",
                ",\"package_id\":\"P2\"" + items_qty(ls, p2));
        h.add(ship2, "shipped", ",\"package_id\":\"P2\"" + items_qty(ls, p2) + tracking());
        parcels.push_back({"P2", p2, ship2});
      }
    }
    st.v2_packages += parcels.size();

    // Transit, per package
    if (r.chance(0.5)) {
      std::string e = ",\"est_delivery\":\"";
      put_date(e, est_days + r.range(-2, 4));
      h.add(ship + r.range(10 * MIN, 12 * HOUR), "edd_revised", e + "\"");
    }
    std::int64_t last = ship;
    bool all_delivered = true;
    for (auto& pc : parcels) {
      const std::string pid = ",\"package_id\":\"" + pc.id + "\"";
      const double tu = r.uni();
      std::int64_t at = pc.shipped;
      if (tu < 0.007) {
        h.add(at + r.range(3 * DAY, 12 * DAY), "lost", pid);
        all_delivered = false;
        if (r.chance(0.5)) {
          std::int64_t v = 0;
          for (std::size_t i = 0; i < ls.size(); ++i) v += pc.q[i] * ls[i].price + ls[i].share * pc.q[i] / ls[i].qty;
          refund(at + r.range(13 * DAY, 16 * DAY), v, "lost_in_transit");
        }
        continue;
      }
      if (r.chance(0.12)) {
        at += r.range(DAY, 4 * DAY);
        h.add(at, "delivery_attempt_failed", pid + ",\"reason\":\"no_one_home\"");
      }
      if (tu < 0.017) {
        all_delivered = false;
        continue;
      }
      pc.delivered = tu < 0.032 ? (est_days - m.utc_offset / DAY) * DAY + r.range(25 * DAY, 40 * DAY)
                                : at + r.range(DAY + HOUR, 7 * DAY);
      h.add(pc.delivered, "delivered", pid);
      last = std::max(last, pc.delivered);
    }
    if (!all_delivered || parcels.size() < (split ? 2u : 1u)) return;
    t = last;

    // After the last delivery: a return of some units, a goodwill refund, completion
    const std::int64_t window_end = last + 31 * DAY;
    std::vector<std::size_t> returnable;
    for (std::size_t i = 0; i < ls.size(); ++i)
      if (ls[i].returnable && ls[i].qty > ls[i].cancelled) returnable.push_back(i);
    if (!returnable.empty() && r.chance(0.1)) {
      ++st.v2_returns;
      line2& l = ls[returnable[r.next() % returnable.size()]];
      const int k = static_cast<int>(r.range(1, l.qty - l.cancelled));
      std::vector<int> q(ls.size(), 0);
      q[static_cast<std::size_t>(&l - ls.data())] = k;
      const std::int64_t rr = last + r.range(HOUR, 25 * DAY);
      h.add(rr, "return_requested",
            by_reason("buyer", r.chance(0.5) ? "damaged" : "not_as_described") + items_qty(ls, q));
      const double ru = r.uni();
      if (ru < 0.65) {
        std::int64_t at = rr + r.range(2 * HOUR, 40 * HOUR);
        h.add(at, "return_approved");
        h.add(at += r.range(DAY, 3 * DAY), "return_shipped",
              ",\"tracking_number\":\"R" + std::to_string(r.range(10000000, 99999999)) + "\"");
        h.add(at += r.range(3 * DAY, 7 * DAY), "return_received");
        refund(at + r.range(HOUR, 2 * DAY), k * l.price, "return", r.chance(0.5) ? &l : nullptr);
        t = at + 2 * DAY;
      } else if (ru < 0.85) {
        h.add(rr + r.range(2 * HOUR, 40 * HOUR), "return_rejected", ",\"reason\":\"used_item\"");
        t = rr + 2 * DAY;
      } else {
        return;
      }
    } else if (r.chance(0.04)) {  // goodwill: part of one line's value
      const line2& l = ls[r.next() % ls.size()];
      refund(last + r.range(HOUR, 10 * DAY), std::max<std::int64_t>(1, l.price * r.range(1, 3) / 10), "goodwill", &l);
    }
    if (r.chance(0.8)) h.add(std::max(window_end, t) + r.range(HOUR, 2 * DAY), "completed");
  }();
  ++st.v2;
  finish(s, h, r, now, st, 16);
  return s;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s N [--seed S] [--now 2025-06-20T12:00:00Z] [--mix v1|v2] [--v2-share P]\n", argv[0]);
    return 2;
  }
  const std::uint64_t n = std::strtoull(argv[1], nullptr, 10);
  std::uint64_t seed = 1;
  double v2_share = 0;  // --mix v1: the issue-6 distribution, byte for byte
  std::int64_t now = 0;
  parse_instant("2025-06-20T12:00:00Z", now);
  for (int i = 2; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--seed") == 0) {
      seed = std::strtoull(argv[i + 1], nullptr, 10);
    } else if (std::strcmp(argv[i], "--mix") == 0) {
      if (std::strcmp(argv[i + 1], "v1") == 0) {
        v2_share = 0;
      } else if (std::strcmp(argv[i + 1], "v2") == 0) {
        if (v2_share == 0) v2_share = 0.5;
      } else {
        std::fprintf(stderr, "gen_orders: --mix is v1 or v2\n");
        return 2;
      }
    } else if (std::strcmp(argv[i], "--v2-share") == 0) {
      char* end = nullptr;
      v2_share = std::strtod(argv[i + 1], &end);
      if (*end || !(v2_share >= 0 && v2_share <= 1)) {
        std::fprintf(stderr, "gen_orders: --v2-share is a number in [0, 1]\n");
        return 2;
      }
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
    // Which orders are v2 depends on (seed, index) alone: the v1 orders of a
    // v2 file are the same as in the v1 file.
    const bool v2 = v2_share > 0 && rng{mix(seed ^ 0x5EEDF00DULL) + i * 0x9E3779B97F4A7C15ULL}.uni() < v2_share;
    buf += v2 ? order_v2(seed, i, now, st) : order(seed, i, now, st);
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
  if (st.v2)
    std::fprintf(stderr,
                 "; v2 (lines and packages): %llu orders, %llu packages shipped, %llu split in two, %llu with units "
                 "cancelled, %llu returns of units, %llu refunds with items",
                 static_cast<unsigned long long>(st.v2), static_cast<unsigned long long>(st.v2_packages),
                 static_cast<unsigned long long>(st.v2_split), static_cast<unsigned long long>(st.v2_line_cancels),
                 static_cast<unsigned long long>(st.v2_returns), static_cast<unsigned long long>(st.v2_item_refunds));
  std::fprintf(stderr, "\n");
  return 0;
}
