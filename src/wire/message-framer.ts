/**
 * Cuts a TCP byte stream into whole messages using each message's int32 length prefix.
 * Chunks are kept in a list and each byte is copied at most once, when the frame it belongs
 * to is complete; a frame lying inside one chunk is returned as a view without copying.
 * Returned frames may therefore share memory with the pushed chunks, which the caller must
 * not modify afterwards (socket 'data' buffers are never reused, so this holds for sockets).
 */
import { assert } from '../util/assert.js';
import { headerSize, messageSizeMax } from './limits.js';
import { WireError } from './wire-error.js';

export interface MessageFramerOptions {
  messageSizeMax?: number;
}

export class MessageFramer {
  private readonly sizeMax: number;
  /** Pending chunks from index `head` on; a head index keeps removal O(1) per chunk. */
  private chunks: Buffer[] = [];
  private head = 0;
  /** Bytes of chunks[head] already handed out in earlier frames. */
  private consumed = 0;
  private buffered = 0;
  /** After a bad length prefix the stream has no recoverable boundary, so stay failed. */
  private failure: WireError | undefined;

  constructor(options: MessageFramerOptions = {}) {
    this.sizeMax = options.messageSizeMax ?? messageSizeMax;
    assert(this.sizeMax >= headerSize, 'messageSizeMax must allow a header');
  }

  /** Bytes received but not yet returned as part of a frame. */
  get bufferedBytes(): number {
    return this.buffered;
  }

  /** Feeds bytes from the socket; returns the complete frames now available, in order. */
  push(chunk: Buffer): Buffer[] {
    if (this.failure) throw this.failure;
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    const frames: Buffer[] = [];
    while (this.buffered >= 4) {
      const length = this.peekLength();
      if (length < headerSize || length > this.sizeMax) {
        this.failure = new WireError(
          'ProtocolError',
          `recv(): message msgLen ${length} is invalid. Min ${headerSize} Max: ${this.sizeMax}`,
        );
        throw this.failure;
      }
      if (this.buffered < length) break;
      frames.push(this.take(length));
    }
    return frames;
  }

  /** The little-endian int32 at the read position, which may straddle chunks. */
  private peekLength(): number {
    const first = this.chunks[this.head]!;
    if (first.length - this.consumed >= 4) return first.readInt32LE(this.consumed);
    let value = 0;
    let chunkIndex = this.head;
    let offset = this.consumed;
    for (let byte = 0; byte < 4; byte++) {
      let chunk = this.chunks[chunkIndex]!;
      while (offset >= chunk.length) {
        chunk = this.chunks[++chunkIndex]!;
        offset = 0;
      }
      value |= chunk[offset++]! << (8 * byte);
    }
    return value;
  }

  /** Removes and returns the next `length` bytes; the caller has checked they are buffered. */
  private take(length: number): Buffer {
    this.buffered -= length;
    const first = this.chunks[this.head]!;
    const available = first.length - this.consumed;
    if (available >= length) {
      const frame = first.subarray(this.consumed, this.consumed + length);
      this.advance(first, length);
      return frame;
    }
    const frame = Buffer.allocUnsafe(length);
    let written = 0;
    while (written < length) {
      const chunk = this.chunks[this.head]!;
      const count = Math.min(chunk.length - this.consumed, length - written);
      chunk.copy(frame, written, this.consumed, this.consumed + count);
      written += count;
      this.advance(chunk, count);
    }
    return frame;
  }

  private advance(chunk: Buffer, count: number): void {
    this.consumed += count;
    if (this.consumed < chunk.length) return;
    this.consumed = 0;
    this.head++;
    if (this.head === this.chunks.length) {
      this.chunks = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.chunks.length) {
      // Drop the spent prefix now and then, so memory stays proportional to what is pending.
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
  }
}
