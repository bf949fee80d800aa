/**
 * MongoDB regular expressions are PCRE2 (UTF mode, no UCP); Node has ECMAScript regexes.
 * This translates a pattern into an equivalent JS RegExp with the `u` flag, so that it
 * matches code points as PCRE does, and rewrites every construct whose meaning differs:
 *
 * - `.` excludes only \n (JS also excludes \r, U+2028, U+2029); `$` also matches before a
 *   final \n; `^`/`$` in multiline mode break lines at \n only; \A \z \Z exist;
 * - \s is ASCII whitespace only (JS's is Unicode); \h \v \R \N and POSIX classes exist;
 * - PCRE treats any escaped punctuation, and braces or `]` that cannot be syntax, as
 *   literals, where the `u` flag makes them errors; \Q..\E quotes; octal and \x{..} escapes;
 * - extended mode (x) ignores unescaped whitespace and #-comments outside classes;
 * - (?P<name>..), (?'name'..), (?P=name), \k{name}, \g{n} name groups and references;
 * - leading inline options such as (?i) become flags.
 *
 * Constructs JS cannot express (atomic groups, possessive quantifiers, recursion,
 * conditionals, branch reset, \G, \K, backtracking verbs, options changed mid-pattern) are
 * rejected with MongoDB's invalid-regex error rather than silently approximated.
 */
import { MongoError } from '../../errors/mongo-error.js';
import { PatternScanner } from './pcre-scanner.js';
import {
  asciiSpace,
  codePoint,
  escapeOutsideClass,
  horizontalSpace,
  invalidRegex,
  literal,
  posixClasses,
  unsupported,
  unsupportedEscapes,
  verticalSpace,
} from './pcre-tables.js';

export { invalidRegex };

const validOptions = 'imsux';

/** pcre_util::flagsToOptions: the message has the operator name first, empty for queries. */
export function validateRegexOptions(options: string, operatorName = ''): void {
  for (const flag of options) {
    if (!validOptions.includes(flag)) {
      throw new MongoError(51108, `${operatorName} invalid flag in regex options: ${flag}`);
    }
  }
}

interface Flags {
  caseless: boolean;
  multiline: boolean;
  dotAll: boolean;
  extended: boolean;
}

/** Compiles a PCRE pattern with MongoDB regex options (already validated) into a RegExp. */
export function compilePcre(pattern: string, options: string): RegExp {
  validateRegexOptions(options);
  const flags: Flags = {
    caseless: options.includes('i'),
    multiline: options.includes('m'),
    dotAll: options.includes('s'),
    extended: options.includes('x'),
  };
  const translator = new Translator(Array.from(pattern), flags);
  const source = translator.translate();
  try {
    return new RegExp(source, flags.caseless ? 'iu' : 'u');
  } catch (error) {
    throw invalidRegex(error instanceof Error ? error.message : String(error));
  }
}

class Translator extends PatternScanner {
  private out = '';
  private groups = 0;

  constructor(
    chars: readonly string[],
    private readonly flags: Flags,
  ) {
    super(chars);
  }

  translate(): string {
    this.leadingOptions();
    while (this.pos < this.chars.length) this.token();
    return this.out;
  }

