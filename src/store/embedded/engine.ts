/**
 * The command layer of the embedded store: turns MongoDB commands (as the driver sends them) into
 * operations on in-memory collections, logged before they are acknowledged.
 */
import fs from "node:fs";
import { BSON, Long, ObjectId } from "bson";
import { aggregate as mingoAggregate, Aggregator, find as mingoFind, ProcessingMode, Query } from "mingo";
import { collateFilter, collateValue, parseCollation, type Collation } from "./collation.js";
import { duplicateKeyError, type Collection, type Doc, type IndexSpec } from "./collection.js";
import { Database, Tx } from "./database.js";
import { CommandError, ErrorCodes, toCommandError } from "./errors.js";
import { keyOf, valuesAtPath } from "./keys.js";
import { hasWideNumber, numberView } from "./numbers.js";
import { compareValues, sortDocs } from "./sort.js";
import { updatedDoc, upsertDoc, withIdFirst } from "./update.js";

type Cmd = Record<string, unknown>;
type Reply = Record<string, unknown>;

/** Version facts the server reports; wire version 21 is MongoDB 7.0. */
export const SERVER_VERSION = "7.0.0";
export const MAX_WIRE_VERSION = 21;
export const MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024;
export const MAX_MESSAGE_SIZE = 48_000_000;
const DEFAULT_BATCH = 101;
/**
 * A batch holds at most 16 MiB of documents, as mongod's do (so a reply always fits the driver's and
 * bson's buffers), and at most this many documents, so one getMore never holds the process for long.
 */
const MAX_BATCH_BYTES = MAX_BSON_OBJECT_SIZE;
const MAX_BATCH_COUNT = 50_000;
const CURSOR_IDLE_MS = 10 * 60 * 1000;
const DB_NAME = /^[A-Za-z0-9_-]{1,63}$/;

/** Options of {@link Engine}. */
export interface EngineOptions {
  dataDir: string;
  fsync: boolean;
  now?: () => Date;
}

/** How a read or write matches documents: its collation and its `let` variables. */
interface MatchOpts {
  collation?: Collation;
  variables?: Record<string, unknown>;
}

interface OpenCursor {
  ns: string;
  docs: Doc[];
  pos: number;
  touched: number;
}

/** Commands the server knows but deliberately does not implement (answered with code 115). */
const UNSUPPORTED = new Set([
  "mapReduce",
  "geoSearch",
  "collMod",
  "renameCollection",
  "validate",
  "compact",
  "shardCollection",
  "replSetGetStatus",
  "createUser",
  "saslStart",
  "authenticate",
]);

/** The command engine: databases, cursors and the dispatcher. */
export class Engine {
  private readonly dbs = new Map<string, Database>();
  private readonly cursors = new Map<number, OpenCursor>();
  private readonly opts: EngineOptions;
  private readonly startedAt = Date.now();
  private nextCursorId = Math.floor(Math.random() * 1e9) + 1;
  private connectionCount = 0;
  private isClosed = false;
  /** Logical sessions seen in commands, for `$listLocalSessions`. */
  private readonly sessions = new Map<string, Doc>();

  constructor(opts: EngineOptions) {
    this.opts = opts;
    fs.mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
    for (const file of fs.readdirSync(opts.dataDir)) {
      const m = /^(.+)\.wal$/.exec(file);
      if (m && DB_NAME.test(m[1]!)) this.openDb(m[1]!);
    }
  }

  private now(): Date {
    return this.opts.now ? this.opts.now() : new Date();
  }

  private openDb(name: string): Database {
    const db = new Database(name, this.opts.dataDir, { fsync: this.opts.fsync });
    db.load();
    this.dbs.set(name, db);
    return db;
  }

  private db(name: string): Database {
    if (!DB_NAME.test(name))
      throw new CommandError(ErrorCodes.InvalidNamespace, `Invalid database name: '${name}'`);
    return this.dbs.get(name) ?? this.openDb(name);
  }

  private existingColl(dbName: string, name: string): Collection | undefined {
    return this.dbs.get(dbName)?.collections.get(name);
  }

  /** Counts connections for `serverStatus`. */
  connectionOpened(): number {
    return ++this.connectionCount;
  }

  /** Runs one command and returns its reply document; never throws. */
  run(dbName: string, cmd: Cmd, sequences: Record<string, Doc[]> = {}): Reply {
    try {
      return this.dispatch(dbName, cmd, sequences);
    } catch (err) {
      return toCommandError(err).toReply();
    }
  }

  private dispatch(dbName: string, cmd: Cmd, seqs: Record<string, Doc[]>): Reply {
    const name = Object.keys(cmd)[0];
    if (!name) throw new CommandError(ErrorCodes.FailedToParse, "empty command");
    this.noteSession(cmd.lsid);
    if (
      cmd.startTransaction === true ||
      cmd.autocommit === false ||
      name === "commitTransaction" ||
      name === "abortTransaction"
    ) {
      throw new CommandError(
        ErrorCodes.IllegalOperation,
        "Transaction numbers are only allowed on a replica set member or mongos",
      );
    }
    switch (name) {
      case "hello":
      case "isMaster":
      case "ismaster":
        return this.hello();
      case "ping":
        return { ok: 1 };
      case "buildInfo":
      case "buildinfo":
        return this.buildInfo();
      case "endSessions":
      case "refreshSessions":
      case "startSession":
        return name === "startSession"
          ? { id: { id: new ObjectId() }, timeoutMinutes: 30, ok: 1 }
          : { ok: 1 };
      case "getParameter":
        return { featureCompatibilityVersion: { version: "7.0" }, ok: 1 };
      case "serverStatus":
        return this.serverStatus();
      case "hostInfo":
        return { system: { hostname: "127.0.0.1" }, os: {}, extra: {}, ok: 1 };
      case "connectionStatus":
        return { authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 };
      case "whatsmyuri":
        return { you: "127.0.0.1", ok: 1 };
      case "getCmdLineOpts":
        return { argv: [], parsed: {}, ok: 1 };
      case "getLog":
        return { totalLinesWritten: 0, log: [], ok: 1 };
      case "listDatabases":
        return this.listDatabases(cmd);
      case "insert":
        return this.insert(dbName, cmd, seqs);
      case "update":
        return this.update(dbName, cmd, seqs);
      case "delete":
        return this.delete(dbName, cmd, seqs);
      case "find":
        return this.find(dbName, cmd);
      case "getMore":
        return this.getMore(dbName, cmd);
      case "killCursors":
        return this.killCursors(cmd);
      case "findAndModify":
      case "findandmodify":
        return this.findAndModify(dbName, cmd, name);
      case "count":
        return this.count(dbName, cmd);
      case "distinct":
        return this.distinct(dbName, cmd);
      case "aggregate":
        return this.aggregate(dbName, cmd);
      case "createIndexes":
        return this.createIndexes(dbName, cmd);
      case "listIndexes":
        return this.listIndexes(dbName, cmd);
      case "dropIndexes":
      case "deleteIndexes":
        return this.dropIndexes(dbName, cmd, name);
      case "listCollections":
        return this.listCollections(dbName, cmd);
      case "create":
        return this.create(dbName, cmd);
      case "drop":
        return this.drop(dbName, cmd);
      case "dropDatabase":
        return this.dropDatabase(dbName);
      default:
        if (UNSUPPORTED.has(name)) {
          throw new CommandError(
            ErrorCodes.CommandNotSupported,
            `command '${name}' is not supported by the motcua embedded store; set MONGODB_URI to use a MongoDB server`,
          );
        }
        throw new CommandError(ErrorCodes.CommandNotFound, `no such command: '${name}'`);
    }
  }

