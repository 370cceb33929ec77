/**
 * fast-check generators of small but nasty scenarios for the engine tests: short and long
 * lifetimes, nil/empty audiences, outages, error rates, latency, deletions, duplicate keys,
 * signers with rotations, refreshers, every kubelet version, any amount of detail.
 */
import fc from 'fast-check';
import type { PodSpec, TokenSource } from '../../../src/sim/kubelet/kubeletSpec';
import type { Scenario } from '../../../src/sim/scenario/types';

const MIN = 60_000;
const HOUR = 60 * MIN;

export const START = Date.UTC(2025, 0, 6, 8, 0, 0);

const tokenArb: fc.Arbitrary<TokenSource> = fc.record(
  {
    path: fc.constantFrom('kube-api-access/token', 'vault/token', 'vault/other', 'aws/token'),
    audiences: fc.option(fc.constantFrom<string[]>([], ['vault'], ['https://kubernetes.default.svc'], ['a', 'b']), { nil: undefined }),
    expirationSeconds: fc.option(fc.constantFrom(600, 601, 700, 1800, 3600, 3607, 7200, 86_400, 144_000, 300), { nil: undefined }),
  },
  { requiredKeys: ['path'] },
).map((t) => {
  const out: TokenSource = { path: t.path };
  if (t.audiences !== undefined) out.audiences = t.audiences;
  if (t.expirationSeconds !== undefined) out.expirationSeconds = t.expirationSeconds;
  return out;
});

const windowArb = (horizon: number): fc.Arbitrary<{ from: number; to: number }> =>
  fc.tuple(fc.integer({ min: 0, max: horizon }), fc.integer({ min: 1, max: 3 * HOUR })).map(([from, len]) => ({ from, to: from + len }));

export function scenarioArb(opts: { maxPods?: number; maxHorizonMs?: number } = {}): fc.Arbitrary<Scenario> {
  const maxPods = opts.maxPods ?? 4;
  const maxHorizon = opts.maxHorizonMs ?? 30 * HOUR;
  return fc
    .record({
      seed: fc.integer({ min: 0, max: 2 ** 31 }),
      horizon: fc.integer({ min: 10 * MIN, max: maxHorizon }),
      version: fc.constantFrom<Scenario['kubelet']['version']>('1.19', '1.20', '1.34'),
      syncFrequencyMs: fc.constantFrom(10_000, 60_000, 60_000, 300_000, 1_200_000),
      maxTokenExpirationSeconds: fc.constantFrom(0, 0, 3600, 7200),
      extend: fc.boolean(),
      errorRate: fc.constantFrom(0, 0, 0.05, 0.3, 1),
      latencyMs: fc.constantFrom(0, 0, 25, 1500),
      pods: fc.array(
        fc.record({
          tokens: fc.array(tokenArb, { minLength: 0, maxLength: 3 }),
          deleteAt: fc.option(fc.integer({ min: 0, max: maxHorizon }), { nil: undefined }),
          sameUidAsPrevious: fc.boolean(),
        }),
        { minLength: 1, maxLength: maxPods },
      ),
      outages: fc.array(fc.integer({ min: 0, max: 1 }), { maxLength: 3 }),
      signer: fc.option(
        fc.record({
          refreshHintSeconds: fc.constantFrom(10, 60, 600, 3600),
          rotations: fc.array(fc.record({ at: fc.integer({ min: 0, max: maxHorizon }), drop: fc.option(fc.integer({ min: 0, max: 2 * HOUR }), { nil: undefined }) }), { maxLength: 3 }),
          outages: fc.array(fc.integer({ min: 0, max: 1 }), { maxLength: 2 }),
        }),
        { nil: undefined },
      ),
      refreshers: fc.array(fc.record({ refreshIntervalMs: fc.option(fc.constantFrom(30_000, 600_000), { nil: undefined }), expirationSeconds: fc.constantFrom(86_400, 3600, 600) }), { maxLength: 2 }),
      maxDetailedLanes: fc.integer({ min: 0, max: 8 }),
      seriesIntervalMs: fc.constantFrom(MIN, 10 * MIN, HOUR),
      outageWindows: fc.array(windowArb(maxHorizon), { maxLength: 3 }),
      signerWindows: fc.array(windowArb(maxHorizon), { maxLength: 2 }),
    })
    .map((r) => {
      const issuer = 'https://kubernetes.default.svc';
      const pods: PodSpec[] = r.pods.map((p, i) => {
        const prevUid = i > 0 && p.sameUidAsPrevious && i % 3 === 0 ? `uid-${i - 1}` : `uid-${i}`;
        const spec: PodSpec = { name: `web-${i}`, namespace: i % 2 === 0 ? 'shop' : 'ops', serviceAccount: i % 3 === 0 ? 'default' : 'web', uid: prevUid, tokens: p.tokens };
        if (p.deleteAt !== undefined) spec.deleteAt = p.deleteAt;
        return spec;
      });
      const s: Scenario = {
        seed: r.seed,
        start: START,
        horizonMs: r.horizon,
        kubelet: { syncFrequencyMs: r.syncFrequencyMs, version: r.version },
        apiServer: {
          issuer,
          audiences: [issuer],
          maxTokenExpirationSeconds: r.maxTokenExpirationSeconds,
          extendTokenExpiration: r.extend,
          outages: r.outageWindows,
          errorRate: r.errorRate,
          latencyMs: r.latencyMs,
        },
        pods,
        refreshers: r.refreshers.map((x, j) => ({
          kind: 'calico' as const,
          name: `calico-${j}`,
          namespace: 'calico-system',
          serviceAccount: 'calico-cni-plugin',
          expirationSeconds: x.expirationSeconds,
          ...(x.refreshIntervalMs === undefined ? {} : { refreshIntervalMs: x.refreshIntervalMs }),
        })),
        output: { maxDetailedLanes: r.maxDetailedLanes, seriesIntervalMs: r.seriesIntervalMs },
      };
      if (r.signer !== undefined) {
        s.signer = {
          refreshHintSeconds: r.signer.refreshHintSeconds,
          rotations: r.signer.rotations.map((x) => (x.drop === undefined ? { at: x.at } : { at: x.at, dropOldKeyAfter: x.drop })),
          outages: r.signerWindows,
        };
      }
      return s;
    });
}
