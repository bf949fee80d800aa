/**
 * The fixed parts of the PCRE-to-ECMAScript translation: character sets PCRE names, the
 * escapes whose meaning does not depend on context, and error construction.
 */
import { MongoError } from '../../errors/mongo-error.js';

export function invalidRegex(reason: string): MongoError {
  return new MongoError(51091, `Regular expression is invalid: ${reason}`);
}

export const asciiSpace = '\\t\\n\\x0b\\f\\r ';
export const horizontalSpace = '\\t \\xa0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000';
export const verticalSpace = '\\n\\x0b\\f\\r\\x85\\u2028\\u2029';
const syntaxCharacters = '^$\\.*+?()[]{}|/';

export const posixClasses: Readonly<Record<string, string>> = {
  alnum: 'a-zA-Z0-9',
  alpha: 'a-zA-Z',
  ascii: '\\x00-\\x7f',
  blank: ' \\t',
  cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9',
  graph: '\\x21-\\x7e',
  lower: 'a-z',
  print: '\\x20-\\x7e',
  punct: '!-\\/:-@\\[-`{-~',
  space: asciiSpace,
  upper: 'A-Z',
  word: '\\w',
  xdigit: '0-9A-Fa-f',
};

const generalCategories = new Set(
  'C Cc Cf Cn Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs'.split(
    ' ',
  ),
);

/** Escapes outside classes whose translation needs no lookahead. */
export const escapeOutsideClass: Readonly<Record<string, string>> = {
  A: '(?<![\\s\\S])',
  z: '(?![\\s\\S])',
  Z: '(?=\\n?(?![\\s\\S]))',
  b: '\\b',
  B: '\\B',
  s: `[${asciiSpace}]`,
  S: `[^${asciiSpace}]`,
  h: `[${horizontalSpace}]`,
  H: `[^${horizontalSpace}]`,
  v: `[${verticalSpace}]`,
  V: `[^${verticalSpace}]`,
  R: `(?:\\r\\n|[${verticalSpace}])`,
  N: '[^\\n]',
};

/** PCRE escapes with no JS counterpart. */
export const unsupportedEscapes = new Set(['G', 'K', 'X', 'C']);

export function literal(c: string, inClass: boolean): string {
  if (syntaxCharacters.includes(c) || (inClass && c === '-')) return '\\' + c;
  return c;
}

export function codePoint(digits: string, radix: number): string {
  const value = parseInt(digits, radix);
  if (!Number.isFinite(value) || value > 0x10ffff)
    throw invalidRegex('character code point value is too large');
  return `\\u{${value.toString(16)}}`;
}

export function unsupported(feature: string): MongoError {
  return invalidRegex(`Shoal does not support ${feature} in regular expressions`);
}

/** \p{..}: general categories pass through, other names are scripts. */
export function translateProperty(rawName: string, negated: boolean): string {
  let name = rawName;
  let negate = negated;
  if (name.startsWith('^')) {
    negate = !negate;
    name = name.slice(1);
  }
  const p = negate ? 'P' : 'p';
  if (name === 'L&') return `\\${p}{LC}`;
  if (generalCategories.has(name) || name === 'Any') return `\\${p}{${name}}`;
  if (/^X/.test(name)) throw unsupported(`the property \\p{${name}}`);
  return `\\${p}{Script=${name}}`;
}
