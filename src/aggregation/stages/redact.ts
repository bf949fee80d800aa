/**
 * $redact (DocumentSourceRedact): the expression decides per document level, with $$CURRENT
 * bound to that level: $$KEEP keeps it whole, $$PRUNE removes it, $$DESCEND keeps its
 * scalar fields and applies the expression to its documents, including documents in arrays.
 */
import type { BsonArray, BsonDocument, BsonValue } from '../../bson/types.js';
import { isDocument } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import type { PlanStage } from '../../query/exec/plan-stage.js';
import { setField } from '../expressions/field-path.js';
import { formatValue } from '../expressions/values.js';
import type { BoundExpression, StageCompiler } from '../pipeline-compiler.js';
import type { ParseContext, StageDefinition } from '../pipeline-context.js';
import { TransformStage } from './stage-support.js';

const names = ['CURRENT', 'DESCEND', 'PRUNE', 'KEEP'];

class Redactor {
  constructor(
    private readonly compiler: StageCompiler,
    private readonly expression: BoundExpression,
  ) {}

  redact(root: BsonDocument): BsonDocument | undefined {
    const variables = this.compiler.variables;
    this.compiler.inherit();
    variables.set('DESCEND', 'descend');
    variables.set('PRUNE', 'prune');
    variables.set('KEEP', 'keep');
    return this.redactObject(root, root);
  }

  private redactObject(current: BsonDocument, root: BsonDocument): BsonDocument | undefined {
    this.compiler.variables.set('CURRENT', current);
    const decision = this.expression(root);
    if (decision === 'keep') return current;
    if (decision === 'prune') return undefined;
    if (decision !== 'descend') {
      throw new MongoError(
        17053,
        "$redact's expression should not return anything aside from the variables $$KEEP, $$DESCEND, " +
          `and $$PRUNE, but returned ${formatValue(decision)}`,
      );
    }
    const out: BsonDocument = {};
    for (const [name, value] of Object.entries(current)) {
      const redacted = this.redactValue(value, root);
      if (redacted !== undefined) setField(out, name, redacted);
    }
    return out;
  }

  private redactValue(value: BsonValue, root: BsonDocument): BsonValue | undefined {
    if (isDocument(value)) return this.redactObject(value, root);
    if (!Array.isArray(value)) return value;
    const out: BsonArray = [];
    for (const element of value) {
      if (!isDocument(element) && !Array.isArray(element)) {
        out.push(element);
        continue;
      }
      const redacted = this.redactValue(element, root);
      if (redacted !== undefined) out.push(redacted);
    }
    return out;
  }
}

export class RedactDefinition implements StageDefinition {
  readonly name = '$redact';
  readonly constraints = {};

  constructor(
    private readonly spec: BsonValue,
    private readonly redactor: Redactor,
  ) {}

  explain(): BsonDocument {
    return { $redact: this.spec };
  }

  instantiate(input: PlanStage): PlanStage {
    return new TransformStage(input, 'REDACT', (doc) => this.redactor.redact(doc));
  }
}

export function parseRedact(spec: BsonValue, context: ParseContext): StageDefinition {
  const compiler = context.compiler.child(names);
  return new RedactDefinition(spec, new Redactor(compiler, compiler.expression(spec)));
}
