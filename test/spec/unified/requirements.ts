/**
 * runOnRequirements: a list is met when any one requirement is met. The answer is the
 * reason to skip (every requirement's first unmet condition), or undefined to run.
 */
import type { TestEnvironment } from './environment.js';
import type { RunOnRequirement } from './schema.js';
import { exactlyEqual } from './scalar-equality.js';
import { compareVersions } from './version.js';

function versionText(version: readonly number[]): string {
  return version.join('.');
}

/** Conditions that need no round trip to the server. */
function unmetStatic(
  requirement: RunOnRequirement,
  environment: TestEnvironment,
): string | undefined {
  const { info } = environment;
  const serverVersion = versionText(info.version);
  if (
    requirement.minServerVersion !== undefined &&
    compareVersions(info.version, requirement.minServerVersion) < 0
  ) {
    return `needs server >= ${requirement.minServerVersion} (server is ${serverVersion})`;
  }
  if (
    requirement.maxServerVersion !== undefined &&
    compareVersions(info.version, requirement.maxServerVersion) > 0
  ) {
    return `needs server <= ${requirement.maxServerVersion} (server is ${serverVersion})`;
  }
  // "sharded" accepts any sharded cluster; "sharded-replicaset" needs replica-set shards, which
  // a runner can only confirm on a sharded topology.
  if (requirement.topologies !== undefined && !requirement.topologies.includes(info.topology)) {
    return `needs topology ${requirement.topologies.join(' or ')} (server is ${info.topology})`;
  }
  if (requirement.serverless === 'require' && !info.serverless) return 'needs Atlas Serverless';
  if (requirement.serverless === 'forbid' && info.serverless) return 'forbids Atlas Serverless';
  if (requirement.auth === true && !info.auth) return 'needs authentication enabled';
  if (requirement.auth === false && info.auth) return 'needs authentication disabled';
  if (requirement.csfle === true && !info.csfle)
    return 'needs client-side field level encryption (csfle)';
  if (requirement.csfle === false && info.csfle)
    return 'forbids client-side field level encryption (csfle)';
  return undefined;
}

async function unmetParameters(
  requirement: RunOnRequirement,
  environment: TestEnvironment,
): Promise<string | undefined> {
  for (const [name, expected] of Object.entries(requirement.serverParameters ?? {})) {
    const actual = await environment.serverParameter(name);
    // A parameter the server does not have counts as not equal (spec: serverParameters).
    if (actual === undefined || !exactlyEqual(expected, actual))
      return `needs server parameter ${name}`;
  }
  if (requirement.authMechanism !== undefined) {
    const mechanisms = await environment.serverParameter('authenticationMechanisms');
    const wanted = requirement.authMechanism.toLowerCase();
    const supported =
      Array.isArray(mechanisms) && mechanisms.some((name) => String(name).toLowerCase() === wanted);
    if (!supported) return `needs auth mechanism ${requirement.authMechanism}`;
  }
  return undefined;
}

export async function unmetRequirements(
  requirements: RunOnRequirement[] | undefined,
  environment: TestEnvironment,
): Promise<string | undefined> {
  if (requirements === undefined || requirements.length === 0) return undefined;
  const reasons: string[] = [];
  for (const requirement of requirements) {
    const reason =
      unmetStatic(requirement, environment) ?? (await unmetParameters(requirement, environment));
    if (reason === undefined) return undefined;
    reasons.push(reason);
  }
  return [...new Set(reasons)].join(' or ');
}
