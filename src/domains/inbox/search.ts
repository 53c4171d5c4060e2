// Message search that works for Chinese as well as for spaced scripts, on PGlite and on a
// server alike. PostgreSQL's text parser does not segment Chinese (a sentence is one "word"),
// and pg_trgm is an extension PGlite would have to load and whose trigrams depend on the locale's
// idea of a letter. So the body is indexed as its own lexemes: each word of a spaced script, and
// each overlapping pair of characters of a CJK run (the bigram indexing of Lucene's CJK
// analyzer), stored with array_to_tsvector (no parser involved) under a GIN index. A query is
// turned into lexemes the same way and AND-ed: words match as prefixes, pairs exactly, a single
// CJK character as a prefix.
import { sql, type RawBuilder } from 'kysely';

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const RUNS = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+|[^\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+/gu;
const MAX_TERMS = 2000;
/** Longer "words" (base64, long tokens) are not searchable; PostgreSQL refuses lexemes above 2,046 bytes. */
const MAX_WORD_CHARS = 100;

interface Term {
  lexeme: string;
  prefix: boolean;
}

function terms(text: string): Term[] {
  const out: Term[] = [];
  for (const word of text.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (word.length > MAX_WORD_CHARS) continue;
    for (const run of word.match(RUNS) ?? []) {
      if (!CJK.test(run)) {
        out.push({ lexeme: run, prefix: true });
        continue;
      }
      const chars = [...run];
      if (chars.length === 1) out.push({ lexeme: run, prefix: true });
      for (let i = 0; i + 1 < chars.length; i++) out.push({ lexeme: chars[i]! + chars[i + 1]!, prefix: false });
    }
  }
  return out;
}

/** The tsvector of a message body (null for none). */
export function searchVector(body: string | null | undefined): RawBuilder<unknown> {
  const lexemes = [...new Set(terms(body ?? '').map((t) => t.lexeme))].slice(0, MAX_TERMS);
  return lexemes.length ? sql`array_to_tsvector(${lexemes}::text[])` : sql`null`;
}

/** The tsquery text for a search, or null when it has no searchable term. */
export function searchQuery(q: string): string | null {
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const t of terms(q)) {
    const key = `${t.lexeme}${t.prefix ? ':*' : ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    // Lexemes hold only letters and digits, so quoting needs no escapes.
    parts.push(`'${t.lexeme}'${t.prefix ? ':*' : ''}`);
  }
  return parts.length ? parts.slice(0, 32).join(' & ') : null;
}
