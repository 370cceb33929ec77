/**
 * Schema completion and hover latency on large documents (prints figures, never fails on time): a
 * CredentialProviderConfig of ~2,000 lines (YAML, and the same as JSON), completion at a new key in the
 * last provider and at a value, hover over a key, each the median and max of several runs. Every
 * request parses the whole text once, so the figures grow with the file's length.
 *
 * Run: npm run bench -- schema-assist
 */
import { performance } from 'node:perf_hooks';
import { credentialProviderConfigSchema } from '../src/sim/credentialProvider/configSchema';
import { completionsAt } from '../src/vscode/schemaAssist/completions';
import { hoverAt } from '../src/vscode/schemaAssist/hover';
import type { TextFlavor } from '../src/vscode/schemaAssist/yamlPath';

const RUNS = 30;
const schema = credentialProviderConfigSchema();

function yamlConfig(providers: number): string {
  const lines = ['apiVersion: kubelet.config.k8s.io/v1', 'kind: CredentialProviderConfig', 'providers:'];
  for (let i = 0; i < providers; i++) {
    lines.push(
      `  - name: plugin-${i}`,
      '    matchImages:',
      `      - "*.registry-${i}.example.com"`,
      `      - "registry-${i}.example.com:5000/team"`,
      '    defaultCacheDuration: 12h',
      '    apiVersion: credentialprovider.kubelet.k8s.io/v1',
      '    args: [get-credentials]',
      '    env:',
      `      - {name: REGION, value: region-${i}}`,
      '    tokenAttributes:',
      '      serviceAccountTokenAudience: sts.example.com',
    );
  }
  return `${lines.join('\n')}\n`;
}

function measure(label: string, fn: () => number): void {
  const times: number[] = [];
  let results = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    results = fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] ?? 0;
  console.log(`${label.padEnd(48)} median ${median.toFixed(2).padStart(7)} ms   max ${(times[times.length - 1] ?? 0).toFixed(2).padStart(7)} ms   (${results} results)`);
}

const yaml = yamlConfig(182);
const lineCount = yaml.split('\n').length - 1;
const json = JSON.stringify(
  { apiVersion: 'kubelet.config.k8s.io/v1', kind: 'CredentialProviderConfig', providers: Array.from({ length: 182 }, (_, i) => ({ name: `plugin-${i}`, matchImages: [`*.registry-${i}.example.com`], defaultCacheDuration: '12h', apiVersion: 'credentialprovider.kubelet.k8s.io/v1', env: [{ name: 'REGION', value: `r${i}` }] })) },
  null,
  2,
);
console.log(`YAML: ${lineCount} lines, ${yaml.length} bytes; JSON: ${json.split('\n').length} lines, ${json.length} bytes; ${RUNS} runs each`);

const newKeyYaml = `${yaml}      `;
const cases: Array<[string, string, number, TextFlavor]> = [
  ['YAML completion, new key in the last tokenAttributes', newKeyYaml, newKeyYaml.length, 'yaml'],
  ['YAML completion, a value (first provider apiVersion)', yaml, yaml.indexOf('credentialprovider.kubelet'), 'yaml'],
  ['JSON completion, a value (last provider apiVersion)', json, json.lastIndexOf('"credentialprovider.kubelet') + 1, 'json'],
];
for (const [label, text, offset, flavor] of cases) measure(label, () => completionsAt(schema, text, offset, flavor).length);
measure('YAML hover, a key in the last provider', () => (hoverAt(schema, yaml, yaml.lastIndexOf('defaultCacheDuration') + 3) ? 1 : 0));
measure('JSON hover, a key in the last provider', () => (hoverAt(schema, json, json.lastIndexOf('"matchImages"') + 3) ? 1 : 0));
