import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { sha256, sha256Hex } from '../../../src/sim/credentialProvider/sha256';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);
const reference = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

describe('sha256 (SPEC B.3 e: the token hash)', () => {
  test('FIPS 180-4 example vectors', () => {
    assert.equal(sha256Hex(ascii('')), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(sha256Hex(ascii('abc')), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(
      sha256Hex(ascii('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')),
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  test('one million "a" (many blocks)', () => {
    assert.equal(sha256Hex(new Uint8Array(1_000_000).fill(0x61)), 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  });

  test('every length around the padding boundaries agrees with node:crypto', () => {
    for (let n = 0; n <= 200; n++) {
      const data = Uint8Array.from({ length: n }, (_, i) => (i * 31 + n) & 0xff);
      assert.equal(sha256Hex(data), reference(data), `length ${n}`);
    }
  });

  test('property: random bytes hash as node:crypto does', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (data) => {
        assert.equal(sha256Hex(data), reference(data));
        assert.equal(sha256(data).length, 32);
      }),
      { numRuns: 300 },
    );
  });

  test('does not modify its input', () => {
    const data = ascii('token');
    const copy = data.slice();
    sha256(data);
    assert.deepEqual(data, copy);
  });
});
