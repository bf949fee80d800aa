/**
 * MongoDB's retryable writes spec tests (unified format) against a Shoal server. Most need
 * a replica set or fail points today; they turn on as Shoal gains them.
 */
import { defineSpecSuite } from './unified/suite.js';

defineSpecSuite({ name: 'retryable-writes', folder: 'retryable-writes/unified' });
