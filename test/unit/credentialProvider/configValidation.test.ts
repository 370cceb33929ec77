import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CredentialProvider, CredentialProviderConfig } from '../../../src/sim/credentialProvider/config';
import { credentialProviderConfigWarnings, validateCredentialProviderConfig } from '../../../src/sim/credentialProvider/configValidation';

const V1 = 'credentialprovider.kubelet.k8s.io/v1';
const ok: CredentialProvider = { name: 'p', matchImages: ['registry.io'], defaultCacheDuration: 60_000_000_000n, apiVersion: V1 };
const cfg = (...providers: CredentialProvider[]): CredentialProviderConfig => ({ apiVersion: 'kubelet.config.k8s.io/v1', kind: 'CredentialProviderConfig', providers });
const messages = (c: CredentialProviderConfig, gate = true, version: '1.33' | '1.34' = '1.34') => validateCredentialProviderConfig(c, gate, version).map((e) => e.message);
const sa = (extra: Partial<NonNullable<CredentialProvider['tokenAttributes']>> = {}): CredentialProvider => ({
  ...ok,
  tokenAttributes: { serviceAccountTokenAudience: 'aud', requireServiceAccount: true, cacheType: 'ServiceAccount', ...extra },
});

test('a valid config has no errors', () => {
  assert.deepEqual(messages(cfg(ok)), []);
  assert.deepEqual(messages(cfg(sa())), []);
  assert.deepEqual(messages(cfg({ ...ok, defaultCacheDuration: 0n })), []);
  assert.deepEqual(messages(cfg({ ...ok, name: '' })), []); // not rejected by validation (SPEC B.2)
});

test('providers empty', () => {
  assert.deepEqual(validateCredentialProviderConfig(cfg(), true, '1.34'), [
    { field: 'providers', index: undefined, subPath: '', message: 'providers: Required value: at least 1 item in plugins is required' },
  ]);
});

test('provider names', () => {
  assert.deepEqual(messages(cfg({ ...ok, name: 'a/b' })), [`providers.name: Invalid value: "a/b": provider name cannot contain '/'`]);
  assert.deepEqual(messages(cfg({ ...ok, name: 'a b' })), ['providers.name: Invalid value: "a b": provider name cannot contain spaces']);
  assert.deepEqual(messages(cfg({ ...ok, name: '.' })), [`providers.name: Invalid value: ".": provider name cannot be '.'`]);
  assert.deepEqual(messages(cfg({ ...ok, name: '..' })), [`providers.name: Invalid value: "..": provider name cannot be '..'`]);
  assert.deepEqual(messages(cfg({ ...ok, name: '...' })), []);
  assert.deepEqual(messages(cfg(ok, ok)), ['providers.name: Duplicate value: "p"']);
  assert.equal(validateCredentialProviderConfig(cfg(ok, ok), true, '1.34')[0]?.index, 1);
});

test('apiVersion', () => {
  assert.deepEqual(messages(cfg({ ...ok, apiVersion: '' })), ['providers.apiVersion: Required value']);
  assert.deepEqual(messages(cfg({ ...ok, apiVersion: 'credentialprovider.kubelet.k8s.io/v2' })), [
    'providers.apiVersion: Unsupported value: "credentialprovider.kubelet.k8s.io/v2": supported values: "credentialprovider.kubelet.k8s.io/v1", "credentialprovider.kubelet.k8s.io/v1alpha1", "credentialprovider.kubelet.k8s.io/v1beta1"',
  ]);
});

test('matchImages', () => {
  assert.deepEqual(messages(cfg({ ...ok, matchImages: [] })), ['providers.matchImages: Required value: at least 1 item in matchImages is required']);
  const errs = validateCredentialProviderConfig(cfg({ ...ok, matchImages: ['ok.io', '%invalid%'] }), true, '1.34');
  assert.deepEqual(errs, [
    {
      field: 'providers.matchImages',
      index: 0,
      subPath: 'matchImages[1]',
      message: 'providers.matchImages: Invalid value: "%invalid%": match image is invalid: parse "https://%invalid%": invalid URL escape "%in"',
    },
  ]);
});

test('defaultCacheDuration: nil, 0, -1ns, 1.33 vs 1.34 texts', () => {
  assert.deepEqual(messages(cfg({ ...ok, defaultCacheDuration: undefined })), ['providers.defaultCacheDuration: Required value']);
  assert.deepEqual(messages(cfg({ ...ok, defaultCacheDuration: 0n })), []);
  assert.deepEqual(messages(cfg({ ...ok, defaultCacheDuration: -1n })), ['providers.defaultCacheDuration: Invalid value: "-1ns": must be greater than or equal to 0']);
  assert.deepEqual(messages(cfg({ ...ok, defaultCacheDuration: -60_000_000_000n }), true, '1.33'), [
    'providers.defaultCacheDuration: Invalid value: -1m0s: defaultCacheDuration must be greater than or equal to 0',
  ]);
});

test('tokenAttributes: feature gate on/off', () => {
  const gateOff = 'providers.tokenAttributes: Forbidden: tokenAttributes is not supported when KubeletServiceAccountTokenForCredentialProviders feature gate is disabled';
  assert.deepEqual(messages(cfg(sa()), false), [gateOff]);
  assert.deepEqual(messages(cfg(sa()), true), []);
  assert.deepEqual(messages(cfg(sa({ cacheType: undefined })), false, '1.33'), [gateOff]);
});

