/**
 * A client-side token refresher in the normalized Scenario (what the engine runs). The scenario
 * file's `refreshers` section (section.ts) normalizes to these, with these defaults.
 */
import { CALICO_DEFAULT_EXPIRATION_SECONDS } from './calicoRefresher';

/** What the scenario file leaves out; the schema publishes the same constants (SPEC D.6 for the lifetime). */
export const REFRESHER_DEFAULTS = {
  calicoNamespace: 'calico-system',
  calicoServiceAccount: 'calico-cni-plugin',
  calicoExpirationSeconds: CALICO_DEFAULT_EXPIRATION_SECONDS,
} as const;

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
