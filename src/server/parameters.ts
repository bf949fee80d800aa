/**
 * Server parameters readable through getParameter (and, for a few, setParameter), with
 * mongod's names and default values.
 */
import { Int32, Long } from 'bson';
import { featureCompatibilityVersion } from './version.js';
import { cursorTimeoutMsDefault } from '../query/exec/cursor-manager.js';

export function defaultParameters(): Map<string, unknown> {
  return new Map<string, unknown>([
    ['featureCompatibilityVersion', { version: featureCompatibilityVersion }],
    ['authenticationMechanisms', ['SCRAM-SHA-1', 'SCRAM-SHA-256']],
    ['cursorTimeoutMillis', Long.fromNumber(cursorTimeoutMsDefault)],
    ['allowDiskUseByDefault', true],
    ['internalDocumentSourceGroupMaxMemoryBytes', Long.fromNumber(100 * 1024 * 1024)],
    ['internalDocumentSourceSetWindowFieldsMaxMemoryBytes', Long.fromNumber(100 * 1024 * 1024)],
    ['internalQueryFacetBufferSizeBytes', new Int32(100 * 1024 * 1024)],
    ['internalQueryFacetMaxOutputDocSizeBytes', Long.fromNumber(100 * 1024 * 1024)],
    ['internalQueryMaxBlockingSortMemoryUsageBytes', new Int32(100 * 1024 * 1024)],
    ['logLevel', new Int32(0)],
    ['maxBSONDepth', new Int32(200)],
    ['notablescan', false],
    ['quiet', false],
    ['transactionLifetimeLimitSeconds', new Int32(60)],
    ['enableTestCommands', true],
    ['requireApiVersion', false],
    ['javascriptEnabled', false],
    ['ttlMonitorEnabled', true],
    ['ttlMonitorSleepSecs', new Int32(60)],
  ]);
}