test('tokenAttributes: required fields, apiVersion, requireServiceAccount false', () => {
  assert.deepEqual(messages(cfg(sa({ serviceAccountTokenAudience: '', requireServiceAccount: undefined }))), [
    'providers.tokenAttributes.serviceAccountTokenAudience: Required value',
    'providers.tokenAttributes.requireServiceAccount: Required value',
  ]);
  assert.deepEqual(messages(cfg({ ...sa(), apiVersion: 'credentialprovider.kubelet.k8s.io/v1beta1' })), [
    'providers.tokenAttributes: Forbidden: tokenAttributes is only supported for credentialprovider.kubelet.k8s.io/v1 API version',
  ]);
  assert.deepEqual(messages(cfg(sa({ requireServiceAccount: false, requiredServiceAccountAnnotationKeys: ['a'] }))), [
    'providers.tokenAttributes.requiredServiceAccountAnnotationKeys: Forbidden: requireServiceAccount cannot be false when requiredServiceAccountAnnotationKeys is set',
  ]);
  assert.deepEqual(messages(cfg(sa({ requireServiceAccount: false, optionalServiceAccountAnnotationKeys: ['a'] }))), []);
});

test('tokenAttributes: annotation keys', () => {
  const f = 'providers.tokenAttributes.requiredServiceAccountAnnotationKeys';
  assert.deepEqual(messages(cfg(sa({ requiredServiceAccountAnnotationKeys: ['cantendwithadash-'] }))), [
    `${f}: Invalid value: "cantendwithadash-": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
  ]);
  // Lower-cased before the check: an upper-case prefix passes.
  assert.deepEqual(messages(cfg(sa({ requiredServiceAccountAnnotationKeys: ['Example.COM/Role'] }))), []);
  assert.deepEqual(messages(cfg(sa({ requiredServiceAccountAnnotationKeys: ['a', 'a'] }))), [`${f}: Duplicate value: "a"`]);
  assert.deepEqual(messages(cfg(sa({ optionalServiceAccountAnnotationKeys: ['b', 'b'] }))), ['providers.tokenAttributes.optionalServiceAccountAnnotationKeys: Duplicate value: "b"']);
  // Case matters for duplicates.
  assert.deepEqual(messages(cfg(sa({ requiredServiceAccountAnnotationKeys: ['a', 'A'] }))), []);
  const both = sa({ requiredServiceAccountAnnotationKeys: ['z', 'k'], optionalServiceAccountAnnotationKeys: ['k', 'z'] });
  assert.deepEqual(messages(cfg(both)), ['providers.tokenAttributes: Invalid value: ["k","z"]: annotation keys cannot be both required and optional']);
  assert.deepEqual(messages(cfg({ ...both, tokenAttributes: { ...both.tokenAttributes!, cacheType: undefined } }), true, '1.33'), [
    'providers.tokenAttributes: Invalid value: []string{"k", "z"}: annotation keys cannot be both required and optional',
  ]);
});

test('tokenAttributes: cacheType only from 1.34', () => {
  assert.deepEqual(messages(cfg(sa({ cacheType: undefined }))), [
    'providers.tokenAttributes.cacheType: Required value: cacheType is required to be set when tokenAttributes is specified. Supported values are: ServiceAccount, Token',
  ]);
  assert.deepEqual(messages(cfg(sa({ cacheType: 'Pod' }))), ['providers.tokenAttributes.cacheType: Unsupported value: "Pod": supported values: "ServiceAccount", "Token"']);
  assert.deepEqual(messages(cfg(sa({ cacheType: 'Token' }))), []);
  assert.deepEqual(messages(cfg(sa({ cacheType: undefined })), true, '1.33'), []);
});

test('errors accumulate in upstream order', () => {
  const bad: CredentialProvider = { name: 'a b/', matchImages: [], apiVersion: '', tokenAttributes: { serviceAccountTokenAudience: '' } };
  assert.deepEqual(
    validateCredentialProviderConfig(cfg(bad), false, '1.34').map((e) => e.field),
    [
      'providers.name',
      'providers.name',
      'providers.apiVersion',
      'providers.matchImages',
      'providers.defaultCacheDuration',
      'providers.tokenAttributes',
      'providers.tokenAttributes.serviceAccountTokenAudience',
      'providers.tokenAttributes.requireServiceAccount',
      'providers.tokenAttributes',
      'providers.tokenAttributes.cacheType',
    ],
  );
});

test('our warnings', () => {
  const w = (p: CredentialProvider, gate = true) => credentialProviderConfigWarnings(cfg(p), gate).map((x) => x.subPath);
  assert.deepEqual(w({ ...ok, name: '' }), ['name']);
  assert.deepEqual(w({ ...ok, defaultCacheDuration: 0n }), ['defaultCacheDuration']);
  assert.deepEqual(w({ ...ok, matchImages: ['ok.io', 'https://r.io'] }), ['matchImages[1]']);
  assert.deepEqual(w(sa(), false), ['tokenAttributes']);
  assert.deepEqual(w(sa(), true), []);
  assert.deepEqual(w(ok), []);
});
