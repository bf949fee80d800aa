/**
 * $group, $sort and $sample: MongoDB's key equality and sort order, the memory bound
 * (QueryExceededMemoryLimitNoDiskUseAllowed without disk use) and spilling, which must not
 * change any result (document_source_group.cpp, document_source_sort.cpp).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Decimal128 } from 'bson';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import type { PlanStage, StageResult, StageStats } from '../../query/exec/plan-stage.js';
import { documentOf, memberFromDocument, needYield } from '../../query/exec/plan-stage.js';
import { dbl, int, long, typed } from '../test-support.js';
import { pipelineError, runPipeline, testContext } from './test-support.js';
import { parsePipeline } from '../pipeline.js';
import { ValuesStage } from '../../query/exec/basic-stages.js';
import { Pipeline } from '../pipeline.js';
import { drain, filesIn } from './test-support.js';

const show = (docs: BsonDocument[]): string[] => docs.map(typed);

describe('$group', () => {
  test('1, 1.0 and NumberLong(1) are one group; null and missing are one group', () => {
    const docs = [
      { k: int(1) },
      { k: dbl(1) },
      { k: long(1) },
      { k: null },
      {},
      { k: Decimal128.fromString('1.00') },
    ];
    const out = runPipeline([{ $group: { _id: '$k', n: { $sum: int(1) } } }], docs);
    // The key kept is the first one seen, as the server keeps it.
    assert.deepEqual(show(out), ['{_id: int:1, n: int:4}', '{_id: null, n: int:2}']);
  });

  test('document keys compare field by field, in order', () => {
    const docs = [
      { k: { a: int(1), b: int(2) } },
      { k: { b: int(2), a: int(1) } },
      { k: { a: int(1), b: int(2) } },
    ];
    const out = runPipeline([{ $group: { _id: '$k', n: { $sum: int(1) } } }], docs);
    assert.deepEqual(show(out), [
      '{_id: {a: int:1, b: int:2}, n: int:2}',
      '{_id: {b: int:2, a: int:1}, n: int:1}',
    ]);
  });

  test('an _id document of expressions omits missing fields', () => {
    const out = runPipeline(
      [{ $group: { _id: { a: '$a', b: '$b' } } }],
      [{ a: int(1) }, { a: int(1), b: null }],
    );
    assert.deepEqual(show(out), ['{_id: {a: int:1}}', '{_id: {a: int:1, b: null}}']);
  });

  test('accumulators keep their types; n may use the group key', () => {
    const docs = [
      { g: int(2), v: int(2147483647) },
      { g: int(2), v: int(1) },
      { g: int(1), v: dbl(0.5) },
    ];
    const out = runPipeline(
      [
        { $group: { _id: '$g', s: { $sum: '$v' }, top: { $firstN: { n: '$_id', input: '$v' } } } },
        { $sort: { _id: int(1) } },
      ],
      docs,
    );
    assert.deepEqual(show(out), [
      '{_id: int:1, s: double:0.5, top: [double:0.5]}',
      '{_id: int:2, s: long:2147483648, top: [int:2147483647, int:1]}',
    ]);
  });

  const errors: [BsonDocument, number][] = [
    [{ $group: int(1) }, 15947],
    [{ $group: { n: { $sum: int(1) } } }, 15955],
    [{ $group: { _id: null, n: int(1) } }, 40234],
    [{ $group: { _id: null, 'a.b': { $sum: int(1) } } }, 40235],
    [{ $group: { _id: null, $a: { $sum: int(1) } } }, 40236],
    [{ $group: { _id: null, n: { $sum: int(1), $max: int(1) } } }, 40238],
    [{ $group: { _id: null, n: { $foo: int(1) } } }, 15952],
    [{ $group: { _id: null, n: { $sum: [int(1)] } } }, 40237],
    [{ $group: { _id: { a: int(1) } } }, 17390],
  ];
  for (const [stage, code] of errors) {
    test(`error ${code}: ${JSON.stringify(stage)}`, () =>
      assert.equal(pipelineError([stage]).code, code));
  }
});

describe('$sort', () => {
  test("MongoDB's order across types, arrays by their least element", () => {
    const docs = [
      { a: 'x' },
      { a: int(2) },
      { a: null },
      { a: [int(5), int(0)] },
      {},
      { a: dbl(1.5) },
    ];
    const out = runPipeline([{ $sort: { a: int(1) } }, { $project: { _id: int(0) } }], docs);
    assert.deepEqual(show(out), [
      '{a: null}',
      '{}',
      '{a: [int:5, int:0]}',
      '{a: double:1.5}',
      '{a: int:2}',
      '{a: string:x}',
    ]);
  });

  test('errors 15973 and 15976', () => {
    assert.equal(pipelineError([{ $sort: int(1) }]).code, 15973);
    assert.equal(pipelineError([{ $sort: {} }]).code, 15976);
    assert.equal(pipelineError([{ $sort: { a: int(2) } }]).code, 15975);
  });
});

describe('memory limits and spilling', () => {
  const docs = Array.from({ length: 300 }, (_, i) => ({
    _id: int(i),
    g: int((i * 7919) % 37),
    pad: 'x'.repeat(40),
  }));
  const tiny = { sortBytes: 2000, groupBytes: 2000 };

  test('without allowDiskUse a stage over its budget fails with 292', () => {
    const sort = pipelineError([{ $sort: { g: int(1) } }], docs, { limits: tiny });
    assert.deepEqual(sort, {
      code: 292,
      message: 'Sort exceeded memory limit of 2000 bytes, but did not opt in to external sorting.',
    });
    const group = pipelineError([{ $group: { _id: '$_id' } }], docs, { limits: tiny });
    assert.equal(group.code, 292);
    assert.match(
      group.message,
      /Exceeded memory limit for \$group, but didn't allow external sort/,
    );
  });

  test('with allowDiskUse $sort spills and the result is the in-memory result', () => {
    const pipeline = [{ $sort: { g: int(-1), _id: int(1) } }];
    assert.deepEqual(
      runPipeline(pipeline, docs, { limits: tiny, allowDiskUse: true }),
      runPipeline(pipeline, docs),
    );
  });

  test('with allowDiskUse $group spills and every group keeps its input order', () => {
    const pipeline = [
      {
        $group: {
          _id: '$g',
          ids: { $push: '$_id' },
          n: { $sum: int(1) },
          first: { $first: '$_id' },
        },
      },
      { $sort: { _id: int(1) } },
    ];
    assert.deepEqual(
      runPipeline(pipeline, docs, { limits: tiny, allowDiskUse: true }),
      runPipeline(pipeline, docs),
    );
  });

  test('spill files are written under the spill directory and deleted afterwards', () => {
    const { context, environment } = testContext({ limits: tiny, allowDiskUse: true });
    const pipeline = parsePipeline([{ $sort: { g: int(1) } }], { ...context, namespace: 'test.c' });
    const root = Pipeline.chain(pipeline.stages, new ValuesStage(docs));
    const first = root.next();
    assert.ok(first !== undefined);
    assert.ok(environment.spill.spills > 0);
    assert.ok(filesIn(environment.spillDirectory).length > 0);
    drain(root);
    environment.dispose();
    assert.deepEqual(filesIn(environment.spillDirectory), []);
  });

  test('property: a spilling sort equals the in-memory sort and is stable', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 120 }), (values) => {
        const input = values.map((v, i) => ({ i: int(i), v: int(v) }));
        const pipeline = [{ $sort: { v: int(1) } }];
        const spilled = runPipeline(pipeline, input, {
          limits: { sortBytes: 300 },
          allowDiskUse: true,
        });
        const expected = [...input].sort((a, b) => a.v.value - b.v.value || a.i.value - b.i.value);
        assert.deepEqual(show(spilled), show(expected));
      }),
      { numRuns: 50 },
    );
  });
});

describe('$sample', () => {
  const docs = Array.from({ length: 50 }, (_, i) => ({ _id: int(i) }));
  test('returns size distinct documents, the same ones for the same seed', () => {
    const a = runPipeline([{ $sample: { size: int(5) } }], docs, { seed: 11 });
    const b = runPipeline([{ $sample: { size: int(5) } }], docs, { seed: 11 });
    assert.equal(a.length, 5);
    assert.equal(new Set(a.map((doc) => typed(doc._id))).size, 5);
    assert.deepEqual(a, b);
    assert.equal(runPipeline([{ $sample: { size: int(100) } }], docs).length, 50);
  });

  test('errors 28745 to 28749', () => {
    assert.equal(pipelineError([{ $sample: int(1) }]).code, 28745);
    assert.equal(pipelineError([{ $sample: { size: 'x' } }]).code, 28746);
    assert.equal(pipelineError([{ $sample: { size: int(-1) } }]).code, 28747);
    assert.equal(pipelineError([{ $sample: { size: int(1), x: int(1) } }]).code, 28748);
    assert.equal(pipelineError([{ $sample: {} }]).code, 28749);
  });
});

/** A source that asks to yield every few documents, as a collection scan does. */
class YieldingSource implements PlanStage {
  readonly stageName = 'YIELDING';
  private position = 0;
  private yielded = false;

