/**
 * Whether a YAML/JSON text is a scenario file: it has a top-level `horizon` and at least one key that
 * lists things to simulate (a section's subjects: `pods`, `refreshers`, and whatever a registered
 * section adds). Cheap enough to test on every keystroke; no other common Kubernetes file has both.
 */
import { SECTION_LIST } from './sections';

const SUBJECT_KEYS: readonly string[] = SECTION_LIST.flatMap((s) => Object.keys(s.subjects));
const escape = (k: string): string => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const YAML_SUBJECT = new RegExp(`^(${SUBJECT_KEYS.map(escape).join('|')})\\s*:`, 'm');
const JSON_SUBJECT = new RegExp(`"(${SUBJECT_KEYS.map(escape).join('|')})"\\s*:`);

export function looksLikeScenarioText(text: string, format: 'yaml' | 'json'): boolean {
  return format === 'yaml' ? /^horizon\s*:/m.test(text) && YAML_SUBJECT.test(text) : /"horizon"\s*:/.test(text) && JSON_SUBJECT.test(text);
}
