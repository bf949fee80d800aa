/**
 * GridFS bucket operations: download operations return the stream's bytes, upload takes
 * its data from { $$hexBytes } (spec: Bucket Operations).
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { GridFSBucket, ObjectId } from 'mongodb';
import type { Arguments } from './arguments.js';
import { isDocument } from './bson-values.js';
import type { OperationHandler, OperationResult } from './test-state.js';
import { RunnerError } from './runner-error.js';

type BucketHandler = OperationHandler<GridFSBucket>;

function sourceBytes(args: Arguments): Buffer {
  const source = args.required('source');
  const hex = isDocument(source) ? source['$$hexBytes'] : undefined;
  if (typeof hex !== 'string' || !/^([0-9a-fA-F]{2})*$/.test(hex))
    throw new RunnerError('upload source must be { $$hexBytes: <even hex string> }');
  return Buffer.from(hex, 'hex');
}

async function readAll(stream: AsyncIterable<Buffer>): Promise<OperationResult> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return { value: Buffer.concat(chunks) };
}

export const bucketOperations: Record<string, BucketHandler> = {
  async delete(bucket, args) {
    await bucket.delete(args.required('id') as ObjectId);
    return {};
  },
  async download(bucket, args) {
    const id = args.required('id') as ObjectId;
    return readAll(bucket.openDownloadStream(id, args.options()));
  },
  async downloadByName(bucket, args) {
    const filename = args.string('filename');
    return readAll(bucket.openDownloadStreamByName(filename, args.options()));
  },
  async drop(bucket) {
    await bucket.drop();
    return {};
  },
  async find(bucket, args) {
    const filter = args.optionalDocument('filter');
    return { value: await bucket.find(filter, args.options()).toArray(), rootElements: true };
  },
  async rename(bucket, args) {
    await bucket.rename(args.required('id') as ObjectId, args.string('newFilename'));
    return {};
  },
  async upload(bucket, args) {
    const filename = args.string('filename');
    const bytes = sourceBytes(args);
    const stream = bucket.openUploadStream(filename, args.options());
    await pipeline(Readable.from([bytes]), stream);
    return { value: stream.id };
  },
  async uploadWithId(bucket, args) {
    const id = args.required('id') as ObjectId;
    const filename = args.string('filename');
    const bytes = sourceBytes(args);
    const stream = bucket.openUploadStreamWithId(id, filename, args.options());
    await pipeline(Readable.from([bytes]), stream);
    return { value: stream.id };
  },
};
