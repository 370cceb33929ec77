import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT, generateKeyPair } from 'jose';
import { decodeJwt } from '../../../src/token/decode';
import { analyzeClaims, EXTENDED_SECONDS } from '../../../src/token/claims';
import { formatDuration, formatDurationShort, relativeTime } from '../../../src/token/format';

const ISSUER = 'https://kubernetes.default.svc.cluster.local';
const IAT = 1_735_689_600; // 2025-01-01T00:00:00Z

/** A kube-api-access token exactly as the API server signs it for the kubelet (SPEC D.1 step 8, D.2). */
async function extendedToken(): Promise<string> {
  const { privateKey } = await generateKeyPair('RS256');
  return new SignJWT({
    'kubernetes.io': {
      namespace: 'shop',
      node: { name: 'node-1', uid: 'n-uid' },
      pod: { name: 'web-0', uid: 'p-uid' },
      serviceaccount: { name: 'web', uid: 's-uid' },
      warnafter: IAT + 3607,
    },
  })
    .setProtectedHeader({ alg: 'RS256', kid: 'key-1' })
    .setIssuer(ISSUER)
    .setSubject('system:serviceaccount:shop:web')
    .setAudience([ISSUER])
    .setIssuedAt(IAT)
    .setNotBefore(IAT)
    .setExpirationTime(IAT + EXTENDED_SECONDS)
    .setJti('6c0f4d2e-0000-4000-8000-000000000001')
    .sign(privateKey);
}

test('claims of a real extended kube-api-access token', async () => {
  const decoded = decodeJwt(await extendedToken());
  assert.ok(decoded.ok);
  const now = (IAT + 600) * 1000;
  const v = analyzeClaims(decoded.payload, now);
  assert.equal(v.kind, 'bound');
  assert.equal(v.iss, ISSUER);
  assert.deepEqual(v.serviceAccount, { namespace: 'shop', name: 'web' });
  assert.deepEqual(v.aud, [ISSUER]);
  assert.equal(v.iat?.iso, '2025-01-01T00:00:00Z');
  assert.equal(v.exp?.iso, '2026-01-01T00:00:00Z');
  assert.equal(v.iat?.relative, '10 min ago');
  assert.deepEqual(v.kubernetes?.pod, { name: 'web-0', uid: 'p-uid' });
  assert.deepEqual(v.kubernetes?.node, { name: 'node-1', uid: 'n-uid' });
  assert.equal(v.kubernetes?.warnafter?.iso, '2025-01-01T01:00:07Z');
  const l = v.lifetime;
  assert.equal(l.validity, 'valid');
  assert.equal(l.issuedLifetimeSeconds, EXTENDED_SECONDS);
  assert.equal(l.requestedLifetimeSeconds, 3607);
  assert.deepEqual({ ...l.extended, warnAfter: undefined }, { requestedSeconds: 3607, extendedSeconds: EXTENDED_SECONDS, oneYear: true, stale: false, warnAfter: undefined });
  assert.equal(l.notes[0], 'requested for 1 h 7 s, and the API server extended the JWT to one year; the kubelet still refreshes it about 48 min 6 s after issue');
  // The kubelet refreshes from the TokenRequest status (iat + 3607), not from the one-year exp (SPEC A.5, A.8).
  const r = l.kubeletRefresh;
  assert.ok(r);
  assert.equal(r.requestedSeconds, 3607);
  assert.equal(r.statusExpirationMs, (IAT + 3607) * 1000);
  assert.equal(r.latestMs, (IAT + 2886) * 1000);
  assert.equal(r.earliestMs, (IAT + 2877) * 1000);
  assert.equal(r.rule, '80%');
  assert.equal(r.why, 'the kubelet refreshes it once 80 % of its 1 h 7 s lifetime has passed (48 min 6 s after issue), up to 9 s earlier at random');
  assert.equal(r.state, 'notYet');
  assert.equal(l.remainingMs, (EXTENDED_SECONDS - 600) * 1000);

  // Later: inside the jitter window, then due, then stale (past warnafter) but still valid.
  assert.equal(analyzeClaims(decoded.payload, (IAT + 2880) * 1000).lifetime.kubeletRefresh?.state, 'inWindow');
  const late = analyzeClaims(decoded.payload, (IAT + 3700) * 1000, 'UTC').lifetime;
  assert.equal(late.kubeletRefresh?.state, 'due');
  assert.equal(late.extended?.stale, true);
  assert.equal(late.validity, 'valid');
  assert.ok(late.notes.some((n) => n.startsWith('past its warn-after time (2025-01-01 01:00:07 UTC, 1 min 33 s ago): still accepted')), late.notes.join('\n'));
});

