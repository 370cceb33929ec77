// The words of a blast-radius result (shared by the page and the CLI) and its CSV export.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  afterOutageStartText,
  anchorsSummaryText,
  blastRadiusCsv,
  BLAST_RADIUS_CSV_COLUMNS,
  countRangeText,
  durationRangeText,
  EXTENDED_TOKEN_SENTENCE,
  inFlightSentence,
  inFlightThresholdMs,
  kindLabel,
  kindShortLabel,
  lifetimeText,
  outageText,
  rangesStatement,
  timeRangeText,
  verdictText,
} from '../../../src/sim/blastRadius/blastRadiusText';
import type { BlastRadiusResult, TokenKind } from '../../../src/sim/blastRadius/blastRadiusResult';

const T = Date.UTC(2026, 2, 10, 14, 0, 0);
const kind = (k: Partial<TokenKind>): TokenKind => ({ key: 'k', audience: null, requestedSeconds: 3600, issuedSeconds: 3600, jwtLifetimeSeconds: 3600, extended: false, ...k });

test('kind labels: audience, lifetime as requested and as issued, the extension', () => {
  assert.equal(
    kindLabel(kind({ requestedSeconds: 3607, issuedSeconds: 3607, jwtLifetimeSeconds: 31_536_000, extended: true })),
    'API server audience, 3607 s requested → kubelet refreshes on 1h7s; JWT valid 1 year (extended)',
  );
  assert.equal(kindLabel(kind({ audience: 'vault', requestedSeconds: 600, issuedSeconds: 600, jwtLifetimeSeconds: 600 })), 'audience vault, 600 s');
  assert.equal(kindLabel(kind({ audience: 'vault', requestedSeconds: null, issuedSeconds: 3600 })), "audience vault, no lifetime requested → 3600 s (the API server's default)");
  assert.equal(
    kindLabel(kind({ audience: 'sts.amazonaws.com', requestedSeconds: 86_400, issuedSeconds: 43_200, jwtLifetimeSeconds: 43_200 })),
    'audience sts.amazonaws.com, 86400 s requested → capped to 12h by the API server',
  );
  assert.equal(kindShortLabel(kind({ requestedSeconds: 3607, issuedSeconds: 3607, extended: true })), 'API server, 1h7s (extended)');
  assert.equal(kindShortLabel(kind({ audience: 'vault', issuedSeconds: 600 })), 'vault, 10m');
  assert.equal(lifetimeText(2 * 31_536_000), '2 years');
  assert.equal(lifetimeText(86_400), '1d');
  assert.match(EXTENDED_TOKEN_SENTENCE, /^The kubelet sees these expire and the pod's syncs fail, but the API server still accepts the token/);
});

test('verdicts in words', () => {
  assert.equal(verdictText(20, 20), 'expires in every run');
  assert.equal(verdictText(7, 20), 'expires in 7 of 20 runs');
  assert.equal(verdictText(0, 20), 'never expires');
});

test('spreads as ranges: instants in UTC with the zone named, durations, counts', () => {
  assert.equal(timeRangeText({ min: T + 190_000, median: T + 300_000, max: T + 595_000 }, T), '14:03:10–14:09:55 UTC');
  assert.equal(timeRangeText({ min: T + 190_000, median: T + 190_000, max: T + 190_000 }, T), '14:03:10 UTC');
  assert.equal(timeRangeText({ min: T + 190_000, median: T + 300_000, max: T + 595_000 }), '2026-03-10 14:03:10–14:09:55 UTC');
  assert.equal(timeRangeText({ min: T, median: T, max: T + 12 * 3600_000 }, T), '2026-03-10 14:00:00 – 2026-03-11 02:00:00 UTC');
  assert.equal(durationRangeText({ min: 120_000, median: 200_000, max: 300_400 }), 'between 2m and 5m');
  assert.equal(durationRangeText({ min: 90_000, median: 90_000, max: 90_200 }), '1m30s');
  assert.equal(afterOutageStartText({ min: T + 720_000, median: T + 900_000, max: T + 2_400_000 }, { startMs: T, durationMs: 3 * 3600_000 }), 'between 12m and 40m after the outage starts');
  assert.equal(countRangeText({ min: 3, median: 5, max: 7 }), '3–7');
  assert.equal(countRangeText({ min: 1500, median: 1500, max: 1500 }), '1,500');
  assert.equal(outageText({ startMs: T, durationMs: 3 * 3600_000 }), '2026-03-10 14:00:00 UTC to 17:00:00 UTC (3h)');
  assert.equal(outageText({ startMs: T, durationMs: 12 * 3600_000 }), '2026-03-10 14:00:00 UTC to 2026-03-11 02:00:00 UTC (12h)');
});

test('property: a time range names UTC and its ends in order', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 4_000_000_000_000 }), fc.integer({ min: 0, max: 86_400_000 * 3 }), (min, span) => {
      const text = timeRangeText({ min, median: min, max: min + span }, min);
      assert.ok(text.endsWith(' UTC'), text);
      const times = [...text.matchAll(/\d{2}:\d{2}:\d{2}/g)].map((m) => m[0]);
      assert.ok(times.length === (span === 0 ? 1 : 2), text);
    }),
  );
});

