/**
 * Tidy as a test (TigerBeetle's tidy.zig): rules the compiler cannot enforce. Focused
 * tests hide the rest of the suite; clocks, randomness and timers outside src/platform
 * make behaviour depend on the machine instead of on what tests inject.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

const files = ['src', 'test', 'bench']
  .filter((dir) => existsSync(join(root, dir)))
  .flatMap((dir) => sourceFiles(join(root, dir)));

function offenders(pattern: RegExp, allowed: (path: string) => boolean): string[] {
  const found: string[] = [];
  for (const file of files) {
    const rel = relative(root, file);
    if (allowed(rel)) continue;
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (pattern.test(line)) found.push(`${rel}:${i + 1}: ${line.trim()}`);
    });
  }
  return found;
}

test('no focused tests', () => {
  const pattern = new RegExp(['\\b(it|test|describe)', 'only\\('].join('\\.'));
  assert.deepEqual(
    offenders(pattern, (rel) => rel === 'test/tidy.test.ts'),
    [],
  );
});

test('clocks, randomness and timers only in src/platform', () => {
  // Bare timer calls only: `timers.setInterval(` goes through the injected interface.
  const banned = [
    'Date\\.now\\(',
    'Math\\.random\\(',
    '(?<![\\w.])setTimeout\\(',
    '(?<![\\w.])setInterval\\(',
    'performance\\.now\\(',
  ];
  const pattern = new RegExp(banned.join('|'));
  const allowed = (rel: string): boolean =>
    rel.startsWith('src/platform/') ||
    rel.startsWith('test/') ||
    rel.startsWith('bench/') ||
    rel.endsWith('.test.ts');
  assert.deepEqual(offenders(pattern, allowed), []);
});

test('no CRLF line endings', () => {
  const crlf = files.filter((file) => readFileSync(file, 'utf8').includes('\r\n'));
  assert.deepEqual(
    crlf.map((file) => relative(root, file)),
    [],
  );
});

test('source files stay under 500 lines', () => {
  const long = files
    .filter((file) => file.includes('/src/') && !file.endsWith('.test.ts'))
    .filter((file) => readFileSync(file, 'utf8').split('\n').length > 500)
    .map((file) => relative(root, file));
  assert.deepEqual(long, []);
});
