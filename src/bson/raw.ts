/**
 * A document already encoded as BSON. Replies embed stored documents as they are, so a
 * find never decodes and re-encodes what it returns.
 */
export class RawBson {
  constructor(readonly bytes: Uint8Array) {}
}
