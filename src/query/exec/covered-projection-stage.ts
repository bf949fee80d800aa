/**
 * The document of a covered plan: built from the index key alone, without fetching the
 * record (the planner covers only queries whose fields all come from the index).
 */
import type { BsonDocument } from '../../bson/types.js';
import type { PlanStage, StageResult } from './plan-stage.js';
import { UnaryStage, needYield } from './plan-stage.js';

export class CoveredProjectionStage extends UnaryStage {
  readonly stageName = 'COVERED_KEYS';

  constructor(child: PlanStage) {
    super(child);
  }

  next(): StageResult {
    const member = this.child.next();
    if (member === undefined || member === needYield) return member;
    this.works++;
    this.returned++;
    const doc: BsonDocument = {};
    for (const [path, value] of Object.entries(member.indexKey ?? {})) doc[path] = value;
    return { ...member, doc };
  }
}
