/**
 * "Which provider would the kubelet ask for this image, and why not the others": SPEC B.3 step 1 for
 * every provider of a config, in config order, with each matchImages entry's verdict (B.8).
 */
import type { CredentialProviderConfig } from './config';
import { explainUrlsMatch } from './imageMatch';

export interface PatternMatch {
  pattern: string;
  matched: boolean;
  /** Why not, in plain words; absent when it matched. */
  reason?: string;
}

export interface ProviderMatch {
  provider: string;
  index: number;
  matched: boolean;
  /** The first matchImages entry that matched (the kubelet stops there). */
  matchedBy?: string;
  patterns: PatternMatch[];
}

export function explainImage(config: CredentialProviderConfig, image: string): ProviderMatch[] {
  return config.providers.map((provider, index) => {
    const patterns: PatternMatch[] = provider.matchImages.map((pattern) => {
      const verdict = explainUrlsMatch(pattern, image);
      return verdict.matched ? { pattern, matched: true } : { pattern, matched: false, reason: verdict.reason };
    });
    const first = patterns.find((p) => p.matched);
    const result: ProviderMatch = { provider: provider.name, index, matched: first !== undefined, patterns };
    if (first !== undefined) result.matchedBy = first.pattern;
    return result;
  });
}
