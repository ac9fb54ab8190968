/**
 * MongoDB wire protocol framing: OP_MSG (2013) for commands, the legacy OP_QUERY (2004) the driver
 * uses for its first handshake, and OP_REPLY (1) to answer it.
 * Spec: https://www.mongodb.com/docs/manual/reference/mongodb-wire-protocol/
 */
import { BSON } from "bson";
import type { Doc } from "./collection.js";

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_MSG = 2013;
const CHECKSUM_PRESENT = 1;
/** OP_MSG flag: the sender expects no reply (endSessions, unacknowledged writes). */
export const MORE_TO_COME = 2;

/** BSON options for requests: plain JS numbers, Binary kept as Binary, strict UTF-8. */
const READ_OPTS = { promoteBuffers: false, promoteValues: true, promoteLongs: true } as const;

/** A parsed request: the command, its database and any kind-1 document sequences. */
export interface Request {
  requestId: number;
  opCode: number;
  db: string;
  command: Record<string, unknown>;
  sequences: Record<string, Doc[]>;
  moreToCome: boolean;
}

/** A message the server cannot understand; answered with an error, then the connection may close. */
export class WireError extends Error {
  readonly fatal: boolean;
  constructor(message: string, fatal: boolean) {
    super(message);
    this.name = "WireError";
    this.fatal = fatal;
  }
}

function readCString(buf: Buffer, off: number): [string, number] {
  const end = buf.indexOf(0, off);
  if (end < 0) throw new WireError("unterminated cstring", false);
  return [buf.toString("utf8", off, end), end + 1];
}

function readDoc(buf: Buffer, off: number, limit: number): [Record<string, unknown>, number] {
  if (off + 5 > limit) throw new WireError("truncated BSON document", false);
  const len = buf.readInt32LE(off);
  if (len < 5 || off + len > limit) throw new WireError(`invalid BSON document length ${len}`, false);
  try {
    return [BSON.deserialize(buf.subarray(off, off + len), READ_OPTS), off + len];
  } catch (err) {
    throw new WireError(`invalid BSON: ${(err as Error).message}`, false);
  }
}

/** Parses one whole message (header included). Throws {@link WireError} on malformed input. */
export function parseMessage(msg: Buffer): Request {
  const requestId = msg.readInt32LE(4);
  const opCode = msg.readInt32LE(12);
  if (opCode === OP_MSG) {
    const flags = msg.readUInt32LE(16);
    const end = flags & CHECKSUM_PRESENT ? msg.length - 4 : msg.length;
    let off = 20;
    let body: Record<string, unknown> | undefined;
    const sequences: Record<string, Doc[]> = {};
    while (off < end) {
      const kind = msg.readUInt8(off);
      off += 1;
      if (kind === 0) {
        if (body) throw new WireError("OP_MSG has more than one body section", false);
        [body, off] = readDoc(msg, off, end);
      } else if (kind === 1) {
        if (off + 4 > end) throw new WireError("truncated document sequence", false);
        const size = msg.readInt32LE(off);
        const seqEnd = off + size;
        if (size < 5 || seqEnd > end) throw new WireError("invalid document sequence size", false);
        const [id, start] = readCString(msg, off + 4);
        let p = start;
        const docs: Doc[] = [];
        while (p < seqEnd) {
          let d: Record<string, unknown>;
          [d, p] = readDoc(msg, p, seqEnd);
          docs.push(d as Doc);
        }
        sequences[id] = docs;
        off = seqEnd;
      } else {
        throw new WireError(`unknown OP_MSG section kind ${kind}`, false);
      }
    }
    if (!body) throw new WireError("OP_MSG without a body section", false);
    const db = body.$db;
    if (typeof db !== "string") throw new WireError("OP_MSG body lacks $db", false);
    return { requestId, opCode, db, command: body, sequences, moreToCome: (flags & MORE_TO_COME) !== 0 };
  }
  if (opCode === OP_QUERY) {
    const [ns, p] = readCString(msg, 20);
    const [query] = readDoc(msg, p + 8, msg.length);
    const command = (query.$query && typeof query.$query === "object" ? query.$query : query) as Record<
      string,
      unknown
    >;
    const dot = ns.indexOf(".");
    const db = dot > 0 ? ns.slice(0, dot) : ns;
    if (!ns.endsWith(".$cmd")) throw new WireError("OP_QUERY is only supported for commands", false);
    return { requestId, opCode, db, command, sequences: {}, moreToCome: false };
  }
  throw new WireError(`unsupported opCode ${opCode}`, false);
}

let nextResponseId = 1;

function header(len: number, responseTo: number, opCode: number): Buffer {
  const h = Buffer.allocUnsafe(16);
  h.writeInt32LE(len, 0);
  h.writeInt32LE(nextResponseId++ & 0x7fffffff, 4);
  h.writeInt32LE(responseTo, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

/** Encodes a reply to `req` in the matching framing (OP_MSG, or OP_REPLY for OP_QUERY). */
export function encodeReply(responseTo: number, opCode: number, reply: Record<string, unknown>): Buffer {
  const doc = BSON.serialize(reply, { ignoreUndefined: true, checkKeys: false });
  if (opCode === OP_QUERY) {
    const body = Buffer.alloc(20);
    body.writeInt32LE(0, 0); // responseFlags
    body.writeBigInt64LE(0n, 4); // cursorID
    body.writeInt32LE(0, 12); // startingFrom
    body.writeInt32LE(1, 16); // numberReturned
    return Buffer.concat([header(16 + 20 + doc.length, responseTo, OP_REPLY), body, doc]);
  }
  const flags = Buffer.from([0, 0, 0, 0, 0]); // flagBits, then section kind 0
  return Buffer.concat([header(16 + 5 + doc.length, responseTo, OP_MSG), flags, doc]);
}

/** mongod's code for a reply or document over the BSON size limit. */
const BSON_OBJECT_TOO_LARGE = 10334;

/**
 * {@link encodeReply} that never throws: a reply that cannot be serialised (too large, an
 * unserialisable value) is answered with an error for that command instead, so one bad reply never
 * takes the server down (issue 19). `error` says what went wrong, for the server's log.
 */
export function encodeReplySafely(
  responseTo: number,
  opCode: number,
  reply: Record<string, unknown>,
): { bytes: Buffer; error?: string } {
  try {
    return { bytes: encodeReply(responseTo, opCode, reply) };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    const tooLarge = /size|large|range/i.test(error);
    const fallback = {
      ok: 0,
      errmsg: tooLarge
        ? `the reply exceeds the maximum BSON size (16 MiB): ${error}`
        : `the reply could not be encoded: ${error}`,
      code: tooLarge ? BSON_OBJECT_TOO_LARGE : 1,
      codeName: tooLarge ? "BSONObjectTooLarge" : "InternalError",
    };
    return { bytes: encodeReply(responseTo, opCode, fallback), error };
  }
}
