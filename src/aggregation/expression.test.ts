/**
 * The expression core: literals, field paths, variables, object and array expressions, and
 * parse errors. Expectations follow expression.cpp (ExpressionFieldPath::evaluatePath,
 * ExpressionObject, ExpressionArray) and variables.cpp.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Timestamp } from 'bson';
import { compileExpression, isTruthy } from './expression.js';
import { dbl, dec, errorOf, evaluate, int, long, testScope, typed } from './test-support.js';

void describe('field paths', () => {
  const doc = {
    a: { b: int(1) },
    arr: [{ b: int(1) }, { c: int(2) }, int(3), { b: [int(4), int(5)] }, [{ b: int(6) }]],
    n: null,
  };
  const cases: [string, string][] = [
    ['$a.b', 'int:1'],
    ['$a', '{b: int:1}'],
    ['$missing', 'missing'],
    ['$a.b.c', 'missing'],
    ['$n.x', 'missing'],
    // Arrays of documents yield the field of each document that has it; nested arrays and
    // scalars are skipped (evaluatePathArray).
    ['$arr.b', '[int:1, [int:4, int:5]]'],
    ['$$ROOT.a.b', 'int:1'],
    ['$$CURRENT.a.b', 'int:1'],
  ];
  for (const [path, expected] of cases) {
    void test(path, () => assert.equal(typed(evaluate(path, doc)), expected));
  }

  void test('fields inherited from Object.prototype are not fields', () => {
    assert.equal(typed(evaluate('$constructor', {})), 'missing');
    assert.equal(typed(evaluate('$toString', {})), 'missing');
    assert.equal(typed(evaluate('$__proto__', {})), 'missing');
  });

  void test('invalid paths fail like FieldPath', () => {
    assert.equal(errorOf('$').code, 16872);
    assert.equal(errorOf('$a..b').code, 15998);
    assert.equal(errorOf('$a.$b').code, 16410);
    assert.equal(errorOf('$a.').code, 40353);
  });
});

void describe('variables', () => {
  void test('builtins', () => {
    const scope = testScope({ clusterTime: new Timestamp({ t: 5, i: 1 }) });
    const now = compileExpression('$$NOW', scope)({}, new Map());
    assert.equal(typed(now), 'date:2024-01-02T03:04:05.678Z');
    assert.equal(
      typed(compileExpression('$$CLUSTER_TIME', scope)({}, new Map())),
      'timestamp:21474836481',
    );
    assert.equal(typed(evaluate('$$REMOVE')), 'missing');
    assert.equal(typed(evaluate('$$ROOT', { a: int(1) })), '{a: int:1}');
  });

  void test('$$CLUSTER_TIME without a cluster time is not available (51144)', () => {
    assert.equal(errorOf('$$CLUSTER_TIME').code, 51144);
  });

  void test('undefined and invalid names', () => {
    assert.deepEqual(errorOf('$$nope'), {
      code: 17276,
      message: 'Use of undefined variable: nope',
    });
    assert.equal(errorOf('$$').code, 16866);
    assert.equal(errorOf('$$1a').code, 16867);
    assert.equal(errorOf('$$a-b').code, 16868);
  });

  void test('$let can rebind CURRENT, which re-roots field paths', () => {
    const doc = { a: { b: int(1) }, b: int(2) };
    assert.equal(typed(evaluate({ $let: { vars: { CURRENT: '$a' }, in: '$b' } }, doc)), 'int:1');
    assert.equal(
      typed(evaluate({ $let: { vars: { CURRENT: '$a' }, in: '$$ROOT.b' } }, doc)),
      'int:2',
    );
  });

  void test('$let errors', () => {
    assert.equal(errorOf({ $let: { vars: { Bad: int(1) }, in: int(1) } }).code, 16867);
    assert.equal(errorOf({ $let: { vars: int(1), in: int(1) } }).code, 10065);
    assert.equal(errorOf({ $let: { in: int(1) } }).code, 16876);
    assert.equal(errorOf({ $let: { vars: {} } }).code, 16877);
    assert.equal(errorOf({ $let: { vars: {}, in: int(1), x: int(1) } }).code, 16875);
    // "vars" expressions see only the outer scope.
    assert.equal(errorOf({ $let: { vars: { a: int(1), b: '$$a' }, in: int(1) } }).code, 17276);
  });

  void test('variables in scope read from the map', () => {
    const scope = testScope({ variablesInScope: new Set(['x']) });
    const compiled = compileExpression('$$x.y', scope);
    assert.equal(typed(compiled({}, new Map([['x', { y: int(7) }]]))), 'int:7');
  });
});

void describe('object and array expressions', () => {
  void test('missing fields are omitted from objects, but become null in arrays', () => {
    assert.equal(
      typed(evaluate({ x: '$a', y: '$missing', z: int(1) }, { a: int(2) })),
      '{x: int:2, z: int:1}',
    );
    assert.equal(typed(evaluate(['$a', '$missing'], { a: int(2) })), '[int:2, null]');
  });

  void test('nested object expressions and operators inside them', () => {
    const result = evaluate({ o: { p: { $add: [int(1), int(2)] } } });
    assert.equal(typed(result), '{o: {p: int:3}}');
  });

  void test('field names are validated (16410, 16412)', () => {
    assert.equal(errorOf({ a: int(1), $b: int(1) }).code, 16410);
    assert.equal(errorOf({ 'a.b': int(1) }).code, 16412);
  });

  void test('a "__proto__" field is an ordinary field', () => {
    const result = evaluate({ ['__proto__']: int(1) }) as Record<string, unknown>;
    assert.ok(Object.hasOwn(result, '__proto__'));
  });
});

void describe('operators', () => {
  void test('unknown operator is InvalidPipelineOperator (168)', () => {
    assert.deepEqual(errorOf({ $foo: int(1) }), {
      code: 168,
      message: "Unrecognized expression '$foo'",
    });
  });

  void test('an operator object must have exactly one field (15983)', () => {
    const error = errorOf({ $add: [int(1)], b: int(1) });
    assert.equal(error.code, 15983);
    assert.equal(
      error.message,
      'An object representing an expression must have exactly one field: { $add: [ 1 ], b: 1 }',
    );
  });

  void test('arity errors (16020, 28667)', () => {
    assert.deepEqual(errorOf({ $size: [int(1), int(2)] }), {
      code: 16020,
      message: 'Expression $size takes exactly 1 arguments. 2 were passed in.',
    });
    assert.deepEqual(errorOf({ $round: [] }), {
      code: 28667,
      message: 'Expression $round takes at least 1 arguments, and at most 2, but 0 were passed in.',
    });
  });

  void test('$literal keeps operators and paths as data', () => {
    assert.equal(typed(evaluate({ $literal: { $add: ['$a'] } })), '{$add: [string:$a]}');
    assert.equal(typed(evaluate({ $const: '$x' })), 'string:$x');
  });

  void test('constant sub-expressions fail at compile time, like the server optimize()', () => {
    assert.throws(
      () => compileExpression({ $divide: [int(1), int(0)] }, testScope()),
      /divide by zero/,
    );
  });

  void test('$function and $accumulator-style JavaScript is refused (31264)', () => {
    assert.equal(errorOf({ $function: { body: 'x', args: [], lang: 'js' } }).code, 31264);
  });
});

void describe('isTruthy (coerceToBool)', () => {
  const falsy = [null, undefined, false, int(0), long(0), dbl(0), dbl(-0), dec('0'), dec('-0.00')];
  const truthy = [true, int(1), dbl(Number.NaN), dec('NaN'), '', 'false', [], {}, new Date(0)];
  void test('false only for null, missing, false and numeric zero', () => {
    for (const value of falsy) assert.equal(isTruthy(value), false, typed(value));
    for (const value of truthy) assert.equal(isTruthy(value), true, typed(value));
  });
});
