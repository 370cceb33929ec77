/**
 * The registry of scenario sections: one line per model. A new upstream system adds its section
 * (its own folder's section.ts) here and nowhere else in the format package: the rules, the
 * schema, the checks, the normalizer, the serializer and the Scenario type all follow from it.
 *
 * Order matters only for presentation: the file lists every section's settings (in this order),
 * then every section's subjects (in this order); checks run in this order.
 */
import { apiServerSection } from '../apiserver/section';
import { credentialProviderSection } from '../credentialProvider/section';
import { execAuthSection } from '../execAuth/section';
import { kubeletSection } from '../kubelet/section';
import { refresherSection } from '../refresher/section';
import type { AnySection } from '../section';

export const SECTIONS = [
  kubeletSection,
  apiServerSection,
  refresherSection,
  credentialProviderSection,
  execAuthSection,
] as const satisfies readonly AnySection[];

/** The registry as code iterating it sees it. */
export const SECTION_LIST: readonly AnySection[] = SECTIONS;

