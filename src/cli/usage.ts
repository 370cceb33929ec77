/** The usage text: printed by --help / help / no arguments (stdout), and after a usage error (stderr). */
export const USAGE = `Usage: kube-token-lens <command> [options]

Predict when Kubernetes service-account tokens are refreshed or expire, on a virtual clock.

Commands:
  simulate <scenario>             Run a scenario file (YAML or JSON) and print a summary per token lane
    --json                        print the trace as JSON instead
    --csv                         print the trace's events as CSV instead
    --html <file>                 write a self-contained interactive HTML report (the timeline) to <file>
    --html-static <file>          write a static HTML report instead (SVG, no scripts)
    --mode skip|step              skip dead time (default) or evaluate every check; same trace
  explain-refresh --ttl <seconds> When and why the kubelet refreshes a token with this expirationSeconds
    --issued <RFC 3339 time>      the token's issue time, to print absolute instants
    --version 1.19|1.20|1.34      kubelet rules to follow (default 1.34)
  decode [token|-]                Decode a JWT (argument, or - / nothing for stdin): header, claims, lifetime
    --jwks <file|url>             also verify the signature against a JWKS
    --issuer <iss>, --audience <aud>  also check these claims
    --json                        print the analysis as JSON
  demo-cluster                    Run the built-in demo Kubernetes API server until Ctrl-C
    --pods N                      extra pods to create (default 0)
    --port P                      listen on 127.0.0.1:P (default: a free port)
    --write-kubeconfig FILE       where to write its kubeconfig (mode 0600)
  check-config <file|dir>         Check a kubelet CredentialProviderConfig as the kubelet does: file:line:col per finding
    --kubelet-version 1.33|1.34   kubelet rules to follow (default 1.34, i.e. 1.34 and later)
    --feature-gate on|off         KubeletServiceAccountTokenForCredentialProviders (default: the version's)
    --json                        print the findings as JSON
  match-image <config> <image>    Which credential providers the kubelet runs for an image, why the others
                                  do not match, and the plugin cache keys it looks up
    --kubelet-version, --feature-gate  as for check-config
  tokens <manifest|->             The service-account tokens each pod of a manifest gets from the API server
                                  (admission applied): audience, lifetime asked for and issued, containers
    --json                        print one row per token as JSON
  blast-radius <manifest|scenario|->  What an API-server outage does to every projected token of the pods:
                                  per token kind certainly / possibly / never expire, the first expiry,
                                  the TokenRequest herd when it ends (ranges over sampled runs)
    --outage D, --at T            how long (default 3h, or a scenario's first outage) and from when (default now)
    --seeds N, --json             runs to sample (default 20); print the whole result as JSON
  lint-kubeconfig [file]          Lint a kubeconfig's users: exec plugins, removed auth-providers
                                  (no file: every file of KUBECONFIG, first wins, else ~/.kube/config)
  help                            Show this help

Options:
  -h, --help                      Show this help
  --version                       Print the version

Exit status: 0 success, 1 invalid scenario, config or manifest, or failed run, 2 usage error,
3 match-image: no provider matches the image.
  lint-kubeconfig: 0 no errors, 1 an error found, 2 no readable kubeconfig or a usage error.

Examples:
  kube-token-lens simulate examples/shop-outage.yaml
  kube-token-lens simulate examples/shop-outage.yaml --html report.html
  kube-token-lens explain-refresh --ttl 3607 --issued 2026-01-01T00:00:00Z
  kubectl create token default | kube-token-lens decode -
  kube-token-lens demo-cluster --pods 5000 --write-kubeconfig demo.kubeconfig
  kube-token-lens check-config examples/credential-providers/ --kubelet-version 1.33
  kube-token-lens match-image examples/credential-providers/ecr-credential-provider.yaml 123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/web:1.4
  kubectl get pods -n shop -o yaml | kube-token-lens tokens -
  KUBECONFIG=~/.kube/config:~/.kube/eks.yaml kube-token-lens lint-kubeconfig
  kube-token-lens blast-radius test/fixtures/manifests/deployment-irsa.yaml --outage 3h --at +1h
  kube-token-lens blast-radius examples/shop-outage.yaml --seeds 50
`;
