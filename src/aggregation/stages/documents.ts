/**
 * $documents: a literal list of documents, computed once from an expression, as the first
 * stage of a collectionless pipeline ({aggregate: 1}) or of a $lookup/$unionWith pipeline.
 */
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { isDocument } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import type { PlanStage, StageResult, StageStats } from '../../query/exec/plan-stage.js';
import { memberFromDocument } from '../../query/exec/plan-stage.js';
import { formatValue, typeName } from '../expressions/values.js';
import type { BoundExpression } from '../pipeline-compiler.js';
import type { ParseContext, StageDefinition } from '../pipeline-context.js';

export class DocumentsDefinition implements StageDefinition {
  readonly name = '$documents';
  readonly constraints = {
    position: 'first',
    generatesInput: true,
    independentOfCollection: true,
  } as const;

  constructor(
    private readonly spec: BsonValue,
    private readonly expression: BoundExpression,
  ) {}

  explain(): BsonDocument {
    return { $documents: this.spec };
  }

  instantiate(): PlanStage {
    return new DocumentsStage(this.expression);
  }
}

/** Evaluates the expression on the first call, then returns its documents one by one. */
class DocumentsStage implements PlanStage {
  readonly stageName = 'DOCUMENTS';
  private docs: BsonDocument[] | undefined;
  private position = 0;

  constructor(private readonly expression: BoundExpression) {}

  private evaluate(): BsonDocument[] {
    const value = this.expression({});
    if (!Array.isArray(value)) throw new MongoError(5858203, 'an array is expected');
    return value.map((element) => {
      if (!isDocument(element)) {
        throw new MongoError(
          40228,
          `'replacement document' must evaluate to an object, but resulting value was: ${formatValue(element)}. ` +
            `Type of resulting value: '${typeName(element)}'. Input document: {}`,
        );
      }
      return element;
    });
  }

  next(): StageResult {
    this.docs ??= this.evaluate();
    const doc = this.docs[this.position];
    if (doc === undefined) return undefined;
    this.position++;
    return memberFromDocument(doc);
  }

  isEOF(): boolean {
    return this.docs !== undefined && this.position >= this.docs.length;
  }

  saveState(): void {}

  stats(): StageStats {
    return { stage: this.stageName, nReturned: this.position, works: this.position, children: [] };
  }
}

export function parseDocuments(spec: BsonValue, context: ParseContext): StageDefinition {
  return new DocumentsDefinition(spec, context.compiler.expression(spec));
}
