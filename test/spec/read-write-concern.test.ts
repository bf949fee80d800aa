/**
 * MongoDB's read/write concern on operations spec tests (unified format) against a Shoal server. Most need
 * a replica set or fail points today; they turn on as Shoal gains them.
 */
import { defineSpecSuite } from './unified/suite.js';

defineSpecSuite({ name: 'read-write-concern', folder: 'read-write-concern/operation' });
