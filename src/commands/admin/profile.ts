/**
 * profile: read or change the database profiler (mongod's ProfileCmdBase). The level
 * and filter are per database; slowms and sampleRate are global. The reply always shows
 * the settings from before the change: {was, slowms, sampleRate, filter?, note?, ok}.
 * A level outside 0..2 (conventionally -1) only reads.
 */
import { Double, Int32 } from 'bson';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { isDocument, isNumber } from '../../bson/types.js';
import { toDouble } from '../../bson/arith.js';
import { MongoError } from '../../errors/mongo-error.js';
import type { CommandContext, CommandSpec, Reply } from '../context.js';
import { checkFields, missingField, wrongType } from '../args.js';
import { QueryCompiler } from '../query-compiler.js';
import type { ProfileFilter } from '../profiling/profile-filter.js';
import { compileProfileFilter } from '../profiling/profile-filter.js';
import type { DatabaseProfileSettings, ProfileLevel } from '../profiling/profiler.js';
import { profilerOf } from '../profiling/profiler.js';
import { ensureProfileCollection } from '../profiling/profile-writer.js';

const fields = new Set(['slowms', 'sampleRate', 'filter']);

const filterNote =
  'When a filter expression is set, slowms and sampleRate are not used for profiling and slow-query log lines.';

/** IDL safeInt64: any number, truncated toward zero (NaN is 0). */
function safeInteger(body: BsonDocument, field: string): number | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (!isNumber(value)) throw wrongType('profile', field, value, "'[long, int, decimal, double]'");
  const number = Math.trunc(toDouble(value));
  return Number.isNaN(number) ? 0 : number;
}

function sampleRateOf(body: BsonDocument): number | undefined {
  const value = body.sampleRate;
  if (value === undefined) return undefined;
  if (!isNumber(value)) throw wrongType('profile', 'sampleRate', value, "'double'");
  const rate = toDouble(value);
  if (!(rate >= 0 && rate <= 1))
    throw new MongoError('BadValue', "'sampleRate' must be between 0.0 and 1.0 inclusive");
  return rate;
}

/** An object sets the filter, 'unset' removes it (null), absence keeps it (undefined). */
function filterOf(context: CommandContext, value: BsonValue): ProfileFilter | null | undefined {
  if (value === undefined) return undefined;
  if (value === 'unset') return null;
  if (!isDocument(value))
    throw new MongoError('BadValue', "Expected an object, or the string 'unset'.");
  const compiler = QueryCompiler.forCommand(context);
  return compileProfileFilter(value, (filter) => compiler.matcher(filter));
}

function describe(settings: DatabaseProfileSettings, slowMs: number, rate: number): BsonDocument {
  const doc: BsonDocument = {
    level: new Int32(settings.level),
    slowms: new Int32(slowMs),
    sampleRate: new Double(rate),
  };
  if (settings.filter !== undefined) doc.filter = settings.filter.serialized;
  return doc;
}

function profile(context: CommandContext): Reply {
  const { body, database } = context.request;
  checkFields('profile', body, fields);
  const requested = safeInteger(body, 'profile');
  if (requested === undefined) throw missingField('profile', 'profile');
  const slowMs = safeInteger(body, 'slowms');
  const sampleRate = sampleRateOf(body);
  const filter = filterOf(context, body.filter);
  const profiler = profilerOf(context.server);
  const before = profiler.settings(database);
  const previous = { slowMs: profiler.slowMs, sampleRate: profiler.sampleRate };
  const level = requested >= 0 && requested <= 2 ? (requested as ProfileLevel) : undefined;
  if (level !== undefined || filter !== undefined) {
    if ((level ?? before.level) !== 0) ensureProfileCollection(context.server.storage, database);
    profiler.update(database, { ...(level === undefined ? {} : { level }), filter });
  }
  // slowms is an int in mongod (serverGlobalParams.slowMS).
  if (slowMs !== undefined) profiler.slowMs = slowMs | 0;
  if (sampleRate !== undefined) profiler.sampleRate = sampleRate;
  if (
    requested !== -1 ||
    slowMs !== undefined ||
    sampleRate !== undefined ||
    filter !== undefined
  ) {
    context.server.log.info(
      'COMMAND',
      48742,
      'Profiler settings changed',
      {
        from: describe(before, previous.slowMs, previous.sampleRate),
        to: describe(profiler.settings(database), profiler.slowMs, profiler.sampleRate),
      },
      `conn${context.connection.id}`,
    );
  }
  const reply: Reply = {
    was: new Int32(before.level),
    slowms: new Int32(previous.slowMs),
    sampleRate: new Double(previous.sampleRate),
  };
  if (before.filter !== undefined) reply.filter = before.filter.serialized;
  if (before.filter !== undefined || filter !== undefined) reply.note = filterNote;
  return { ...reply, ok: 1 };
}

export const profileCommand: CommandSpec = {
  name: 'profile',
  help: 'Reads or sets the database profiler level, slowms, sampleRate and filter.',
  handler: profile,
};
