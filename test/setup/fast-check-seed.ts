/**
 * Loaded before every test file (scripts/run-tests.js --import): property tests run from
 * one fixed seed so a run is reproducible, and SHOAL_FC_SEED explores others. fast-check
 * prints the seed of any failure.
 */
import fc from 'fast-check';

const seed = Number(process.env.SHOAL_FC_SEED ?? 20261126);
fc.configureGlobal({ seed });
