/**
 * Asks when an API-server outage starts and how long it lasts, for Outage Blast Radius: two quick
 * inputs that say what they accept and check it as the user types. Start: "now", "+2h" (from now), a
 * local clock time "22:00" (the next one), or an RFC 3339 date-time; duration: "3h", "90m", "1h30m".
 */
import * as vscode from 'vscode';
import { parseOutageDuration, type OutageWindow } from '../sim/blastRadius/blastRadiusInput';
import { parseInstant } from '../sim/units/datetime';
import { formatDuration } from '../sim/units/duration';

type Parsed = { ok: true; ms: number } | { ok: false; error: string };

/** "22:00" or "22:00:30" in the local time zone: today if still ahead, else tomorrow. */
function localClockTime(text: string, nowMs: number): Parsed | undefined {
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  if (!m) return undefined;
  const [h, mi, s] = [Number(m[1]), Number(m[2]), Number(m[3] ?? '0')];
  if (h > 23 || mi > 59 || s > 59) return { ok: false, error: `"${text.trim()}" is not a time of day (00:00 to 23:59)` };
  const d = new Date(nowMs);
  d.setHours(h, mi, s, 0);
  if (d.getTime() < nowMs) d.setDate(d.getDate() + 1);
  return { ok: true, ms: d.getTime() };
}

export function parseOutageStart(text: string, wallNowMs: number): Parsed {
  // Whole seconds: an outage "now" reads 14:03:10, not 14:03:10.633 (the TokenRequest API counts seconds too).
  const nowMs = Math.floor(wallNowMs / 1000) * 1000;
  const local = localClockTime(text, nowMs);
  if (local) return local;
  const r = parseInstant(text, nowMs);
  return r.ok ? r : { ok: false, error: `${r.error}, or a local time such as "22:00"` };
}

/** Asks for the outage; undefined when the user cancels. `previous` pre-fills the answers. */
export async function askOutage(nowMs: () => number, previous?: OutageWindow): Promise<OutageWindow | undefined> {
  const startText = await vscode.window.showInputBox({
    title: 'Outage Blast Radius (1/2): when does the API-server outage start?',
    prompt: 'now, +2h (from now), a local time such as 22:00 (the next one), or a date-time such as 2026-12-24T22:00:00Z',
    value: previous ? new Date(previous.startMs).toISOString().replace(/\.000Z$/, 'Z') : 'now',
    ignoreFocusOut: true,
    validateInput: (v) => {
      const r = parseOutageStart(v, nowMs());
      return r.ok ? undefined : r.error;
    },
  });
  if (startText === undefined) return undefined;
  const durationText = await vscode.window.showInputBox({
    title: 'Outage Blast Radius (2/2): how long is the API server down?',
    prompt: 'A duration such as 3h, 90m or 1h30m',
    value: previous ? formatDuration(previous.durationMs) : '3h',
    ignoreFocusOut: true,
    validateInput: (v) => {
      const r = parseOutageDuration(v);
      return r.ok ? undefined : r.error;
    },
  });
  if (durationText === undefined) return undefined;
  const start = parseOutageStart(startText, nowMs());
  const duration = parseOutageDuration(durationText);
  if (!start.ok) throw new Error(start.error);
  if (!duration.ok) throw new Error(duration.error);
  return { startMs: start.ms, durationMs: duration.ms };
}
