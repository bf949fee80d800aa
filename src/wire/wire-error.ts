/**
 * A malformed message. Codes and texts follow what mongod reports for the same malformation
 * (src/mongo/rpc/op_msg.cpp, transport/message_compressor_manager.cpp), so logs and error
 * replies read the same as MongoDB's.
 *
 * mongod treats two kinds of parse failure differently: most (a missing body, an unknown
 * section kind, bad BSON framing) are answered with `{ok: 0, code, errmsg}` on the same
 * connection; framing, compression, checksum and illegal-flag failures end the connection
 * (the ConnectionFatalMessageParseError category, or errors below the command layer).
 * `replyTo` carries the request's header when an error reply is what MongoDB would send;
 * when it is undefined the caller must close the connection without replying.
 */
import { codeNameOf, errorCodes } from '../errors/codes.js';
import type { ErrorCodeName } from '../errors/codes.js';
import type { MessageHeader } from './header.js';

export class WireError extends Error {
  override name = 'WireError';
  readonly code: number;
  readonly codeName: string;
  /** The offending request's header when MongoDB would reply with this error. */
  readonly replyTo: MessageHeader | undefined;

  constructor(code: number | ErrorCodeName, message: string, replyTo?: MessageHeader) {
    super(message);
    this.code = typeof code === 'number' ? code : errorCodes[code];
    this.codeName = codeNameOf(this.code);
    this.replyTo = replyTo;
  }

  /** True when the only correct response is to drop the connection. */
  get closesConnection(): boolean {
    return this.replyTo === undefined;
  }
}
