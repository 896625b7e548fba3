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

/** What the widget shows for a date, time or amount it cannot write down. */
export const MISSING = '—';

const INSTANT = /^(\d{4,6})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(?:\.(\d+))?(?:([Zz])|([+-])(\d\d):(\d\d))$/;

/**
 * An RFC 3339 instant as milliseconds since the epoch, or NaN. Unlike
 * Date.parse it reads what the core may write or accept: years past 9999
 * ("10000-01-08T08:00:00Z", which Date.parse refuses), lowercase t/z, any
 * number of fraction digits. A number passes through; anything else is NaN.
 */
export function instantMs(instant) {
  if (typeof instant === 'number') return Number.isFinite(instant) ? instant : NaN;
  if (typeof instant !== 'string') return NaN;
  const m = INSTANT.exec(instant);
  if (!m) return NaN;
  const [, y, mo, d, hh, mm, ss, frac, , sign, oh, om] = m;
  const utc = new Date(0);
  utc.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  utc.setUTCHours(Number(hh), Number(mm), Number(ss), frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0);
  const offset = sign ? (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) * 60_000 : 0;
  const t = utc.getTime() - offset;
  return Number.isFinite(t) ? t : NaN;
}

// 'YYYY-MM-DD' -> days since 1970-01-01 (a plain calendar date, no zone); NaN when not a date.
function dayNumber(date) {
  if (typeof date !== 'string' || !/^\d{4,6}-\d\d-\d\d$/.test(date)) return NaN;
  const [y, m, d] = date.split('-').map(Number);
  const day = new Date(0);
  day.setUTCFullYear(y, m - 1, d);
  return Math.round(day.getTime() / DAY_MS);
}

/** An integer amount as a BigInt: a safe-integer number, a BigInt, or a string of digits; else null. */
export function exactInteger(value) {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return Number.isSafeInteger(value) ? BigInt(value) : null;
  if (typeof value === 'string' && /^-?\d{1,40}$/.test(value)) return BigInt(value);
  return null;
}

/**
 * A line's amount, `qty` x `unit_price_minor`, exact (BigInt: no float
 * product, which is wrong past 2^53 and NaN for nonsense); null when either
 * is not an integer. A missing qty is 1.
 */
export function lineAmount(unitMinor, qty) {
  const unit = exactInteger(unitMinor);
  const n = qty === undefined || qty === null ? 1n : exactInteger(qty);
  return unit === null || n === null ? null : unit * n;
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

  // Everything below takes what the core wrote and never throws: an instant
  // or date it cannot read (missing, null, out of range) is shown as MISSING.
  const ms = instantMs;
  /** The market-local date of an instant, 'YYYY-MM-DD', or null. */
  const localDate = (instant) => {
    const t = ms(instant);
    if (Number.isNaN(t)) return null;
    const p = Object.fromEntries(isoDate.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
    return `${p.year}-${p.month}-${p.day}`;
  };
  const dateAt = (date) => new Date(dayNumber(date) * DAY_MS + DAY_MS / 2);
  const valid = (d) => !Number.isNaN(d.getTime());

  const f = {
    locale: loc,
    timeZone: zone,
    localDate,
    /** A local date for people: "Wed, Mar 12". */
    date(date) {
      const d = dateAt(date);
      return valid(d) ? dateFmt.format(d) : MISSING;
    },
    /** A range of local dates: "Mar 10 – 12". */
    dateRange(from, to) {
      const a = dateAt(from);
      const b = dateAt(to);
      if (!valid(a) || !valid(b)) return valid(a) ? dateFmt.format(a) : valid(b) ? dateFmt.format(b) : MISSING;
      if (from === to) return dateFmt.format(a);
      return a <= b ? dateFmt.formatRange(a, b) : `${dateFmt.format(a)} – ${dateFmt.format(b)}`;
    },
    /** An instant in the market zone: "Wed, Mar 5, 10:00 AM PST". */
    dateTime(instant) {
      const t = ms(instant);
      return Number.isNaN(t) ? MISSING : timeFmt.format(new Date(t));
    },
    /**
     * How to show a deadline instant. A deadline that is the end of a local
     * date (the first instant of the next date) is shown as that date alone;
     * `mode` 'by' names the date that ends, 'from' the date that starts.
     * Returns {text, date (local date or null), iso}.
     */
    deadline(instant, mode = 'by') {
      const t = ms(instant);
      if (Number.isNaN(t)) return { text: MISSING, date: null, iso: null };
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
      if (Number.isNaN(diff)) return MISSING;
      const abs = Math.abs(diff);
      if (abs < 3_600_000) return relative.format(Math.round(diff / 60_000), 'minute');
      if (abs < 2 * DAY_MS) return relative.format(Math.round(diff / 3_600_000), 'hour');
      return relative.format(Math.round(diff / DAY_MS), 'day');
    },
    /** "in 8 days", "tomorrow" from the local date of `now` to a local date. */
    relativeDays(date, now) {
      const days = f.daysUntil(date, now);
      return Number.isNaN(days) ? MISSING : relative.format(days, 'day');
    },
    /** The CLDR plural category of `n` ('one', 'other', ...). */
    plural(n) {
      return plural.select(n);
    },
    /**
     * An amount in minor units as money: 4998 USD -> "$49.98"; exact (no
     * floats): `minor` is a safe-integer number, a BigInt or a digit string;
     * anything else (NaN, 1.5, 2^60 as a number) is MISSING, never "NaN".
     */
    money(minor, currency) {
      const exact = exactInteger(minor);
      if (exact === null) return MISSING;
      const exp = currencyExponent(currency);
      const negative = exact < 0n;
      const digits = (negative ? -exact : exact).toString().padStart(exp + 1, '0');
      const whole = exp ? digits.slice(0, -exp) : digits;
      const fraction = exp ? digits.slice(-exp) : '';
      const decimal = `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
      try {
        const base = new Intl.NumberFormat(loc, { style: 'currency', currency });
        const min = /^0*$/.test(fraction) ? Math.min(base.resolvedOptions().minimumFractionDigits, exp) : exp;
        return new Intl.NumberFormat(loc, { style: 'currency', currency, minimumFractionDigits: min, maximumFractionDigits: exp }).format(decimal);
      } catch {
        return `${decimal} ${String(currency ?? '')}`.trim();
      }
    },
    number(n) {
      return typeof n === 'bigint' || Number.isFinite(n) ? new Intl.NumberFormat(loc).format(n) : MISSING;
    },
  };
  return f;
}
