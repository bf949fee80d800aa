/** MongoDB's index-management spec tests (unified format) against a Shoal server. */
import { defineSpecSuite } from './unified/suite.js';

defineSpecSuite({ name: 'index-management', folder: 'index-management' });
