/** runOnRequirements against a described server (spec: runOnRequirement). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Int32 } from 'bson';
import type { TestEnvironment } from './environment.js';
import { unmetRequirements } from './requirements.js';

const parameters: Record<string, unknown> = {
  enableTestCommands: true,
  maxBSONDepth: new Int32(200),
};
const standalone7 = {
  info: { version: [7, 0, 14], topology: 'single', auth: false, serverless: false, csfle: false },
  serverParameter: (name: string) => Promise.resolve(parameters[name]),
} as unknown as TestEnvironment;

test('no requirements, or one that is met, runs the test', async () => {
  assert.equal(await unmetRequirements(undefined, standalone7), undefined);
  assert.equal(await unmetRequirements([{ minServerVersion: '4.0' }], standalone7), undefined);
  assert.equal(await unmetRequirements([{ maxServerVersion: '7.0.14' }], standalone7), undefined);
  assert.equal(
    await unmetRequirements([{ topologies: ['single', 'replicaset'] }], standalone7),
    undefined,
  );
});

test('version bounds are inclusive and checked numerically', async () => {
  assert.match(
    (await unmetRequirements([{ minServerVersion: '7.0.15' }], standalone7)) ?? '',
    /needs server >= 7\.0\.15/,
  );
  assert.match(
    (await unmetRequirements([{ maxServerVersion: '6.99' }], standalone7)) ?? '',
    /needs server <= 6\.99/,
  );
});

test('any one met requirement is enough; otherwise every reason is given', async () => {
  const met = await unmetRequirements(
    [{ topologies: ['replicaset'] }, { minServerVersion: '5.0' }],
    standalone7,
  );
  assert.equal(met, undefined);
  const unmet = await unmetRequirements(
    [{ topologies: ['replicaset'] }, { minServerVersion: '8.0' }],
    standalone7,
  );
  assert.equal(
    unmet,
    'needs topology replicaset (server is single) or needs server >= 8.0 (server is 7.0.14)',
  );
});

test('serverParameters compare with flexible numerics; an unknown parameter is unmet', async () => {
  assert.equal(
    await unmetRequirements([{ serverParameters: { maxBSONDepth: 200.0 } }], standalone7),
    undefined,
  );
  assert.ok(
    await unmetRequirements([{ serverParameters: { maxBSONDepth: new Int32(100) } }], standalone7),
  );
  assert.ok(
    await unmetRequirements([{ serverParameters: { noSuchParameter: true } }], standalone7),
  );
});

test('auth, serverless and csfle follow the server description', async () => {
  assert.ok(await unmetRequirements([{ auth: true }], standalone7));
  assert.equal(await unmetRequirements([{ auth: false }], standalone7), undefined);
  assert.ok(await unmetRequirements([{ serverless: 'require' }], standalone7));
  assert.equal(await unmetRequirements([{ serverless: 'forbid' }], standalone7), undefined);
  assert.ok(await unmetRequirements([{ csfle: true }], standalone7));
  assert.equal(await unmetRequirements([{ csfle: false }], standalone7), undefined);
});