  private noteSession(lsid: unknown): void {
    const id = (lsid as { id?: unknown } | undefined)?.id;
    if (id === undefined) return;
    const key = keyOf(id);
    if (this.sessions.has(key)) return;
    if (this.sessions.size >= 10_000) this.sessions.delete(this.sessions.keys().next().value!);
    this.sessions.set(key, { _id: { id }, lastUse: this.now() });
  }

  /**
   * The collation and `let` variables of one read or write, with a `hint` checked against the
   * collection's indexes (mongod refuses a hint to a missing or hidden index).
   */
  private matchOpts(
    coll: Collection | undefined,
    collation: unknown,
    variables: unknown,
    hint?: unknown,
  ): MatchOpts {
    if (coll && hint !== undefined && hint !== null) checkHint(coll, hint);
    const c = collation !== undefined ? parseCollation(collation) : parseCollation(coll?.options.collation);
    if (
      variables !== undefined &&
      (variables === null || typeof variables !== "object" || Array.isArray(variables))
    )
      throw new CommandError(
        ErrorCodes.TypeMismatch,
        "BSON field 'let' is the wrong type, expected type 'object'",
      );
    return { collation: c, variables: variables === undefined ? undefined : evaluateLet(variables as Cmd) };
  }

  // === Handshake and diagnostics

  /** The reply to `hello`/`isMaster`: a writable standalone (no topologyVersion, so no streaming). */
  hello(): Reply {
    return {
      helloOk: true,
      ismaster: true,
      isWritablePrimary: true,
      maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
      maxMessageSizeBytes: MAX_MESSAGE_SIZE,
      maxWriteBatchSize: 100_000,
      localTime: this.now(),
      logicalSessionTimeoutMinutes: 30,
      connectionId: this.connectionCount,
      minWireVersion: 0,
      maxWireVersion: MAX_WIRE_VERSION,
      readOnly: false,
      ok: 1,
    };
  }

  private buildInfo(): Reply {
    return {
      version: SERVER_VERSION,
      gitVersion: "motcua-embedded",
      versionArray: [7, 0, 0, 0],
      bits: 64,
      debug: false,
      maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
      storageEngines: ["motcua-wal"],
      javascriptEngine: "none",
      ok: 1,
    };
  }

  private serverStatus(): Reply {
    return {
      host: "127.0.0.1",
      version: SERVER_VERSION,
      process: "motcua-embedded",
      uptime: Math.floor((Date.now() - this.startedAt) / 1000),
      localTime: this.now(),
      connections: { current: this.connectionCount },
      ok: 1,
    };
  }

  private listDatabases(cmd: Cmd): Reply {
    const databases = [...this.dbs.values()]
      .filter((d) => d.collections.size > 0)
      .map((d) => ({ name: d.name, sizeOnDisk: 0, empty: false }));
    return {
      databases: cmd.nameOnly ? databases.map((d) => ({ name: d.name })) : databases,
      totalSize: 0,
      ok: 1,
    };
  }

  // === Writes

  private insert(dbName: string, cmd: Cmd, seqs: Record<string, Doc[]>): Reply {
    const collName = collectionName(cmd.insert);
    const docs = seqs.documents ?? (cmd.documents as Doc[] | undefined);
    if (!Array.isArray(docs))
      throw new CommandError(ErrorCodes.FailedToParse, "insert requires a documents array");
    const ordered = cmd.ordered !== false;
    const db = this.db(dbName);
    const tx = new Tx();
    const { coll } = db.collectionForWrite(collName, tx);
    const writeErrors: Reply[] = [];
    let n = 0;
    for (let i = 0; i < docs.length; i++) {
      const raw = docs[i];
      if (!raw || typeof raw !== "object" || Array.isArray(raw)) {
        writeErrors.push({
          index: i,
          code: ErrorCodes.BadValue,
          errmsg: "document to insert must be an object",
        });
        if (ordered) break;
        continue;
      }
      const doc = withIdFirst(raw, "_id" in raw && raw._id !== undefined ? raw._id : new ObjectId());
      if (Array.isArray(doc._id) || doc._id instanceof RegExp) {
        writeErrors.push({
          index: i,
          code: ErrorCodes.BadValue,
          errmsg: "can't use an array or regex for _id",
        });
        if (ordered) break;
        continue;
      }
      const badId = dollarKeyInId(doc._id);
      if (badId) {
        writeErrors.push({ index: i, code: badId.code, errmsg: badId.message });
        if (ordered) break;
        continue;
      }
      const dup = coll.get(doc._id)
        ? duplicateKeyError(coll, { index: coll.indexes.get("_id_")!, keyValue: { _id: doc._id } })
        : maybeDup(coll, doc);
      if (dup) {
        writeErrors.push({ index: i, code: dup.code, errmsg: dup.message, ...dup.extra });
        if (ordered) break;
        continue;
      }
      tx.put(coll, doc);
      n++;
    }
    db.commit(tx);
    return withWriteErrors({ n, ok: 1 }, writeErrors);
  }

