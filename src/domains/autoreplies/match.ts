// Keyword rules: exact, contains or a regular expression, compiled with re2js (a JavaScript port
// of RE2): matching time is linear in the text whatever the pattern, so a rule cannot hang the
// worker with catastrophic backtracking, and patterns RE2 cannot run (look-arounds,
// back-references) are refused when the rule is written, not when a customer writes.
import { RE2JS } from 're2js';
import type { MatchKind } from './tables.js';

export const MAX_PATTERN = 200;
/** Longer messages are matched on their first part only. */
const MAX_TEXT = 4000;

export interface KeywordRule {
  match_kind: MatchKind;
  pattern: string;
  case_sensitive: boolean;
}

/** Why a regular expression is refused, or null when it compiles. */
export function regexProblem(pattern: string): string | null {
  try {
    RE2JS.compile(pattern);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : 'Not a valid regular expression';
  }
}

const normalise = (s: string, caseSensitive: boolean) => {
  const t = s.normalize('NFKC').trim().replace(/\s+/g, ' ');
  return caseSensitive ? t : t.toLowerCase();
};

export function matches(rule: KeywordRule, text: string): boolean {
  const subject = text.slice(0, MAX_TEXT);
  if (rule.match_kind === 'regex') {
    const re = RE2JS.compile(rule.pattern, rule.case_sensitive ? 0 : RE2JS.CASE_INSENSITIVE);
    return re.matcher(subject).find();
  }
  const t = normalise(subject, rule.case_sensitive);
  const p = normalise(rule.pattern, rule.case_sensitive);
  return rule.match_kind === 'exact' ? t === p : t.includes(p);
}

/** The first rule (in the order given) that matches the text. */
export const firstMatch = <R extends KeywordRule>(rules: readonly R[], text: string) => rules.find((r) => matches(r, text));
