#!/usr/bin/env node
// Runs every compiled test file with Node's test runner, which prints pass/fail counts.
// Usage: node scripts/run-tests.js [substring ...] to run only matching files.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';

const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'dist');

function collect(dir, out) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) collect(path, out);
    else if (name.endsWith('.test.js')) out.push(path);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = collect(dist, [])
  .filter((file) => filters.length === 0 || filters.some((f) => relative(dist, file).includes(f)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const concurrency = Number(process.env.SHOAL_TEST_CONCURRENCY ?? Math.max(2, cpus().length));
const result = spawnSync(
  process.execPath,
  [
    '--test',
    `--test-concurrency=${concurrency}`,
    '--enable-source-maps',
    '--import',
    join(dist, 'test', 'setup', 'fast-check-seed.js'),
    ...files,
  ],
  { stdio: 'inherit', cwd: root },
);
process.exit(result.status ?? 1);
