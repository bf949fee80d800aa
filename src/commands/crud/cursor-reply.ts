/**
 * Opening a cursor for a command result: the first batch goes in the reply, and the
 * cursor is kept only if more remains (id 0 means exhausted).
 */
import { Long } from 'bson';
import type { BsonDocument } from '../../bson/types.js';
import { encodeDocument } from '../../bson/serialize.js';
import { sessionKey } from '../admin/sessions.js';
import { fillBatch } from '../../query/exec/batch.js';
import type { PlanStage, WorkingMember } from '../../query/exec/plan-stage.js';
import { documentOf } from '../../query/exec/plan-stage.js';
import type { CommandContext, Reply } from '../context.js';

/** Stored bytes go out unchanged; computed documents are encoded. */
export function renderMember(member: WorkingMember): Uint8Array {
  return member.raw ?? encodeDocument(member.doc as BsonDocument);
}

/**
 * find's returnKey (only the index key the plan used; {} for a collection scan) and
 * showRecordId (adds $recordId). returnKey wins: mongod's ReturnKeyStage builds a new
 * document from the key alone, so $recordId is not added to it (the command-monitoring
 * spec's find.json expects `{_id: 1}` for showRecordId with returnKey).
 */
export function keyAndRecordIdRenderer(options: {
  returnKey: boolean;
  showRecordId: boolean;
}): (member: WorkingMember) => Uint8Array {
  if (!options.returnKey && !options.showRecordId) return renderMember;
  return (member) => {
    const base: Record<string, unknown> = options.returnKey
      ? { ...(member.indexKey ?? {}) }
      : { ...documentOf(member) };
    if (!options.returnKey && options.showRecordId && member.recordId !== undefined)
      base.$recordId = Long.fromNumber(member.recordId);
    return encodeDocument(base);
  };
}

export interface CursorOptions {
  namespace: string;
  stage: PlanStage;
  batchSize: number | undefined;
  singleBatch: boolean;
  noCursorTimeout?: boolean;
  checkInterrupt: () => void;
  onClose?: () => void;
  render?: (member: WorkingMember) => Uint8Array;
}

export async function openCursorReply(
  context: CommandContext,
  options: CursorOptions,
): Promise<Reply> {
  const render = options.render ?? renderMember;
  const source = { stage: options.stage, render, pending: undefined };
  const batch = await fillBatch(source, options.batchSize, options.checkInterrupt);
  let id = Long.ZERO;
  if (!batch.exhausted && !options.singleBatch) {
    const cursor = context.server.cursors.open({
      namespace: options.namespace,
      stage: options.stage,
      render,
      connectionId: context.connection.id,
      sessionId: sessionKey(context.request.body.lsid),
      originatingCommand: context.request.body,
      noCursorTimeout: options.noCursorTimeout ?? false,
      ...(options.onClose === undefined ? {} : { onClose: options.onClose }),
    });
    cursor.pending = source.pending;
    cursor.nReturned = batch.documents.length;
    options.stage.saveState();
    id = cursor.id;
  } else {
    options.onClose?.();
  }
  return { cursor: { firstBatch: batch.documents, id, ns: options.namespace }, ok: 1 };
}
