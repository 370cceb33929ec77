/**
 * The typed contract between the extension host and the Outage Blast Radius webview, shared by both
 * bundles: the messages each side may send and the HTML skeleton the host serves. Every message is
 * validated on arrival, because a webview is untrusted input for the host and vice versa; errors name
 * the field ("result.affected[12].expiryMs.min must be a finite number").
 *
 * Pure: no vscode, no DOM, no Node I/O (the webview bundle and the host both import it).
 */
import {
  checkText,
  fail,
  isFiniteNumber,
  parseWith,
  webviewCsp,
  webviewHtml,
  type ExportFormat,
  type MessageOf,
  type MessageParsers,
  type Parsed,
  type WebviewHtmlOptions,
} from './protocol';
import type { AffectedToken, BlastRadiusResult, KindSummary, RecoveryHerd, Spread, TokenKind } from './sim/blastRadius/blastRadiusResult';
import type { PodAnchor } from './sim/blastRadius/blastRadiusInput';
import { describeValue as describe, isRecord } from './sim/whatIf';

// ---------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------

/** What the host sends to the blast-radius page. */
export type BlastRadiusHostMessage =
  | {
      type: 'showResult';
      title: string;
      /** Where the pods come from, in words: "Demo cluster, namespace shop". */
      scope: string;
      result: BlastRadiusResult;
    }
  /** An analysis is running (on, with what it is doing) or finished / failed (off). */
  | { type: 'busy'; on: boolean; message?: string }
  | { type: 'error'; message: string };

/** What the blast-radius page sends to the host. */
export type BlastRadiusPageMessage =
  /** The page's listener is in place: send (or re-send) the result. */
  | { type: 'ready' }
  /** Open the timeline of this token (indices into the analysis input's pods and the pod's tokens). */
  | { type: 'openTimeline'; podIndex: number; tokenIndex: number }
  /** Ask the user for another outage and re-run the analysis. */
  | { type: 'changeOutage' }
  /** Export the shown result. */
  | { type: 'export'; format: ExportFormat }
  /** Something went wrong in the page (e.g. a rejected message); log it. */
  | { type: 'reportError'; message: string };

/** Bounds of a result on the wire: far above what a cluster gives, low enough to keep the page alive. */
export const BLAST_RADIUS_LIMITS = {
  affected: 100_000,
  kinds: 10_000,
  /** One-second bins around the end of the outage: a day of them. */
  herdBins: 86_400,
  assumptions: 200,
  assumptionText: 2_000,
  /** Kubernetes names are ≤ 253 characters; paths and audiences get some slack. */
  name: 1_000,
  title: 500,
  scope: 1_000,
  message: 10_000,
  runs: 1_000_000,
} as const;

const VERDICTS: ReadonlySet<string> = new Set<AffectedToken['verdict']>(['certain', 'possible']);
const ANCHORS: readonly PodAnchor['kind'][] = ['issued', 'started', 'unknown'];

/** An error thrown inside the result check, carrying its field path (caught in checkBlastRadiusResult). */
class FieldError extends Error {}

function need(ok: boolean, message: string): void {
  if (!ok) throw new FieldError(message);
}

function finite(v: unknown, field: string): number {
  need(isFiniteNumber(v), `${field} must be a finite number, got ${describe(v)}`);
  return v as number;
}

function count(v: unknown, field: string): number {
  need(typeof v === 'number' && Number.isSafeInteger(v) && v >= 0, `${field} must be an integer ≥ 0, got ${describe(v)}`);
  return v as number;
}

function str(v: unknown, field: string, max: number = BLAST_RADIUS_LIMITS.name): string {
  const checked = checkText(v, field, max);
  if (typeof checked !== 'string') throw new FieldError(checked.error);
  return checked;
}

function rec(v: unknown, field: string): Record<string, unknown> {
  need(isRecord(v), `${field} must be an object, got ${describe(v)}`);
  return v as Record<string, unknown>;
}

