/**
 * MongoDB's command monitoring (the commands and replies a driver observes) spec tests (unified format) against a Shoal server. Most need
 * a replica set or fail points today; they turn on as Shoal gains them.
 */
import { defineSpecSuite } from './unified/suite.js';

defineSpecSuite({
  name: 'command-monitoring',
  folder: 'command-logging-and-monitoring/monitoring',
});
