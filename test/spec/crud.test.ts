/** MongoDB's crud spec tests (unified format) against a Shoal server. */
import { defineSpecSuite } from './unified/suite.js';

defineSpecSuite({ name: 'crud', folder: 'crud/unified' });
