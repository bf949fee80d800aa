/**
 * Time zones for the date operators: UTC, fixed offsets ("+05:30", "-0800", "+03") and Olson
 * names through Intl (Node ships full ICU). Intl.DateTimeFormat objects are cached per zone,
 * and offsets per hour of UTC time, so per-document date work does not re-create formatters.
 */
import { MongoError } from '../../errors/mongo-error.js';
import {
  daysFromCivil,
  millisPerDay,
  millisPerHour,
  millisPerMinute,
  millisPerSecond,
} from './date-civil.js';

export interface TimeZone {
  readonly id: string;
  /** The UTC offset in milliseconds in effect at the instant `utcMillis`. */
  offsetAt(utcMillis: number): number;
  /** True for UTC and fixed offsets, where local arithmetic never crosses a transition. */
  readonly fixed: boolean;
  readonly isUtc: boolean;
}

function fixedZone(id: string, offset: number): TimeZone {
  // The server treats any zero offset ("+00:00" too) as the UTC zone.
  return { id, offsetAt: () => offset, fixed: true, isUtc: offset === 0 };
}

export const utcZone: TimeZone = fixedZone('UTC', 0);

/** TimeZoneDatabase::parseUtcOffset: ±HH, ±HHMM or ±HH:MM. */
function parseUtcOffset(spec: string): number | undefined {
  const match = /^([+-])(\d\d)(?::?(\d\d))?$/.exec(spec);
  if (match === null) return undefined;
  const sign = match[1] === '-' ? -1 : 1;
  const hours = Number(match[2]);
  const minutes = Number(match[3] ?? '0');
  return sign * (hours * millisPerHour + minutes * millisPerMinute);
}

const hourBucketsMax = 4096;

/** An Olson zone backed by Intl, with offsets cached per UTC hour when no transition falls inside. */
class IntlZone implements TimeZone {
  readonly fixed = false;
  readonly isUtc = false;
  private readonly formatter: Intl.DateTimeFormat;
  private readonly buckets = new Map<number, number>();

  constructor(readonly id: string) {
    this.formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: id,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  offsetAt(utcMillis: number): number {
    const bucket = Math.floor(utcMillis / millisPerHour);
    const cached = this.buckets.get(bucket);
    if (cached !== undefined) return cached;
    const start = bucket * millisPerHour;
    const offset = this.computeOffset(start);
    if (offset === this.computeOffset(start + millisPerHour - millisPerSecond)) {
      if (this.buckets.size >= hourBucketsMax) this.buckets.clear();
      this.buckets.set(bucket, offset);
      return offset;
    }
    // A transition happens within this hour: compute this instant exactly.
    return this.computeOffset(utcMillis);
  }

  private computeOffset(utcMillis: number): number {
    const seconds = Math.floor(utcMillis / millisPerSecond) * millisPerSecond;
    const fields: Record<string, string> = {};
    for (const part of this.formatter.formatToParts(new Date(seconds)))
      fields[part.type] = part.value;
    const yearOfEra = Number(fields.year);
    const year = fields.era === 'BC' || fields.era === 'B' ? 1 - yearOfEra : yearOfEra;
    const local =
      daysFromCivil(year, Number(fields.month), Number(fields.day)) * millisPerDay +
      Number(fields.hour) * millisPerHour +
      Number(fields.minute) * millisPerMinute +
      Number(fields.second) * millisPerSecond;
    return local - seconds;
  }
}

const zones = new Map<string, TimeZone>();
const zonesMax = 512;

function createZone(id: string): TimeZone | undefined {
  const offset = parseUtcOffset(id);
  if (offset !== undefined) return fixedZone(id, offset);
  if (id === 'UTC') return utcZone;
  if (!/^[A-Z]/.test(id)) return undefined;
  let zone: IntlZone;
  try {
    zone = new IntlZone(id);
  } catch {
    return undefined;
  }
  // Intl matches names case-insensitively; the server's database does not.
  const resolved = new Intl.DateTimeFormat('en-US', { timeZone: id }).resolvedOptions().timeZone;
  if (resolved !== id && resolved.toLowerCase() === id.toLowerCase()) return undefined;
  return zone;
}

/** TimeZoneDatabase::getTimeZone: an Olson name or a UTC offset, else 40485. */
export function timeZoneFor(id: string): TimeZone {
  const cached = zones.get(id);
  if (cached !== undefined) return cached;
  const zone = createZone(id);
  if (zone === undefined) throw new MongoError(40485, `unrecognized time zone identifier: "${id}"`);
  if (zones.size >= zonesMax) zones.clear();
  zones.set(id, zone);
  return zone;
}

/** Local wall-clock milliseconds of an instant. */
export function toLocal(zone: TimeZone, utcMillis: number): number {
  return utcMillis + zone.offsetAt(utcMillis);
}

/**
 * The instant at which the zone's clocks show `localMillis`. Ambiguous times (clocks set back)
 * resolve to the first occurrence; times skipped by a forward jump use the offset from before
 * the jump, so 02:30 on a spring-forward night becomes 03:30, as timelib does.
 */
export function fromLocal(zone: TimeZone, localMillis: number): number {
  if (zone.fixed) return localMillis - zone.offsetAt(localMillis);
  const early = zone.offsetAt(localMillis - millisPerDay);
  const late = zone.offsetAt(localMillis + millisPerDay);
  const earlyCandidate = localMillis - early;
  const lateCandidate = localMillis - late;
  const earlyValid = zone.offsetAt(earlyCandidate) === early;
  const lateValid = zone.offsetAt(lateCandidate) === late;
  if (earlyValid && lateValid) return Math.min(earlyCandidate, lateCandidate);
  if (earlyValid) return earlyCandidate;
  if (lateValid) return lateCandidate;
  return earlyCandidate;
}
