import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { explainUrlsMatch, goPathMatch, urlsMatchStr } from '../../../src/sim/credentialProvider/imageMatch';
import { explainImage } from '../../../src/sim/credentialProvider/imageExplain';
import type { CredentialProviderConfig } from '../../../src/sim/credentialProvider/config';

// The upstream keyring_test table (URLsMatch), plus the B.8 boundaries.
const CASES: [glob: string, target: string, matched: boolean][] = [
  ['*.kubernetes.io', 'prefix.kubernetes.io', true],
  ['prefix.*.io', 'prefix.kubernetes.io', true],
  ['prefix.kubernetes.*', 'prefix.kubernetes.io', true],
  ['*-good.kubernetes.io', 'prefix-good.kubernetes.io', true],
  ['*.kubernetes.io/blah', 'prefix.kubernetes.io/blah', true],
  ['prefix.*.io/foo', 'prefix.kubernetes.io/foo/bar', true],
  ['*.kubernetes.io', 'prefix.k8s.io', false],
  ['*.kubernetes.io', 'kubernetes.io', false],
  ['*.kubernetes.io', 'a.b.kubernetes.io', false],
  ['*kubernetes.io', 'a.kubernetes.io', false],
  ['prefix.kubernetes.io:1111', 'prefix.kubernetes.io:1111', true],
  ['prefix.kubernetes.io:1111', 'prefix.kubernetes.io:1112', false],
  ['prefix.kubernetes.io', 'prefix.kubernetes.io:1111', false],
  ['prefix.kubernetes.io:1111', 'prefix.kubernetes.io', false],
  ['kubernetes.io/foo', 'kubernetes.io/bar', false],
  ['*.kubernetes.io/foo', 'prefix.kubernetes.io', false],
  // Raw string prefix, not segment-aware.
  ['example.com/pong', 'example.com/pongz', true],
  ['example.com/pong', 'example.com/pon', false],
  ['registry.io', 'registry.io/any/thing:v1', true],
  // '?' starts the URL's query, so the pattern is cut there: "a?.io" is the host "a".
  ['a?.io', 'ab.io', false],
  ['a?.io', 'a', true],
  ['x[a-c]b.io', 'xbb.io', true],
  ['x[a-c]b.io', 'xdb.io', false],
  // '^' may not appear in a URL host, so a negated class never parses in matchImages.
  ['x[^a-c]b.io', 'xdb.io', false],
  // A leading '[' is an IPv6 literal to url.Parse: this pattern does not parse.
  ['[a-c]b.io', 'bb.io', false],
  // Nor may '\\': path.Match escapes cannot be written in a matchImages host.
  ['\\a.io', 'a.io', false],
  // Bad patterns (Go's ErrBadPattern) and parse errors never match.
  ['x[a-.io', 'xa.io', false],
  ['a[.io', 'a.io', false],
  ['a\\', 'a', false],
  ['%invalid%', '%invalid%', false],
  ['registry.io', 'registry.io:port/x', false],
  ['*.io', 'docker.io/library/nginx:latest', true],
  ['*', 'nginx', true],
  ['*', 'nginx:latest', false], // "nginx:latest" has a port that is not digits: a parse error
];

test('urlsMatchStr: the keyring_test table and B.8 boundaries', () => {
  for (const [glob, target, matched] of CASES) {
    assert.equal(urlsMatchStr(glob, target), matched, `${glob} vs ${target}`);
    assert.equal(explainUrlsMatch(glob, target).matched, matched, `${glob} vs ${target} (explain)`);
  }
});

test('explainUrlsMatch: reasons a user understands', () => {
  const reason = (g: string, t: string): string => {
    const r = explainUrlsMatch(g, t);
    assert.ok(!r.matched);
    return r.reason;
  };
  assert.match(reason('registry.io', 'registry.io:5000/a'), /^the image has port 5000, the pattern none/);
  assert.match(reason('registry.io:5000', 'registry.io/a'), /^the image has no port, the pattern port 5000/);
  assert.match(reason('*.*.b.c', 'x.b.c/img'), /^host has 3 parts, the pattern 4: `\*` never matches a dot/);
  assert.equal(reason('r.io/team-a', 'r.io/team-b/app'), 'path /team-b/app does not start with /team-a');
  assert.equal(reason('us-*.pkg.dev', 'eu.pkg.dev/p'), "host part 'eu' does not match 'us-*'");
  assert.match(reason('%zz', 'a'), /^the pattern is not a valid URL: parse "https:\/\/%zz": invalid URL escape "%zz"/);
  assert.match(reason('x[a-', 'xa'), /host part 'x\[a-' is not a valid pattern/);
  assert.match(reason('[a-', 'a'), /^the pattern is not a valid URL: .*missing '\]' in host/);
});

