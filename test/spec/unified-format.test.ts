/**
 * The unified format's own valid-pass samples: a conforming runner must pass each one, so
 * they test this runner as much as the server.
 */
import { defineSpecSuite } from './unified/suite.js';

defineSpecSuite({ name: 'unified-test-format', folder: 'unified-test-format/valid-pass' });
