/**
 * A self-signed Ed25519 client certificate made with node:crypto alone (Node has no certificate
 * builder, so the DER is written by hand): for tests of plugins that return a cert/key pair.
 */
import { generateKeyPairSync, sign } from 'node:crypto';

function der(tag: number, body: Buffer): Buffer {
  const n = body.length;
  const len = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, body]);
}
const seq = (...parts: Buffer[]): Buffer => der(0x30, Buffer.concat(parts));
const oid = (bytes: number[]): Buffer => der(0x06, Buffer.from(bytes));
const utf8 = (s: string): Buffer => der(0x0c, Buffer.from(s, 'utf8'));
const ED25519 = seq(oid([0x2b, 0x65, 0x70]));
const CN = [0x55, 0x04, 0x03];
const O = [0x55, 0x04, 0x0a];

function utcTime(ms: number): Buffer {
  const iso = new Date(ms).toISOString(); // 2027-01-02T03:04:05.000Z
  const text = `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return der(0x17, Buffer.from(text, 'ascii'));
}

function name(cn: string, org: string): Buffer {
  return seq(der(0x31, seq(oid(O), utf8(org))), der(0x31, seq(oid(CN), utf8(cn))));
}

export interface TestKeyPair {
  certificatePem: string;
  keyPem: string;
  /** A key that does not belong to the certificate. */
  otherKeyPem: string;
}

/** NotAfter is whole seconds (UTCTime): pass a multiple of 1000 to compare exactly. */
export function selfSignedCertificate(commonName: string, organization: string, notBefore: number, notAfter: number): TestKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const tbs = seq(
    der(0xa0, der(0x02, Buffer.from([2]))),
    der(0x02, Buffer.from([0x01, 0x23])),
    ED25519,
    name(commonName, organization),
    seq(utcTime(notBefore), utcTime(notAfter)),
    name(commonName, organization),
    spki,
  );
  const signature = sign(null, tbs, privateKey);
  const cert = seq(tbs, ED25519, der(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const b64 = cert.toString('base64').replace(/.{1,64}/g, '$&\n');
  return {
    certificatePem: `-----BEGIN CERTIFICATE-----\n${b64}-----END CERTIFICATE-----\n`,
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    otherKeyPem: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}