function list(v: unknown, field: string, max: number): unknown[] {
  need(Array.isArray(v), `${field} must be an array, got ${describe(v)}`);
  const a = v as unknown[];
  need(a.length <= max, `${field} has ${a.length} entries, more than the ${max} allowed`);
  return a;
}

function spread(v: unknown, field: string): Spread {
  const r = rec(v, field);
  const s = { min: finite(r.min, `${field}.min`), median: finite(r.median, `${field}.median`), max: finite(r.max, `${field}.max`) };
  need(s.min <= s.median && s.median <= s.max, `${field} must have min ≤ median ≤ max, got ${s.min}, ${s.median}, ${s.max}`);
  return s;
}

function numbers(v: unknown, field: string, max: number): number[] {
  const a = list(v, field, max);
  for (let i = 0; i < a.length; i++) finite(a[i], `${field}[${i}]`);
  return a as number[];
}

function tokenKind(v: unknown, field: string): TokenKind {
  const r = rec(v, field);
  const audience = r.audience === null ? null : str(r.audience, `${field}.audience`);
  const requestedSeconds = r.requestedSeconds === null ? null : finite(r.requestedSeconds, `${field}.requestedSeconds`);
  const issuedSeconds = finite(r.issuedSeconds, `${field}.issuedSeconds`);
  need(issuedSeconds > 0, `${field}.issuedSeconds must be > 0, got ${issuedSeconds}`);
  const jwtLifetimeSeconds = finite(r.jwtLifetimeSeconds, `${field}.jwtLifetimeSeconds`);
  need(typeof r.extended === 'boolean', `${field}.extended must be true or false, got ${describe(r.extended)}`);
  return { key: str(r.key, `${field}.key`), audience, requestedSeconds, issuedSeconds, jwtLifetimeSeconds, extended: r.extended as boolean };
}

function kindSummary(v: unknown, field: string): KindSummary {
  const r = rec(v, field);
  return {
    kind: tokenKind(r.kind, `${field}.kind`),
    pods: count(r.pods, `${field}.pods`),
    tokens: count(r.tokens, `${field}.tokens`),
    certain: count(r.certain, `${field}.certain`),
    possible: count(r.possible, `${field}.possible`),
    never: count(r.never, `${field}.never`),
    expiredPerRun: spread(r.expiredPerRun, `${field}.expiredPerRun`),
    earliestExpiryMs: r.earliestExpiryMs === null ? null : spread(r.earliestExpiryMs, `${field}.earliestExpiryMs`),
  };
}

function affectedToken(v: unknown, field: string, kinds: ReadonlySet<string>, runs: number): AffectedToken {
  const r = rec(v, field);
  const kindKey = str(r.kindKey, `${field}.kindKey`);
  need(kinds.has(kindKey), `${field}.kindKey ${JSON.stringify(kindKey)} is not the key of any of result.kinds`);
  need(typeof r.verdict === 'string' && VERDICTS.has(r.verdict), `${field}.verdict must be "certain" or "possible", got ${describe(r.verdict)}`);
  const runsExpired = count(r.runsExpired, `${field}.runsExpired`);
  need(runsExpired >= 1 && runsExpired <= runs, `${field}.runsExpired must be between 1 and result.runs (${runs}), got ${runsExpired}`);
  need(typeof r.anchor === 'string' && (ANCHORS as readonly string[]).includes(r.anchor), `${field}.anchor must be one of ${ANCHORS.join(', ')}, got ${describe(r.anchor)}`);
  return {
    podIndex: count(r.podIndex, `${field}.podIndex`),
    tokenIndex: count(r.tokenIndex, `${field}.tokenIndex`),
    namespace: str(r.namespace, `${field}.namespace`),
    pod: str(r.pod, `${field}.pod`),
    volume: str(r.volume, `${field}.volume`),
    path: str(r.path, `${field}.path`),
    kindKey,
    verdict: r.verdict as AffectedToken['verdict'],
    runsExpired,
    expiryMs: spread(r.expiryMs, `${field}.expiryMs`),
    expiredForMs: spread(r.expiredForMs, `${field}.expiredForMs`),
    anchor: r.anchor as PodAnchor['kind'],
  };
}

