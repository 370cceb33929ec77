/**
 * The ExecCredential API versions a kubeconfig's `exec.apiVersion` may name. SPEC C.1: client-go accepts
 * v1beta1 and v1 (v1alpha1 up to 1.23, removed in 1.24); anything else fails when the client is built.
 */
export const EXEC_API_V1 = 'client.authentication.k8s.io/v1';
export const EXEC_API_V1BETA1 = 'client.authentication.k8s.io/v1beta1';
export const EXEC_API_V1ALPHA1 = 'client.authentication.k8s.io/v1alpha1';

export const SUPPORTED_EXEC_API_VERSIONS: readonly string[] = [EXEC_API_V1, EXEC_API_V1BETA1];

/** SPEC C.6: the interactiveMode values client-go knows (case-sensitive). */
export const INTERACTIVE_MODES: readonly string[] = ['Never', 'IfAvailable', 'Always'];
