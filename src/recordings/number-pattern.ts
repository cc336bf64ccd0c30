/**
 * Phone-number search (api.md §2): numbers compare on their ASCII alphanumerics only, and `*` in a
 * pattern matches any run of characters; matching is case-sensitive.
 */

/** The comparable form of a phone number: ASCII letters and digits only (`+1 (617) 264` → `1617264`). */
export function normalizePhoneNumber(value: string): string {
  return value.replace(/[^A-Za-z0-9]/g, '');
}

/** A compiled number filter and the literal parts an index can use. */
export interface NumberPattern {
  /** Normalised pattern, runs of `*` collapsed (`1617*`). */
  text: string;
  /** Set when the pattern has no wildcard. */
  exact?: string;
  /** Literal head when the pattern does not start with `*` (and has one). */
  prefix?: string;
  /** Literal tail when the pattern does not end with `*` (and has one). */
  suffix?: string;
  matches(normalizedNumber: string): boolean;
}

/** Compiles a client's pattern; undefined when nothing comparable is left (e.g. `+`). */
export function compileNumberPattern(raw: string): NumberPattern | undefined {
  const text = raw.replace(/[^A-Za-z0-9*]/g, '').replace(/\*+/g, '*');
  if (text === '') return undefined;
  if (!text.includes('*')) return { text, exact: text, matches: (n) => n === text };
  const segments = text.split('*');
  const head = segments[0];
  const tail = segments[segments.length - 1];
  // Segments are alphanumeric, so they need no escaping inside the regular expression.
  const regex = new RegExp(`^${segments.join('.*')}$`);
  return {
    text,
    prefix: head === '' ? undefined : head,
    suffix: tail === '' ? undefined : tail,
    matches: (n) => regex.test(n),
  };
}

/** The number written backwards: suffix patterns become prefix ranges on this form. */
export function reverseNumber(normalized: string): string {
  return [...normalized].reverse().join('');
}