function herd(v: unknown, field: string): RecoveryHerd {
  const r = rec(v, field);
  const binMs = finite(r.binMs, `${field}.binMs`);
  need(binMs > 0, `${field}.binMs must be > 0, got ${binMs}`);
  const mean = numbers(r.mean, `${field}.mean`, BLAST_RADIUS_LIMITS.herdBins);
  const min = numbers(r.min, `${field}.min`, BLAST_RADIUS_LIMITS.herdBins);
  const max = numbers(r.max, `${field}.max`, BLAST_RADIUS_LIMITS.herdBins);
  need(min.length === mean.length && max.length === mean.length, `${field}.mean, .min and .max must have the same length, got ${mean.length}, ${min.length}, ${max.length}`);
  const inFlightLimit = count(r.inFlightLimit, `${field}.inFlightLimit`);
  need(inFlightLimit > 0, `${field}.inFlightLimit must be > 0, got ${inFlightLimit}`);
  const baselinePerSecond = finite(r.baselinePerSecond, `${field}.baselinePerSecond`);
  need(baselinePerSecond >= 0, `${field}.baselinePerSecond must be ≥ 0, got ${baselinePerSecond}`);
  return {
    binMs,
    fromMs: finite(r.fromMs, `${field}.fromMs`),
    mean,
    min,
    max,
    peakPerSecond: spread(r.peakPerSecond, `${field}.peakPerSecond`),
    durationMs: spread(r.durationMs, `${field}.durationMs`),
    catchUpRequests: spread(r.catchUpRequests, `${field}.catchUpRequests`),
    baselinePerSecond,
    inFlightLimit,
  };
}

/** Checks a BlastRadiusResult's structure, types and bounds; the message names the first bad field. */
export function checkBlastRadiusResult(raw: unknown, field = 'result'): { ok: true; result: BlastRadiusResult } | { ok: false; error: string } {
  try {
    const r = rec(raw, field);
    const o = rec(r.outage, `${field}.outage`);
    const outage = { startMs: finite(o.startMs, `${field}.outage.startMs`), durationMs: finite(o.durationMs, `${field}.outage.durationMs`) };
    need(outage.durationMs >= 0, `${field}.outage.durationMs must be ≥ 0, got ${outage.durationMs}`);
    const runs = count(r.runs, `${field}.runs`);
    need(runs >= 1 && runs <= BLAST_RADIUS_LIMITS.runs, `${field}.runs must be between 1 and ${BLAST_RADIUS_LIMITS.runs}, got ${runs}`);
    const a = rec(r.anchors, `${field}.anchors`);
    const anchors = { issued: count(a.issued, `${field}.anchors.issued`), started: count(a.started, `${field}.anchors.started`), unknown: count(a.unknown, `${field}.anchors.unknown`) };
    const kinds = list(r.kinds, `${field}.kinds`, BLAST_RADIUS_LIMITS.kinds).map((k, i) => kindSummary(k, `${field}.kinds[${i}]`));
    const keys = new Set<string>();
    for (const [i, k] of kinds.entries()) {
      need(!keys.has(k.kind.key), `${field}.kinds[${i}].kind.key ${JSON.stringify(k.kind.key)} is not unique`);
      keys.add(k.kind.key);
    }
    const affected = list(r.affected, `${field}.affected`, BLAST_RADIUS_LIMITS.affected).map((t, i) => affectedToken(t, `${field}.affected[${i}]`, keys, runs));
    const assumptions = list(r.assumptions, `${field}.assumptions`, BLAST_RADIUS_LIMITS.assumptions).map((s, i) =>
      str(s, `${field}.assumptions[${i}]`, BLAST_RADIUS_LIMITS.assumptionText),
    );
    return {
      ok: true,
      result: {
        outage,
        runs,
        seed: finite(r.seed, `${field}.seed`),
        pods: count(r.pods, `${field}.pods`),
        tokens: count(r.tokens, `${field}.tokens`),
        anchors,
        kinds,
        affected,
        herd: herd(r.herd, `${field}.herd`),
        assumptions,
      },
    };
  } catch (err) {
    if (err instanceof FieldError) return { ok: false, error: err.message };
    throw err;
  }
}

