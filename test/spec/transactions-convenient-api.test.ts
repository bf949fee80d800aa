/**
 * MongoDB's withTransaction spec tests (unified format) against a Shoal server. Most need
 * a replica set or fail points today; they turn on as Shoal gains them.
 */
import { defineSpecSuite } from './unified/suite.js';

defineSpecSuite({
  name: 'transactions-convenient-api',
  folder: 'transactions-convenient-api/unified',
});
