import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseGoUrl, parseSchemelessUrl } from '../../../src/sim/credentialProvider/goUrl';

const url = (raw: string) => {
  const r = parseGoUrl(raw);
  assert.ok(r.ok, `${raw}: ${r.ok ? '' : r.error}`);
  return r.url;
};
const error = (raw: string): string => {
  const r = parseGoUrl(raw);
  assert.ok(!r.ok, `${raw} should not parse`);
  return r.error;
};

test('parseGoUrl: host, port and path as Go splits them', () => {
  assert.deepEqual(url('https://registry.io:5000/team/app:v1'), { scheme: 'https', host: 'registry.io:5000', hostname: 'registry.io', port: '5000', path: '/team/app:v1' });
  assert.deepEqual(url('https://gcr.io'), { scheme: 'https', host: 'gcr.io', hostname: 'gcr.io', port: '', path: '' });
  // The query and the fragment are cut off; the path is unescaped.
  assert.equal(url('https://a.io/x%2Fy?q=1#frag').path, '/x/y');
  // userinfo is parsed and dropped from the host.
  assert.equal(url('https://user:pw@a.io/p').host, 'a.io');
  // A digest image without a path: the part before '@' is userinfo.
  assert.equal(error('https://busybox@sha256:abc'), 'parse "https://busybox@sha256:abc": invalid port ":abc" after host');
  assert.equal(url('https://[::1]:80/x').hostname, '::1');
  assert.equal(url('HTTPS://A.io').scheme, 'https');
});

test('parseGoUrl: Go error texts', () => {
  assert.equal(error('https://%invalid%'), 'parse "https://%invalid%": invalid URL escape "%in"');
  assert.equal(error('https://a.io/%zz'), 'parse "https://a.io/%zz": invalid URL escape "%zz"');
  assert.equal(error('https://a.io/%4'), 'parse "https://a.io/%4": invalid URL escape "%4"');
  // Hosts may %-escape only non-ASCII bytes.
  assert.equal(error('https://a%41.io'), 'parse "https://a%41.io": invalid URL escape "%41"');
  assert.ok(url('https://a%C3%A9.io').host === 'aé.io');
  assert.equal(error('https://registry.io:port'), 'parse "https://registry.io:port": invalid port ":port" after host');
  assert.equal(error('https://a b.io'), 'parse "https://a b.io": invalid character " " in host name');
  assert.equal(error('https://a{b}.io'), 'parse "https://a{b}.io": invalid character "{" in host name');
  assert.equal(error('https://a.io/\x01'), 'parse "https://a.io/\\x01": net/url: invalid control character in URL');
  assert.equal(error('https://[::1'), `parse "https://[::1": missing ']' in host`);
  assert.equal(error('https://a/b@c.io'.replace('/b', '^b')), 'parse "https://a^b@c.io": net/url: invalid userinfo');
  // A bad fragment is reported with the whole text.
  assert.equal(error('https://a.io#%zz'), 'parse "https://a.io#%zz": invalid URL escape "%zz"');
  assert.equal(error('://x'), 'parse "://x": missing protocol scheme');
});

test('parseGoUrl: wildcards are legal host characters', () => {
  for (const m of ['*.io', '*.*.amazonaws.com', 'us-*.pkg.dev', 'x[a-z].io']) assert.ok(parseSchemelessUrl(m).ok, m);
  // But a leading '[' starts an IPv6 literal, and '?' starts the query.
  assert.equal(parseSchemelessUrl('[a-z].io').ok, false);
  const q = parseSchemelessUrl('a?.io');
  assert.ok(q.ok && q.url.host === 'a');
});

test('property: parseGoUrl never throws and errors quote the input', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 40 }), (s) => {
      const r = parseSchemelessUrl(s);
      if (!r.ok) assert.ok(r.error.startsWith('parse "'), r.error);
    }),
    { numRuns: 500 },
  );
});
