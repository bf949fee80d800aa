/** MongoDB's collection-management spec tests (unified format) against a Shoal server. */
import { defineSpecSuite } from './unified/suite.js';

defineSpecSuite({ name: 'collection-management', folder: 'collection-management' });
