import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cachesPerToken, usesServiceAccountTokens, type CredentialProvider, type ServiceAccountTokenAttributes } from '../../../src/sim/credentialProvider/config';

function provider(tokenAttributes?: ServiceAccountTokenAttributes): CredentialProvider {
  const p: CredentialProvider = { name: 'p', matchImages: ['registry.example.com'], apiVersion: 'credentialprovider.kubelet.k8s.io/v1', defaultCacheDuration: 0n };
  if (tokenAttributes !== undefined) p.tokenAttributes = tokenAttributes;
  return p;
}

test('SPEC B.2 last line: service-account-token mode needs the gate and a non-empty audience', () => {
  const attrs = { serviceAccountTokenAudience: 'registry.example.com', requireServiceAccount: true, cacheType: 'ServiceAccount' };
  assert.equal(usesServiceAccountTokens(provider(attrs), true), true);
  assert.equal(usesServiceAccountTokens(provider(attrs), false), false, 'gate off');
  assert.equal(usesServiceAccountTokens(provider({ ...attrs, serviceAccountTokenAudience: '' }), true), false, 'empty audience');
  assert.equal(usesServiceAccountTokens(provider(), true), false, 'no tokenAttributes');
});

test('SPEC B.4: only cacheType Token, from 1.34, caches per token', () => {
  const attrs = (cacheType?: string): ServiceAccountTokenAttributes => ({ serviceAccountTokenAudience: 'a', ...(cacheType === undefined ? {} : { cacheType }) });
  assert.equal(cachesPerToken(provider(attrs('Token')), '1.34'), true);
  assert.equal(cachesPerToken(provider(attrs('Token')), '1.33'), false, '1.33 has no cacheType');
  assert.equal(cachesPerToken(provider(attrs('ServiceAccount')), '1.34'), false);
  assert.equal(cachesPerToken(provider(attrs('token')), '1.34'), false, 'case-sensitive, as validation');
  assert.equal(cachesPerToken(provider(attrs()), '1.34'), false);
  assert.equal(cachesPerToken(provider(), '1.34'), false);
});
