/**
 * The plan race: each candidate runs until it produces a batch's worth of results, hits
 * EOF, or spends its work budget (MongoDB: max(10000, 29% of the collection)). Work is
 * keys plus documents examined, read from the plan's own statistics.
 */
import type { PlanStage, StageStats } from '../exec/plan-stage.js';
import { needYield } from '../exec/plan-stage.js';
import type { Candidate } from './plan-candidates.js';

export const trialResultsMax = 101;
export const trialWorksMin = 10_000;
export const trialCollectionFraction = 0.29;

export function totalWork(stats: StageStats): number {
  return (
    (stats.keysExamined ?? 0) +
    (stats.docsExamined ?? 0) +
    stats.children.reduce((sum, child) => sum + totalWork(child), 0)
  );
}

interface Trial {
  candidate: Candidate;
  stage: PlanStage;
  results: number;
  eof: boolean;
  work: number;
}

function run(candidate: Candidate, budget: number): Trial {
  const stage = candidate.build();
  const trial: Trial = { candidate, stage, results: 0, eof: false, work: 0 };
  for (;;) {
    const member = stage.next();
    trial.work = totalWork(stage.stats());
    if (member === undefined) {
      trial.eof = true;
      break;
    }
    if (member !== needYield) trial.results++;
    if (trial.results >= trialResultsMax || trial.work >= budget) break;
  }
  stage.saveState();
  return trial;
}

function score(trial: Trial): number {
  const productivity = trial.results / Math.max(trial.work, 1);
  const eofBonus = trial.eof ? 1 : 0;
  const noSortBonus =
    trial.candidate.access.kind === 'ixscan' && trial.candidate.access.providesSort ? 1e-4 : 0;
  const coveredBonus =
    trial.candidate.access.kind === 'ixscan' && trial.candidate.access.covered ? 1e-4 : 0;
  return 1 + productivity + eofBonus + noSortBonus + coveredBonus;
}

export function runTrials(
  candidates: readonly Candidate[],
  collectionCount: number,
): { winner: Candidate; losers: { summary: string; stage: PlanStage }[] } {
  const budget = Math.max(trialWorksMin, Math.floor(collectionCount * trialCollectionFraction));
  const trials = candidates.map((candidate) => run(candidate, budget));
  let best = trials[0] as Trial;
  for (const trial of trials) if (score(trial) > score(best)) best = trial;
  return {
    winner: best.candidate,
    losers: trials
      .filter((trial) => trial !== best)
      .map((trial) => ({ summary: trial.candidate.summary, stage: trial.stage })),
  };
}
