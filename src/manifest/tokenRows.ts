/**
 * Per pod (or pod template) of a manifest: the service-account tokens it gets once the API server
 * has admitted it (SPEC D.3), how the API server issues each one with its default flags (SPEC D.1:
 * defaulting, no max-expiration cap, the kube-api-access extension on), and the legacy token Secrets
 * it mounts. The rows are the CLI's JSON.
 */
import { API_SERVER_DEFAULTS } from '../sim/apiserver/section';
import { issuePlan, type IssuePlanConfig } from '../sim/apiserver/tokenIssuer';
import { legacyTokenSecretVolumesOf, type LegacyTokenSecretVolume, type ProjectedTokenSource } from './podTokenSources';
import { admitServiceAccount, serviceAccountOf, type AdmissionResult, type AdmittedTokenSource } from './serviceAccountAdmission';
import type { ManifestContents, Workload } from './workloads';

/**
 * The suffix shown for a kube-api-access volume admission would add: the API server draws 5 random
 * characters when it stores the pod, so a manifest cannot know them.
 */
export const UNKNOWN_VOLUME_SUFFIX = 'xxxxx';

/** How the API server issues a projected token (SPEC D.1 steps 5–8, default flags). */
export interface TokenIssuance {
  /** spec.expirationSeconds after defaulting (and the cap, which is off by default): the kubelet refreshes on it. */
  issuedSeconds: number;
  /** The JWT's own lifetime (`exp` − `iat`): issuedSeconds, or one year when extended. */
  jwtLifetimeSeconds: number;
  extended: boolean;
}

export interface PodTokens {
  workload: Workload;
  admission: AdmissionResult<Workload['podSpec']>;
  sources: Array<{ source: AdmittedTokenSource; issuance: TokenIssuance }>;
  legacySecrets: LegacyTokenSecretVolume[];
}

/** One row of `tokens --json`. Legacy token Secret rows carry `legacySecret: true` and null lifetimes. */
export interface TokenRow {
  kind: string;
  namespace: string;
  name: string;
  volume: string;
  path: string;
  /** null: no audience, the API server's own. */
  audience: string | null;
  /** As requested in the pod spec; null when absent. */
  expirationSeconds: number | null;
  issuedSeconds: number | null;
  extended: boolean;
  containers: string[];
  addedByAdmission: boolean;
  legacySecret?: true;
}

/** The API server with default flags (no max-expiration cap, the kube-api-access extension on). */
const DEFAULT_API_SERVER: IssuePlanConfig = {
  audiences: [API_SERVER_DEFAULTS.issuer],
  maxTokenExpirationSeconds: API_SERVER_DEFAULTS.maxTokenExpiration,
  extendTokenExpiration: API_SERVER_DEFAULTS.extendTokenExpiration,
};

/** SPEC D.1: the kubelet requests a projected token bound to its pod, with the source's audience and lifetime. */
export function issuanceOf(source: Pick<ProjectedTokenSource, 'audience' | 'expirationSeconds' | 'expirationSecondsDefaulted'>, podName = 'pod'): TokenIssuance {
  // No metadata.uid in the request, so the service account's UID plays no part (SPEC D.1 step 3).
  const tr = {
    spec: {
      ...(source.audience !== undefined ? { audiences: [source.audience] } : {}),
      ...(source.expirationSecondsDefaulted ? {} : { expirationSeconds: source.expirationSeconds }),
      boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: podName },
    },
  };
  const plan = issuePlan(DEFAULT_API_SERVER, 'default', 'default', tr, '');
  // Pod validation (podSpecFields.ts) already refused lifetimes the API server would reject.
  if (!plan.ok) throw new Error(`the API server refuses this token: ${plan.error}`);
  return { issuedSeconds: plan.expirationSeconds, jwtLifetimeSeconds: plan.jwtLifetimeSeconds, extended: plan.extended };
}

/** Every workload's tokens, admission applied with the manifest's own ServiceAccounts where it has them. */
export function podTokensOf(contents: Pick<ManifestContents, 'workloads' | 'serviceAccounts'>, volumeSuffix: () => string = () => UNKNOWN_VOLUME_SUFFIX): PodTokens[] {
  return contents.workloads.map((workload) => {
    const sa = serviceAccountOf(workload.podSpec);
    const known = contents.serviceAccounts.find((s) => s.namespace === workload.namespace && s.name === sa);
    const admission = admitServiceAccount(
      { spec: workload.podSpec, annotations: workload.podMetadata.annotations },
      { volumeSuffix, ...(known?.automountServiceAccountToken !== undefined ? { serviceAccountAutomount: known.automountServiceAccountToken } : {}) },
    );
    return {
      workload,
      admission,
      sources: admission.tokenSources.map((source) => ({ source, issuance: issuanceOf(source, workload.podMetadata.name ?? workload.name) })),
      legacySecrets: legacyTokenSecretVolumesOf({ spec: admission.spec }),
    };
  });
}

const containerNames = (mounts: ReadonlyArray<{ container: string }>): string[] => [...new Set(mounts.map((m) => m.container))];

/** The rows of `tokens --json`: every projected token source, then the legacy token Secrets, per pod. */
export function tokenRowsOf(pods: readonly PodTokens[]): TokenRow[] {
  const rows: TokenRow[] = [];
  for (const { workload: w, sources, legacySecrets } of pods) {
    for (const { source: s, issuance } of sources) {
      rows.push({
        kind: w.kind,
        namespace: w.namespace,
        name: w.name,
        volume: s.volume,
        path: s.path,
        audience: s.audience ?? null,
        expirationSeconds: s.expirationSecondsDefaulted ? null : s.expirationSeconds,
        issuedSeconds: issuance.issuedSeconds,
        extended: issuance.extended,
        containers: containerNames(s.mounts),
        addedByAdmission: s.addedByAdmission,
      });
    }
    for (const l of legacySecrets) {
      rows.push({
        kind: w.kind,
        namespace: w.namespace,
        name: w.name,
        volume: l.volume,
        path: 'token',
        audience: null,
        expirationSeconds: null,
        issuedSeconds: null,
        extended: false,
        containers: containerNames(l.mounts),
        addedByAdmission: false,
        legacySecret: true,
      });
    }
  }
  return rows;
}
