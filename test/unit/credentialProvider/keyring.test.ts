import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DockerKeyring, isDefaultRegistryMatch, keyringKey } from '../../../src/sim/credentialProvider/keyring';

const auth = (username: string) => ({ username, password: `pw-${username}` });

test('keyringKey: scheme and /v1/ /v2/ stripped, host + path kept', () => {
  assert.equal(keyringKey('https://registry.io'), 'registry.io');
  assert.equal(keyringKey('http://registry.io:5000/'), 'registry.io:5000');
  assert.equal(keyringKey('registry.io/v1/'), 'registry.io');
  assert.equal(keyringKey('registry.io/v2/team'), 'registry.io/team');
  assert.equal(keyringKey('registry.io/team/app'), 'registry.io/team/app');
  assert.equal(keyringKey('registry.io/v3/x'), 'registry.io/v3/x');
  assert.equal(keyringKey('%zz'), undefined);
});

test('lookup: every matching entry, most specific first (reverse-sorted index)', () => {
  const k = new DockerKeyring();
  k.add({ 'quay.io': auth('host'), 'quay.io/coreos': auth('ns'), 'https://quay.io/coreos/etcd': auth('repo'), 'gcr.io': auth('gcr') });
  assert.deepEqual(k.keys(), ['quay.io/coreos/etcd', 'quay.io/coreos', 'quay.io', 'gcr.io']);
  assert.deepEqual(k.lookup('quay.io/coreos/etcd:v3').map((a) => a.username), ['repo', 'ns', 'host']);
  assert.deepEqual(k.lookup('quay.io/other/x').map((a) => a.username), ['host']);
  // Raw prefix: quay.io/coreos also covers quay.io/coreosx.
  assert.deepEqual(k.lookup('quay.io/coreosx/y').map((a) => a.username), ['ns', 'host']);
  assert.deepEqual(k.lookup('registry.example.com/a'), []);
});

test('lookup: globs in auth keys, ports must match', () => {
  const k = new DockerKeyring();
  k.add({ '*.dkr.ecr.us-east-1.amazonaws.com': auth('ecr'), 'registry.io:5000': auth('port') });
  assert.deepEqual(k.lookup('123.dkr.ecr.us-east-1.amazonaws.com/app').map((a) => a.username), ['ecr']);
  assert.deepEqual(k.lookup('registry.io/app'), []);
  assert.deepEqual(k.lookup('registry.io:5000/app').map((a) => a.username), ['port']);
});

test('lookup: Docker Hub images fall back to index.docker.io', () => {
  const k = new DockerKeyring();
  k.add({ 'https://index.docker.io/v1/': auth('hub') });
  assert.deepEqual(k.keys(), ['index.docker.io']);
  assert.deepEqual(k.lookup('nginx').map((a) => a.username), ['hub']);
  assert.deepEqual(k.lookup('library/nginx').map((a) => a.username), ['hub']);
  assert.deepEqual(k.lookup('docker.io/library/nginx').map((a) => a.username), ['hub']);
  assert.deepEqual(k.lookup('index.docker.io/library/nginx').map((a) => a.username), ['hub']);
  assert.deepEqual(k.lookup('gcr.io/x/y'), []);
});

test('lookup: several adds under one key keep every credential, in order', () => {
  const k = new DockerKeyring();
  k.add({ 'r.io': auth('a') });
  k.add({ 'https://r.io': auth('b') });
  assert.deepEqual(k.keys(), ['r.io']);
  assert.deepEqual(k.lookup('r.io/x').map((a) => a.username), ['a', 'b']);
  assert.equal(k.lookupEntries('r.io/x')[1]?.source, 'https://r.io');
});

test('isDefaultRegistryMatch', () => {
  assert.equal(isDefaultRegistryMatch(''), false);
  assert.equal(isDefaultRegistryMatch('nginx'), true);
  assert.equal(isDefaultRegistryMatch('library/nginx'), true);
  assert.equal(isDefaultRegistryMatch('docker.io/x'), true);
  assert.equal(isDefaultRegistryMatch('index.docker.io/x'), true);
  assert.equal(isDefaultRegistryMatch('gcr.io/x'), false);
  assert.equal(isDefaultRegistryMatch('localhost:5000/x'), false);
  assert.equal(isDefaultRegistryMatch('localhost/x'), true);
  assert.equal(isDefaultRegistryMatch('/x'), false);
});
