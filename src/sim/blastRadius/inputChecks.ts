/**
 * What makes a BlastRadiusInput unusable, each problem with its field path, in words a Kubernetes user
 * acts on. runBlastRadius refuses input with any of these.
 */
import { KUBELET_VERSIONS } from '../kubelet/kubeletSpec';
import { validateIssuerConfig } from '../apiserver/tokenIssuer';
import { MAX_EXPIRATION_SECONDS, MIN_EXPIRATION_SECONDS } from '../apiserver/tokenRequest';
import { MAX_BLAST_RADIUS_PODS, MAX_BLAST_RADIUS_RUNS, MAX_OUTAGE_MS, type BlastPod, type BlastRadiusInput } from './blastRadiusInput';
import { formatDuration } from '../units/duration';

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

function checkPod(pod: BlastPod, at: string, input: BlastRadiusInput, out: string[]): void {
  if (!isNonEmptyString(pod.namespace)) out.push(`${at}.namespace: must be a non-empty string`);
  if (!isNonEmptyString(pod.name)) out.push(`${at}.name: must be a non-empty string`);
  if (!isNonEmptyString(pod.serviceAccount)) out.push(`${at}.serviceAccount: must be a non-empty string`);
  if (!Array.isArray(pod.tokens)) {
    out.push(`${at}.tokens: must be a list of projected service-account token sources`);
    return;
  }
  const seen = new Set<string>();
  pod.tokens.forEach((t, j) => {
    const tp = `${at}.tokens[${j}]`;
    if (!isNonEmptyString(t.volume)) out.push(`${tp}.volume: must be a non-empty string`);
    if (!isNonEmptyString(t.path)) out.push(`${tp}.path: must be a non-empty string`);
    const file = `${t.volume}/${t.path}`;
    if (seen.has(file)) out.push(`${tp}: the pod already has a token at ${file}`);
    seen.add(file);
    if (t.audience !== undefined && !isNonEmptyString(t.audience)) out.push(`${tp}.audience: must be a non-empty string or left out (the API server's own audiences)`);
    const es = t.expirationSeconds;
    if (es !== undefined) {
      // SPEC D.1 step 5: validated before the max-expiration clamp.
      if (!Number.isInteger(es)) out.push(`${tp}.expirationSeconds: must be a whole number of seconds`);
      else if (es < MIN_EXPIRATION_SECONDS) out.push(`${tp}.expirationSeconds: the API server rejects lifetimes under 10 minutes (600 s)`);
      else if (es > MAX_EXPIRATION_SECONDS) out.push(`${tp}.expirationSeconds: the API server rejects lifetimes over 2^32 seconds`);
    }
  });
  const a = pod.anchor as BlastPod['anchor'] | undefined;
  if (a === undefined || typeof a !== 'object') {
    out.push(`${at}.anchor: must say how the pod's token history is known (issued, started or unknown)`);
  } else if (a.kind === 'started') {
    if (!isFiniteNumber(a.startedAtMs)) out.push(`${at}.anchor.startedAtMs: must be a time`);
  } else if (a.kind === 'issued') {
    if (!Array.isArray(a.issuedAtMs)) out.push(`${at}.anchor.issuedAtMs: must list one issue time per token`);
    else {
      if (a.issuedAtMs.length !== pod.tokens.length) {
        out.push(`${at}.anchor.issuedAtMs: has ${a.issuedAtMs.length} issue time(s) for ${pod.tokens.length} token(s); give one per token, in token order`);
      }
      const from = input.outage.startMs;
      const to = from + input.outage.durationMs;
      a.issuedAtMs.forEach((t, j) => {
        if (!isFiniteNumber(t)) out.push(`${at}.anchor.issuedAtMs[${j}]: must be a time`);
        else if (t >= from && t < to) out.push(`${at}.anchor.issuedAtMs[${j}]: falls inside the outage, when the API server issues no token`);
      });
    }
  } else if (a.kind !== 'unknown') {
    out.push(`${at}.anchor.kind: must be "issued", "started" or "unknown"`);
  }
}

/** Every problem of the input, each starting with its field path; empty when the input is usable. */
export function checkBlastRadiusInput(input: BlastRadiusInput): string[] {
  const out: string[] = [];
  const o = input.outage as BlastRadiusInput['outage'] | undefined;
  if (o === undefined || typeof o !== 'object') out.push('outage: must give the outage start and duration');
  else {
    if (!isFiniteNumber(o.startMs)) out.push('outage.startMs: must be a time');
    if (!isFiniteNumber(o.durationMs) || !(o.durationMs > 0)) out.push('outage.durationMs: the outage must last longer than 0 s');
    else if (o.durationMs > MAX_OUTAGE_MS) out.push(`outage.durationMs: at most ${formatDuration(MAX_OUTAGE_MS)}: past that every token has expired many times over`);
  }
  if (!Number.isInteger(input.runs) || input.runs < 1 || input.runs > MAX_BLAST_RADIUS_RUNS) {
    out.push(`runs: must be a whole number from 1 to ${MAX_BLAST_RADIUS_RUNS}`);
  }
  if (!Number.isSafeInteger(input.seed) || input.seed < 0) out.push('seed: must be a whole number ≥ 0');
  const k = input.kubelet as BlastRadiusInput['kubelet'] | undefined;
  if (k === undefined || typeof k !== 'object') out.push('kubelet: must give the sync frequency and version');
  else {
    if (!Number.isInteger(k.syncFrequencyMs) || !(k.syncFrequencyMs > 0)) out.push('kubelet.syncFrequencyMs: the sync frequency must be a whole number of milliseconds > 0');
    if (!(KUBELET_VERSIONS as readonly string[]).includes(k.version)) out.push(`kubelet.version: must be one of ${KUBELET_VERSIONS.join(', ')}`);
  }
  const s = input.apiServer as BlastRadiusInput['apiServer'] | undefined;
  if (s === undefined || typeof s !== 'object') out.push('apiServer: must give the API server settings');
  else {
    if (!Array.isArray(s.audiences) || s.audiences.length === 0 || !s.audiences.every(isNonEmptyString)) {
      out.push('apiServer.audiences: must list the API server audiences (--api-audiences, by default the issuer)');
    }
    if (!isFiniteNumber(s.maxTokenExpirationSeconds)) out.push('apiServer.maxTokenExpirationSeconds: must be a number of seconds (0: no cap)');
    else {
      // SPEC D.4.
      const problem = validateIssuerConfig({ issuer: '', audiences: [], maxTokenExpirationSeconds: s.maxTokenExpirationSeconds, extendTokenExpiration: true });
      if (problem !== undefined) out.push(`apiServer.maxTokenExpirationSeconds: ${problem}`);
    }
    if (typeof s.extendTokenExpiration !== 'boolean') out.push('apiServer.extendTokenExpiration: must be true or false');
    const x = s.maxExtendedExpirationSeconds;
    if (x !== undefined && (!Number.isInteger(x) || x <= 0)) out.push('apiServer.maxExtendedExpirationSeconds: must be a whole number of seconds > 0');
  }
  if (!Array.isArray(input.pods)) {
    out.push('pods: must be a list of pods');
    return out;
  }
  if (input.pods.length > MAX_BLAST_RADIUS_PODS) {
    out.push(`pods: ${input.pods.length.toLocaleString('en-US')} pods is more than the ${MAX_BLAST_RADIUS_PODS.toLocaleString('en-US')} one analysis takes; narrow the scope`);
    return out;
  }
  if (out.some((p) => p.startsWith('outage'))) return out;
  input.pods.forEach((pod, i) => checkPod(pod, `pods[${i}]`, input, out));
  return out;
}
