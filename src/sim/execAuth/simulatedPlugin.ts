/**
 * The credential plugin a kubeconfig user runs (aws eks get-token, kubelogin, gke-gcloud-auth-plugin
 * …) as the scenario describes it: what one run prints, exits with, and how long it takes. Not
 * client-go: the authenticator (authenticator.ts) decodes and checks whatever this prints.
 *
 * One instance per user, shared by every process of that user, because a plugin's disk cache is a
 * file on the machine: a fresh kubectl process starts with an empty in-memory cache but the plugin
 * may still hand it the credential it stored for the previous one.
 */
import type { RandomSource } from '../random';
import { formatDateTime } from '../units/datetime';
import type { Credentials, PluginRunAnswer } from './authenticator';
import type { ExecPluginBehaviour } from './execAuthSpec';
import { checkPemKeyPair, type KeyPairParser } from './execCredential';

/** One credential the identity provider issued (the disk cache may hand it out many times). */
export interface IssuedCredential {
  /** 1, 2, … per user: what the trace shows instead of the token. */
  readonly serial: number;
  readonly issuedAt: number;
  /** Whole seconds, as the RFC 3339 expirationTimestamp carries it; undefined: none. */
  readonly expiresAt?: number;
  /**
   * The token text the plugin prints; simulated, never a real secret. A plugin that returns
   * certificates prints a certificate instead, whose subject is this text.
   */
  readonly token: string;
}

const pemBlock = (type: string, body: string): string => `-----BEGIN ${type}-----\n${body}\n-----END ${type}-----\n`;
/** The same simulated key with every certificate: only the certificate tells credentials apart. */
const SIMULATED_KEY = pemBlock('EC PRIVATE KEY', 'c2ltdWxhdGVkIGtleQ==');

export interface PluginRunResult {
  readonly answer: PluginRunAnswer;
  /** The credential printed, for a run that answered. */
  readonly credential?: IssuedCredential;
  /** The answer came from the plugin's disk cache. */
  readonly fromDiskCache: boolean;
  readonly exitCode?: number;
}

/** A run in progress: it ends after `latencyMs`, and `finish` (called then, once) gives its output. */
export interface PluginRun {
  readonly latencyMs: number;
  finish(end: number): PluginRunResult;
}

export class SimulatedPlugin {
  private runs = 0;
  private issued = 0;
  private disk: IssuedCredential | undefined;
  private readonly byToken = new Map<string, IssuedCredential>();
  private readonly byCertificate = new Map<string, IssuedCredential>();

  constructor(
    private readonly behaviour: ExecPluginBehaviour,
    private readonly apiVersion: string,
    private readonly userName: string,
    private readonly random: RandomSource,
  ) {}

  /** The credential a token stands for (the API server's view of it). */
  credential(token: string | undefined): IssuedCredential | undefined {
    return token === undefined ? undefined : this.byToken.get(token);
  }

  /** The credential a request presents: its bearer token, else its client certificate (by subject). */
  presented(creds: Pick<Credentials, 'token' | 'certificate'>): IssuedCredential | undefined {
    return this.credential(creds.token ?? creds.certificate?.subject);
  }

  /**
   * Hands the authenticator the PEM checks it does anyway, plus the subject of a certificate this
   * plugin printed (the pure core has no X.509 parser), so `presented` finds it again.
   */
  readonly keyPair: KeyPairParser = (certificateData, keyData) => {
    const r = checkPemKeyPair(certificateData, keyData);
    const issued = this.byCertificate.get(certificateData);
    return r.ok && issued !== undefined ? { ...r, subject: issued.token } : r;
  };

  /**
   * A run that starts at `t`: how long it takes and what it prints when it ends. Its exit and a disk
   * cache hit are decided when it starts (a hit is a quick file read); a new credential is issued when
   * it ends, so its expiry counts from then.
   */
  start(t: number): PluginRun {
    const b = this.behaviour;
    if (!b.installed) return { latencyMs: 0, finish: () => ({ answer: { kind: 'notFound' }, fromDiskCache: false }) };
    const scripted = b.exitCodes[this.runs % b.exitCodes.length] ?? 0;
    this.runs++;
    // The random draw happens on every run, so a script change never shifts later draws.
    const random = b.errorRate > 0 && this.random.float() < b.errorRate;
    const code = scripted !== 0 ? scripted : random ? 1 : 0;
    if (code !== 0) return { latencyMs: b.latencyMs, finish: () => ({ answer: { kind: 'exit', code, stderr: 'simulated failure' }, fromDiskCache: false, exitCode: code }) };
    const cached = this.fromDisk(t);
    if (cached !== undefined) {
      const latencyMs = b.diskCache?.hitLatencyMs ?? b.latencyMs;
      return { latencyMs, finish: () => ({ answer: { kind: 'output', stdout: this.stdout(cached) }, credential: cached, fromDiskCache: true }) };
    }
    return {
      latencyMs: b.latencyMs,
      finish: (end) => {
        const credential = this.issue(end);
        return { answer: { kind: 'output', stdout: this.stdout(credential) }, credential, fromDiskCache: false };
      },
    };
  }

  /** The stored credential while more than refreshWhenLessThan remain (forever without an expiry). */
  private fromDisk(t: number): IssuedCredential | undefined {
    const cache = this.behaviour.diskCache;
    const c = this.disk;
    if (cache === undefined || c === undefined) return undefined;
    if (c.expiresAt !== undefined && c.expiresAt - t < cache.refreshWhenLessThanMs) return undefined;
    return c;
  }

  private issue(t: number): IssuedCredential {
    const serial = ++this.issued;
    const lifetime = this.behaviour.credentialLifetimeMs;
    // RFC 3339 in the output carries whole seconds (Go's metav1.Time drops the fraction).
    const expiresAt = lifetime === undefined ? undefined : Math.floor((t + lifetime) / 1000) * 1000;
    const credential: IssuedCredential = {
      serial,
      issuedAt: t,
      ...(expiresAt === undefined ? {} : { expiresAt }),
      token: `simulated-${this.userName}-${serial}`,
    };
    this.byToken.set(credential.token, credential);
    if (this.behaviour.returns === 'certificate') this.byCertificate.set(certificatePem(serial), credential);
    if (this.behaviour.diskCache !== undefined) this.disk = credential;
    return credential;
  }

  private stdout(c: IssuedCredential): string {
    const status: Record<string, string> =
      this.behaviour.returns === 'certificate' ? { clientCertificateData: certificatePem(c.serial), clientKeyData: SIMULATED_KEY } : { token: c.token };
    if (c.expiresAt !== undefined) status.expirationTimestamp = formatDateTime(c.expiresAt);
    return JSON.stringify({ apiVersion: this.apiVersion, kind: 'ExecCredential', status });
  }
}

/** A different certificate per credential: its body is the serial, in base64's alphabet and length. */
function certificatePem(serial: number): string {
  return pemBlock('CERTIFICATE', `c2ltdWxhdGVk${String(serial).padStart(8, '0')}`);
}
