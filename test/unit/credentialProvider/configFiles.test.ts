// SPEC B.1: which files of a config directory the kubelet reads, in Go's string order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { selectConfigFiles } from '../../../src/sim/credentialProvider/configFiles';
import { compareGoStrings } from '../../../src/sim/credentialProvider/goStringOrder';

const file = (path: string) => ({ path, isRegularFile: true });
const byBytes = (a: string, b: string): number => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

test('byte order, not locale order: B.yaml comes before a.yaml', () => {
  assert.deepEqual(selectConfigFiles([file('/etc/kcp/a.yaml'), file('/etc/kcp/B.yaml')]), ['/etc/kcp/B.yaml', '/etc/kcp/a.yaml']);
  assert.ok('a.yaml'.localeCompare('B.yaml') < 0, 'the locale order this test guards against');
});

test('byte order, not UTF-16 order: U+FFFD comes before an emoji', () => {
  const paths = ['/d/\u{1F600}.yaml', '/d/\uFFFD.yaml'];
  assert.deepEqual(selectConfigFiles(paths.map(file)), ['/d/\uFFFD.yaml', '/d/\u{1F600}.yaml']);
  assert.deepEqual([...paths].sort(), ['/d/\u{1F600}.yaml', '/d/\uFFFD.yaml'], 'the code-unit order this test guards against');
});

test('only regular files ending .json, .yaml or .yml (case-sensitive)', () => {
  const entries = [
    file('/d/10-ecr.yaml'),
    file('/d/20-gcr.yml'),
    file('/d/30-acr.json'),
    file('/d/40.YAML'),
    file('/d/50.yaml.bak'),
    file('/d/60.txt'),
    file('/d/70yaml'),
    file('/d/.json'),
    { path: '/d/80-link.yaml', isRegularFile: false },
    { path: '/d/90-dir.json', isRegularFile: false },
  ];
  assert.deepEqual(selectConfigFiles(entries), ['/d/.json', '/d/10-ecr.yaml', '/d/20-gcr.yml', '/d/30-acr.json']);
  assert.deepEqual(selectConfigFiles([]), []);
});

test('property: compareGoStrings orders as the UTF-8 bytes do', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 12 }), (a, b) => {
      assert.equal(Math.sign(compareGoStrings(a, b)), Math.sign(byBytes(a, b)));
    }),
    { numRuns: 2000 },
  );
  // Shared prefixes are where the order is decided by a later character.
  fc.assert(
    fc.property(fc.string({ maxLength: 4 }), fc.string({ unit: 'grapheme', maxLength: 3 }), fc.string({ unit: 'grapheme', maxLength: 3 }), (p, a, b) => {
      assert.equal(Math.sign(compareGoStrings(p + a, p + b)), Math.sign(byBytes(p + a, p + b)));
    }),
    { numRuns: 1000 },
  );
});

test('property: the selection is the matching regular files in byte order', () => {
  const name = fc.tuple(fc.string({ unit: 'grapheme', maxLength: 6 }), fc.constantFrom('.json', '.yaml', '.yml', '.txt', '.YML', ''));
  fc.assert(
    fc.property(fc.array(fc.tuple(name, fc.boolean()), { maxLength: 12 }), (specs) => {
      const entries = specs.map(([[base, ext], regular]) => ({ path: `/etc/kcp/${base}${ext}`, isRegularFile: regular }));
      const want = entries
        .filter((e) => e.isRegularFile && /\.(json|yaml|yml)$/.test(e.path))
        .map((e) => e.path)
        .sort(byBytes);
      assert.deepEqual(selectConfigFiles(entries), want);
    }),
  );
});
