// Dates, times and money for people, with Intl: in the buyer's locale and the
// market's time zone. Nothing here decides anything about an order; it only
// writes down instants, dates and amounts that the core computed.

// ISO 4217 minor-unit exponents that are not 2 (the same table as the CLI's
// money_text). Intl's own currency digits follow CLDR, which differ for some
// currencies (IDR: 0 in CLDR, 2 in ISO 4217, which `*_minor` amounts use).
const EXPONENT = new Map([
  ...['BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'UYI', 'VND', 'VUV', 'XAF', 'XOF', 'XPF'].map((c) => [c, 0]),
  ...['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND'].map((c) => [c, 3]),
  ['CLF', 4],
  ['UYW', 4],
]);

/** Minor units per major unit, as a power of ten, for an ISO 4217 code. */
export function currencyExponent(currency) {
  return EXPONENT.get(String(currency).toUpperCase()) ?? 2;
}

/** A usable BCP 47 locale: `locale` if Intl accepts it, else 'en'. */
export function safeLocale(locale) {
  try {
    return Intl.getCanonicalLocales(locale || 'en')[0] ?? 'en';
  } catch {
    return 'en';
  }
}

/** A usable IANA zone: `zone` if Intl knows it, else 'UTC'. */
export function safeZone(zone) {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone || 'UTC' });
    return zone || 'UTC';
  } catch {
    return 'UTC';
  }
}

const DAY_MS = 86_400_000;

// 'YYYY-MM-DD' -> days since 1970-01-01 (a plain calendar date, no zone).
function dayNumber(date) {
  const [y, m, d] = date.split('-').map(Number);
  return Math.round(Date.UTC(y, m - 1, d) / DAY_MS);
}

/**
 * Formatting for one locale and one time zone.
 * Instants are RFC 3339 strings (as the core writes them); dates are
 * 'YYYY-MM-DD' local dates of the market.
 */
export function formatter(locale, timeZone) {
  const loc = safeLocale(locale);
  const zone = safeZone(timeZone);
  const isoDate = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const dateFmt = new Intl.DateTimeFormat(loc, { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' });
  const timeFmt = new Intl.DateTimeFormat(loc, {
    timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit', timeZoneName: 'short',
  });
  const relative = new Intl.RelativeTimeFormat(loc, { numeric: 'auto' });
  const plural = new Intl.PluralRules(loc);

  const ms = (instant) => Date.parse(instant);
  /** The market-local date of an instant, 'YYYY-MM-DD'. */
  const localDate = (instant) => {
    const p = Object.fromEntries(isoDate.formatToParts(new Date(typeof instant === 'number' ? instant : ms(instant))).map((x) => [x.type, x.value]));
    return `${p.year}-${p.month}-${p.day}`;
  };
  const dateAt = (date) => new Date(dayNumber(date) * DAY_MS + DAY_MS / 2);

  const f = {
    locale: loc,
    timeZone: zone,
    localDate,
    /** A local date for people: "Wed, Mar 12". */
    date(date) {
      return dateFmt.format(dateAt(date));
    },
    /** A range of local dates: "Mar 10 – 12". */
    dateRange(from, to) {
      if (from === to) return dateFmt.format(dateAt(from));
      return dateFmt.formatRange(dateAt(from), dateAt(to));
    },
    /** An instant in the market zone: "Wed, Mar 5, 10:00 AM PST". */
    dateTime(instant) {
      return timeFmt.format(new Date(ms(instant)));
    },
    /**
     * How to show a deadline instant. A deadline that is the end of a local
     * date (the first instant of the next date) is shown as that date alone;
     * `mode` 'by' names the date that ends, 'from' the date that starts.
     * Returns {text, date (local date or null), iso}.
     */
    deadline(instant, mode = 'by') {
      const t = ms(instant);
      const before = localDate(t - 1000);
      const at = localDate(t);
      if (before !== at) {
        const date = mode === 'from' ? at : before;
        return { text: f.date(date), date, iso: date };
      }
      return { text: f.dateTime(instant), date: null, iso: instant };
    },
    /** Calendar days from the local date of `now` to `date` (negative when past). */
    daysUntil(date, now) {
      return dayNumber(date) - dayNumber(localDate(now));
    },
    /** "in 3 hours", "tomorrow", "in 2 days" from `now` to `instant`. */
    relative(instant, now) {
      const diff = ms(instant) - ms(now);
      const abs = Math.abs(diff);
      if (abs < 3_600_000) return relative.format(Math.round(diff / 60_000), 'minute');
      if (abs < 2 * DAY_MS) return relative.format(Math.round(diff / 3_600_000), 'hour');
      return relative.format(Math.round(diff / DAY_MS), 'day');
    },
    /** "in 8 days", "tomorrow" from the local date of `now` to a local date. */
    relativeDays(date, now) {
      return relative.format(f.daysUntil(date, now), 'day');
    },
    /** The CLDR plural category of `n` ('one', 'other', ...). */
    plural(n) {
      return plural.select(n);
    },
    /** An amount in minor units as money: 4998 USD -> "$49.98"; exact (no floats). */
    money(minor, currency) {
      const exp = currencyExponent(currency);
      const negative = minor < 0;
      const digits = String(Math.abs(Math.trunc(Number(minor)))).padStart(exp + 1, '0');
      const whole = exp ? digits.slice(0, -exp) : digits;
      const fraction = exp ? digits.slice(-exp) : '';
      const decimal = `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
      try {
        const base = new Intl.NumberFormat(loc, { style: 'currency', currency });
        const min = /^0*$/.test(fraction) ? Math.min(base.resolvedOptions().minimumFractionDigits, exp) : exp;
        return new Intl.NumberFormat(loc, { style: 'currency', currency, minimumFractionDigits: min, maximumFractionDigits: exp }).format(decimal);
      } catch {
        return `${decimal} ${currency}`;
      }
    },
    number(n) {
      return new Intl.NumberFormat(loc).format(n);
    },
  };
  return f;
}
