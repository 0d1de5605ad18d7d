import * as z from 'zod';

/**
 * Characters no name may hold anywhere: control characters (C0 U+0000–U+001F, DEL, C1), lone surrogates, line and
 * paragraph separators, and the bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) that
 * can make text after a name read differently from what is stored.
 */
const FORBIDDEN = /[\p{Cc}\p{Cs}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;

/**
 * A character that shows: not white space, not a format character (zero-width space and joiners U+200B–U+200D, word
 * joiner U+2060, byte order mark U+FEFF, left-to-right and right-to-left marks), not another default-ignorable code
 * point (e.g. the Hangul fillers), not a combining mark on its own, not the blank braille pattern.
 */
const VISIBLE = /[^\p{White_Space}\p{Cc}\p{Cf}\p{Cs}\p{Z}\p{M}\p{Default_Ignorable_Code_Point}\u2800]/u;

/** The problem with a name, or null when it is fine: for forms that check before sending. */
export function nameProblem(field: string, value: string): string | null {
  if (FORBIDDEN.test(value)) {
    return `${field} must not contain control characters (such as tabs or line breaks), line separators or bidirectional override characters`;
  }
  if (!VISIBLE.test(value)) return `${field} must contain at least one visible character, not only spaces or invisible characters`;
  return null;
}

/**
 * A name or short label: trimmed, 1 to `max` characters, at least one of them visible, no control characters.
 * Names of only zero-width characters, byte order marks or direction marks are refused, since nobody could read or pick
 * them out in a list.
 */
export function visibleText(field: string, max: number) {
  return z
    .string()
    .trim()
    .min(1, `${field} is required`)
    .max(max, `${field} is at most ${max} characters`)
    .superRefine((value, ctx) => {
      // An empty value has its own message (required).
      if (value.length === 0) return;
      const problem = nameProblem(field, value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
}

/**
 * For pages served with a Content-Security-Policy that allows no eval (the web app): zod then never probes for
 * `new Function`, which such a page reports as a violation. Call once at start-up.
 */
export function validateWithoutEval(): void {
  z.config({ jitless: true });
}
