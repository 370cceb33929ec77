/**
 * A trace's rule texts as users read them. Events and spans carry the rule that caused them with a
 * citation of our notes on the upstream code ("SPEC A.5 step 5: inside the last 20 % …"): that citation
 * is part of the trace (its digest guards every refactor) and useful in a JSON export, but it means
 * nothing to a Kubernetes user. Every view that shows a rule text to people passes it through here.
 * Pure.
 */

/** One citation: "SPEC A.5", "SPEC A.3–A.7", "SPEC A.5 step 4", "SPEC A.5 steps 2, 4, 5", "SPEC C". */
const REF = String.raw`SPEC [A-D](?:\.\d+)?(?:[–-][A-D]?\.?\d+)?(?: steps? \d+(?:(?:, | and |–)\d+)*)?(?: \/ [A-D]\.\d+)?`;
/** Further sections cited after the first: ", D.2", ", A.8". */
const MORE = String.raw`(?:, [A-D]\.\d+(?: steps? \d+)?)*`;
const CITE = `${REF}${MORE}`;

const ONLY_CITATION = new RegExp(String.raw`\s*\(\s*${CITE}\s*\)`, 'g');
const CITATION_FIRST_IN_PARENS = new RegExp(String.raw`\(\s*${CITE}\s*[,;:]\s*`, 'g');
const CITATION_LAST_IN_PARENS = new RegExp(String.raw`\s*[,;]\s*${CITE}\s*\)`, 'g');
const CITATION_PREFIX = new RegExp(String.raw`(^|[.;]\s+|\n)${CITE}\s*:\s*(\S?)`, 'g');
const CITATION_INLINE = new RegExp(String.raw`[,;]?\s*${CITE}`, 'g');

/** The rule text with every citation of our upstream notes removed, the sentence left intact. */
export function plainRuleText(text: string): string {
  if (!text.includes('SPEC ')) return text;
  return text
    .replace(ONLY_CITATION, '')
    .replace(CITATION_FIRST_IN_PARENS, '(')
    .replace(CITATION_LAST_IN_PARENS, ')')
    // A sentence that began with the citation begins with its first word now.
    .replace(CITATION_PREFIX, (_m, lead: string, first: string) => lead + first.toUpperCase())
    .replace(CITATION_INLINE, '')
    .replace(/ {2,}/g, ' ')
    .replace(/\(\s*\)/g, '')
    .trim();
}
