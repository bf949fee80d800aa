/**
 * Reading a PCRE pattern: position, lookahead and the small lexical pieces (numbers, group
 * names, control characters, Unicode properties) that the translator's grammar uses.
 */
import { codePoint, invalidRegex, translateProperty } from './pcre-tables.js';

export class PatternScanner {
  protected pos = 0;

  constructor(protected readonly chars: readonly string[]) {}

  protected peek(offset = 0): string | undefined {
    return this.chars[this.pos + offset];
  }

  protected lookingAt(text: string): boolean {
    for (let i = 0; i < text.length; i++) if (this.chars[this.pos + i] !== text[i]) return false;
    return true;
  }

  protected digits(allowed: RegExp, max: number, prefix: string): string {
    let text = prefix;
    while (text.length - prefix.length < max && allowed.test(this.peek() ?? ''))
      text += this.chars[this.pos++];
    return text;
  }

  protected bracedDigits(allowed: RegExp): string {
    if (this.chars[this.pos++] !== '{')
      throw invalidRegex('missing opening brace after \\o or \\x');
    let text = '';
    while (allowed.test(this.peek() ?? '')) text += this.chars[this.pos++];
    if (this.chars[this.pos++] !== '}' || text === '')
      throw invalidRegex('malformed number or name after \\o or \\x{');
    return text;
  }

  protected control(): string {
    const c = this.chars[this.pos++];
    if (c === undefined) throw invalidRegex('\\c at end of pattern');
    const code = c.toUpperCase().charCodeAt(0) ^ 0x40;
    if (code > 0x7f) throw invalidRegex('\\c must be followed by a printable ASCII character');
    return codePoint(code.toString(16), 16);
  }

  /** A group name up to `close`, consumed. */
  protected name(close: string): string {
    let name = '';
    while (this.pos < this.chars.length && this.chars[this.pos] !== close)
      name += this.chars[this.pos++];
    if (this.pos >= this.chars.length)
      throw invalidRegex(`syntax error in subpattern name (missing terminator?)`);
    this.pos++;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw invalidRegex(`invalid group name '${name}'`);
    return name;
  }

  /** \p{..}: general categories pass through, other names are scripts. */
  protected property(negated: boolean): string {
    let name: string;
    if (this.peek() === '{') {
      this.pos++;
      name = '';
      while (this.pos < this.chars.length && this.chars[this.pos] !== '}')
        name += this.chars[this.pos++];
      if (this.chars[this.pos++] !== '}') throw invalidRegex('malformed \\P or \\p sequence');
    } else {
      name = this.chars[this.pos++] ?? '';
    }
    return translateProperty(name, negated);
  }
}
