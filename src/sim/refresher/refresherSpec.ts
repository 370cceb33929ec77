/**
 * A client-side token refresher in the normalized Scenario (what the engine runs). The scenario
 * file's `refreshers` section (section.ts) normalizes to these.
 */

export interface RefresherSpec {
  kind: 'calico';
  name: string;
  namespace: string;
  serviceAccount: string;
  /** Default 86400 (SPEC D.6). */
  expirationSeconds: number;
  /** CNI_TOKEN_REFRESH_INTERVAL, ms (v3.30+). */
  refreshIntervalMs?: number;
}
