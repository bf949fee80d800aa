/**
 * Translation of PCRE patterns and MongoDB regex options to JS RegExp. The server compiles
 * with PCRE2 in UTF mode; JS covers the common syntax. Options: i, m, s and u map directly;
 * x (extended) strips unescaped whitespace and #-comments outside character classes here,
 * since JS has no such flag. \A, \z and \Z become their JS equivalents; leading inline option
 * groups such as (?i) become flags.
 */
import { MongoError } from '../../errors/mongo-error.js';

/** Strips extended-mode whitespace and comments, leaving escapes and classes intact. */
function stripExtended(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '\\') {
      out += ch + (pattern[i + 1] ?? '');
      i += 1;
    } else if (inClass) {
      if (ch === ']') inClass = false;
      out += ch;
    } else if (ch === '[') {
      inClass = true;
      out += ch;
    } else if (ch === '#') {
      while (i < pattern.length && pattern[i] !== '\n') i += 1;
    } else if (!/\s/.test(ch)) {
      out += ch;
    }
  }
  return out;
}

/** Rewrites PCRE-only anchors outside character classes. */
function rewriteAnchors(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '\\') {
      const next = pattern[i + 1] ?? '';
      i += 1;
      if (!inClass && next === 'A') out += '(?<![\\s\\S])';
      else if (!inClass && next === 'z') out += '(?![\\s\\S])';
      else if (!inClass && next === 'Z') out += '(?=\\n?(?![\\s\\S]))';
      else out += ch + next;
    } else {
      if (ch === '[') inClass = true;
      else if (ch === ']') inClass = false;
      out += ch;
    }
  }
  return out;
}

/** MongoDB's regex option letters as a set of flags, rejecting unknown letters. */
export function parseRegexOptions(options: string, operator: string): Set<string> {
  const flags = new Set<string>();
  for (const flag of options) {
    if (!'imsux'.includes(flag)) {
      throw new MongoError(51108, `${operator}: invalid flag in regex options: ${flag}`);
    }
    flags.add(flag);
  }
  return flags;
}

/** Compiles a PCRE pattern with MongoDB options into a global JS RegExp. */
export function compilePcre(pattern: string, options: string, operator: string): RegExp {
  const flags = parseRegexOptions(options, operator);
  let source = pattern;
  const inline = /^\(\?([imsx]+)\)/.exec(source);
  if (inline !== null) {
    for (const flag of inline[1] as string) flags.add(flag);
    source = source.slice(inline[0].length);
  }
  if (flags.has('x')) source = stripExtended(source);
  source = rewriteAnchors(source);
  const jsFlags = `g${flags.has('i') ? 'i' : ''}${flags.has('m') ? 'm' : ''}${flags.has('s') ? 's' : ''}`;
  try {
    return new RegExp(source, `${jsFlags}u`);
  } catch {
    // Unicode mode rejects some escapes PCRE accepts (\_, \-, ...); retry without it.
    try {
      return new RegExp(source, jsFlags);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new MongoError(51111, `Invalid Regex in ${operator}: ${reason}`);
    }
  }
}