function textField<T>(raw: unknown, field: string, max: number, build: (s: string) => T): Parsed<T> {
  const s = checkText(raw, field, max);
  return typeof s === 'string' ? { ok: true, message: build(s) } : fail(s.error);
}

/** Every message the host may send to the blast-radius page, validated. */
export const BLAST_RADIUS_HOST_PARSERS: MessageParsers<BlastRadiusHostMessage> = {
  showResult: (raw) => {
    const title = checkText(raw.title, 'showResult.title', BLAST_RADIUS_LIMITS.title);
    if (typeof title !== 'string') return fail(title.error);
    const scope = checkText(raw.scope, 'showResult.scope', BLAST_RADIUS_LIMITS.scope);
    if (typeof scope !== 'string') return fail(scope.error);
    const checked = checkBlastRadiusResult(raw.result);
    if (!checked.ok) return fail(checked.error);
    return { ok: true, message: { type: 'showResult', title, scope, result: checked.result } };
  },
  busy: (raw) => {
    if (typeof raw.on !== 'boolean') return fail(`busy.on must be true or false, got ${describe(raw.on)}`);
    const message: MessageOf<BlastRadiusHostMessage, 'busy'> = { type: 'busy', on: raw.on };
    if (raw.message !== undefined) {
      const text = checkText(raw.message, 'busy.message', BLAST_RADIUS_LIMITS.title);
      if (typeof text !== 'string') return fail(text.error);
      message.message = text;
    }
    return { ok: true, message };
  },
  error: (raw) => textField(raw.message, 'error.message', BLAST_RADIUS_LIMITS.message, (message) => ({ type: 'error' as const, message })),
};

/** Every message the blast-radius page may send, validated. */
export const BLAST_RADIUS_PAGE_PARSERS: MessageParsers<BlastRadiusPageMessage> = {
  ready: () => ({ ok: true, message: { type: 'ready' } }),
  openTimeline: (raw) => {
    for (const key of ['podIndex', 'tokenIndex'] as const) {
      const v = raw[key];
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) return fail(`openTimeline.${key} must be an integer ≥ 0, got ${describe(v)}`);
    }
    return { ok: true, message: { type: 'openTimeline', podIndex: raw.podIndex as number, tokenIndex: raw.tokenIndex as number } };
  },
  changeOutage: () => ({ ok: true, message: { type: 'changeOutage' } }),
  export: (raw) => {
    if (raw.format !== 'csv' && raw.format !== 'json') return fail(`export.format must be "csv" or "json", got ${describe(raw.format)}`);
    return { ok: true, message: { type: 'export', format: raw.format } };
  },
  reportError: (raw) => textField(raw.message, 'reportError.message', BLAST_RADIUS_LIMITS.message, (message) => ({ type: 'reportError' as const, message })),
};

export function parseBlastRadiusHostMessage(raw: unknown): Parsed<BlastRadiusHostMessage> {
  return parseWith(BLAST_RADIUS_HOST_PARSERS, raw);
}

export function parseBlastRadiusPageMessage(raw: unknown): Parsed<BlastRadiusPageMessage> {
  return parseWith(BLAST_RADIUS_PAGE_PARSERS, raw);
}

// ---------------------------------------------------------------------------------------------
// The page the host serves
// ---------------------------------------------------------------------------------------------

/** The bundle and stylesheet of the page, relative to the extension root (for asWebviewUri). */
export const BLAST_RADIUS_ASSETS = { script: 'dist/blastRadius.js', style: 'media/blastRadius.css' } as const;

/** The page's Content-Security-Policy: the same as every webview page's (no 'unsafe-inline', no eval). */
export const blastRadiusCsp = webviewCsp;

/** The blast-radius page's HTML skeleton (the shared one, with its bundle and stylesheet). */
export function blastRadiusHtml(o: WebviewHtmlOptions): string {
  return webviewHtml(o, 'Outage blast radius');
}
