/**
 * Finds the spec JSON files in place (they are licensed test data: never copied into the
 * repository) and parses them with Extended JSON, keeping every number's BSON type.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EJSON } from 'bson';
import { repositoryRoot } from '../../helpers/server-process.js';
import type { SpecFile } from './schema.js';

/** SHOAL_SPEC_DIR, else the shared folder beside the repository. */
export function specDirectory(): string {
  return process.env['SHOAL_SPEC_DIR'] ?? join(repositoryRoot, '..', 'shared', 'spec');
}

export function specDirectoryExists(directory: string): boolean {
  return existsSync(directory);
}

export function missingSpecReason(directory: string): string {
  return `spec suite not found at ${directory} (set SHOAL_SPEC_DIR)`;
}

/** The .json files directly in `folder`, sorted so runs are reproducible. */
export function listSpecFiles(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => name.endsWith('.json'))
    .sort();
}

export function readSpecText(path: string): string {
  return readFileSync(path, 'utf8');
}

/**
 * Parsed anew for every test: operations mutate their arguments (the driver adds _id to
 * inserted documents), and tests must not share state.
 */
export function parseSpecFile(text: string): SpecFile {
  return EJSON.parse(text, { relaxed: false }) as SpecFile;
}
