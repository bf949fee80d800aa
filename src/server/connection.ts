/**
 * One client connection: bytes in, frames out of the MessageFramer, one message handled
 * at a time in arrival order. A malformed message closes this connection only; the
 * process and every other connection go on.
 */
import type { Socket } from 'node:net';
import { decodeMessage } from '../wire/decode-message.js';
import type { IncomingMessage } from '../wire/decode-message.js';
import { encodeCompressed, encodeOpMsg, encodeOpReply } from '../wire/encode-message.js';
import { MessageFramer } from '../wire/message-framer.js';
import { WireError } from '../wire/wire-error.js';
import { opCodes, opReplyFlags } from '../wire/limits.js';
import { encodeDocument } from '../bson/serialize.js';
import { rawElements } from '../bson/raw-elements.js';
import { dispatch, errorReply } from '../commands/dispatch.js';
import type { ConnectionInfo, Reply, ServerState } from '../commands/context.js';
import { MongoError } from '../errors/mongo-error.js';

/** Replies to these are never compressed (OP_COMPRESSED spec). */
const uncompressible = new Set([
  'hello',
  'ismaster',
  'isMaster',
  'saslStart',
  'saslContinue',
  'getnonce',
  'authenticate',
  'createUser',
  'updateUser',
]);

let nextRequestId = 1;

export class Connection {
  private readonly framer = new MessageFramer();
  private readonly queue: Buffer[] = [];
  private processing = false;
  private closed = false;

  constructor(
    private readonly server: ServerState,
    private readonly socket: Socket,
    readonly info: ConnectionInfo,
    private readonly onClose: () => void,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  private receive(chunk: Buffer): void {
    try {
      this.queue.push(...this.framer.push(chunk));
    } catch (error) {
      this.reject(error);
      return;
    }
    if (!this.processing) void this.drain();
  }

  private async drain(): Promise<void> {
    this.processing = true;
    try {
      for (
        let frame = this.queue.shift();
        frame !== undefined && !this.closed;
        frame = this.queue.shift()
      ) {
        await this.handle(frame);
      }
    } catch (error) {
      this.reject(error);
    } finally {
      this.processing = false;
    }
  }

  private reject(error: unknown): void {
    const attr = {
      remote: this.info.remoteAddress,
      error: error instanceof Error ? error.message : String(error),
    };
    this.server.log.warn(
      'NETWORK',
      22988,
      'Error receiving request from client. Ending connection from remote',
      attr,
      `conn${this.info.id}`,
    );
    this.close();
  }

  private async handle(frame: Buffer): Promise<void> {
    let message: IncomingMessage;
    try {
      message = decodeMessage(frame);
    } catch (error) {
      if (!(error instanceof WireError)) throw error;
      if (error.closesConnection) return this.reject(error);
      const header = error.replyTo;
      // A fire-and-forget request's error has nobody listening for it.
      if (header === undefined) return;
      const reply = encodeDocument({
        ok: 0,
        errmsg: error.message,
        code: error.code,
        codeName: error.codeName,
      });
      const responseTo = header.requestId;
      const requestId = nextRequestId++;
      this.write(
        header.opCode === opCodes.query
          ? encodeOpReply({
              requestId,
              responseTo,
              documents: [reply],
              responseFlags: opReplyFlags.queryFailure,
            })
          : encodeOpMsg({ requestId, responseTo, body: reply }),
      );
      return;
    }
    if (message.kind === 'query') return this.handleQuery(message);
    const body = message.body;
    const reply = await dispatch(this.server, this.info, {
      body,
      sequences: message.sequences,
      noReply: message.moreToCome,
    });
    if (message.moreToCome) return;
    const bytes = encodeOpMsg({
      requestId: nextRequestId++,
      responseTo: message.header.requestId,
      body: encodeDocument(reply),
    });
    const commandName = firstKey(body);
    const compress = message.compressorId !== undefined && !uncompressible.has(commandName);
    this.write(compress ? encodeCompressed(bytes, message.compressorId as number) : bytes);
  }

  /** Legacy OP_QUERY: only commands on `<db>.$cmd`, which is how every handshake starts. */
  private async handleQuery(message: Extract<IncomingMessage, { kind: 'query' }>): Promise<void> {
    const namespace = message.fullCollectionName;
    const dot = namespace.indexOf('.');
    let reply: Reply;
    if (dot <= 0 || namespace.slice(dot + 1) !== '$cmd') {
      reply = errorReply(
        new MongoError(5739101, `Unsupported OP_QUERY command on ${namespace}`),
        this.server,
      );
      reply = { $err: reply.errmsg, ...reply };
    } else {
      reply = await dispatch(this.server, this.info, {
        body: unwrapLegacyQuery(message.query),
        sequences: [],
        noReply: false,
        legacyDatabase: namespace.slice(0, dot),
      });
    }
    const bytes = encodeOpReply({
      requestId: nextRequestId++,
      responseTo: message.header.requestId,
      documents: [encodeDocument(reply)],
    });
    this.write(
      message.compressorId === undefined ? bytes : encodeCompressed(bytes, message.compressorId),
    );
  }

  private write(bytes: Buffer): void {
    if (!this.closed) this.socket.write(bytes);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
    this.onClose();
  }
}

function firstKey(body: Buffer): string {
  // The first element's name starts after the length (4) and type (1) bytes.
  const end = body.indexOf(0, 5);
  return end > 5 ? body.toString('utf8', 5, end) : '';
}

/**
 * Old clients wrap the command: {$query: {...}, $readPreference: ...}. Malformed bytes are
 * passed on unchanged, so dispatch answers them with InvalidBSON instead of the
 * connection closing.
 */
function unwrapLegacyQuery(query: Buffer): Buffer {
  try {
    for (const element of rawElements(query)) {
      if (element.name === '$query' && element.type === 0x03) return query.subarray(element.valueStart, element.valueEnd);
    }
  } catch {
    // Reported by dispatch when it decodes the body.
  }
  return query;
}