  private update(dbName: string, cmd: Cmd, seqs: Record<string, Doc[]>): Reply {
    const collName = collectionName(cmd.update);
    const stmts = (seqs.updates ?? cmd.updates) as Cmd[] | undefined;
    if (!Array.isArray(stmts))
      throw new CommandError(ErrorCodes.FailedToParse, "update requires an updates array");
    const ordered = cmd.ordered !== false;
    const db = this.db(dbName);
    const tx = new Tx();
    const writeErrors: Reply[] = [];
    const upserted: Reply[] = [];
    let n = 0;
    let nModified = 0;
    // mongod 7.0 (the version this store reports) has no sort in update statements (8.0 does).
    if (stmts.some((s) => s.sort !== undefined))
      throw new CommandError(
        ErrorCodes.IDLUnknownField,
        "BSON field 'update.updates.sort' is an unknown field.",
      );
    for (let i = 0; i < stmts.length; i++) {
      const s = stmts[i]!;
      try {
        const filter = asFilter(s.q);
        const arrayFilters = s.arrayFilters as Cmd[] | undefined;
        const existing = db.collections.get(collName);
        const mo = this.matchOpts(existing, s.collation, cmd.let, s.hint);
        const matches = existing ? this.match(existing, filter, s.multi === true ? 0 : 1, undefined, mo) : [];
        if (matches.length === 0 && s.upsert === true) {
          const { coll } = db.collectionForWrite(collName, tx);
          const doc = upsertDoc(filter, s.u, arrayFilters, mo.variables);
          const badId = dollarKeyInId(doc._id);
          if (badId) throw badId;
          throwIfDup(coll, doc, true);
          tx.put(coll, doc);
          upserted.push({ index: i, _id: doc._id });
          n++;
          continue;
        }
        for (const old of matches) {
          const coll = existing!;
          const next = updatedDoc(old, s.u, { arrayFilters, filter, variables: mo.variables });
          n++;
          if (keyOf(next) === keyOf(old)) continue;
          throwIfDup(coll, next, false);
          tx.put(coll, next);
          nModified++;
        }
      } catch (err) {
        const e = toCommandError(err);
        writeErrors.push({ index: i, code: e.code, errmsg: e.message, ...e.extra });
        if (ordered) break;
      }
    }
    db.commit(tx);
    const reply: Reply = { n, nModified, ok: 1 };
    if (upserted.length) reply.upserted = upserted;
    return withWriteErrors(reply, writeErrors);
  }

  private delete(dbName: string, cmd: Cmd, seqs: Record<string, Doc[]>): Reply {
    const collName = collectionName(cmd.delete);
    const stmts = (seqs.deletes ?? cmd.deletes) as Cmd[] | undefined;
    if (!Array.isArray(stmts))
      throw new CommandError(ErrorCodes.FailedToParse, "delete requires a deletes array");
    const coll = this.existingColl(dbName, collName);
    if (!coll) return { n: 0, ok: 1 };
    const db = this.db(dbName);
    const tx = new Tx();
    let n = 0;
    for (const s of stmts) {
      const limit = Number(s.limit ?? 0);
      const mo = this.matchOpts(coll, s.collation, cmd.let, s.hint);
      for (const doc of this.match(coll, asFilter(s.q), limit === 1 ? 1 : 0, undefined, mo)) {
        tx.remove(coll, doc);
        n++;
      }
    }
    db.commit(tx);
    return { n, ok: 1 };
  }

  private findAndModify(dbName: string, cmd: Cmd, name: string): Reply {
    const collName = collectionName(cmd[name]);
    const filter = asFilter(cmd.query);
    const db = this.db(dbName);
    const tx = new Tx();
    const existing = db.collections.get(collName);
    const mo = this.matchOpts(existing, cmd.collation, cmd.let, cmd.hint);
    const old = existing ? this.match(existing, filter, 1, cmd.sort as Cmd | undefined, mo)[0] : undefined;
    const fields = cmd.fields as Cmd | undefined;
    let value: Doc | null = null;
    const lastErrorObject: Reply = { n: 0, updatedExisting: false };
    if (cmd.remove === true) {
      if (old && existing) {
        tx.remove(existing, old);
        value = old;
        lastErrorObject.n = 1;
      }
    } else {
      if (cmd.update === undefined)
        throw new CommandError(ErrorCodes.FailedToParse, "Either an update or remove=true must be specified");
      const arrayFilters = cmd.arrayFilters as Cmd[] | undefined;
      if (old && existing) {
        const next = updatedDoc(old, cmd.update, { arrayFilters, filter, variables: mo.variables });
        if (keyOf(next) !== keyOf(old)) {
          throwIfDup(existing, next, false);
          tx.put(existing, next);
        }
        value = cmd.new === true ? next : old;
        Object.assign(lastErrorObject, { n: 1, updatedExisting: true });
      } else if (cmd.upsert === true) {
        const { coll } = db.collectionForWrite(collName, tx);
        const doc = upsertDoc(filter, cmd.update, arrayFilters, mo.variables);
        const badId = dollarKeyInId(doc._id);
        if (badId) throw badId;
        throwIfDup(coll, doc, true);
        tx.put(coll, doc);
        value = cmd.new === true ? doc : null;
        Object.assign(lastErrorObject, { n: 1, upserted: doc._id });
      }
    }
    db.commit(tx);
    if (value && fields && Object.keys(fields).length) value = project([value], fields)[0] ?? null;
    return { lastErrorObject, value, ok: 1 };
  }

  // === Reads

  /** Documents matching `filter`, in natural or `sort` order, at most `limit` (0 = all). */
  private match(coll: Collection, filter: Cmd, limit: number, sort?: Cmd, mo: MatchOpts = {}): Doc[] {
    if (mo.collation || mo.variables || coll.wideDocs > 0 || hasWideNumber(filter))
      return this.matchGeneral(coll, filter, limit, sort, mo);
    // The commonest filter, one document by a string or number `_id`, without building a query.
    const keys = Object.keys(filter);
    const id = filter._id;
    if (keys.length === 1 && (typeof id === "string" || typeof id === "number")) {
      const doc = coll.get(id);
      return doc ? [doc] : [];
    }
    const query = new Query(filter);
    const ordered = limit > 0 ? idRangeScan(coll, filter, sort) : undefined;
    if (ordered) {
      // Sorted by _id with a limit: walk the _id order from the range start, stop at the limit.
      const out: Doc[] = [];
      for (const doc of ordered) {
        if (query.test(doc)) {
          out.push(doc);
          if (out.length >= limit) break;
        }
      }
      return out;
    }
    const out: Doc[] = [];
    const wantAll = limit <= 0 || (sort && Object.keys(sort).length > 0);
    for (const doc of coll.candidates(filter)) {
      if (query.test(doc)) {
        out.push(doc);
        if (!wantAll && out.length >= limit) break;
      }
    }
    if (sort && Object.keys(sort).length > 0) {
      const sorted = sortDocs(out, sort);
      return limit > 0 ? sorted.slice(0, limit) : sorted;
    }
    return out;
  }

  /**
   * {@link match} under a collation, `let` variables or 64-bit/decimal numbers: documents and filter
   * are compared through views (collation keys, numbers as doubles); the stored documents come back.
   */
  private matchGeneral(
    coll: Collection,
    filter: Cmd,
    limit: number,
    sort: Cmd | undefined,
    mo: MatchOpts,
  ): Doc[] {
    const c = mo.collation;
    let f: unknown = hasWideNumber(filter) ? numberView(filter) : filter;
    if (c) f = collateFilter(f, c);
    const query = new Query(f as Cmd, mo.variables ? { variables: mo.variables } : {});
    const wide = coll.wideDocs > 0;
    const view = (d: Doc): Doc => {
      let v: unknown = wide ? numberView(d) : d;
      if (c) v = collateValue(v, c);
      return v as Doc;
    };
    const hasSort = sort !== undefined && Object.keys(sort).length > 0;
    const out: Doc[] = [];
    for (const doc of c ? coll.docs.values() : coll.candidates(filter)) {
      if (query.test(view(doc))) {
        out.push(doc);
        if (!hasSort && limit > 0 && out.length >= limit) break;
      }
    }
    if (hasSort) {
      sortDocs(out, sort, c);
      return limit > 0 ? out.slice(0, limit) : out;
    }
    return out;
  }

