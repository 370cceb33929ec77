import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt } from '../../../src/token/decode';
import { analyzeClaims, EXTENDED_SECONDS } from '../../../src/token/claims';
import { tokenReportMarkdown } from '../../../src/token/report';
import { claimRows, expirySummary, lifetimeLines, refreshShort, tokenExpiries } from '../../../src/token/tokenTexts';
import { encodeBase64UrlText } from '../../../src/token/base64url';

const IAT = Date.UTC(2026, 11, 2, 12, 0, 0) / 1000;
const ISSUER = 'https://kubernetes.default.svc.cluster.local';
const bound = (extra: Record<string, unknown> = {}) => ({ namespace: 'shop', pod: { name: 'cart-0', uid: 'p-uid' }, serviceaccount: { name: 'cart', uid: 's-uid' }, ...extra });

/** Representative tokens, with the moment each is looked at. */
const TOKENS: Record<string, { payload: Record<string, unknown>; now: number; statusExpirationMs?: number }> = {
  'kube-api-access (extended)': {
    payload: { iss: ISSUER, sub: 'system:serviceaccount:shop:cart', aud: [ISSUER], iat: IAT, nbf: IAT, exp: IAT + EXTENDED_SECONDS, 'kubernetes.io': bound({ warnafter: IAT + 3607 }) },
    now: (IAT + 600) * 1000,
    statusExpirationMs: (IAT + 3607) * 1000,
  },
  'kube-api-access, past warn-after and refresh': {
    payload: { iss: ISSUER, sub: 'system:serviceaccount:shop:cart', aud: [ISSUER], iat: IAT, nbf: IAT, exp: IAT + EXTENDED_SECONDS, 'kubernetes.io': bound({ warnafter: IAT + 3607 }) },
    now: (IAT + 7200) * 1000,
  },
  '600 s bound, inside its refresh window': {
    payload: { iss: ISSUER, sub: 'system:serviceaccount:shop:cart', aud: ['vault'], iat: IAT, nbf: IAT, exp: IAT + 600, 'kubernetes.io': bound() },
    now: (IAT + 475) * 1000,
  },
  legacy: {
    payload: { iss: 'kubernetes/serviceaccount', sub: 'system:serviceaccount:payments:ci-deployer', 'kubernetes.io/serviceaccount/namespace': 'payments', 'kubernetes.io/serviceaccount/secret.name': 'ci-deployer-token', 'kubernetes.io/serviceaccount/service-account.name': 'ci-deployer', 'kubernetes.io/serviceaccount/service-account.uid': 's' },
    now: IAT * 1000,
  },
  expired: {
    payload: { iss: ISSUER, sub: 'system:serviceaccount:shop:cart', aud: ['vault'], iat: IAT, nbf: IAT, exp: IAT + 600, 'kubernetes.io': bound() },
    now: (IAT + 4000) * 1000,
  },
  'not yet valid': {
    payload: { iss: ISSUER, sub: 'system:serviceaccount:shop:cart', aud: ['vault'], iat: IAT, nbf: IAT, exp: IAT + 600, 'kubernetes.io': bound() },
    now: (IAT - 3600) * 1000,
  },
};

const jwt = (payload: Record<string, unknown>): string =>
  `${encodeBase64UrlText(JSON.stringify({ alg: 'RS256', kid: 'k1' }))}.${encodeBase64UrlText(JSON.stringify(payload))}.c2ln`;

/** Internal references, machine state names, raw lifetimes in seconds, epoch numbers. */
const FORBIDDEN = /SPEC|notYet|inWindow|\b\d{10,}\b|31536000/;

test('no text a user reads about a token carries internal references or raw values', () => {
  for (const [name, t] of Object.entries(TOKENS)) {
    const view = analyzeClaims(t.payload, t.now, 'Europe/Berlin');
    const opts = { timeZone: 'Europe/Berlin', ...(t.statusExpirationMs !== undefined ? { statusExpirationMs: t.statusExpirationMs } : {}) };
    const decoded = decodeJwt(jwt(t.payload));
    assert.ok(decoded.ok, name);
    const texts = [
      expirySummary(view, t.now, opts),
      ...lifetimeLines(view, t.now, opts),
      ...claimRows(view, t.now, opts).flatMap((r) => [r.label, r.value, r.tooltip ?? '']),
      tokenReportMarkdown({ title: name, decoded, ...(t.statusExpirationMs !== undefined ? { statusExpirationMs: t.statusExpirationMs } : {}) }, t.now, 'Europe/Berlin'),
    ];
    for (const text of texts) assert.doesNotMatch(text, FORBIDDEN, `${name}: ${text}`);
  }
});

test('a kube-api-access token names both expiries, the kubelet’s first', () => {
  const t = TOKENS['kube-api-access (extended)']!;
  const view = analyzeClaims(t.payload, t.now, 'UTC');
  assert.equal(expirySummary(view, t.now, { statusExpirationMs: t.statusExpirationMs! }), 'Kubelet expiry in 50 min 7 s · JWT expiry in ≈364 d 23 h');
  assert.deepEqual(
    tokenExpiries(view, t.now, { timeZone: 'UTC' }).map((e) => [e.kind, e.at]),
    [
      ['statusExpiry', '2026-12-02 13:00:07 UTC'],
      ['jwtExp', '2027-12-02 12:00:00 UTC'],
      ['warnAfter', '2026-12-02 13:00:07 UTC'],
    ],
  );
  const rows = claimRows(view, t.now, { timeZone: 'UTC' });
  const row = (label: string) => rows.find((r) => r.label === label)?.value;
  assert.equal(row('Kubelet expiry'), 'in 50 min 7 s (2026-12-02 13:00:07 UTC)');
  assert.equal(row('JWT expiry'), 'in ≈364 d 23 h (2027-12-02 12:00:00 UTC)');
  assert.equal(row('lifetime'), 'requested 1 h 7 s, JWT valid for 365 d');
  assert.equal(row('kubelet refresh'), 'in 37 min 57 s (by 2026-12-02 12:48:06 UTC)');
  assert.equal(refreshShort(view, t.now), 'refresh in 37 min 57 s');
  const late = TOKENS['kube-api-access, past warn-after and refresh']!;
  assert.equal(refreshShort(analyzeClaims(late.payload, late.now), late.now), 'refresh overdue');
});

test('a 600 s token has one expiry; expired and not-yet-valid tokens say so in words', () => {
  const inWindow = TOKENS['600 s bound, inside its refresh window']!;
  const v = analyzeClaims(inWindow.payload, inWindow.now, 'UTC');
  assert.equal(expirySummary(v, inWindow.now), 'JWT expiry in 2 min 5 s');
  assert.equal(claimRows(v, inWindow.now).find((r) => r.label === 'kubelet refresh')?.value.startsWith('now: the kubelet may refresh it'), true);
  const expired = TOKENS.expired!;
  assert.equal(expirySummary(analyzeClaims(expired.payload, expired.now), expired.now), 'expired · JWT expiry 56 min 40 s ago');
  const early = TOKENS['not yet valid']!;
  assert.equal(claimRows(analyzeClaims(early.payload, early.now), early.now)[0]?.value, 'not valid yet');
  const legacy = TOKENS.legacy!;
  assert.equal(expirySummary(analyzeClaims(legacy.payload, legacy.now), legacy.now), 'never expires (no JWT expiry)');
});
