/** The demo cluster: an embedded Kubernetes API server for demos, tests and benchmarks. */
export { startDemoCluster, DEMO_CONTEXT, DEMO_CLUSTER, DEMO_USER, DEMO_ADMIN_NAME, type DemoCluster, type DemoClusterOptions } from './server';
export { DemoFaults, type FaultRule, type FaultFailure } from './faults';
export type { DemoPodToken, ApiServerFlags, UserInfo, TokenRequestObject } from './tokens';
export { DEMO_ANNOTATIONS, SA_MOUNT_PATH, DEFAULT_ISSUER } from './objects';
export type { KeyAlg } from './signer';
export type { Status, StatusReason } from './status';