const plain = (exp: number, extra: Record<string, unknown> = {}) => ({
  iss: ISSUER,
  sub: 'system:serviceaccount:payments:vault-agent',
  aud: 'vault',
  iat: IAT,
  nbf: IAT,
  exp,
  'kubernetes.io': { namespace: 'payments', serviceaccount: { name: 'vault-agent', uid: 's' }, pod: { name: 'p', uid: 'u' } },
  ...extra,
});

test('the 60 s leeway decides expired and not-yet-valid', () => {
  const exp = IAT + 600;
  const at = (s: number) => analyzeClaims(plain(exp), s * 1000, 'UTC').lifetime;
  assert.equal(at(exp).validity, 'valid');
  const grace = at(exp + 30);
  assert.equal(grace.validity, 'valid');
  assert.equal(grace.graceRemainingMs, 30_000);
  assert.match(grace.notes.join('\n'), /past its JWT expiry \(2025-01-01 00:10:00 UTC\) but inside the 60 s of leeway: accepted for 30 s more/);
  assert.equal(at(exp + 60).validity, 'valid', 'exactly 60 s past exp is still accepted: now − 60 s > exp is strict');
  const expired = at(exp + 61);
  assert.equal(expired.validity, 'expired');
  assert.equal(expired.notes[0], 'JWT expiry passed at 2025-01-01 00:10:00 UTC (1 min 1 s ago; more than the 60 s of leeway ago), so the API server rejects it');
  assert.equal(expired.remainingMs, -61_000);
  assert.equal(at(IAT - 60).validity, 'valid');
  assert.equal(at(IAT - 61).validity, 'notYetValid');
  // A 600 s pod-bound token: the kubelet refreshes after 480 s (SPEC A.5 table).
  const r = at(IAT).kubeletRefresh;
  assert.equal(r?.latestMs, (IAT + 480) * 1000);
  assert.equal(at(IAT).requestedLifetimeSeconds, 600);
  assert.equal(at(IAT).extended, undefined);
});

test('long lifetimes use the 24 h rule; tokens not bound to a pod have no kubelet window', () => {
  const v = analyzeClaims(plain(IAT + 144_000), IAT * 1000).lifetime;
  assert.equal(v.kubeletRefresh?.rule, '24h');
  assert.equal(v.kubeletRefresh?.latestMs, (IAT + 86_400) * 1000);
  const notPod = plain(IAT + 86_400);
  notPod['kubernetes.io'] = { namespace: 'calico-system', serviceaccount: { name: 'calico-cni-plugin', uid: 's' } } as never;
  const l = analyzeClaims(notPod, IAT * 1000).lifetime;
  assert.equal(l.kubeletRefresh, undefined);
  assert.ok(l.notes.some((n) => n.startsWith('not bound to a pod: the kubelet does not refresh it')));
});

test('legacy Secret-based tokens never expire', () => {
  const v = analyzeClaims(
    {
      iss: 'kubernetes/serviceaccount',
      sub: 'system:serviceaccount:payments:ci-deployer',
      'kubernetes.io/serviceaccount/namespace': 'payments',
      'kubernetes.io/serviceaccount/secret.name': 'ci-deployer-token',
      'kubernetes.io/serviceaccount/service-account.name': 'ci-deployer',
      'kubernetes.io/serviceaccount/service-account.uid': 'u',
    },
    IAT * 1000,
  );
  assert.equal(v.kind, 'legacySecret');
  assert.deepEqual(v.legacy, { namespace: 'payments', secretName: 'ci-deployer-token', serviceAccountName: 'ci-deployer', serviceAccountUid: 'u' });
  assert.equal(v.lifetime.neverExpires, true);
  assert.equal(v.lifetime.validity, 'valid');
  assert.deepEqual(v.otherClaims, []);
  assert.match(v.lifetime.notes[0] ?? '', /^legacy Secret-based token: no exp, it never expires; it stays valid until the Secret "ci-deployer-token"/);
});

test('tolerates claims of the wrong type', () => {
  const v = analyzeClaims({ exp: 'soon', aud: 5, 'kubernetes.io': 'x', custom: 1 } as never, 0);
  assert.equal(v.exp, undefined);
  assert.deepEqual(v.aud, []);
  assert.equal(v.kind, 'other');
  assert.deepEqual(v.otherClaims, ['custom']);
  assert.equal(v.lifetime.neverExpires, true);
  assert.doesNotThrow(() => analyzeClaims(null as never, 0));
});

test('durations and relative times', () => {
  assert.equal(formatDuration(3607), '1 h 7 s');
  assert.equal(formatDuration(31_536_000), '365 d');
  assert.equal(formatDuration(2886), '48 min 6 s');
  assert.equal(formatDuration(0), '0 s');
  assert.equal(formatDurationShort(3725), '≈1 h 2 min');
  assert.equal(formatDurationShort(90), '1 min 30 s');
  assert.equal(relativeTime(10_000, 0), 'in 10 s');
  assert.equal(relativeTime(0, 7_200_000), '2 h ago');
  assert.equal(relativeTime(0, 200), 'now');
});