test('goPathMatch: Go path.Match semantics', () => {
  assert.equal(goPathMatch('abc', 'abc'), true);
  assert.equal(goPathMatch('*', 'abc'), true);
  assert.equal(goPathMatch('*c', 'abc'), true);
  assert.equal(goPathMatch('a*', 'a'), true);
  assert.equal(goPathMatch('a*b*c', 'axxbyyc'), true);
  assert.equal(goPathMatch('a*b', 'acb/b'), false);
  assert.equal(goPathMatch('[]a]', ']'), 'badPattern');
  assert.equal(goPathMatch('[\\]a]', ']'), true);
  assert.equal(goPathMatch('[!a]', '!'), true); // '!' is not negation in Go
  assert.equal(goPathMatch('a\\', 'a'), 'badPattern');
  // A mismatch before the bad part still reports the bad pattern (Go checks the rest).
  assert.equal(goPathMatch('x[', 'a'), 'badPattern');
  assert.equal(goPathMatch('[x', 'x'), 'badPattern');
  assert.equal(goPathMatch('', ''), true);
  assert.equal(goPathMatch('', 'a'), false);
});

/** B.8 re-stated directly for a small alphabet where no URL parse error can occur. */
function restated(glob: string, target: string): boolean {
  const split = (s: string) => {
    const slash = s.indexOf('/');
    const hostPort = slash === -1 ? s : s.slice(0, slash);
    const path = slash === -1 ? '' : s.slice(slash);
    const colon = hostPort.indexOf(':');
    return { parts: (colon === -1 ? hostPort : hostPort.slice(0, colon)).split('.'), port: colon === -1 ? '' : hostPort.slice(colon + 1), path };
  };
  const g = split(glob.split('?')[0] ?? ''); // url.Parse cuts the query off
  const t = split(target);
  if (g.port !== t.port || g.parts.length !== t.parts.length || !t.path.startsWith(g.path)) return false;
  return g.parts.every((p, i) => new RegExp(`^${p.replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`).test(t.parts[i] ?? ''));
}

const part = (chars: string) => fc.stringMatching(new RegExp(`^[${chars}]{1,3}$`));
const address = (chars: string) =>
  fc
    .tuple(fc.array(part(chars), { minLength: 1, maxLength: 3 }), fc.option(fc.stringMatching(/^[0-9]{1,2}$/), { nil: undefined }), fc.option(fc.stringMatching(/^(\/[ab]{0,2}){1,2}$/), { nil: undefined }))
    .map(([parts, port, path]) => `${parts.join('.')}${port === undefined ? '' : `:${port}`}${path ?? ''}`);

test('property: urlsMatchStr agrees with a re-statement of B.8', () => {
  fc.assert(
    fc.property(address('ab*?'), address('ab'), (glob, target) => {
      assert.equal(urlsMatchStr(glob, target), restated(glob, target), `${glob} vs ${target}`);
    }),
    { numRuns: 2000 },
  );
});

test('property: explain agrees with match and never throws', () => {
  const text = fc.string({ maxLength: 24 });
  fc.assert(
    fc.property(fc.oneof(text, address('ab*?[]^-\\')), fc.oneof(text, address('ab')), (glob, target) => {
      const e = explainUrlsMatch(glob, target);
      assert.equal(e.matched, urlsMatchStr(glob, target));
      if (!e.matched) assert.ok(e.reason.length > 0);
    }),
    { numRuns: 1500 },
  );
});

test('explainImage: one entry per provider, in config order, with each pattern verdict', () => {
  const config: CredentialProviderConfig = {
    apiVersion: 'kubelet.config.k8s.io/v1',
    kind: 'CredentialProviderConfig',
    providers: [
      { name: 'ecr', apiVersion: 'credentialprovider.kubelet.k8s.io/v1', defaultCacheDuration: 0n, matchImages: ['*.dkr.ecr.*.amazonaws.com'] },
      { name: 'gcr', apiVersion: 'credentialprovider.kubelet.k8s.io/v1', defaultCacheDuration: 0n, matchImages: ['gcr.io', '*.gcr.io', '*.pkg.dev'] },
    ],
  };
  const result = explainImage(config, 'us-docker.pkg.dev/proj/repo/app:v1');
  assert.equal(result.length, 2);
  assert.deepEqual(result.map((r) => [r.provider, r.index, r.matched, r.matchedBy]), [
    ['ecr', 0, false, undefined],
    ['gcr', 1, true, '*.pkg.dev'],
  ]);
  assert.match(result[0]?.patterns[0]?.reason ?? '', /host has 3 parts, the pattern 6/);
  assert.deepEqual(result[1]?.patterns.map((p) => p.matched), [false, false, true]);
});