  private find(dbName: string, cmd: Cmd): Reply {
    const collName = collectionName(cmd.find);
    const ns = `${dbName}.${collName}`;
    const coll = this.existingColl(dbName, collName);
    if (!coll) return { cursor: { id: Long.ZERO, ns, firstBatch: [] }, ok: 1 };
    const filter = asFilter(cmd.filter);
    const skip = nonNegative(cmd.skip, "skip");
    const rawLimit = Number(cmd.limit ?? 0);
    const limit = Math.abs(rawLimit);
    const sort = cmd.sort as Record<string, 1 | -1> | undefined;
    const mo = this.matchOpts(coll, cmd.collation, cmd.let, cmd.hint);
    const hasSort = sort && Object.keys(sort).length > 0;
    const byIdOnly = hasSort && limit > 0 && Object.keys(sort).length === 1 && "_id" in sort && !mo.collation;
    let docs = byIdOnly
      ? this.match(coll, filter, skip + limit, sort, mo)
      : this.match(coll, filter, hasSort || skip ? 0 : limit, undefined, mo);
    if (hasSort && !byIdOnly) sortDocs(docs, sort, mo.collation);
    if (skip || limit) docs = docs.slice(skip, limit ? skip + limit : undefined);
    const projection = cmd.projection as Cmd | undefined;
    if (projection && Object.keys(projection).length) docs = project(docs, projection);
    return this.openCursor(ns, docs, cmd.batchSize, cmd.singleBatch === true || rawLimit < 0, "firstBatch");
  }

  private openCursor(
    ns: string,
    docs: Doc[],
    batchSize: unknown,
    single: boolean,
    field: "firstBatch",
  ): Reply {
    const size =
      batchSize === undefined ? DEFAULT_BATCH : nonNegative(batchSize, "batchSize") || DEFAULT_BATCH;
    const end = batchEnd(docs, 0, size);
    const first = docs.slice(0, end);
    let id = 0;
    // A single batch cut short by the byte cap still leaves a cursor, as mongod does.
    const more = single ? end < Math.min(docs.length, size) : docs.length > end;
    if (more) {
      id = this.nextCursorId++;
      this.cursors.set(id, { ns, docs: single ? docs.slice(0, size) : docs, pos: end, touched: Date.now() });
    }
    return { cursor: { id: Long.fromNumber(id), ns, [field]: first }, ok: 1 };
  }

  private getMore(dbName: string, cmd: Cmd): Reply {
    const id = Number(cmd.getMore);
    const cursor = this.cursors.get(id);
    if (!cursor) throw new CommandError(ErrorCodes.CursorNotFound, `cursor id ${id} not found`);
    const size =
      cmd.batchSize === undefined
        ? cursor.docs.length
        : nonNegative(cmd.batchSize, "batchSize") || cursor.docs.length;
    const batch = cursor.docs.slice(cursor.pos, batchEnd(cursor.docs, cursor.pos, size));
    cursor.pos += batch.length;
    cursor.touched = Date.now();
    let outId = id;
    if (cursor.pos >= cursor.docs.length) {
      this.cursors.delete(id);
      outId = 0;
    }
    return { cursor: { id: Long.fromNumber(outId), ns: cursor.ns, nextBatch: batch }, ok: 1 };
  }

