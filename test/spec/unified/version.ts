/**
 * Version strings of the unified format ("<major>[.<minor>[.<patch>]]"): missing parts are
 * zero, and anything after the patch number (pre-release tags) is discarded before comparing.
 */

export function parseVersion(version: string): [number, number, number] {
  const parts = version.split(/[.-]/).slice(0, 3);
  const numbers = parts.map((part) => (/^\d+$/.test(part) ? Number(part) : 0));
  return [numbers[0] ?? 0, numbers[1] ?? 0, numbers[2] ?? 0];
}

/** Negative, zero or positive, like a sort comparator. */
export function compareVersions(left: string | number[], right: string | number[]): number {
  const a = typeof left === 'string' ? parseVersion(left) : left;
  const b = typeof right === 'string' ? parseVersion(right) : right;
  for (let index = 0; index < 3; index++) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** The newest schema this runner implements; 1.x files up to it are accepted (spec: Test Runner Support). */
export const schemaVersionSupported = '1.28';

export function isSchemaVersionSupported(version: string): boolean {
  const [major] = parseVersion(version);
  const [supportedMajor] = parseVersion(schemaVersionSupported);
  return major === supportedMajor && compareVersions(version, schemaVersionSupported) <= 0;
}
