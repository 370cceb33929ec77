import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeClaims } from '../../../src/token/claims';
import { describeSummary, legacySecretFindings, summarize, tokenFindings, type HealthKind } from '../../../src/token/health';

const IAT = 1_735_689_600; // 2025-01-01T00:00:00Z, seconds
const S = 1000;

/** A pod-bound payload as the API server signs it; extended = a kube-api-access token (3607 s + a year). */
function bound(opts: { lifetime: number; extended?: boolean; saUid?: string }): Record<string, unknown> {
  const k8s: Record<string, unknown> = {
    namespace: 'shop',
    pod: { name: 'web-0', uid: 'p-uid' },
    serviceaccount: { name: 'web', uid: opts.saUid ?? 's-uid' },
  };
  if (opts.extended) k8s.warnafter = IAT + 3607;
  return {
    iss: 'https://kubernetes.default.svc',
    sub: 'system:serviceaccount:shop:web',
    aud: ['api'],
    iat: IAT,
    nbf: IAT,
    exp: IAT + (opts.extended ? 31_536_000 : opts.lifetime),
    'kubernetes.io': k8s,
  };
}

function kinds(payload: Record<string, unknown>, nowMs: number, extra: { fromKubelet?: boolean; serviceAccountUid?: string } = {}): HealthKind[] {
  return tokenFindings({
    subject: 'shop/web-0 token',
    view: analyzeClaims(payload, nowMs),
    fromKubelet: extra.fromKubelet ?? true,
    nowMs,
    ...(extra.serviceAccountUid !== undefined ? { serviceAccountUid: extra.serviceAccountUid } : {}),
  }).map((f) => f.kind);
}

test('a fresh token has no findings', () => {
  assert.deepEqual(kinds(bound({ lifetime: 3600 }), (IAT + 60) * S, { serviceAccountUid: 's-uid' }), []);
});

test('expired: only past exp plus the 60 s leeway (SPEC D.2)', () => {
  assert.ok(!kinds(bound({ lifetime: 600 }), (IAT + 600 + 59) * S).includes('expired'), 'inside the leeway');
  assert.ok(kinds(bound({ lifetime: 600 }), (IAT + 600 + 61) * S).includes('expired'));
});

test('refresh overdue: strictly after the latest refresh instant of the kubelet rule, 80 % of 600 s = 480 s (SPEC A.5)', () => {
  assert.ok(!kinds(bound({ lifetime: 600 }), (IAT + 480) * S).includes('refreshOverdue'), 'at the latest instant it is not yet overdue');
  assert.ok(kinds(bound({ lifetime: 600 }), (IAT + 481) * S).includes('refreshOverdue'));
  assert.ok(!kinds(bound({ lifetime: 600 }), (IAT + 481) * S, { fromKubelet: false }).includes('refreshOverdue'), 'a minted token is not the kubelet’s to refresh');
  // Once expired, "expired" says it all.
  assert.deepEqual(kinds(bound({ lifetime: 600 }), (IAT + 700) * S), ['expired']);
});

test('an extended kube-api-access token: refresh overdue after 2886 s, past warn-after after 3607 s, never expired for a year', () => {
  assert.deepEqual(kinds(bound({ lifetime: 0, extended: true }), (IAT + 2800) * S), []);
  assert.deepEqual(kinds(bound({ lifetime: 0, extended: true }), (IAT + 3000) * S), ['refreshOverdue']);
  assert.deepEqual(kinds(bound({ lifetime: 0, extended: true }), (IAT + 4000) * S), ['refreshOverdue', 'pastWarnAfter']);
});

test('service-account uid mismatch: the ServiceAccount was recreated', () => {
  assert.ok(kinds(bound({ lifetime: 3600 }), (IAT + 60) * S, { serviceAccountUid: 'other' }).includes('uidMismatch'));
  assert.ok(!kinds(bound({ lifetime: 3600 }), (IAT + 60) * S).includes('uidMismatch'), 'unknown uid: no claim');
});

test('a legacy Secret token is flagged as never expiring', () => {
  const legacy = {
    iss: 'kubernetes/serviceaccount',
    sub: 'system:serviceaccount:payments:ci',
    'kubernetes.io/serviceaccount/namespace': 'payments',
    'kubernetes.io/serviceaccount/secret.name': 'ci-token',
    'kubernetes.io/serviceaccount/service-account.uid': 'sa-1',
  };
  assert.deepEqual(kinds(legacy, IAT * S), ['legacySecret']);
  assert.deepEqual(kinds(legacy, IAT * S, { serviceAccountUid: 'sa-2' }), ['uidMismatch', 'legacySecret']);
});

test('namespace legacy Secrets and aggregation: worst wins, worst first', () => {
  assert.deepEqual(legacySecretFindings('payments', []), []);
  const ns = legacySecretFindings('payments', ['a', 'b', 'c', 'd']);
  assert.match(ns[0]?.message ?? '', /4 legacy token Secrets \(a, b, c and 1 more\)/);
  const pod = tokenFindings({ subject: 'payments/x', view: analyzeClaims(bound({ lifetime: 600 }), (IAT + 700) * S), fromKubelet: true, nowMs: (IAT + 700) * S });
  const summary = summarize([...ns, ...pod]);
  assert.equal(summary.worst, 'expired');
  assert.deepEqual(summary.findings.map((f) => f.kind), ['expired', 'legacySecret']);
  assert.equal(summarize([]).worst, undefined);
  const lines = describeSummary(summary);
  assert.match(lines[0] ?? '', /^Token expired: payments\/x: the JWT expired 1 min 40 s ago/);
  assert.ok(!lines.join('\n').match(/SPEC|notYet|\d{12}/), 'no internal names or epoch numbers in user-facing text');
});