  private killCursors(cmd: Cmd): Reply {
    const ids = Array.isArray(cmd.cursors) ? (cmd.cursors as unknown[]).map(Number) : [];
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const id of ids) (this.cursors.delete(id) ? killed : notFound).push(Long.fromNumber(id));
    return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
  }

  /** Forgets cursors idle for ten minutes, as mongod does. */
  reapCursors(nowMs = Date.now()): void {
    for (const [id, c] of this.cursors) if (nowMs - c.touched > CURSOR_IDLE_MS) this.cursors.delete(id);
  }

  private count(dbName: string, cmd: Cmd): Reply {
    const coll = this.existingColl(dbName, collectionName(cmd.count));
    if (!coll) return { n: 0, ok: 1 };
    const query = asFilter(cmd.query);
    const skip = nonNegative(cmd.skip, "skip");
    const limit = Math.abs(Number(cmd.limit ?? 0));
    const mo = this.matchOpts(coll, cmd.collation, undefined, cmd.hint);
    let n =
      Object.keys(query).length === 0 ? coll.docs.size : this.match(coll, query, 0, undefined, mo).length;
    n = Math.max(0, n - skip);
    if (limit) n = Math.min(n, limit);
    return { n, ok: 1 };
  }

  private distinct(dbName: string, cmd: Cmd): Reply {
    const coll = this.existingColl(dbName, collectionName(cmd.distinct));
    if (typeof cmd.key !== "string" || cmd.key === "")
      throw new CommandError(ErrorCodes.FailedToParse, "distinct requires a key string");
    if (!coll) return { values: [], ok: 1 };
    const mo = this.matchOpts(coll, cmd.collation, undefined, cmd.hint);
    const seen = new Map<string, unknown>();
    for (const doc of this.match(coll, asFilter(cmd.query), 0, undefined, mo)) {
      for (const v of valuesAtPath(doc, cmd.key)) {
        if (v === undefined) continue;
        const k = keyOf(mo.collation ? collateValue(v, mo.collation) : v);
        if (!seen.has(k)) seen.set(k, v);
      }
    }
    return { values: [...seen.values()], ok: 1 };
  }

  private aggregate(dbName: string, cmd: Cmd): Reply {
    const pipeline = cmd.pipeline;
    if (!Array.isArray(pipeline))
      throw new CommandError(ErrorCodes.FailedToParse, "'pipeline' option must be specified as an array");
    if (typeof cmd.aggregate !== "string") return this.aggregateDatabase(dbName, cmd, pipeline as Cmd[]);
    const collName = collectionName(cmd.aggregate);
    const last = (pipeline as Cmd[])[pipeline.length - 1];
    const writeStage = last && ("$out" in last || "$merge" in last) ? last : undefined;
    for (const stage of (pipeline as Cmd[]).slice(0, writeStage ? -1 : undefined)) {
      const op = Object.keys(stage)[0];
      if (op === "$out" || op === "$merge" || op === "$geoNear" || op === "$search") {
        throw new CommandError(
          ErrorCodes.CommandNotSupported,
          `aggregation stage ${op} is not supported by the embedded store`,
        );
      }
    }
    if (cmd.explain === true)
      throw new CommandError(
        ErrorCodes.CommandNotSupported,
        "explain is not supported by the embedded store",
      );
    const coll = this.existingColl(dbName, collName);
    const mo = this.matchOpts(coll, cmd.collation, cmd.let, cmd.hint);
    let source: Doc[] = [];
    let stages = (pipeline as Cmd[]).slice(0, writeStage ? -1 : undefined);
    if (coll) {
      const first = stages[0];
      if (first && "$match" in first && first.$match && typeof first.$match === "object") {
        source = this.match(coll, first.$match as Cmd, 0, undefined, mo);
        stages = stages.slice(1);
      } else source = [...coll.docs.values()];
      if (coll.wideDocs > 0) refuseWideAggregation(stages);
    }
    const docs = this.runPipeline(dbName, stages, source, mo);
    if (writeStage) {
      this.writeStage(dbName, writeStage, docs);
      return { cursor: { id: Long.ZERO, ns: `${dbName}.${collName}`, firstBatch: [] }, ok: 1 };
    }
    const cursorOpt = (cmd.cursor ?? {}) as Cmd;
    return this.openCursor(`${dbName}.${collName}`, docs, cursorOpt.batchSize, false, "firstBatch");
  }

  /** Runs pipeline stages over `source`; under a collation, its `$match` and `$sort` stages honour it. */
  private runPipeline(dbName: string, stages: Cmd[], source: Doc[], mo: MatchOpts): Doc[] {
    const db = this.dbs.get(dbName);
    const opts = {
      processingMode: ProcessingMode.CLONE_INPUT,
      collectionResolver: (name: string) => [...(db?.collections.get(name)?.docs.values() ?? [])],
      ...(mo.variables ? { variables: mo.variables } : {}),
    };
    const c = mo.collation;
    if (!c) return new Aggregator(stages, opts).run<Doc>(source);
    let docs = source;
    for (const stage of stages) {
      const op = Object.keys(stage)[0]!;
      if (op === "$match") {
        const query = new Query(
          collateFilter(stage.$match, c) as Cmd,
          mo.variables ? { variables: mo.variables } : {},
        );
        docs = docs.filter((d) => query.test(collateValue(d, c) as Doc));
      } else if (op === "$sort") {
        docs = sortDocs([...docs], stage.$sort as Cmd, c);
      } else if (
        (COLLATION_NEUTRAL_STAGES.has(op) && !COMPARISON_OPS.test(JSON.stringify(stage))) ||
        (op === "$group" && constantGroup(stage.$group))
      ) {
        docs = new Aggregator([stage], opts).run<Doc>(docs);
      } else {
        throw new CommandError(
          ErrorCodes.CommandNotSupported,
          `aggregation stage ${op} under a collation is not supported by the motcua embedded store; set MONGODB_URI to use a MongoDB server`,
        );
      }
    }
    return docs;
  }

  /**
   * `$out` (replace the target collection with `docs`, keeping its indexes) or `$merge` (by `_id` or
   * the `on` fields: whenMatched merge/replace/keepExisting/fail, whenNotMatched insert/discard/fail),
   * all in one logged transaction.
   */
  private writeStage(dbName: string, stage: Cmd, docs: Doc[]): void {
    const isOut = "$out" in stage;
    const spec = isOut ? stage.$out : stage.$merge;
    const target = typeof spec === "string" || isOut ? spec : (spec as Cmd | undefined)?.into;
    const targetDb = (target as Cmd | undefined)?.db;
    const where =
      typeof target === "string"
        ? { db: dbName, coll: target }
        : { db: typeof targetDb === "string" ? targetDb : dbName, coll: (target as Cmd | undefined)?.coll };
    const collName = collectionName(where.coll);
    const db = this.db(where.db);
    const tx = new Tx();
    const { coll } = db.collectionForWrite(collName, tx);
    const withIds = docs.map((d) => withIdFirst(d, d._id !== undefined ? d._id : new ObjectId()));
    try {
      if (isOut) {
        for (const old of [...coll.docs.values()]) tx.remove(coll, old);
        for (const d of withIds) {
          throwIfDup(coll, d, true);
          tx.put(coll, d);
        }
      } else this.merge(coll, tx, spec as Cmd, withIds);
    } catch (err) {
      tx.rollback();
      throw err;
    }
    db.commit(tx);
  }

  private merge(coll: Collection, tx: Tx, spec: Cmd, docs: Doc[]): void {
    const whenMatched = spec.whenMatched ?? "merge";
    const whenNotMatched = spec.whenNotMatched ?? "insert";
    if (
      typeof whenMatched !== "string" ||
      !["merge", "replace", "keepExisting", "fail"].includes(whenMatched)
    )
      throw new CommandError(
        ErrorCodes.CommandNotSupported,
        "$merge with a pipeline for whenMatched is not supported by the embedded store",
      );
    if (typeof whenNotMatched !== "string" || !["insert", "discard", "fail"].includes(whenNotMatched))
      throw new CommandError(ErrorCodes.BadValue, `unknown whenNotMatched ${JSON.stringify(whenNotMatched)}`);
    const on =
      spec.on === undefined
        ? ["_id"]
        : Array.isArray(spec.on)
          ? spec.on.map((f) => `${f as string}`)
          : [`${spec.on as string}`];
    if (spec.let !== undefined)
      throw new CommandError(
        ErrorCodes.CommandNotSupported,
        "$merge with let is not supported by the embedded store",
      );
    for (const d of docs) {
      const filter = Object.fromEntries(on.map((f) => [f, valuesAtPath(d, f)[0] ?? null]));
      const found = this.match(coll, filter, 2);
      if (found.length > 1)
        throw new CommandError(
          ErrorCodes.DuplicateKey,
          `$merge 'on' fields ${on.join(", ")} match more than one document`,
        );
      const old = found[0];
      if (!old) {
        if (whenNotMatched === "discard") continue;
        if (whenNotMatched === "fail")
          throw new CommandError(
            ErrorCodes.MergeStageNoMatchingDocument,
            "$merge could not find a matching document in the target collection",
          );
        throwIfDup(coll, d, true);
        tx.put(coll, d);
        continue;
      }
      if (whenMatched === "keepExisting") continue;
      if (whenMatched === "fail")
        throw duplicateKeyError(coll, { index: coll.indexes.get("_id_")!, keyValue: { _id: d._id } });
      const next = withIdFirst(whenMatched === "merge" ? { ...old, ...d } : d, old._id);
      throwIfDup(coll, next, false);
      tx.put(coll, next);
    }
  }

  /** `aggregate: 1`: only pipelines that start with `$documents` or `$listLocalSessions`. */
  private aggregateDatabase(dbName: string, cmd: Cmd, pipeline: Cmd[]): Reply {
    const first = pipeline[0] ?? {};
    let source: Doc[];
    if (Array.isArray(first.$documents)) source = first.$documents as Doc[];
    else if (first.$listLocalSessions !== undefined) source = [...this.sessions.values()];
    else
      throw new CommandError(
        ErrorCodes.CommandNotSupported,
        "database-level aggregate (aggregate: 1) other than $documents or $listLocalSessions is not supported by the embedded store",
      );
    let stages = pipeline.slice(1);
    const last = stages[stages.length - 1];
    const writeStage = last && ("$out" in last || "$merge" in last) ? last : undefined;
    if (writeStage) stages = stages.slice(0, -1);
    const mo = this.matchOpts(undefined, cmd.collation, cmd.let);
    const docs = this.runPipeline(dbName, stages, source, mo);
    if (writeStage) {
      this.writeStage(dbName, writeStage, docs);
      return { cursor: { id: Long.ZERO, ns: `${dbName}.$cmd.aggregate`, firstBatch: [] }, ok: 1 };
    }
    return this.openCursor(
      `${dbName}.$cmd.aggregate`,
      docs,
      ((cmd.cursor ?? {}) as Cmd).batchSize,
      false,
      "firstBatch",
    );
  }

  // === Indexes and collections

  private createIndexes(dbName: string, cmd: Cmd): Reply {
    const collName = collectionName(cmd.createIndexes);
    const specs = cmd.indexes;
    if (!Array.isArray(specs) || specs.length === 0)
      throw new CommandError(ErrorCodes.BadValue, "Must specify at least one index to create");
    const db = this.db(dbName);
    const tx = new Tx();
    const { coll, created } = db.collectionForWrite(collName, tx);
    const before = coll.indexes.size;
    let note: string | undefined;
    try {
      for (const raw of specs as Cmd[]) {
        const spec = normaliseIndexSpec(raw);
        const sameName = coll.indexes.get(spec.name);
        if (sameName) {
          if (sameName.sameAs(spec)) {
            note = "all indexes already exist";
            continue;
          }
          if (keyOf(sameName.spec.key) !== keyOf(spec.key)) {
            throw new CommandError(
              ErrorCodes.IndexKeySpecsConflict,
              `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(sameName.spec)}`,
            );
          }
          throw new CommandError(
            ErrorCodes.IndexOptionsConflict,
            `An equivalent index already exists with the same name but different options. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(sameName.spec)}`,
          );
        }
        for (const other of coll.indexes.values()) {
          if (keyOf(other.spec.key) === keyOf(spec.key) && other.sameAs(spec)) {
            throw new CommandError(
              ErrorCodes.IndexOptionsConflict,
              `Index already exists with a different name: ${other.spec.name}`,
            );
          }
        }
        coll.addIndex(spec);
        tx.onUndo(() => coll.indexes.delete(spec.name), { o: "idx", c: collName, s: spec });
      }
    } catch (err) {
      tx.rollback();
      throw err;
    }
    db.commit(tx);
    const reply: Reply = {
      createdCollectionAutomatically: created,
      numIndexesBefore: before,
      numIndexesAfter: coll.indexes.size,
      ok: 1,
    };
    if (note && coll.indexes.size === before) reply.note = note;
    return reply;
  }

  private listIndexes(dbName: string, cmd: Cmd): Reply {
    const collName = collectionName(cmd.listIndexes);
    const coll = this.existingColl(dbName, collName);
    if (!coll)
      throw new CommandError(ErrorCodes.NamespaceNotFound, `ns does not exist: ${dbName}.${collName}`);
    const specs = [...coll.indexes.values()].map((i) => i.spec as unknown as Doc);
    return this.openCursor(
      `${dbName}.${collName}`,
      specs,
      (cmd.cursor as Cmd | undefined)?.batchSize,
      false,
      "firstBatch",
    );
  }

  private dropIndexes(dbName: string, cmd: Cmd, name: string): Reply {
    const collName = collectionName(cmd[name]);
    const coll = this.existingColl(dbName, collName);
    if (!coll) throw new CommandError(ErrorCodes.NamespaceNotFound, `ns not found ${dbName}.${collName}`);
    const was = coll.indexes.size;
    const target = cmd.index;
    let names: string[];
    if (target === "*") names = [...coll.indexes.keys()].filter((n) => n !== "_id_");
    else if (typeof target === "string") names = [target];
    else if (Array.isArray(target)) names = target.map(String);
    else if (target && typeof target === "object") {
      const found = [...coll.indexes.values()].find((i) => keyOf(i.spec.key) === keyOf(target));
      if (!found)
        throw new CommandError(
          ErrorCodes.IndexNotFound,
          `can't find index with key: ${JSON.stringify(target)}`,
        );
      names = [found.spec.name];
    } else throw new CommandError(ErrorCodes.BadValue, "dropIndexes requires 'index'");
    for (const n of names) {
      if (n === "_id_") throw new CommandError(ErrorCodes.InvalidOptions, "cannot drop _id index");
      if (!coll.indexes.has(n))
        throw new CommandError(ErrorCodes.IndexNotFound, `index not found with name [${n}]`);
    }
    const db = this.db(dbName);
    const tx = new Tx();
    for (const n of names) {
      const idx = coll.indexes.get(n)!;
      coll.indexes.delete(n);
      tx.onUndo(() => coll.indexes.set(n, idx), { o: "dropIdx", c: collName, n });
    }
    db.commit(tx);
    return { nIndexesWas: was, ok: 1 };
  }

  private listCollections(dbName: string, cmd: Cmd): Reply {
    const db = this.dbs.get(dbName);
    const entries: Doc[] = [...(db?.collections.values() ?? [])].map((c) => ({
      _id: c.name,
      name: c.name,
      type: "collection",
      options: c.options,
      info: { readOnly: false },
      idIndex: { v: 2, key: { _id: 1 }, name: "_id_" },
    }));
    const filter = asFilter(cmd.filter);
    const q = new Query(filter);
    const out = entries
      .filter((e) => q.test(e))
      .map(
        ({ _id: _drop, ...rest }) =>
          (cmd.nameOnly === true ? { name: rest.name, type: rest.type } : rest) as unknown as Doc,
      );
    return this.openCursor(
      `${dbName}.$cmd.listCollections`,
      out,
      (cmd.cursor as Cmd | undefined)?.batchSize,
      false,
      "firstBatch",
    );
  }

  private create(dbName: string, cmd: Cmd): Reply {
    const collName = collectionName(cmd.create);
    const db = this.db(dbName);
    if (db.collections.has(collName)) {
      throw new CommandError(ErrorCodes.NamespaceExists, `Collection ${dbName}.${collName} already exists.`);
    }
    const {
      create: _c,
      $db: _d,
      lsid: _l,
      $clusterTime: _t,
      writeConcern: _w,
      $readPreference: _r,
      ...opts
    } = cmd;
    for (const option of UNSUPPORTED_CREATE_OPTIONS) {
      if (opts[option] !== undefined && opts[option] !== false) {
        throw new CommandError(
          ErrorCodes.CommandNotSupported,
          option === "viewOn" || option === "pipeline"
            ? "views are not supported by the motcua embedded store; set MONGODB_URI to use a MongoDB server"
            : `collection option '${option}' is not supported by the motcua embedded store; set MONGODB_URI to use a MongoDB server`,
        );
      }
    }
    parseCollation(opts.collation);
    const tx = new Tx();
    db.createCollection(collName, opts, tx);
    db.commit(tx);
    return { ok: 1 };
  }

  private drop(dbName: string, cmd: Cmd): Reply {
    const collName = collectionName(cmd.drop);
    const db = this.dbs.get(dbName);
    if (!db?.collections.has(collName)) return { ok: 1 };
    const tx = new Tx();
    const was = db.collections.get(collName)!.indexes.size;
    db.dropCollection(collName, tx);
    db.commit(tx);
    return { ns: `${dbName}.${collName}`, nIndexesWas: was, ok: 1 };
  }

  private dropDatabase(dbName: string): Reply {
    const db = this.dbs.get(dbName);
    if (db) {
      db.destroy();
      this.dbs.delete(dbName);
    }
    return { dropped: dbName, ok: 1 };
  }

  // === TTL

  /** Deletes documents whose TTL index says they have expired; returns how many went. */
  sweepTtl(now: Date = this.now()): number {
    let removed = 0;
    for (const db of this.dbs.values()) {
      const tx = new Tx();
      for (const coll of db.collections.values()) {
        for (const index of coll.indexes.values()) {
          const ttl = index.spec.expireAfterSeconds;
          if (typeof ttl !== "number" || index.fields.length !== 1) continue;
          const cutoff = now.getTime() - ttl * 1000;
          const expired: Doc[] = [];
          for (const doc of coll.docs.values()) {
            const dates = valuesAtPath(doc, index.fields[0]!).filter((v): v is Date => v instanceof Date);
            if (dates.length && Math.min(...dates.map((d) => d.getTime())) <= cutoff) expired.push(doc);
          }
          for (const doc of expired) {
            tx.remove(coll, doc);
            removed++;
          }
        }
      }
      db.commit(tx);
    }
    return removed;
  }

  /** Whether {@link close} was called: commands would reopen the files, so callers in the process stop. */
  get closed(): boolean {
    return this.isClosed;
  }

  /** Closes every log file. */
  close(): void {
    this.isClosed = true;
    for (const db of this.dbs.values()) db.close();
    this.dbs.clear();
    this.cursors.clear();
  }
}

