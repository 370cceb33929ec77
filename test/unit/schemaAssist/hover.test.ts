// Hover: the key's description with its type, required, allowed values and default.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { credentialProviderConfigSchema } from '../../../src/sim/credentialProvider/configSchema';
import { hoverAt } from '../../../src/vscode/schemaAssist/hover';
import { cursor } from './cursor';

const SCHEMA = credentialProviderConfigSchema();
const hover = (marked: string) => {
  const { text, offset } = cursor(marked);
  const h = hoverAt(SCHEMA, text, offset);
  return h && { ...h, covered: text.slice(h.range.start, h.range.end) };
};
const v1 = 'apiVersion: kubelet.config.k8s.io/v1\nkind: CredentialProviderConfig\nproviders:\n  - name: ecr\n';

test('a key: name, type, required, the description and its range', () => {
  const h = hover(`${v1}    defaultCache|Duration: 12h\n`);
  assert.ok(h);
  assert.equal(h.covered, 'defaultCacheDuration');
  assert.match(h.markdown, /^\*\*defaultCacheDuration\*\* · `string` · required\n\n/);
  assert.match(h.markdown, /`0` means "do not cache"/);
});

test('allowed values with their descriptions, and the default', () => {
  const h = hover(`${v1}    apiVer|sion: credentialprovider.kubelet.k8s.io/v1\n`);
  assert.match(h?.markdown ?? '', /Allowed values:\n- `credentialprovider.kubelet.k8s.io\/v1`\n/);
  assert.match(h?.markdown ?? '', /Default: `credentialprovider.kubelet.k8s.io\/v1`\./);
  const cache = hover(`${v1}    tokenAttributes:\n      cacheType: To|ken\n`);
  assert.match(cache?.markdown ?? '', /- `Token`: Cache per token/);
  assert.match(hover('ki|nd: CredentialProviderConfig\n')?.markdown ?? '', /Must be `CredentialProviderConfig`\./);
});

test('tokenAttributes has no hover in a v1beta1 file (the kubelet does not know it there)', () => {
  assert.equal(hover(`${v1.replace('/v1\n', '/v1beta1\n')}    tokenAttr|ibutes: {}\n`), undefined);
  assert.ok(hover(`${v1}    tokenAttr|ibutes: {}\n`));
});

test('JSON, and nothing over an unknown key', () => {
  assert.match(hover('{"kind": "CredentialProviderConfig", "providers": [{"match|Images": []}]}')?.markdown ?? '', /\*\*matchImages\*\*/);
  assert.equal(hover(`${v1}    unkn|own: 1\n`), undefined);
});
