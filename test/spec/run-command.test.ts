/** MongoDB's run-command spec tests (unified format) against a Shoal server. */
import { defineSpecSuite } from './unified/suite.js';

defineSpecSuite({ name: 'run-command', folder: 'run-command/unified' });