// === Helpers

/** `create` options whose meaning the store cannot honour (refused rather than silently ignored). */
const UNSUPPORTED_CREATE_OPTIONS = [
  "viewOn",
  "pipeline",
  "validator",
  "capped",
  "timeseries",
  "clusteredIndex",
  "expireAfterSeconds",
  "encryptedFields",
  "changeStreamPreAndPostImages",
];

/** Stages that never compare strings themselves, so a collation does not change what they do. */
const COLLATION_NEUTRAL_STAGES = new Set([
  "$limit",
  "$skip",
  "$count",
  "$project",
  "$unset",
  "$addFields",
  "$set",
  "$replaceRoot",
  "$replaceWith",
  "$unwind",
]);
/** Expression operators that compare values (they would have to honour the collation). */
const COMPARISON_OPS =
  /"\$(eq|ne|gt|gte|lt|lte|cmp|in|strcasecmp|indexOfArray|setEquals|setIntersection|setUnion|setDifference|setIsSubset|max|min|sortArray|filter)"/;

/** A `$group` by a constant that only counts (as countDocuments sends): no strings compared. */
function constantGroup(spec: unknown): boolean {
  if (!spec || typeof spec !== "object") return false;
  return Object.entries(spec as Cmd).every(([k, v]) =>
    k === "_id"
      ? v === null || typeof v === "number" || typeof v === "boolean"
      : !!v && typeof v === "object" && Object.keys(v).length === 1 && typeof (v as Cmd).$sum === "number",
  );
}

