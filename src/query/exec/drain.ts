/** Running a plan to the end (for writes and counts), yielding the event loop as it asks. */
import { yieldToEventLoop } from '../../platform/timers.js';
import type { PlanStage, WorkingMember } from './plan-stage.js';
import { needYield } from './plan-stage.js';

export async function forEachMember(
  stage: PlanStage,
  checkInterrupt: () => void,
  visit: (member: WorkingMember) => boolean | void,
): Promise<void> {
  for (;;) {
    const member = stage.next();
    if (member === undefined) return;
    if (member === needYield) {
      stage.saveState();
      await yieldToEventLoop();
      checkInterrupt();
      continue;
    }
    if (visit(member) === false) {
      // Stopping early: release the storage iterator (and its read snapshot) now.
      stage.saveState();
      return;
    }
  }
}

export async function collectMembers(
  stage: PlanStage,
  checkInterrupt: () => void,
  countMax = Infinity,
): Promise<WorkingMember[]> {
  const members: WorkingMember[] = [];
  if (countMax <= 0) return members;
  await forEachMember(stage, checkInterrupt, (member) => {
    members.push(member);
    return members.length < countMax;
  });
  return members;
}
