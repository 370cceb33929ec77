import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isQualifiedName } from '../../../src/sim/credentialProvider/qualifiedName';

const NAME_REGEX_TEXT =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

test('isQualifiedName: valid names and prefixes', () => {
  for (const v of ['a', 'A', '1', 'my.name', 'MyName', '123-abc', 'a_b', 'example.com/my-name', 'eks.amazonaws.com/role-arn', 'x'.repeat(63), `${'a'.repeat(253)}/b`]) {
    assert.deepEqual(isQualifiedName(v), [], v);
  }
});

test('isQualifiedName: upstream messages', () => {
  assert.deepEqual(isQualifiedName('cantendwithadash-'), [`name part ${NAME_REGEX_TEXT}`]);
  assert.deepEqual(isQualifiedName(''), ['name part must be non-empty', `name part ${NAME_REGEX_TEXT}`]);
  assert.deepEqual(isQualifiedName('x'.repeat(64)), ['name part must be no more than 63 characters']);
  assert.deepEqual(isQualifiedName('/a'), ['prefix part must be non-empty']);
  assert.deepEqual(isQualifiedName('Example.com/a'), [
    "prefix part a DNS-1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  ]);
  assert.deepEqual(isQualifiedName(`${'a'.repeat(254)}/b`), ['prefix part must be no more than 253 characters']);
  assert.deepEqual(isQualifiedName('a/b/c'), [
    `a qualified name ${NAME_REGEX_TEXT} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
  ]);
  assert.deepEqual(isQualifiedName('a/'), ['name part must be non-empty', `name part ${NAME_REGEX_TEXT}`]);
});