/** `let` values are expressions, evaluated once before the command runs (`{ $literal: "$x" }` → "$x"). */
function evaluateLet(vars: Cmd): Cmd {
  const entries = Object.entries(vars);
  if (entries.length === 0) return {};
  const projection = Object.fromEntries(entries.map(([k, v]) => [k, { $let: { vars: {}, in: v } }]));
  const [out] = mingoAggregate([{}], [{ $project: { _id: 0, ...projection } }]) as Cmd[];
  return out ?? {};
}

/** Stages and operators that compare or compute numbers: refused over 64-bit or decimal values. */
const NUMERIC_STAGES = new Set([
  "$match",
  "$sort",
  "$group",
  "$bucket",
  "$bucketAuto",
  "$sortByCount",
  "$setWindowFields",
  "$densify",
  "$fill",
  "$lookup",
  "$graphLookup",
]);
const ARITHMETIC_OPS =
  /"\$(sum|avg|add|subtract|multiply|divide|mod|inc|abs|ceil|floor|round|trunc|pow|sqrt|exp|ln|log|log10|stdDevPop|stdDevSamp|max|min|cmp|eq|ne|gt|gte|lt|lte|toLong|toInt|toDouble|toDecimal|convert)"/;

/**
 * Over documents holding Decimal128 values or 64-bit integers beyond ±2^53, only a leading `$match`
 * and stages that do no arithmetic or comparison run; anything else is refused, not answered wrongly.
 */
function refuseWideAggregation(stages: Cmd[]): void {
  for (const stage of stages) {
    const op = Object.keys(stage)[0]!;
    if (NUMERIC_STAGES.has(op) || ARITHMETIC_OPS.test(JSON.stringify(stage))) {
      throw new CommandError(
        ErrorCodes.CommandNotSupported,
        `aggregation stage ${op} over Decimal128 values or 64-bit integers beyond 2^53 is not supported by the motcua embedded store; set MONGODB_URI to use a MongoDB server`,
      );
    }
  }
}

/** mongod's refusal of a hint naming no index (or a hidden one). */
function checkHint(coll: Collection, hint: unknown): void {
  let found: { spec: IndexSpec } | undefined;
  if (typeof hint === "string") found = coll.indexes.get(hint);
  else if (hint && typeof hint === "object" && !Array.isArray(hint)) {
    const keys = Object.keys(hint);
    if (keys.length === 0) return;
    if (keys.length === 1 && keys[0] === "$natural") return;
    found = [...coll.indexes.values()].find((i) => keyOf(i.spec.key) === keyOf(hint));
  } else return;
  if (!found || found.spec.hidden === true) {
    throw new CommandError(
      ErrorCodes.BadValue,
      "error processing query: planner returned error :: caused by :: hint provided does not correspond to an existing index",
    );
  }
}

