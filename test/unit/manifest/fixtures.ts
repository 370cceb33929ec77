// The manifests of test/fixtures/manifests/ and the rows `tokens --json` must print for each: one table
// shared by the unit tests and the CLI tests, written from what the API server does (SPEC D.1, D.3).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { TokenRow } from '../../../src/manifest/tokenRows';

function repoRoot(): string {
  for (let dir = process.cwd(); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'test/fixtures/manifests')) && existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error('repository root (with test/fixtures/manifests) not found above the working directory');
  }
}

export const MANIFESTS = join(repoRoot(), 'test/fixtures/manifests');

export function manifest(name: string): string {
  return readFileSync(join(MANIFESTS, name), 'utf8');
}

export function manifestFiles(): string[] {
  return readdirSync(MANIFESTS).filter((f) => f.endsWith('.yaml')).sort();
}

type Who = Pick<TokenRow, 'kind' | 'namespace' | 'name'>;

/** The kube-api-access token ServiceAccount admission adds: 3607 s asked, issued 3607 s, JWT extended. */
function kubeApi(who: Who, containers: string[], volume = 'kube-api-access-xxxxx', addedByAdmission = true): TokenRow {
  return { ...who, volume, path: 'token', audience: null, expirationSeconds: 3607, issuedSeconds: 3607, extended: true, containers, addedByAdmission };
}

function custom(who: Who, volume: string, path: string, audience: string, seconds: number | null, containers: string[]): TokenRow {
  return { ...who, volume, path, audience, expirationSeconds: seconds, issuedSeconds: seconds ?? 3600, extended: false, containers, addedByAdmission: false };
}

const pod = (namespace: string, name: string): Who => ({ kind: 'Pod', namespace, name });

export const EXPECTED_ROWS: Readonly<Record<string, TokenRow[]>> = {
  'automount-disabled.yaml': [kubeApi(pod('tools', 'pod-overrides-sa'), ['tool'])],
  'azure-workload-identity.yaml': [
    custom(pod('payments', 'keyvault-reader'), 'azure-identity-token', 'azure-identity-token', 'api://AzureADTokenExchange', 3600, ['app']),
    kubeApi(pod('payments', 'keyvault-reader'), ['app']),
  ],
  'cronjob.yaml': [
    custom({ kind: 'CronJob', namespace: 'analytics', name: 'nightly-export' }, 'warehouse-token', 'token', 'warehouse.example.com', 1800, ['export']),
    kubeApi({ kind: 'CronJob', namespace: 'analytics', name: 'nightly-export' }, ['export']),
  ],
  'eks-pod-identity.yaml': [
    custom({ kind: 'Deployment', namespace: 'media', name: 'uploader' }, 'eks-pod-identity-token', 'eks-pod-identity-token', 'pods.eks.amazonaws.com', 86400, ['uploader']),
    kubeApi({ kind: 'Deployment', namespace: 'media', name: 'uploader' }, ['uploader']),
  ],
  'irsa.yaml': [
    custom(pod('analytics', 'report-builder'), 'aws-iam-token', 'token', 'sts.amazonaws.com', 86400, ['builder']),
    kubeApi(pod('analytics', 'report-builder'), ['builder']),
  ],
  'istio-sidecar.yaml': [
    custom(pod('bookinfo', 'reviews-v1'), 'istio-token', 'istio-token', 'istio-ca', 43200, ['istio-proxy']),
    // Init containers first, as admission walks them.
    kubeApi(pod('bookinfo', 'reviews-v1'), ['istio-init', 'reviews', 'istio-proxy']),
  ],
  'kube-api-access-deployment.yaml': [kubeApi({ kind: 'Deployment', namespace: 'shop', name: 'web' }, ['migrate', 'web'])],
  'kubectl-get-pods.yaml': [
    // Already admitted: the stored kube-api-access volumes are reused, nothing is added.
    kubeApi(pod('shop', 'cart-7d9c6b5f4-k2x8p'), ['cart'], 'kube-api-access-r4t9z', false),
    custom(pod('shop', 'pricing-0'), 'pricing-api-token', 'token', 'pricing-api', 600, ['pricing']),
    kubeApi(pod('shop', 'pricing-0'), ['pricing'], 'kube-api-access-m8w2q', false),
  ],
  'legacy-secret-pod.yaml': [
    {
      kind: 'Pod',
      namespace: 'default',
      name: 'legacy-batch',
      volume: 'default-token-7xq2k',
      path: 'token',
      audience: null,
      expirationSeconds: null,
      issuedSeconds: null,
      extended: false,
      containers: ['batch'],
      addedByAdmission: false,
      legacySecret: true,
    },
  ],
  'linkerd-proxy.yaml': [
    custom({ kind: 'Deployment', namespace: 'emojivoto', name: 'emoji' }, 'linkerd-identity-token', 'linkerd-identity-token', 'identity.l5d.io', 86400, ['linkerd-proxy']),
    kubeApi({ kind: 'Deployment', namespace: 'emojivoto', name: 'emoji' }, ['linkerd-init', 'linkerd-proxy', 'emoji-svc']),
  ],
  'mirror-pod.yaml': [],
  'no-expiration-seconds.yaml': [
    // Absent expirationSeconds: null as requested, 3600 as issued, never extended.
    custom({ kind: 'StatefulSet', namespace: 'default', name: 'ledger' }, 'ledger-token', 'token', 'ledger.example.com', null, ['ledger']),
    kubeApi({ kind: 'StatefulSet', namespace: 'default', name: 'ledger' }, ['ledger']),
  ],
  'spire-agent.yaml': [
    custom({ kind: 'DaemonSet', namespace: 'spire', name: 'spire-agent' }, 'spire-token', 'spire-agent', 'spire-server', 7200, ['spire-agent']),
    kubeApi({ kind: 'DaemonSet', namespace: 'spire', name: 'spire-agent' }, ['spire-agent']),
  ],
  'vault-agent.yaml': [
    custom(pod('shop', 'orders'), 'vault-token', 'token', 'vault', 7200, ['vault-agent-init', 'vault-agent']),
    kubeApi(pod('shop', 'orders'), ['vault-agent-init', 'orders', 'vault-agent']),
  ],
};
