/**
 * Date operators. Expected values come from the MongoDB manual's examples ($dateToString,
 * $dateToParts, $week, $dateFromParts, $dateFromString, $dateAdd, $dateTrunc) and from the
 * server's algorithms in date_time_support.cpp where the manual is silent.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ObjectId, Timestamp } from 'bson';
import type { BsonValue } from '../../bson/types.js';
import { dbl, errorOf, evaluate, int, long, typed } from '../test-support.js';

const date = new Date('2014-01-01T08:15:39.736Z');

function check(cases: [BsonValue, string][], doc = {}): void {
  for (const [expression, expected] of cases) {
    void test(`${JSON.stringify(expression)} -> ${expected}`, () => {
      assert.equal(typed(evaluate(expression, doc)), expected);
    });
  }
}

void describe('date parts', () => {
  check(
    [
      [{ $year: '$d' }, 'int:2014'],
      [{ $month: '$d' }, 'int:1'],
      [{ $dayOfMonth: '$d' }, 'int:1'],
      [{ $hour: '$d' }, 'int:8'],
      [{ $minute: '$d' }, 'int:15'],
      [{ $second: '$d' }, 'int:39'],
      [{ $millisecond: '$d' }, 'int:736'],
      [{ $dayOfYear: '$d' }, 'int:1'],
      [{ $dayOfWeek: '$d' }, 'int:4'],
      [{ $week: '$d' }, 'int:0'],
      [{ $isoWeek: '$d' }, 'int:1'],
      [{ $isoDayOfWeek: '$d' }, 'int:3'],
      [{ $isoWeekYear: '$d' }, 'long:2014'],
      [{ $hour: { date: '$d', timezone: 'America/New_York' } }, 'int:3'],
      [{ $hour: { date: '$d', timezone: '+04:30' } }, 'int:12'],
      [{ $minute: { date: '$d', timezone: '-0130' } }, 'int:45'],
      [{ $year: ['$d'] }, 'int:2014'],
      [{ $year: null }, 'null'],
      [{ $year: { date: '$d', timezone: null } }, 'null'],
      // Timestamps and ObjectIds coerce to dates (their seconds).
      [{ $year: new Timestamp({ t: 1609459200, i: 1 }) }, 'int:2021'],
      [{ $year: new ObjectId('5ff7c2800000000000000000') }, 'int:2021'],
      [{ $isoWeekYear: new Date('2016-01-01T00:00:00Z') }, 'long:2015'],
      [{ $week: new Date('2016-01-03T00:00:00Z') }, 'int:1'],
      [{ $year: new Date('1969-12-31T23:59:59.999Z') }, 'int:1969'],
      [{ $millisecond: new Date('1969-12-31T23:59:59.999Z') }, 'int:999'],
    ],
    { d: date },
  );
  void test('errors', () => {
    assert.deepEqual(errorOf({ $year: 'x' }), {
      code: 16006,
      message: "can't convert from BSON type string to Date",
    });
    assert.equal(errorOf({ $year: { date: date, timezone: 'Mars/Olympus' } }).code, 40485);
    assert.equal(errorOf({ $year: { date: date, timezone: 'america/new_york' } }).code, 40485);
    assert.deepEqual(errorOf({ $year: { date: date, timezone: int(5) } }), {
      code: 40533,
      message: '$year requires a string for the timezone argument, but was given a int (5)',
    });
    assert.equal(errorOf({ $year: { timezone: 'UTC' } }).code, 40539);
    assert.equal(errorOf({ $year: { date: date, foo: int(1) } }).code, 40535);
    assert.equal(errorOf({ $year: [date, date] }).code, 40536);
  });
});

void describe('$dateToString', () => {
  check(
    [
      [{ $dateToString: { format: '%Y-%m-%d', date: '$d' } }, 'string:2014-01-01'],
      [
        { $dateToString: { format: '%H:%M:%S:%L%z', date: '$d', timezone: 'America/New_York' } },
        'string:03:15:39:736-0500',
      ],
      [
        { $dateToString: { format: '%H:%M:%S:%L%z', date: '$d', timezone: '+04:30' } },
        'string:12:45:39:736+0430',
      ],
      [
        { $dateToString: { format: '%Z', date: '$d', timezone: 'America/New_York' } },
        'string:-300',
      ],
      [{ $dateToString: { format: '%Z', date: '$d', timezone: '+04:30' } }, 'string:270'],
      [
        { $dateToString: { format: '%b %d, %Y / %B', date: '$d' } },
        'string:Jan 01, 2014 / January',
      ],
      [
        { $dateToString: { format: '%j %w %U %G-%V-%u %%', date: '$d' } },
        'string:001 4 00 2014-01-3 %',
      ],
      [{ $dateToString: { date: '$d' } }, 'string:2014-01-01T08:15:39.736Z'],
      // Without a format the ISO layout is used in the zone, 'Z' suffix and all.
      [
        { $dateToString: { date: '$d', timezone: 'America/New_York' } },
        'string:2014-01-01T03:15:39.736Z',
      ],
      [{ $dateToString: { date: '$missing', onNull: 'none' } }, 'string:none'],
      [{ $dateToString: { date: null } }, 'null'],
      [{ $dateToString: { date: '$d', format: null } }, 'null'],
    ],
    { d: date },
  );
  void test('errors', () => {
    assert.deepEqual(errorOf({ $dateToString: { date, format: '%Q' } }), {
      code: 18536,
      message: "Invalid format character '%Q' in format string",
    });
    assert.equal(errorOf({ $dateToString: { date, format: 'abc%' } }).code, 18535);
    assert.equal(errorOf({ $dateToString: { date, format: int(1) } }).code, 18533);
    assert.equal(errorOf({ $dateToString: { format: '%Y' } }).code, 18628);
    assert.equal(errorOf({ $dateToString: { date, x: int(1) } }).code, 18534);
    assert.equal(errorOf({ $dateToString: 'x' }).code, 18629);
    assert.equal(
      errorOf({ $dateToString: { date: new Date('-000001-01-01T00:00:00Z') } }).code,
      18537,
    );
  });
});

void describe('$dateToParts and $dateFromParts', () => {
  const moment = new Date('2017-01-01T01:29:09.123Z');
  check([
    [
      { $dateToParts: { date: moment } },
      '{year: int:2017, month: int:1, day: int:1, hour: int:1, minute: int:29, second: int:9, millisecond: int:123}',
    ],
    [
      { $dateToParts: { date: moment, iso8601: true } },
      '{isoWeekYear: int:2016, isoWeek: int:52, isoDayOfWeek: int:7, hour: int:1, minute: int:29, second: int:9, millisecond: int:123}',
    ],
    [
      { $dateToParts: { date: moment, timezone: 'America/New_York' } },
      '{year: int:2016, month: int:12, day: int:31, hour: int:20, minute: int:29, second: int:9, millisecond: int:123}',
    ],
    [
      { $dateFromParts: { year: int(2017), month: int(2), day: int(8), hour: int(12) } },
      'date:2017-02-08T12:00:00.000Z',
    ],
    [
      {
        $dateFromParts: {
          isoWeekYear: int(2017),
          isoWeek: int(6),
          isoDayOfWeek: int(3),
          hour: int(12),
        },
      },
      'date:2017-02-08T12:00:00.000Z',
    ],
    [
      {
        $dateFromParts: {
          year: int(2016),
          month: int(12),
          day: int(31),
          hour: int(23),
          minute: int(46),
          second: int(12),
          timezone: 'America/New_York',
        },
      },
      'date:2017-01-01T04:46:12.000Z',
    ],
    // Out-of-range parts carry over (the manual's month 14, day 0 and hour 25 examples).
    [
      { $dateFromParts: { year: int(2017), month: int(14), day: int(1) } },
      'date:2018-02-01T00:00:00.000Z',
    ],
    [
      { $dateFromParts: { year: int(2017), month: int(3), day: int(0) } },
      'date:2017-02-28T00:00:00.000Z',
    ],
    [{ $dateFromParts: { year: int(2017), hour: int(-1) } }, 'date:2016-12-31T23:00:00.000Z'],
    [
      { $dateFromParts: { year: int(2017), millisecond: int(5000) } },
      'date:2017-01-01T00:00:05.000Z',
    ],
    [{ $dateFromParts: { year: dbl(2017), month: long(1) } }, 'date:2017-01-01T00:00:00.000Z'],
    [{ $dateFromParts: { year: int(2017), month: null } }, 'null'],
  ]);
  void test('errors', () => {
    assert.equal(errorOf({ $dateFromParts: { month: int(1) } }).code, 40516);
    assert.equal(errorOf({ $dateFromParts: { year: int(2017), isoWeek: int(1) } }).code, 40489);
    assert.equal(
      errorOf({ $dateFromParts: { isoWeekYear: int(2017), month: int(1) } }).code,
      40525,
    );
    assert.deepEqual(errorOf({ $dateFromParts: { year: int(0) } }), {
      code: 40523,
      message: "'year' must evaluate to an integer in the range 1 to 9999, found 0",
    });
    assert.equal(errorOf({ $dateFromParts: { year: dbl(2017.5) } }).code, 40515);
    assert.equal(errorOf({ $dateFromParts: { year: int(2017), month: int(40000) } }).code, 31034);
    assert.equal(errorOf({ $dateFromParts: { year: int(2017), foo: int(1) } }).code, 40518);
    assert.equal(errorOf({ $dateToParts: { date, iso8601: int(1) } }).code, 40521);
  });
});

void describe('$dateFromString', () => {
  check([
    [
      { $dateFromString: { dateString: '2017-02-08T12:10:40.787Z' } },
      'date:2017-02-08T12:10:40.787Z',
    ],
    [
      { $dateFromString: { dateString: '2017-02-08T12:10:40.787', timezone: 'America/New_York' } },
      'date:2017-02-08T17:10:40.787Z',
    ],
    [{ $dateFromString: { dateString: '2017-02-08' } }, 'date:2017-02-08T00:00:00.000Z'],
    [
      { $dateFromString: { dateString: '2017-02-08 12:10:40+05:30' } },
      'date:2017-02-08T06:40:40.000Z',
    ],
    [
      { $dateFromString: { dateString: '15-06-2018', format: '%d-%m-%Y' } },
      'date:2018-06-15T00:00:00.000Z',
    ],
    [{ $dateFromString: { dateString: '06/15/2018' } }, 'date:2018-06-15T00:00:00.000Z'],
    [{ $dateFromString: { dateString: 'Feb 8, 2017 12:00:00' } }, 'date:2017-02-08T12:00:00.000Z'],
    [
      { $dateFromString: { dateString: '2018 W10 3', format: '%G W%V %u' } },
      'date:2018-03-07T00:00:00.000Z',
    ],
    [{ $dateFromString: { dateString: 'nope', onError: 'bad' } }, 'string:bad'],
    [{ $dateFromString: { dateString: int(5), onError: 'bad' } }, 'string:bad'],
    [{ $dateFromString: { dateString: null, onNull: 'none' } }, 'string:none'],
    [{ $dateFromString: { dateString: '2017-02-08', timezone: null } }, 'null'],
  ]);
  void test('errors', () => {
    assert.equal(errorOf({ $dateFromString: { dateString: 'nope' } }).code, 241);
    assert.equal(errorOf({ $dateFromString: { dateString: '12:30', format: '%H:%M' } }).code, 241);
    assert.deepEqual(
      errorOf({
        $dateFromString: { dateString: '2017-02-08T12:10:40Z', timezone: 'Europe/London' },
      }),
      {
        code: 241,
        message:
          "you cannot pass in a date/time string with time zone information ('Z') together with a timezone argument",
      },
    );
    assert.equal(errorOf({ $dateFromString: { dateString: '2017-02-30' } }).code, 241);
    assert.equal(
      errorOf({ $dateFromString: { dateString: '2017-02-08', format: '%Q' } }).code,
      18536,
    );
    assert.equal(
      errorOf({ $dateFromString: { dateString: '2017', timezone: 'Nowhere', onError: int(1) } })
        .code,
      40485,
    );
    assert.equal(errorOf({ $dateFromString: {} }).code, 40542);
    assert.equal(errorOf({ $dateFromString: { dateString: 'x', foo: int(1) } }).code, 40541);
  });
});

void describe('$dateAdd, $dateSubtract, $dateDiff, $dateTrunc', () => {
  const start = new Date('2020-10-31T12:10:05Z');
  check([
    [
      { $dateAdd: { startDate: start, unit: 'month', amount: int(1) } },
      'date:2020-11-30T12:10:05.000Z',
    ],
    [
      { $dateAdd: { startDate: start, unit: 'year', amount: long(-1) } },
      'date:2019-10-31T12:10:05.000Z',
    ],
    [
      { $dateAdd: { startDate: new Date('2020-02-29T00:00:00Z'), unit: 'year', amount: int(1) } },
      'date:2021-02-28T00:00:00.000Z',
    ],
    [
      { $dateAdd: { startDate: start, unit: 'quarter', amount: int(1) } },
      'date:2021-01-31T12:10:05.000Z',
    ],
    [
      { $dateAdd: { startDate: start, unit: 'millisecond', amount: dbl(2) } },
      'date:2020-10-31T12:10:05.002Z',
    ],
    // Days keep the wall-clock time across a DST change; hours are elapsed time.
    [
      {
        $dateAdd: {
          startDate: new Date('2021-03-13T12:00:00Z'),
          unit: 'day',
          amount: int(1),
          timezone: 'America/New_York',
        },
      },
      'date:2021-03-14T11:00:00.000Z',
    ],
    [
      {
        $dateAdd: {
          startDate: new Date('2021-03-13T12:00:00Z'),
          unit: 'hour',
          amount: int(24),
          timezone: 'America/New_York',
        },
      },
      'date:2021-03-14T12:00:00.000Z',
    ],
    [
      { $dateSubtract: { startDate: start, unit: 'week', amount: int(1) } },
      'date:2020-10-24T12:10:05.000Z',
    ],
    [{ $dateAdd: { startDate: null, unit: 'day', amount: int(1) } }, 'null'],
    [
      {
        $dateDiff: {
          startDate: new Date('2021-01-31T00:00:00Z'),
          endDate: new Date('2021-03-01T00:00:00Z'),
          unit: 'month',
        },
      },
      'long:2',
    ],
    [
      {
        $dateDiff: {
          startDate: new Date('2021-12-31T23:59:59Z'),
          endDate: new Date('2022-01-01T00:00:00Z'),
          unit: 'year',
        },
      },
      'long:1',
    ],
    [
      {
        $dateDiff: {
          startDate: new Date('2021-01-01T00:00:00Z'),
          endDate: new Date('2021-12-31T00:00:00Z'),
          unit: 'quarter',
        },
      },
      'long:3',
    ],
    [
      {
        $dateDiff: {
          startDate: new Date('2021-03-14T06:00:00Z'),
          endDate: new Date('2021-03-14T07:00:00Z'),
          unit: 'hour',
          timezone: 'America/New_York',
        },
      },
      'long:1',
    ],
    // 2021-01-02 is a Saturday and 2021-01-03 a Sunday: one week boundary with the default start.
    [
      {
        $dateDiff: {
          startDate: new Date('2021-01-02T00:00:00Z'),
          endDate: new Date('2021-01-03T00:00:00Z'),
          unit: 'week',
        },
      },
      'long:1',
    ],
    [
      {
        $dateDiff: {
          startDate: new Date('2021-01-02T00:00:00Z'),
          endDate: new Date('2021-01-03T00:00:00Z'),
          unit: 'week',
          startOfWeek: 'MON',
        },
      },
      'long:0',
    ],
    [
      { $dateDiff: { startDate: new Date(1000), endDate: new Date(0), unit: 'millisecond' } },
      'long:-1000',
    ],
    [
      {
        $dateTrunc: {
          date: new Date('2020-05-18T14:10:30Z'),
          unit: 'week',
          binSize: int(2),
          timezone: 'America/Los_Angeles',
          startOfWeek: 'Monday',
        },
      },
      'date:2020-05-11T07:00:00.000Z',
    ],
    [
      { $dateTrunc: { date: new Date('2020-05-18T14:10:30Z'), unit: 'hour', binSize: int(6) } },
      'date:2020-05-18T12:00:00.000Z',
    ],
    [
      { $dateTrunc: { date: new Date('2020-05-18T14:10:30Z'), unit: 'quarter' } },
      'date:2020-04-01T00:00:00.000Z',
    ],
    [
      { $dateTrunc: { date: new Date('2020-05-18T14:10:30Z'), unit: 'year', binSize: int(10) } },
      'date:2020-01-01T00:00:00.000Z',
    ],
    [
      { $dateTrunc: { date: new Date('1999-05-18T14:10:30Z'), unit: 'month', binSize: int(5) } },
      'date:1999-03-01T00:00:00.000Z',
    ],
    [
      { $dateTrunc: { date: new Date('2020-05-18T14:10:30Z'), unit: 'day', timezone: '+05:00' } },
      'date:2020-05-17T19:00:00.000Z',
    ],
  ]);
  void test('errors', () => {
    assert.equal(
      errorOf({ $dateAdd: { startDate: 'x', unit: 'day', amount: int(1) } }).code,
      5166403,
    );
    assert.equal(errorOf({ $dateAdd: { startDate: start, unit: 'days', amount: int(1) } }).code, 9);
    assert.equal(
      errorOf({ $dateAdd: { startDate: start, unit: 'day', amount: dbl(1.5) } }).code,
      5166405,
    );
    assert.equal(errorOf({ $dateAdd: { startDate: start, unit: 'day' } }).code, 5166402);
    assert.equal(
      errorOf({ $dateAdd: { startDate: start, unit: 'year', amount: long(10000000000) } }).code,
      5976500,
    );
    assert.equal(
      errorOf({
        $dateSubtract: { startDate: start, unit: 'day', amount: long(-9223372036854775808n) },
      }).code,
      6045000,
    );
    assert.deepEqual(
      errorOf({ $dateDiff: { startDate: start, endDate: start, unit: 'fortnight' } }),
      {
        code: 5439014,
        message: "$dateDiff parameter 'unit' value cannot be recognized as a time unit: fortnight",
      },
    );
    assert.equal(
      errorOf({ $dateDiff: { startDate: start, endDate: 'x', unit: 'day' } }).code,
      5166307,
    );
    assert.deepEqual(
      errorOf({ $dateDiff: { startDate: start, endDate: start, unit: 'day', timezone: 'X/Y' } }),
      {
        code: 40485,
        message:
          '$dateDiff parameter \'timezone\' value parsing failed :: caused by :: unrecognized time zone identifier: "X/Y"',
      },
    );
    assert.equal(
      errorOf({
        $dateDiff: { startDate: start, endDate: start, unit: 'week', startOfWeek: 'someday' },
      }).code,
      5439016,
    );
    assert.equal(
      errorOf({ $dateTrunc: { date: start, unit: 'day', binSize: int(0) } }).code,
      5439018,
    );
    assert.equal(errorOf({ $dateTrunc: { date: start, unit: 'day', binSize: 'x' } }).code, 5439017);
    assert.equal(errorOf({ $dateTrunc: { date: int(1), unit: 'day' } }).code, 5439012);
    assert.equal(errorOf({ $dateTrunc: { unit: 'day' } }).code, 5439009);
  });
});
