/**
 * MongoDB's change streams spec tests (unified format) against a Shoal server. Most need
 * a replica set or fail points today; they turn on as Shoal gains them.
 */
import { defineSpecSuite } from './unified/suite.js';

defineSpecSuite({ name: 'change-streams', folder: 'change-streams/unified' });