  constructor(
    private readonly docs: BsonDocument[],
    private readonly every: number,
  ) {}

  next(): StageResult {
    if (this.position > 0 && this.position % this.every === 0 && !this.yielded) {
      this.yielded = true;
      return needYield;
    }
    this.yielded = false;
    const doc = this.docs[this.position];
    if (doc === undefined) return undefined;
    this.position++;
    return memberFromDocument(doc);
  }

  isEOF(): boolean {
    return this.position >= this.docs.length;
  }

  saveState(): void {}

  stats(): StageStats {
    return { stage: this.stageName, nReturned: this.position, works: this.position, children: [] };
  }
}

describe('yielding', () => {
  const docs = Array.from({ length: 100 }, (_, i) => ({ _id: int(i), g: int(i % 3) }));
  const pipelines: [string, BsonValue[]][] = [
    ['$group', [{ $group: { _id: '$g', n: { $sum: int(1) } } }]],
    ['$sort', [{ $sort: { g: int(1) } }]],
    ['$bucketAuto', [{ $bucketAuto: { groupBy: '$_id', buckets: int(4) } }]],
    [
      '$setWindowFields',
      [{ $setWindowFields: { sortBy: { g: int(1) }, output: { r: { $rank: {} } } } }],
    ],
    ['$facet', [{ $facet: { n: [{ $count: 'n' }] } }]],
    ['$unionWith', [{ $unionWith: { pipeline: [{ $documents: [{ x: int(1) }] }] } }]],
  ];
  for (const [name, pipeline] of pipelines) {
    test(`${name} passes its input's yields up and resumes where it stopped`, () => {
      const { context, environment } = testContext();
      const parsed = parsePipeline(pipeline, { ...context, namespace: 'test.c' });
      const root = Pipeline.chain(parsed.stages, new YieldingSource(docs, 10));
      let yields = 0;
      const out: BsonDocument[] = [];
      for (let member = root.next(); member !== undefined; member = root.next()) {
        if (member === needYield) yields++;
        else out.push(documentOf(member));
      }
      environment.dispose();
      assert.ok(yields >= 9, `${yields} yields`);
      assert.deepEqual(show(out), show(runPipeline(pipeline, docs)));
    });
  }
});
