import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { decodeCommand, type DecodeIO } from '../../src/cli/decodeCommand';

const IAT = 1_735_689_600; // 2025-01-01T00:00:00Z
const ISSUER = 'https://kubernetes.default.svc.cluster.local';

function io(opts: { stdin?: string; files?: Record<string, string>; now?: number; urls?: Record<string, string> } = {}) {
  let out = '';
  let err = '';
  const fake: DecodeIO = {
    stdout: (t) => void (out += t),
    stdoutChunks: async (chunks) => {
      for (const t of chunks) out += t;
    },
    stderr: (t) => void (err += t),
    readFile: (p) => (opts.files?.[p] !== undefined ? Promise.resolve(opts.files[p] as string) : Promise.reject(new Error(`ENOENT: no such file or directory, open '${p}'`))),
    writeFile: () => Promise.resolve(),
    removeFile: () => Promise.resolve(),
    isTTY: false,
    readStdin: () => Promise.resolve(opts.stdin ?? ''),
    readAsset: () => Promise.reject(new Error('no assets')),
    now: () => opts.now ?? (IAT + 600) * 1000,
    timeZone: 'UTC',
    fetchText: (u) => (opts.urls?.[u] !== undefined ? Promise.resolve(opts.urls[u] as string) : Promise.reject(new Error('HTTP 404 Not Found'))),
  };
  return { io: fake, out: () => out, err: () => err };
}

async function setup() {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }] });
  const token = await new SignJWT({
    'kubernetes.io': { namespace: 'shop', pod: { name: 'web-0', uid: 'p' }, node: { name: 'node-1', uid: 'n' }, serviceaccount: { name: 'web', uid: 's' }, warnafter: IAT + 3607 },
  })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
    .setIssuer(ISSUER)
    .setSubject('system:serviceaccount:shop:web')
    .setAudience([ISSUER])
    .setIssuedAt(IAT)
    .setNotBefore(IAT)
    .setExpirationTime(IAT + 31_536_000)
    .sign(privateKey);
  return { token, jwks };
}

test('decode: human output from stdin, with times and the lifetime analysis', async () => {
  const { token } = await setup();
  const f = io({ stdin: `Bearer ${token}\n` });
  assert.equal(await decodeCommand([], f.io), 0);
  const out = f.out();
  const has = (line: string) => assert.ok(out.includes(`${line}\n`), `missing line ${JSON.stringify(line)} in:\n${out}`);
  assert.ok(out.startsWith('Header\n  alg  ES256\n  kid  k1\n'));
  has('  sub  system:serviceaccount:shop:web  (service account shop/web)');
  has('  iat  2025-01-01 00:00:00 UTC  (10 min ago)');
  has('  exp  2026-01-01 00:00:00 UTC  (in ≈364 d 23 h)');
  has('    warnafter       2025-01-01 01:00:07 UTC  (in 50 min 7 s)');
  has('  issued for       365 d (exp − iat)');
  has('  requested        1 h 7 s');
  has('  kubelet expiry   2025-01-01 01:00:07 UTC  (Kubelet expiry in 50 min 7 s)');
  has('  jwt expiry       2026-01-01 00:00:00 UTC  (JWT expiry in ≈364 d 23 h)');
  has('  warn after       2025-01-01 01:00:07 UTC  (Warn after in 50 min 7 s)');
  has('  kubelet refresh  2025-01-01 00:47:57 UTC … 2025-01-01 00:48:06 UTC  (in 37 min 57 s)');
  has('  - requested for 1 h 7 s, and the API server extended the JWT to one year; the kubelet still refreshes it about 48 min 6 s after issue');
  assert.doesNotMatch(out, /SPEC|notYet|inWindow|31536000/);
  assert.equal(f.err(), '');
});

test('decode --jwks: verified (exit 0), tampered or wrong issuer (exit 1, reason)', async () => {
  const { token, jwks } = await setup();
  const ok = io({ files: { 'keys.json': jwks } });
  assert.equal(await decodeCommand([token, '--jwks', 'keys.json', '--issuer', ISSUER], ok.io), 0);
  assert.ok(ok.out().includes('Verification\n  OK: signature verified with kid k1'), ok.out());
  const viaUrl = io({ urls: { 'https://issuer.example/keys': jwks } });
  assert.equal(await decodeCommand([token, '--jwks', 'https://issuer.example/keys'], viaUrl.io), 0);

  const [h, p, s] = token.split('.') as [string, string, string];
  const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
  const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, sub: 'system:serviceaccount:kube-system:admin' })).toString('base64url')}.${s}`;
  const bad = io({ files: { 'keys.json': jwks } });
  assert.equal(await decodeCommand([forged, '--jwks', 'keys.json'], bad.io), 1);
  assert.equal(bad.err(), 'kube-token-lens decode: verification failed: signature does not match any key (kid "k1"): the token was altered or signed by a different key\n');
  const iss = io({ files: { 'keys.json': jwks } });
  assert.equal(await decodeCommand([token, '--jwks', 'keys.json', '--issuer', 'https://other'], iss.io), 1);
  assert.match(iss.err(), /verification failed: issuer "https:\/\/kubernetes\.default\.svc\.cluster\.local" is not "https:\/\/other"/);
  const late = io({ files: { 'keys.json': jwks }, now: (IAT + 31_536_000 + 61) * 1000 });
  assert.equal(await decodeCommand([token, '--jwks', 'keys.json'], late.io), 1);
  assert.match(late.err(), /verification failed: expired at 2026-01-01T00:00:00Z \(1 min 1 s ago; more than 60 s ago\)/);
  const missing = io();
  assert.equal(await decodeCommand([token, '--jwks', 'nope.json'], missing.io), 1);
  assert.match(missing.err(), /cannot read the JWKS nope\.json: ENOENT/);
});

test('decode --json', async () => {
  const { token, jwks } = await setup();
  const f = io({ files: { k: jwks } });
  assert.equal(await decodeCommand(['-', '--json', '--jwks', 'k'], { ...f.io, readStdin: () => Promise.resolve(token) }), 0);
  const j = JSON.parse(f.out()) as { header: { kid: string }; analysis: { kind: string; lifetime: { requestedLifetimeSeconds: number } }; verification: { ok: boolean; kid: string } };
  assert.equal(j.header.kid, 'k1');
  assert.equal(j.analysis.kind, 'bound');
  assert.equal(j.analysis.lifetime.requestedLifetimeSeconds, 3607);
  assert.deepEqual(j.verification, { ok: true, kid: 'k1' });
});

test('decode: malformed → 1 with the precise error; usage → 2', async () => {
  const m = io();
  assert.equal(await decodeCommand(['a.b'], m.io), 1);
  assert.equal(m.err(), 'kube-token-lens decode: malformed token (format): expected 3 dot-separated parts, got 2\n');
  const u = io();
  assert.equal(await decodeCommand(['--frobnicate'], u.io), 2);
  assert.match(u.err(), /^kube-token-lens decode: unknown option --frobnicate\n\nUsage: kube-token-lens decode/);
  assert.equal(await decodeCommand(['a', 'b'], io().io), 2);
  assert.equal(await decodeCommand(['x', '--issuer', 'i'], io().io), 2);
  const help = io();
  assert.equal(await decodeCommand(['--help'], help.io), 0);
  assert.match(help.out(), /^Usage: kube-token-lens decode/);
});
