/**
 * The command layer of the embedded store: turns MongoDB commands (as the driver sends them) into
 * operations on in-memory collections, logged before they are acknowledged.
 */
import fs from "node:fs";
import { BSON, Long, ObjectId } from "bson";
import { Aggregator, find as mingoFind, ProcessingMode, Query } from "mingo";
import { duplicateKeyError, type Collection, type Doc, type IndexSpec } from "./collection.js";
import { Database, Tx } from "./database.js";
import { CommandError, ErrorCodes, toCommandError } from "./errors.js";
import { keyOf, valuesAtPath } from "./keys.js";
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
    for (let i = 0; i < stmts.length; i++) {
      const s = stmts[i]!;
      try {
        const filter = asFilter(s.q);
        const arrayFilters = s.arrayFilters as Cmd[] | undefined;
        const existing = db.collections.get(collName);
        const matches = existing
          ? this.match(existing, filter, s.multi === true ? 0 : 1, s.sort as Cmd | undefined)
          : [];
        if (matches.length === 0 && s.upsert === true) {
          const { coll } = db.collectionForWrite(collName, tx);
          const doc = upsertDoc(filter, s.u, arrayFilters);
          throwIfDup(coll, doc, true);
          tx.put(coll, doc);
          upserted.push({ index: i, _id: doc._id });
          n++;
          continue;
        }
        for (const old of matches) {
          const coll = existing!;
          const next = updatedDoc(old, s.u, { arrayFilters, filter });
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
      for (const doc of this.match(coll, asFilter(s.q), limit === 1 ? 1 : 0)) {
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
    const old = existing ? this.match(existing, filter, 1, cmd.sort as Cmd | undefined)[0] : undefined;
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
        const next = updatedDoc(old, cmd.update, { arrayFilters, filter });
        if (keyOf(next) !== keyOf(old)) {
          throwIfDup(existing, next, false);
          tx.put(existing, next);
        }
        value = cmd.new === true ? next : old;
        Object.assign(lastErrorObject, { n: 1, updatedExisting: true });
      } else if (cmd.upsert === true) {
        const { coll } = db.collectionForWrite(collName, tx);
        const doc = upsertDoc(filter, cmd.update, arrayFilters);
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
  private match(coll: Collection, filter: Cmd, limit: number, sort?: Cmd): Doc[] {
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
    const hasSort = sort && Object.keys(sort).length > 0;
    const byIdOnly = hasSort && limit > 0 && Object.keys(sort).length === 1 && "_id" in sort;
    let docs = byIdOnly
      ? this.match(coll, filter, skip + limit, sort)
      : this.match(coll, filter, hasSort || skip ? 0 : limit);
    if (hasSort && !byIdOnly) sortDocs(docs, sort);
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
    let n = Object.keys(query).length === 0 ? coll.docs.size : this.match(coll, query, 0).length;
    n = Math.max(0, n - skip);
    if (limit) n = Math.min(n, limit);
    return { n, ok: 1 };
  }

  private distinct(dbName: string, cmd: Cmd): Reply {
    const coll = this.existingColl(dbName, collectionName(cmd.distinct));
    if (typeof cmd.key !== "string" || cmd.key === "")
      throw new CommandError(ErrorCodes.FailedToParse, "distinct requires a key string");
    if (!coll) return { values: [], ok: 1 };
    const seen = new Map<string, unknown>();
    for (const doc of this.match(coll, asFilter(cmd.query), 0)) {
      for (const v of valuesAtPath(doc, cmd.key)) {
        if (v === undefined) continue;
        const k = keyOf(v);
        if (!seen.has(k)) seen.set(k, v);
      }
    }
    return { values: [...seen.values()], ok: 1 };
  }

  private aggregate(dbName: string, cmd: Cmd): Reply {
    if (typeof cmd.aggregate !== "string") {
      throw new CommandError(
        ErrorCodes.CommandNotSupported,
        "database-level aggregate (aggregate: 1) is not supported by the embedded store",
      );
    }
    const collName = collectionName(cmd.aggregate);
    const pipeline = cmd.pipeline;
    if (!Array.isArray(pipeline))
      throw new CommandError(ErrorCodes.FailedToParse, "'pipeline' option must be specified as an array");
    for (const stage of pipeline as Cmd[]) {
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
    let source: Doc[] = [];
    let stages = pipeline as Cmd[];
    if (coll) {
      const first = stages[0];
      if (first && "$match" in first && first.$match && typeof first.$match === "object") {
        source = this.match(coll, first.$match as Cmd, 0);
        stages = stages.slice(1);
      } else source = [...coll.docs.values()];
    }
    const db = this.dbs.get(dbName);
    const agg = new Aggregator(stages, {
      processingMode: ProcessingMode.CLONE_INPUT,
      collectionResolver: (name: string) => [...(db?.collections.get(name)?.docs.values() ?? [])],
    });
    const docs = agg.run<Doc>(source);
    const cursorOpt = (cmd.cursor ?? {}) as Cmd;
    return this.openCursor(`${dbName}.${collName}`, docs, cursorOpt.batchSize, false, "firstBatch");
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
  return spec;
}
