/**
 * Deterministic pod UIDs. Real pods get random UIDs; a scenario needs the same UID on every run
 * (the UID is part of the token's bound-object reference and the kubelet's cache key, and the
 * trace must be reproducible), so we derive one from "namespace/name" by hashing. The result looks
 * like a UUID and is marked version 8 (RFC 9562: vendor-specific), so it is never mistaken for a
 * random v4 UID taken from a live cluster.
 */

const LANE_SEEDS = [0x811c9dc5, 0x01000193, 0x9e3779b9, 0x85ebca6b] as const;

/**
 * Lane `lane` of a 128-bit non-cryptographic hash: four FNV-1a lanes with different seeds, each
 * finished with murmur3's fmix32. Plain loops (no arrays per call): scenarios expand up to 100,000
 * replicas, each hashed once.
 */
function hashLane(text: string, lane: number): number {
  let h = ((LANE_SEEDS[lane] as number) ^ lane) >>> 0;
  const prime = 0x01000193 + 2 * lane;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, prime) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

const hex8 = (w: number): string => w.toString(16).padStart(8, '0');

/** "shop/web-0" → e.g. "3f1c2a9b-5d4e-8a7b-9c6d-0e1f2a3b4c5d" (always the same for the same input). */
export function podUid(namespace: string, name: string): string {
  const text = `${namespace}/${name}`;
  const hex = hex8(hashLane(text, 0)) + hex8(hashLane(text, 1)) + hex8(hashLane(text, 2)) + hex8(hashLane(text, 3));
  // Version nibble 8, variant bits 10xx (RFC 9562 §5.8).
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
