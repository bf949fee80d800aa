/**
 * A malformed message. Codes and texts follow what mongod reports for the same malformation
 * (src/mongo/rpc/op_msg.cpp, transport/message_compressor_manager.cpp), so logs and error
 * replies read the same as MongoDB's.
 *
 * mongod treats two kinds of parse failure differently. Framing, compression, checksum and
 * illegal-flag failures end the connection (the ConnectionFatalMessageParseError category, or
 * errors below the command layer). The rest (a missing body, an unknown section kind, bad
 * BSON framing) are answered with `{ok: 0, code, errmsg}` on the same connection, unless the
 * request was fire-and-forget (moreToCome), which gets no reply at all.
 */
import { codeNameOf, errorCodes } from '../errors/codes.js';
import type { ErrorCodeName } from '../errors/codes.js';
import type { MessageHeader } from './header.js';

/** The request a non-fatal error belongs to: enough to answer it, or to know not to. */
export interface FailedRequest {
  header: MessageHeader;
  moreToCome: boolean;
}

export class WireError extends Error {
  override name = 'WireError';
  readonly code: number;
  readonly codeName: string;
  /** Set when the connection survives the error; undefined when it must be closed. */
  readonly request: FailedRequest | undefined;

  constructor(code: number | ErrorCodeName, message: string, request?: FailedRequest) {
    super(message);
    this.code = typeof code === 'number' ? code : errorCodes[code];
    this.codeName = codeNameOf(this.code);
    this.request = request;
  }

  /** True when the only correct response is to drop the connection without replying. */
  get closesConnection(): boolean {
    return this.request === undefined;
  }

  /**
   * The header to answer with `{ok: 0, ...}` (responseTo = its requestId, and an OP_REPLY
   * when its opCode is OP_QUERY). Undefined when the connection closes or the request was
   * fire-and-forget, in which case the message is dropped silently.
   */
  get replyTo(): MessageHeader | undefined {
    return this.request && !this.request.moreToCome ? this.request.header : undefined;
  }
}