/** mongod refuses `$`-prefixed field names anywhere inside `_id`. */
function dollarKeyInId(id: unknown): CommandError | undefined {
  const walk = (v: unknown): string | undefined => {
    if (v === null || typeof v !== "object" || v instanceof Date || v instanceof RegExp) return undefined;
    if ((v as { _bsontype?: string })._bsontype !== undefined) return undefined;
    if (Array.isArray(v)) {
      for (const x of v) {
        const bad = walk(x);
        if (bad) return bad;
      }
      return undefined;
    }
    for (const [k, x] of Object.entries(v as Cmd)) {
      if (k.startsWith("$")) return k;
      const bad = walk(x);
      if (bad) return bad;
    }
    return undefined;
  };
  const bad = walk(id);
  return bad
    ? new CommandError(
        ErrorCodes.DollarPrefixedFieldName,
        `_id fields may not contain '$'-prefixed fields: ${bad} is not valid for storage.`,
      )
    : undefined;
}

/**
 * Where a batch starting at `from` ends: at most `size` documents, {@link MAX_BATCH_COUNT}, and
 * {@link MAX_BATCH_BYTES} of encoded documents (counting each array entry's key), but never empty.
 */
function batchEnd(docs: Doc[], from: number, size: number): number {
  const last = Math.min(docs.length, from + Math.min(size, MAX_BATCH_COUNT));
  let bytes = 0;
  for (let i = from; i < last; i++) {
    bytes += BSON.calculateObjectSize(docs[i]!, { ignoreUndefined: true }) + String(i - from).length + 2;
    if (bytes > MAX_BATCH_BYTES && i > from) return i;
  }
  return last;
}

/**
 * For a query sorted by `_id` alone (as paging through a collection is), the documents in `_id` order
 * starting at the filter's `_id` bound, lazily; undefined when the query is not of that shape.
 */
function idRangeScan(coll: Collection, filter: Cmd, sort: Cmd | undefined): Iterable<Doc> | undefined {
  const keys = sort ? Object.keys(sort) : [];
  if (keys.length !== 1 || keys[0] !== "_id") return undefined;
  const dir = Number(sort!._id) < 0 ? -1 : 1;
  const ids = coll.idsInOrder();
  const cond = filter._id;
  let lo = 0;
  let hi = ids.length;
  if (
    cond &&
    typeof cond === "object" &&
    !Array.isArray(cond) &&
    (cond as { _bsontype?: string })._bsontype === undefined
  ) {
    const c = cond as Cmd;
    const bound = (v: unknown, strict: boolean, upper: boolean) => {
      let a = 0;
      let b = ids.length;
      while (a < b) {
        const m = (a + b) >> 1;
        const cmp = compareValues(ids[m], v);
        if (upper ? (strict ? cmp < 0 : cmp <= 0) : strict ? cmp <= 0 : cmp < 0) a = m + 1;
        else b = m;
      }
      return a;
    };
    if ("$gt" in c) lo = bound(c.$gt, true, false);
    if ("$gte" in c) lo = bound(c.$gte, false, false);
    if ("$lt" in c) hi = bound(c.$lt, true, true);
    if ("$lte" in c) hi = bound(c.$lte, false, true);
  }
  return (function* () {
    if (dir > 0) for (let i = lo; i < hi; i++) yield coll.get(ids[i])!;
    else for (let i = hi - 1; i >= lo; i--) yield coll.get(ids[i])!;
  })();
}

function collectionName(v: unknown): string {
  if (typeof v !== "string" || v.length === 0 || v.length > 200 || v.includes("\0") || v.includes("$")) {
    throw new CommandError(ErrorCodes.InvalidNamespace, `Invalid collection name: ${JSON.stringify(v)}`);
  }
  return v;
}

function asFilter(v: unknown): Cmd {
  if (v === undefined || v === null) return {};
  if (typeof v !== "object" || Array.isArray(v))
    throw new CommandError(ErrorCodes.BadValue, "filter must be an object");
  return v as Cmd;
}

function nonNegative(v: unknown, name: string): number {
  if (v === undefined || v === null) return 0;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw new CommandError(ErrorCodes.BadValue, `${name} must be a non-negative integer`);
  return n;
}

function project(docs: Doc[], projection: Cmd): Doc[] {
  return mingoFind(docs, {}, projection).all() as Doc[];
}

function maybeDup(coll: Collection, doc: Doc): CommandError | undefined {
  const dup = coll.findDuplicate(doc);
  return dup ? duplicateKeyError(coll, dup) : undefined;
}

function throwIfDup(coll: Collection, doc: Doc, inserting: boolean): void {
  if (inserting && coll.get(doc._id)) {
    throw duplicateKeyError(coll, { index: coll.indexes.get("_id_")!, keyValue: { _id: doc._id } });
  }
  const err = maybeDup(coll, doc);
  if (err) throw err;
}

function withWriteErrors(reply: Reply, writeErrors: Reply[]): Reply {
  if (writeErrors.length) reply.writeErrors = writeErrors;
  return reply;
}

function normaliseIndexSpec(raw: Cmd): IndexSpec {
  const key = raw.key;
  if (!key || typeof key !== "object" || Array.isArray(key) || Object.keys(key).length === 0) {
    throw new CommandError(ErrorCodes.BadValue, "index specification must have a non-empty 'key' object");
  }
  for (const [field, dir] of Object.entries(key as Cmd)) {
    if (dir === "text" || dir === "2dsphere" || dir === "2d" || dir === "geoHaystack") {
      throw new CommandError(
        ErrorCodes.CommandNotSupported,
        `index type '${String(dir)}' on '${field}' is not supported by the embedded store`,
      );
    }
  }
  const name =
    typeof raw.name === "string" && raw.name
      ? raw.name
      : Object.entries(key as Cmd)
          .map(([k, v]) => `${k}_${String(v)}`)
          .join("_");
  const spec: IndexSpec = { v: 2, key: key as Cmd, name };
  if (raw.unique === true) spec.unique = true;
  if (raw.sparse === true) spec.sparse = true;
  if (typeof raw.expireAfterSeconds === "number") spec.expireAfterSeconds = raw.expireAfterSeconds;
  if (raw.partialFilterExpression && typeof raw.partialFilterExpression === "object") {
    spec.partialFilterExpression = raw.partialFilterExpression as Cmd;
  }
  if (raw.collation !== undefined && parseCollation(raw.collation)) spec.collation = raw.collation;
  if (raw.hidden === true) {
    if (name === "_id_") throw new CommandError(ErrorCodes.BadValue, "can't hide _id index");
    spec.hidden = true;
  }
  return spec;
}
