/** getParameter / setParameter over the server's parameter table. */
import { isDocument, isNumber } from '../../bson/types.js';
import { toDouble } from '../../bson/arith.js';
import { MongoError } from '../../errors/mongo-error.js';
import type { CommandSpec, Reply } from '../context.js';

export const getParameterCommand: CommandSpec = {
  name: 'getParameter',
  adminOnly: true,
  help: "Returns server parameters: getParameter: '*' for all, or name: 1 fields.",
  handler: ({ server, request }) => {
    const { body } = request;
    const all =
      body.getParameter === '*' ||
      (isDocument(body.getParameter) && body.getParameter.allParameters === true);
    const reply: Reply = {};
    for (const [name, value] of server.parameters) {
      if (all || name in body) reply[name] = value;
    }
    if (Object.keys(reply).length === 0)
      throw new MongoError('InvalidOptions', 'no option found to get');
    return { ...reply, ok: 1 };
  },
};

export const setParameterCommand: CommandSpec = {
  name: 'setParameter',
  adminOnly: true,
  help: 'Sets runtime server parameters, returning the previous values.',
  handler: ({ server, request }) => {
    const reply: Reply = {};
    for (const [name, value] of Object.entries(request.body)) {
      if (name === 'setParameter' || name.startsWith('$') || name === 'lsid' || name === 'comment')
        continue;
      if (!server.parameters.has(name)) {
        throw new MongoError(
          'InvalidOptions',
          `attempted to set unrecognized parameter [${name}], use help:true to see options`,
        );
      }
      reply.was = server.parameters.get(name);
      server.parameters.set(name, value);
      if (name === 'cursorTimeoutMillis' && isNumber(value))
        server.cursors.timeoutMs = toDouble(value);
    }
    if (!('was' in reply))
      throw new MongoError(
        'InvalidOptions',
        'no option found to set, use help:true to see options ',
      );
    return { ...reply, ok: 1 };
  },
};