test('anchors and the ranges statement', () => {
  assert.equal(
    anchorsSummaryText({ issued: 900, started: 2600, unknown: 1 }),
    'Histories start: 900 pods from the real issue time of their tokens, 2,600 pods from their start time, 1 pod without a known start (sampled).',
  );
  assert.equal(anchorsSummaryText({ issued: 1, started: 1, unknown: 0 }), 'Histories start: 1 pod from the real issue time of its tokens, 1 pod from its start time.');
  assert.equal(anchorsSummaryText({ issued: 0, started: 0, unknown: 0 }), 'No pods.');
  assert.equal(rangesStatement(20), "These numbers are ranges over 20 sampled runs of every pod's history, not a forecast.");
  assert.match(rangesStatement(1), /one sampled run/);
});

test('the in-flight sentence: the limit is reached when a TokenRequest takes longer than limit ÷ peak', () => {
  const herd = { inFlightLimit: 200, peakPerSecond: { min: 300, median: 350, max: 400 } };
  assert.equal(inFlightThresholdMs(herd), 500);
  assert.equal(
    inFlightSentence(herd),
    'The API server lets 200 mutating requests be in flight at once by default (--max-mutating-requests-inflight); at the peak of 400 per second that limit is reached if a TokenRequest takes longer than 500 ms.',
  );
  assert.match(inFlightSentence({ inFlightLimit: 200, peakPerSecond: { min: 2, median: 3, max: 4 } }), /takes longer than 50s\.$/);
  assert.match(inFlightSentence({ inFlightLimit: 200, peakPerSecond: { min: 0, median: 0, max: 0 } }), /no TokenRequest arrives after the outage/);
});

test('CSV: one row per affected token, RFC 3339 UTC expiries, whole seconds, quoted and formula-safe', () => {
  const result: Pick<BlastRadiusResult, 'kinds' | 'affected' | 'runs'> = {
    runs: 20,
    kinds: [
      { kind: kind({ key: 'a', requestedSeconds: 3607, issuedSeconds: 3607, jwtLifetimeSeconds: 31_536_000, extended: true }), pods: 1, tokens: 1, certain: 1, possible: 0, never: 0, expiredPerRun: { min: 1, median: 1, max: 1 }, earliestExpiryMs: null },
      { kind: kind({ key: 'b', audience: '=cmd|x', requestedSeconds: null }), pods: 1, tokens: 1, certain: 0, possible: 1, never: 0, expiredPerRun: { min: 0, median: 0, max: 1 }, earliestExpiryMs: null },
    ],
    affected: [
      { podIndex: 0, tokenIndex: 0, namespace: 'shop', pod: 'web-1', volume: 'kube-api-access-x', path: 'token', kindKey: 'a', verdict: 'certain', runsExpired: 20, expiryMs: { min: T + 1000, median: T + 2500, max: T + 4000 }, expiredForMs: { min: 10_400, median: 12_000, max: 14_600 }, anchor: 'started' },
      { podIndex: 1, tokenIndex: 1, namespace: 'shop', pod: 'a,"b"', volume: 'v', path: 'p', kindKey: 'b', verdict: 'possible', runsExpired: 3, expiryMs: { min: T, median: T, max: T }, expiredForMs: { min: 0, median: 0, max: 0 }, anchor: 'unknown' },
    ],
  };
  const lines = blastRadiusCsv(result).split('\r\n');
  assert.equal(lines[0], BLAST_RADIUS_CSV_COLUMNS.join(','));
  assert.equal(lines[0], 'namespace,pod,volume,path,audience,requested_seconds,issued_seconds,extended,verdict,runs_expired,runs,expiry_min,expiry_median,expiry_max,expired_for_min_seconds,expired_for_median_seconds,expired_for_max_seconds');
  assert.equal(lines[1], 'shop,web-1,kube-api-access-x,token,,3607,3607,true,certain,20,20,2026-03-10T14:00:01Z,2026-03-10T14:00:02.500Z,2026-03-10T14:00:04Z,10,12,15');
  assert.equal(lines[2], `shop,"a,""b""",v,p,'=cmd|x,,3600,false,possible,3,20,2026-03-10T14:00:00Z,2026-03-10T14:00:00Z,2026-03-10T14:00:00Z,0,0,0`);
  assert.equal(lines[3], '');
  assert.equal(lines.length, 4);
});
