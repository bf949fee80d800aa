/**
 * The one-document stages: $match, $project, $unset, $addFields/$set, $replaceRoot,
 * $replaceWith, $limit, $skip, $redact, $documents. Expectations follow the server's
 * jstests (jstests/aggregation/sources/addFields/dotted_paths.js, empty_objs.js) and the
 * stage sources cited in each file.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { dbl, int, long, typed } from '../test-support.js';
import { pipelineError, runPipeline } from './test-support.js';

const show = (docs: BsonDocument[]): string[] => docs.map(typed);

describe('$match', () => {
  test('filters with the query language, $expr included', () => {
    const docs = [{ a: int(1) }, { a: int(2) }, { a: [int(1), int(3)] }, { b: int(1) }];
    assert.deepEqual(show(runPipeline([{ $match: { a: int(1) } }], docs)), [
      '{a: int:1}',
      '{a: [int:1, int:3]}',
    ]);
    assert.deepEqual(show(runPipeline([{ $match: { $expr: { $gt: ['$a', int(1)] } } }], docs)), [
      '{a: int:2}',
      '{a: [int:1, int:3]}',
    ]);
  });

  test('the filter must be an object (15959)', () => {
    assert.deepEqual(pipelineError([{ $match: int(1) }]), {
      code: 15959,
      message: 'the match filter must be an expression in an object',
    });
  });
});

describe('$project and $unset', () => {
  const doc = {
    _id: int(1),
    a: int(1),
    b: { c: int(2), d: int(3) },
    arr: [int(1), int(2), int(3)],
  };
  const cases: { spec: BsonDocument; expected: string }[] = [
    { spec: { a: int(1) }, expected: '{_id: int:1, a: int:1}' },
    { spec: { _id: int(0), 'b.c': true }, expected: '{b: {c: int:2}}' },
    { spec: { b: false, arr: int(0) }, expected: '{_id: int:1, a: int:1}' },
    { spec: { x: { $add: ['$a', int(1)] }, _id: int(0) }, expected: '{x: int:2}' },
    // In aggregation $slice is always the expression, never find()'s projection $slice.
    { spec: { _id: int(0), s: { $slice: ['$arr', int(2)] } }, expected: '{s: [int:1, int:2]}' },
  ];
  for (const { spec, expected } of cases) {
    test(`$project ${JSON.stringify(spec)}`, () => {
      assert.deepEqual(show(runPipeline([{ $project: spec }], [doc])), [expected]);
    });
  }

  test('$unset removes fields by name or list', () => {
    assert.deepEqual(show(runPipeline([{ $unset: 'a' }, { $unset: ['b.c', 'arr'] }], [doc])), [
      '{_id: int:1, b: {d: int:3}}',
    ]);
  });

  const errors: { stage: BsonDocument; code: number; message?: string }[] = [
    {
      stage: { $project: int(1) },
      code: 15969,
      message: '$project specification must be an object',
    },
    {
      stage: { $project: {} },
      code: 51272,
      message:
        'Invalid $project :: caused by :: projection specification must have at least one field',
    },
    { stage: { $project: { a: int(1), b: int(0) } }, code: 31254 },
    { stage: { $project: { 'a.$': int(1) } }, code: 31324 },
    // find()'s numeric $slice does not exist here; the expression form needs an array.
    { stage: { $project: { a: { $slice: int(2) } } }, code: 28667 },
    { stage: { $unset: int(1) }, code: 31002 },
    { stage: { $unset: [] }, code: 31119 },
    { stage: { $unset: ['a', int(1)] }, code: 31120 },
  ];
  for (const { stage, code, message } of errors) {
    test(`error ${code} for ${JSON.stringify(stage)}`, () => {
      const error = pipelineError([stage], [doc]);
      assert.equal(error.code, code);
      if (message !== undefined) assert.equal(error.message, message);
    });
  }
});

describe('$addFields and $set', () => {
  // jstests/aggregation/sources/addFields/dotted_paths.js
  const input = {
    _id: int(1),
    arrayField: [int(1), { subField: [int(2), {}] }, [int(1)]],
    objField: { p: { q: int(1) }, subArr: [int(1)] },
    otherField: 'value',
  };
  test('a dotted path replaces the value at that path', () => {
    const [out] = runPipeline([{ $addFields: { 'objField.subArr': 'newValue' } }], [input]);
    assert.equal(typed((out as BsonDocument).objField), '{p: {q: int:1}, subArr: string:newValue}');
  });

  test('a new sub-document keeps the existing siblings', () => {
    const [out] = runPipeline([{ $set: { 'objField.newSubPath.b': 'newValue' } }], [input]);
    assert.equal(
      typed((out as BsonDocument).objField),
      '{p: {q: int:1}, subArr: [int:1], newSubPath: {b: string:newValue}}',
    );
  });

  test('below an array every element gets the field, scalars become documents', () => {
    const [out] = runPipeline([{ $addFields: { 'arrayField.newSubPath.b': 'v' } }], [input]);
    assert.equal(
      typed((out as BsonDocument).arrayField),
      '[{newSubPath: {b: string:v}}, {subField: [int:2, {}], newSubPath: {b: string:v}}, [{newSubPath: {b: string:v}}]]',
    );
  });

  test('a nested object is a nested specification; {} is a value (empty_objs.js)', () => {
    const [out] = runPipeline(
      [{ $addFields: { objField: { x: '$otherField' }, otherField: {} } }],
      [input],
    );
    assert.equal(
      typed((out as BsonDocument).objField),
      '{p: {q: int:1}, subArr: [int:1], x: string:value}',
    );
    assert.equal(typed((out as BsonDocument).otherField), '{}');
  });

  test('expressions see the input document; $$REMOVE removes', () => {
    const [out] = runPipeline(
      [{ $addFields: { a: int(5), b: '$a', otherField: '$$REMOVE' } }],
      [{ a: int(1), otherField: int(2) }],
    );
    assert.equal(typed(out), '{a: int:5, b: int:1}');
  });

  test('conflicting paths (40176) and a non-object specification (40272)', () => {
    assert.equal(pipelineError([{ $addFields: { a: int(1), 'a.b': int(2) } }]).code, 40176);
    assert.deepEqual(pipelineError([{ $set: int(1) }]), {
      code: 40272,
      message: '$set specification stage must be an object, got int',
    });
  });
});

describe('$replaceRoot and $replaceWith', () => {
  test('the document becomes the expression value', () => {
    const docs = [{ _id: int(1), inner: { x: int(1) } }];
    assert.deepEqual(show(runPipeline([{ $replaceRoot: { newRoot: '$inner' } }], docs)), [
      '{x: int:1}',
    ]);
    assert.deepEqual(show(runPipeline([{ $replaceWith: { y: '$_id' } }], docs)), ['{y: int:1}']);
  });

  test('a non-document result fails with 40228 and the server message', () => {
    assert.deepEqual(pipelineError([{ $replaceWith: '$a' }], [{ a: int(1) }]), {
      code: 40228,
      message:
        "'replacement document' must evaluate to an object, but resulting value was: 1. Type of resulting value: 'int'. Input document: {a: 1}",
    });
    assert.equal(
      pipelineError([{ $replaceRoot: { newRoot: '$missing' } }], [{ a: int(1) }]).code,
      40228,
    );
    assert.equal(pipelineError([{ $replaceRoot: int(1) }]).code, 40229);
    assert.equal(pipelineError([{ $replaceRoot: {} }]).code, 40414);
    assert.equal(pipelineError([{ $replaceRoot: { newRoot: '$a', x: int(1) } }]).code, 40415);
  });
});

describe('$limit and $skip', () => {
  const docs = [1, 2, 3, 4, 5].map((a) => ({ a: int(a) }));
  test('take and skip in order, any integral numeric type', () => {
    assert.deepEqual(show(runPipeline([{ $skip: long(1) }, { $limit: dbl(2) }], docs)), [
      '{a: int:2}',
      '{a: int:3}',
    ]);
    assert.deepEqual(show(runPipeline([{ $skip: int(10) }], docs)), []);
  });

  const errors: [BsonValue, number, string][] = [
    [{ $limit: int(0) }, 15958, 'the limit must be positive'],
    [
      { $limit: dbl(1.5) },
      5107201,
      'invalid argument to $limit stage: Expected an integer: $limit: 1.5',
    ],
    [
      { $limit: 'x' },
      5107201,
      'invalid argument to $limit stage: Expected a number in: $limit: "x"',
    ],
    [
      { $skip: int(-1) },
      5107200,
      'invalid argument to $skip stage: Expected a non-negative number in: $skip: -1',
    ],
  ];
  for (const [stage, code, message] of errors) {
    test(message, () => assert.deepEqual(pipelineError([stage]), { code, message }));
  }
});

describe('$redact', () => {
  // The manual's example: keep levels whose tags intersect the user's access.
  const doc = {
    _id: int(1),
    tags: ['G', 'STLW'],
    year: int(2014),
    subsections: [
      { subtitle: 'Section 1', tags: ['SI', 'G'], content: 'Section 1' },
      { subtitle: 'Section 2', tags: ['SI'], content: { text: 'x', tags: ['TK'] } },
    ],
  };
  test('$$DESCEND keeps levels, $$PRUNE removes them, arrays of documents included', () => {
    const redact = {
      $cond: {
        if: { $gt: [{ $size: { $setIntersection: ['$tags', ['STLW', 'G']] } }, int(0)] },
        then: '$$DESCEND',
        else: '$$PRUNE',
      },
    };
    const [out] = runPipeline([{ $redact: redact }], [doc]);
    assert.equal(
      typed(out),
      '{_id: int:1, tags: [string:G, string:STLW], year: int:2014, subsections: [{subtitle: string:Section 1, tags: [string:SI, string:G], content: string:Section 1}]}',
    );
  });

  test('$$KEEP keeps the level whole; anything else is error 17053', () => {
    assert.deepEqual(show(runPipeline([{ $redact: '$$KEEP' }], [doc])), [typed(doc)]);
    assert.equal(pipelineError([{ $redact: 'keep it' }], [doc]).code, 17053);
  });
});

describe('$documents', () => {
  test('produces its documents, evaluated once', () => {
    const out = runPipeline(
      [{ $documents: [{ x: int(1) }, { x: { $add: [int(1), int(1)] } }] }],
      [],
      { collection: undefined },
    );
    assert.deepEqual(show(out), ['{x: int:1}', '{x: int:2}']);
  });

  test('must evaluate to an array of documents', () => {
    assert.equal(
      pipelineError([{ $documents: int(1) }], [], { collection: undefined }).code,
      5858203,
    );
    assert.equal(
      pipelineError([{ $documents: [int(1)] }], [], { collection: undefined }).code,
      40228,
    );
  });
});
