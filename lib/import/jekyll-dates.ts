import { DateTime } from "luxon";
import type { WallTime } from "./permalinks.ts";

/** A Jekyll or WordPress date, as this site writes it and as Jekyll's URL placeholders read it. */
export interface ImportedDate {
  /** ISO 8601, with the offset it was written with: `2007-04-19T10:22:11+00:00`, or a plain day. */
  iso: string;
  /** The date and time as written (Jekyll's `:year`, `:month`... read these). */
  wall: WallTime;
}

// `2007-04-19 10:22:11 +0000`, `2007-04-19T10:22:11Z`, `2015-03-01`.
const DATE_TEXT = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

const pad = (value: number) => String(value).padStart(2, "0");

/**
 * Reads a date as Jekyll does. With `timezone:` in _config.yml, a time without
 * an offset is that zone's wall time, and every date's URL parts (`:year`,
 * `:day`...) are its wall time in that zone (Jekyll parses, then calls
 * `localtime`). Without it, the date is taken as written.
 */
export function parseJekyllDate(value: unknown, zone?: string): ImportedDate | undefined {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return undefined;
    value = value.toISOString().replace(/\.000Z$/, "Z");
  }
  if (typeof value !== "string") return undefined;
  const match = DATE_TEXT.exec(value.trim());
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return undefined;
  const wall = { year, month, day, hour, minute, second };
  const dayText = `${year}-${pad(month)}-${pad(day)}`;
  // A plain day stays a calendar day: the site reads it as midnight in its own zone.
  if (match[4] === undefined) return { iso: dayText, wall };
  const written = `${dayText}T${pad(hour)}:${pad(minute)}:${pad(second)}`;
  if (match[7] === undefined) {
    if (zone === undefined) return { iso: written, wall };
    const inZone = DateTime.fromObject(wall, { zone });
    return { iso: inZone.toISO({ suppressMilliseconds: true })!, wall: wallTime(inZone) };
  }
  const offset = match[7].toUpperCase() === "Z" ? "Z" : `${match[7].slice(0, 3)}:${match[7].slice(-2)}`;
  const iso = `${written}${offset}`;
  return { iso, wall: zone === undefined ? wall : wallTime(DateTime.fromISO(iso, { setZone: true }).setZone(zone)) };
}

function wallTime(date: DateTime): WallTime {
  return { year: date.year, month: date.month, day: date.day, hour: date.hour, minute: date.minute, second: date.second };
}