  /** `(?i)`, `(?x-s)`... at the very start set the options for the whole pattern. */
  private leadingOptions(): void {
    for (;;) {
      const match = /^\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?\)/.exec(
        this.chars.slice(this.pos, this.pos + 20).join(''),
      );
      if (match === null) return;
      const on = match[1] ?? '';
      const off = match[2] ?? '';
      if (!/^[imsx]*$/.test(on + off)) return;
      for (const flag of on) this.setFlag(flag, true);
      for (const flag of off) this.setFlag(flag, false);
      this.pos += match[0].length;
    }
  }

  private setFlag(flag: string, value: boolean): void {
    if (flag === 'i') this.flags.caseless = value;
    if (flag === 'm') this.flags.multiline = value;
    if (flag === 's') this.flags.dotAll = value;
    if (flag === 'x') this.flags.extended = value;
  }

  private token(): void {
    const c = this.chars[this.pos++] as string;
    if (this.flags.extended && /\s/.test(c)) return;
    if (this.flags.extended && c === '#') {
      while (this.pos < this.chars.length && this.chars[this.pos] !== '\n') this.pos++;
      return;
    }
    switch (c) {
      case '\\':
        return this.escape();
      case '[':
        return this.characterClass();
      case '(':
        return this.group();
      case '.':
        this.out += this.flags.dotAll ? '[\\s\\S]' : '[^\\n]';
        return;
      case '^':
        this.out += this.flags.multiline ? '(?<![^\\n])' : '^';
        return;
      case '$':
        this.out += this.flags.multiline ? '(?![^\\n])' : '(?=\\n?(?![\\s\\S]))';
        return;
      case '*':
      case '+':
      case '?':
        this.out += c;
        return this.quantifierSuffix();
      case '{':
        return this.brace();
      case '}':
      case ']':
        this.out += '\\' + c;
        return;
      default:
        this.out += c;
    }
  }

  /** Lazy `?` is kept; possessive `+` has no JS equivalent. */
  private quantifierSuffix(): void {
    if (this.peek() === '?') {
      this.out += '?';
      this.pos++;
    } else if (this.peek() === '+') {
      throw unsupported('possessive quantifiers');
    }
  }

  private brace(): void {
    const rest = this.chars.slice(this.pos, this.pos + 24).join('');
    const quantifier = /^(\d+)(,(\d*))?\}/.exec(rest);
    if (quantifier === null) {
      this.out += '\\{';
      return;
    }
    this.out += '{' + quantifier[0];
    this.pos += quantifier[0].length;
    this.quantifierSuffix();
  }

  private group(): void {
    if (this.peek() === '*') throw unsupported('backtracking control verbs');
    if (this.peek() !== '?') {
      this.groups++;
      this.out += '(';
      return;
    }
    this.pos++;
    const next = this.peek();
    if (next === ':' || next === '=' || next === '!') {
      this.out += '(?' + next;
      this.pos++;
    } else if (this.lookingAt('<=') || this.lookingAt('<!')) {
      this.out += '(?' + (this.peek() as string) + (this.peek(1) as string);
      this.pos += 2;
    } else if (next === '<' || next === "'" || this.lookingAt('P<')) {
      if (next === 'P') this.pos++;
      this.namedGroup(this.chars[this.pos++] === '<' ? '>' : "'");
    } else if (this.lookingAt('P=')) {
      this.pos += 2;
      this.out += `\\k<${this.name(')')}>`;
    } else if (next === '#') {
      while (this.pos < this.chars.length && this.chars[this.pos] !== ')') this.pos++;
      if (this.pos >= this.chars.length) throw invalidRegex('missing ) after (?# comment');
      this.pos++;
    } else {
      this.inlineOptions();
    }
  }

  private namedGroup(close: string): void {
    this.groups++;
    this.out += `(?<${this.name(close)}>`;
  }

  /** `(?i)` / `(?i:..)` mid-pattern: fine only when it changes nothing. */
  private inlineOptions(): void {
    const rest = this.chars.slice(this.pos, this.pos + 20).join('');
    const match = /^([a-zA-Z]*)(?:-([a-zA-Z]*))?([):])/.exec(rest);
    if (match === null) throw unsupported(`the group construct (?${rest.slice(0, 2)}`);
    const on = match[1] ?? '';
    const off = match[2] ?? '';
    if (!/^[imsx]*$/.test(on + off)) throw unsupported(`the inline option (?${match[0]}`);
    const unchanged =
      [...on].every((flag) => this.flagValue(flag)) &&
      [...off].every((flag) => !this.flagValue(flag));
    if (!unchanged) throw unsupported('changing options inside a pattern');
    this.pos += match[0].length;
    if (match[3] === ':') this.out += '(?:';
  }

  private flagValue(flag: string): boolean {
    if (flag === 'i') return this.flags.caseless;
    if (flag === 'm') return this.flags.multiline;
    if (flag === 's') return this.flags.dotAll;
    return this.flags.extended;
  }

  private escape(): void {
    const c = this.chars[this.pos++];
    if (c === undefined) throw invalidRegex('\\ at end of pattern');
    if (unsupportedEscapes.has(c)) throw unsupported(`\\${c}`);
    const simple = escapeOutsideClass[c];
    if (simple !== undefined) {
      this.out += simple;
      return;
    }
    switch (c) {
      case 'Q':
        return this.quoted();
      case 'E':
        return;
      case 'k':
        this.out += `\\k<${this.referenceName()}>`;
        return;
      case 'g':
        return this.gReference();
      case 'p':
      case 'P':
        this.out += this.property(c === 'P');
        return;
      default:
        if (c >= '1' && c <= '9') return this.backreference(c);
        this.out += this.commonEscape(c, false);
    }
  }

  /** Escapes with the same meaning inside and outside classes. */
  private commonEscape(c: string, inClass: boolean): string {
    switch (c) {
      case 'n':
      case 'r':
      case 't':
      case 'f':
      case 'd':
      case 'D':
      case 'w':
      case 'W':
        return '\\' + c;
      case 'e':
        return '\\x1b';
      case 'a':
        return '\\x07';
      case '0':
        return codePoint(this.digits(/[0-7]/, 2, '0'), 8);
      case 'o':
        return codePoint(this.bracedDigits(/[0-7]/), 8);
      case 'x':
        return this.peek() === '{'
          ? codePoint(this.bracedDigits(/[0-9a-fA-F]/), 16)
          : codePoint(this.digits(/[0-9a-fA-F]/, 2, '') || '0', 16);
      case 'c':
        return this.control();
      default:
        if (/[A-Za-z0-9]/.test(c)) throw invalidRegex(`unrecognized character follows \\ (\\${c})`);
        return literal(c, inClass);
    }
  }

  private quoted(): void {
    while (this.pos < this.chars.length) {
      if (this.lookingAt('\\E')) {
        this.pos += 2;
        return;
      }
      this.out += literal(this.chars[this.pos++] as string, false);
    }
  }

  /** \1..\9 are references; \10 and up are references only with that many groups so far. */
  private backreference(first: string): void {
    let number = first;
    while (/[0-9]/.test(this.peek() ?? '')) number += this.chars[this.pos++];
    if (number.length === 1 || first === '8' || first === '9' || Number(number) <= this.groups) {
      this.out += `(?:\\${number})`;
      return;
    }
    this.pos -= number.length;
    this.out += codePoint(this.digits(/[0-7]/, 3, ''), 8);
  }

  private referenceName(): string {
    const open = this.chars[this.pos++];
    const close = open === '<' ? '>' : open === "'" ? "'" : open === '{' ? '}' : undefined;
    if (close === undefined)
      throw invalidRegex('\\k is not followed by a braced, angle-bracketed, or quoted name');
    return this.name(close);
  }

  private gReference(): void {
    const open = this.peek();
    if (open === '<' || open === "'") throw unsupported('subroutine calls');
    let text: string;
    if (open === '{') {
      this.pos++;
      text = '';
      while (this.pos < this.chars.length && this.chars[this.pos] !== '}')
        text += this.chars[this.pos++];
      this.pos++;
    } else {
      text = this.digits(/[-+0-9]/, 10, '');
    }
    if (/^-\d+$/.test(text)) {
      this.out += `(?:\\${this.groups + 1 + Number(text)})`;
    } else if (/^\d+$/.test(text)) {
      this.out += `(?:\\${Number(text)})`;
    } else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(text)) {
      this.out += `\\k<${text}>`;
    } else {
      throw invalidRegex('a numbered reference must not be zero');
    }
  }

  private characterClass(): void {
    let body = '';
    if (this.peek() === '^') {
      body += '^';
      this.pos++;
    }
    let first = true;
    // Whether the last item was a class escape like \d, which JS forbids as a range end.
    let lastWasSet = false;
    for (;;) {
      const c = this.chars[this.pos++];
      if (c === undefined) throw invalidRegex('missing terminating ] for character class');
      if (c === ']' && !first) break;
      first = false;
      let piece: string;
      let isSet = false;
      if (c === '[' && this.peek() === ':') {
        piece = this.posixClass();
        isSet = true;
      } else if (c === '\\') {
        [piece, isSet] = this.classEscape();
      } else if (c === '-') {
        const nextIsSet = this.peek() === '\\' && /[dDwWsShHvVpP]/.test(this.peek(1) ?? '');
        piece = lastWasSet || nextIsSet || this.peek() === ']' ? '\\-' : '-';
      } else {
        piece = literal(c, true);
      }
      body += piece;
      lastWasSet = isSet;
    }
    this.out += `[${body}]`;
  }

  private posixClass(): string {
    const rest = this.chars.slice(this.pos, this.pos + 12).join('');
    const match = /^:(\^?)([a-z]+):\]/.exec(rest);
    const expansion = match === null ? undefined : posixClasses[match[2] as string];
    if (match === null || expansion === undefined) return '\\[';
    if (match[1] === '^') throw unsupported('negated POSIX classes');
    this.pos += match[0].length;
    return expansion;
  }

  private classEscape(): [string, boolean] {
    const c = this.chars[this.pos++];
    if (c === undefined) throw invalidRegex('\\ at end of pattern');
    switch (c) {
      case 's':
        return [asciiSpace, true];
      case 'S':
        return ['\\S', true];
      case 'h':
        return [horizontalSpace, true];
      case 'v':
        return [verticalSpace, true];
      case 'b':
        return ['\\x08', false];
      case 'p':
      case 'P':
        return [this.property(c === 'P'), true];
      case 'd':
      case 'D':
      case 'w':
      case 'W':
        return ['\\' + c, true];
      case 'Q': {
        let text = '';
        while (this.pos < this.chars.length && !this.lookingAt('\\E'))
          text += literal(this.chars[this.pos++] as string, true);
        if (this.lookingAt('\\E')) this.pos += 2;
        return [text, false];
      }
      case 'E':
        return ['', false];
      case 'H':
      case 'V':
        throw unsupported(`\\${c} inside a character class`);
      default:
        if (c >= '1' && c <= '9') return [codePoint(this.digits(/[0-7]/, 2, c), 8), false];
        return [this.commonEscape(c, true), false];
    }
  }
}
