/**
 * A runner for MongoDB's unified test format (mongodb/specifications,
 * source/unified-test-format/unified-test-format.md), enough for the CRUD tests in
 * `../shared/mongodb-spec/`: it honours `runOnRequirements` against what the server reports, sets up
 * `initialData`, runs each operation through the official driver (the `mongodb` package mongoose uses),
 * and checks `expectResult`, `expectError`, `expectEvents` (command events) and `outcome`.
 */
import fs from "node:fs";
import path from "node:path";
import mongoose from "mongoose";
import { isDocument, match, show } from "./match.js";
import { notApplicable } from "./not-applicable.js";

const { BSON, MongoClient, MongoServerError, MongoBulkWriteError } = mongoose.mongo;
type Doc = Record<string, unknown>;
type Client = InstanceType<typeof MongoClient>;
type Db = ReturnType<Client["db"]>;
type Coll = ReturnType<Db["collection"]>;
type CommandEvent = { kind: string; commandName: string; databaseName: string; command?: Doc; reply?: Doc };

/** What the server under test says about itself, for `runOnRequirements`. */
export interface ServerFacts {
  version: number[];
  topology: "single" | "replicaset" | "sharded" | "load-balanced";
  auth: boolean;
}

/** One test's verdict. */
export interface TestResult {
  file: string;
  test: string;
  status: "pass" | "fail" | "skip" | "n/a";
  /** Why it failed, was skipped or does not apply. */
  reason?: string;
}

// === Requirements

function parseVersion(v: string): number[] {
  return v.split(".").map((x) => Number(x) || 0);
}

function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

async function requirementMet(req: Doc, server: ServerFacts, admin: Db): Promise<boolean> {
  if (
    typeof req.minServerVersion === "string" &&
    compareVersions(server.version, parseVersion(req.minServerVersion)) < 0
  )
    return false;
  if (
    typeof req.maxServerVersion === "string" &&
    compareVersions(server.version, parseVersion(req.maxServerVersion)) > 0
  )
    return false;
  if (Array.isArray(req.topologies) && !req.topologies.includes(server.topology)) return false;
  if (req.serverless === "require") return false;
  if (typeof req.auth === "boolean" && req.auth !== server.auth) return false;
  if (req.authMechanism !== undefined || (req.csfle !== undefined && req.csfle !== false)) return false;
  if (isDocument(req.serverParameters)) {
    for (const [name, want] of Object.entries(req.serverParameters)) {
      const got = await admin.command({ getParameter: 1, [name]: 1 }).catch(() => undefined);
      if (!got || match(want, got[name]) !== undefined) return false;
    }
  }
  return true;
}

async function requirementsMet(reqs: unknown, server: ServerFacts, admin: Db): Promise<boolean> {
  if (!Array.isArray(reqs) || reqs.length === 0) return true;
  for (const r of reqs as Doc[]) if (await requirementMet(r, server, admin)) return true;
  return false;
}

/** Asks the server its version and topology. */
export async function serverFacts(client: Client): Promise<ServerFacts> {
  const admin = client.db("admin");
  const info = await admin.command({ buildInfo: 1 });
  const hello = await admin.command({ hello: 1 });
  const topology = hello.setName ? "replicaset" : hello.msg === "isdbgrid" ? "sharded" : "single";
  const status = await admin.command({ connectionStatus: 1 }).catch(() => undefined);
  const auth =
    ((status?.authInfo as Doc | undefined)?.authenticatedUsers as unknown[] | undefined)?.length ?? 0;
  return { version: parseVersion(String(info.version)), topology, auth: auth > 0 };
}

// === Entities and operations

interface Entities {
  map: Map<string, unknown>;
  clients: Client[];
  events: Map<string, CommandEvent[]>;
}

function options(raw: unknown): Doc {
  const out: Doc = {};
  if (!isDocument(raw)) return out;
  for (const [k, v] of Object.entries(raw)) {
    if (k === "readPreference" && isDocument(v)) {
      out.readPreference = new mongoose.mongo.ReadPreference(String(v.mode).toLowerCase() as "primary");
    } else out[k] = v;
  }
  return out;
}

async function createEntities(list: Doc[], uri: string, ents: Entities): Promise<void> {
  for (const e of list) {
    const [kind, spec] = Object.entries(e)[0] as [string, Doc];
    const id = String(spec.id);
    if (kind === "client") {
      const uriOptions = (spec.uriOptions as Doc | undefined) ?? {};
      const client = new MongoClient(uri, {
        ...uriOptions,
        monitorCommands: true,
        serverSelectionTimeoutMS: 5_000,
      });
      const observed = new Set((spec.observeEvents as string[] | undefined) ?? []);
      const ignored = new Set([
        ...((spec.ignoreCommandMonitoringEvents as string[] | undefined) ?? []),
        "configureFailPoint",
        // Sensitive commands and the handshake, which the format says to ignore.
        "hello",
        "isMaster",
        "ismaster",
        "saslStart",
        "saslContinue",
        "authenticate",
        "getnonce",
      ]);
      const log: CommandEvent[] = [];
      const record =
        (kindName: string) =>
        (ev: { commandName: string; databaseName: string; command?: Doc; reply?: Doc }) => {
          if (!observed.has(kindName) || ignored.has(ev.commandName)) return;
          log.push({
            kind: kindName,
            commandName: ev.commandName,
            databaseName: ev.databaseName,
            command: ev.command,
            reply: ev.reply,
          });
        };
      client.on("commandStarted", record("commandStartedEvent"));
      client.on("commandSucceeded", record("commandSucceededEvent"));
      client.on("commandFailed", record("commandFailedEvent"));
      await client.connect();
      ents.clients.push(client);
      ents.events.set(id, log);
      ents.map.set(id, client);
    } else if (kind === "database") {
      const client = ents.map.get(String(spec.client)) as Client;
      ents.map.set(id, client.db(String(spec.databaseName), options(spec.databaseOptions)));
    } else if (kind === "collection") {
      const db = ents.map.get(String(spec.database)) as Db;
      ents.map.set(id, db.collection(String(spec.collectionName), options(spec.collectionOptions)));
    } else {
      throw new Unsupported(`entity type ${kind}`);
    }
  }
}

/** An operation or option this runner does not implement (reported, never counted as a pass). */
class Unsupported extends Error {}

/**
 * Int32 values as plain numbers (everywhere: the driver reads `limit`, `batchSize`, index keys as
 * numbers, and serialises an integral number as int32 anyway); Doubles and Longs keep their type.
 */
function plainInts(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plainInts);
  if ((v as { _bsontype?: string } | null)?._bsontype === "Int32") return Number(v);
  if (!isDocument(v)) return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plainInts(x)]));
}

/** Option values as the driver's options take them: every number plain. */
function plainNumbers(v: unknown): unknown {
  const t = (v as { _bsontype?: string } | null)?._bsontype;
  if (t === "Int32" || t === "Double" || t === "Long") return Number(v);
  return v;
}

function split(rawArgs: Doc | undefined, ...names: string[]): [unknown[], Doc] {
  const args = plainInts(rawArgs ?? {}) as Doc;
  const rest: Doc = { ...args };
  for (const [k, v] of Object.entries(rest)) if (!names.includes(k)) rest[k] = plainNumbers(v);
  const positional = names.map((n) => {
    const v = rest[n];
    delete rest[n];
    return v;
  });
  if ("returnDocument" in rest) rest.returnDocument = String(rest.returnDocument).toLowerCase();
  return [positional, options(rest)];
}

function updateResult(r: {
  matchedCount: number;
  modifiedCount: number;
  upsertedCount: number;
  upsertedId: unknown;
}): Doc {
  const out: Doc = {
    matchedCount: r.matchedCount,
    modifiedCount: r.modifiedCount,
    upsertedCount: r.upsertedCount,
  };
  if (r.upsertedId !== null && r.upsertedId !== undefined) out.upsertedId = r.upsertedId;
  return out;
}

function bulkResult(r: {
  insertedCount: number;
  matchedCount: number;
  modifiedCount: number;
  deletedCount: number;
  upsertedCount: number;
  insertedIds: Record<number, unknown>;
  upsertedIds: Record<number, unknown>;
}): Doc {
  return {
    insertedCount: r.insertedCount,
    matchedCount: r.matchedCount,
    modifiedCount: r.modifiedCount,
    deletedCount: r.deletedCount,
    upsertedCount: r.upsertedCount,
    insertedIds: { ...r.insertedIds },
    upsertedIds: { ...r.upsertedIds },
  };
}

async function collectionOp(coll: Coll, name: string, args: Doc | undefined): Promise<unknown> {
  switch (name) {
    case "aggregate": {
      const [[pipeline], o] = split(args, "pipeline");
      return coll.aggregate(pipeline as Doc[], o).toArray();
    }
    case "bulkWrite": {
      const [[requests], o] = split(args, "requests");
      const r = await coll.bulkWrite(requests as never, o);
      return bulkResult(r);
    }
    case "countDocuments": {
      const [[filter], o] = split(args, "filter");
      return coll.countDocuments(filter as Doc, o);
    }
    case "count": {
      const [[filter], o] = split(args, "filter");
      return coll.count(filter as Doc, o);
    }
    case "estimatedDocumentCount":
      return coll.estimatedDocumentCount(split(args)[1]);
    case "deleteMany":
    case "deleteOne": {
      const [[filter], o] = split(args, "filter");
      const r = await coll[name](filter as Doc, o);
      return r.acknowledged ? { deletedCount: r.deletedCount } : { acknowledged: false };
    }
    case "distinct": {
      const [[field, filter], o] = split(args, "fieldName", "filter");
      return coll.distinct(field as string, (filter as Doc | undefined) ?? {}, o);
    }
    case "find": {
      const [[filter], o] = split(args, "filter");
      return coll.find((filter as Doc | undefined) ?? {}, o).toArray();
    }
    case "findOne": {
      const [[filter], o] = split(args, "filter");
      return coll.findOne((filter as Doc | undefined) ?? {}, o);
    }
    case "findOneAndDelete": {
      const [[filter], o] = split(args, "filter");
      return coll.findOneAndDelete(filter as Doc, o);
    }
    case "findOneAndReplace": {
      const [[filter, replacement], o] = split(args, "filter", "replacement");
      return coll.findOneAndReplace(filter as Doc, replacement as Doc, o);
    }
    case "findOneAndUpdate": {
      const [[filter, update], o] = split(args, "filter", "update");
      return coll.findOneAndUpdate(filter as Doc, update as Doc, o);
    }
    case "insertMany": {
      const [[documents], o] = split(args, "documents");
      const r = await coll.insertMany(documents as Doc[], o);
      return r.acknowledged
        ? { insertedCount: r.insertedCount, insertedIds: { ...r.insertedIds } }
        : { acknowledged: false };
    }
    case "insertOne": {
      const [[document], o] = split(args, "document");
      const r = await coll.insertOne(document as Doc, o);
      return r.acknowledged ? { insertedId: r.insertedId } : { acknowledged: false };
    }
    case "replaceOne": {
      const [[filter, replacement], o] = split(args, "filter", "replacement");
      const r = await coll.replaceOne(filter as Doc, replacement as Doc, o);
      return r.acknowledged ? updateResult(r) : { acknowledged: false };
    }
    case "updateMany":
    case "updateOne": {
      const [[filter, update], o] = split(args, "filter", "update");
      const r = await coll[name](filter as Doc, update as Doc, o);
      return r.acknowledged ? updateResult(r) : { acknowledged: false };
    }
    case "createIndex": {
      const [[keys], o] = split(args, "keys");
      return coll.createIndex(keys as never, o);
    }
    case "listIndexes":
      return coll.listIndexes(split(args)[1]).toArray();
    case "dropIndex": {
      const [[indexName], o] = split(args, "name");
      return coll.dropIndex(indexName as string, o);
    }
    default:
      throw new Unsupported(`collection operation ${name}`);
  }
}

async function databaseOp(db: Db, name: string, args: Doc | undefined): Promise<unknown> {
  switch (name) {
    case "aggregate": {
      const [[pipeline], o] = split(args, "pipeline");
      return db.aggregate(pipeline as Doc[], o).toArray();
    }
    case "createCollection": {
      const [[collName], o] = split(args, "collection");
      await db.createCollection(collName as string, o);
      return undefined;
    }
    case "dropCollection": {
      const [[collName], o] = split(args, "collection");
      return db.dropCollection(collName as string, o);
    }
    case "modifyCollection": {
      const [[collName], o] = split(args, "collection");
      return db.command({ collMod: collName, ...o });
    }
    case "runCommand": {
      const [[command]] = split(args, "command", "commandName");
      return db.command(command as Doc);
    }
    default:
      throw new Unsupported(`database operation ${name}`);
  }
}

async function execute(op: Doc, ents: Entities): Promise<unknown> {
  const target = ents.map.get(String(op.object));
  const name = String(op.name);
  const args = op.arguments as Doc | undefined;
  if (target instanceof mongoose.mongo.Collection) return collectionOp(target as Coll, name, args);
  if (target instanceof mongoose.mongo.Db) return databaseOp(target, name, args);
  if (target instanceof MongoClient && name === "clientBulkWrite") {
    const [[models], o] = split(args, "models");
    const flat = (models as Doc[]).map((m) => {
      const [kind, spec] = Object.entries(m)[0] as [string, Doc];
      return { name: kind, ...spec };
    });
    return target.bulkWrite(flat as never, o);
  }
  throw new Unsupported(`operation ${name} on ${String(op.object)}`);
}

// === Checks

const CODE_NAMES: Record<string, number> = {
  badvalue: 2,
  failedtoparse: 9,
  typemismatch: 14,
  unsupportedformat: 12,
  invalidoptions: 72,
  nomatchingdocument: 47,
  duplicatekey: 11000,
  immutablefield: 66,
  conflictingupdateoperators: 40,
  commandnotsupportedonview: 166,
};

function errorParts(err: unknown): Array<{ code?: number; codeName?: string; message: string }> {
  const e = err as { code?: number; codeName?: string; message?: string; writeErrors?: unknown };
  const parts = [{ code: e.code, codeName: e.codeName, message: String(e.message ?? err) }];
  const writeErrors = Array.isArray(e.writeErrors) ? e.writeErrors : e.writeErrors ? [e.writeErrors] : [];
  for (const w of writeErrors as Array<{ code?: number; errmsg?: string; codeName?: string }>) {
    parts.push({ code: w.code, codeName: w.codeName, message: String(w.errmsg ?? "") });
  }
  return parts;
}

function checkError(err: unknown, exp: Doc, ents: Entities): string | undefined {
  const isServer = err instanceof MongoServerError;
  if (exp.isClientError === true && isServer)
    return `expected a client error, got a server error: ${(err as Error).message}`;
  if (exp.isClientError === false && !isServer) return `expected a server error, got: ${String(err)}`;
  const parts = errorParts(err);
  if (typeof exp.errorContains === "string") {
    const want = exp.errorContains.toLowerCase();
    if (!parts.some((p) => p.message.toLowerCase().includes(want)))
      return `error "${parts.map((p) => p.message).join(" | ")}" does not contain "${exp.errorContains}"`;
  }
  if (exp.errorCode !== undefined) {
    const want = Number(exp.errorCode);
    if (!parts.some((p) => p.code === want))
      return `expected error code ${want}, got ${parts.map((p) => p.code).join(", ")}: ${parts[0]!.message}`;
  }
  if (typeof exp.errorCodeName === "string") {
    const want = exp.errorCodeName.toLowerCase();
    if (
      !parts.some(
        (p) =>
          p.codeName?.toLowerCase() === want ||
          (CODE_NAMES[want] !== undefined && p.code === CODE_NAMES[want]),
      )
    )
      return `expected ${exp.errorCodeName}, got ${parts.map((p) => `${p.codeName ?? p.code}`).join(", ")}: ${parts[0]!.message}`;
  }
  const labels = err as { hasErrorLabel?: (l: string) => boolean };
  for (const l of (exp.errorLabelsContain as string[] | undefined) ?? [])
    if (!labels.hasErrorLabel?.(l)) return `missing error label ${l}`;
  for (const l of (exp.errorLabelsOmit as string[] | undefined) ?? [])
    if (labels.hasErrorLabel?.(l)) return `unexpected error label ${l}`;
  if (exp.errorResponse !== undefined) {
    const response = (err as { errorResponse?: Doc }).errorResponse;
    const m = match(exp.errorResponse, response, { root: true, entities: (n) => ents.map.get(n) });
    if (m) return `errorResponse: ${m}`;
  }
  if (exp.expectResult !== undefined) {
    const result = err instanceof MongoBulkWriteError ? bulkResult(err.result) : undefined;
    const m = match(exp.expectResult, result, { root: true, entities: (n) => ents.map.get(n) });
    if (m) return `error result: ${m}`;
  }
  return undefined;
}

function checkEvents(expected: Doc[], ents: Entities): string | undefined {
  for (const group of expected) {
    const type = (group.eventType as string | undefined) ?? "command";
    if (type !== "command") throw new Unsupported(`${type} events`);
    const actual = ents.events.get(String(group.client)) ?? [];
    const want = group.events as Doc[];
    if (group.ignoreExtraEvents === true ? actual.length < want.length : actual.length !== want.length)
      return `expected ${want.length} command event(s), got ${actual.length}: ${actual.map((a) => `${a.kind}:${a.commandName}`).join(", ")}`;
    for (let i = 0; i < want.length; i++) {
      const [kind, spec] = Object.entries(want[i]!)[0] as [string, Doc];
      const ev = actual[i]!;
      if (ev.kind !== kind) return `event ${i}: expected ${kind}, got ${ev.kind} (${ev.commandName})`;
      if (spec.commandName !== undefined && spec.commandName !== ev.commandName)
        return `event ${i}: expected command ${show(spec.commandName)}, got ${ev.commandName}`;
      if (spec.databaseName !== undefined && spec.databaseName !== ev.databaseName)
        return `event ${i}: expected database ${show(spec.databaseName)}, got ${ev.databaseName}`;
      if (spec.command !== undefined) {
        const m = match(spec.command, ev.command, { root: true, entities: (n) => ents.map.get(n) });
        if (m) return `event ${i} (${ev.commandName}) command: ${m}`;
      }
      if (spec.reply !== undefined) {
        const m = match(spec.reply, ev.reply, { root: true, entities: (n) => ents.map.get(n) });
        if (m) return `event ${i} (${ev.commandName}) reply: ${m}`;
      }
    }
  }
  return undefined;
}

async function setUp(internal: Client, data: Doc[] | undefined): Promise<void> {
  for (const d of data ?? []) {
    const db = internal.db(String(d.databaseName), { writeConcern: { w: "majority" } });
    const name = String(d.collectionName);
    await db.dropCollection(name).catch(() => undefined);
    const docs = (d.documents as Doc[] | undefined) ?? [];
    if (d.createOptions !== undefined || docs.length === 0)
      await db.createCollection(name, (d.createOptions as Doc | undefined) ?? {});
    if (docs.length) await db.collection(name).insertMany(docs);
  }
}

async function checkOutcome(internal: Client, outcome: Doc[]): Promise<string | undefined> {
  for (const d of outcome) {
    const docs = await internal
      .db(String(d.databaseName))
      .collection(String(d.collectionName))
      .find({}, { sort: { _id: 1 }, readPreference: "primary", readConcern: { level: "local" } })
      .toArray();
    const m = match(d.documents, docs, { exact: true }, `${String(d.collectionName)}`);
    if (m) return `outcome: ${m}`;
  }
  return undefined;
}

// === Files and tests

const ITERABLE_OPS = new Set([
  "find",
  "aggregate",
  "listIndexes",
  "listCollections",
  "listDatabases",
  "runCursorCommand",
]);

/** Runs one test of a file against `uri`. */
async function runTest(
  file: Doc,
  test: Doc,
  uri: string,
  internal: Client,
): Promise<Omit<TestResult, "file" | "test">> {
  const ents: Entities = { map: new Map(), clients: [], events: new Map() };
  try {
    await setUp(internal, file.initialData as Doc[] | undefined);
    await createEntities((file.createEntities as Doc[] | undefined) ?? [], uri, ents);
    for (const [i, op] of (test.operations as Doc[]).entries()) {
      if (op.object === "testRunner") throw new Unsupported(`testRunner.${String(op.name)}`);
      let result: unknown;
      let error: unknown;
      try {
        result = await execute(op, ents);
      } catch (err) {
        if (err instanceof Unsupported) throw err;
        error = err;
      }
      if (op.ignoreResultAndError === true) continue;
      const where = `operation ${i} (${String(op.name)})`;
      if (isDocument(op.expectError)) {
        if (error === undefined)
          return { status: "fail", reason: `${where}: expected an error, got ${show(result)}` };
        const m = checkError(error, op.expectError, ents);
        if (m) return { status: "fail", reason: `${where}: ${m}` };
        continue;
      }
      if (error !== undefined)
        return { status: "fail", reason: `${where}: unexpected error: ${(error as Error).message}` };
      if ("expectResult" in op) {
        // Results of iterables (find, aggregate, listIndexes) are arrays of root-level documents.
        const rootElements = ITERABLE_OPS.has(String(op.name));
        const m = match(op.expectResult, result, {
          root: true,
          rootElements,
          entities: (n) => ents.map.get(n),
        });
        if (m) return { status: "fail", reason: `${where}: ${m}` };
      }
      if (typeof op.saveResultAsEntity === "string") ents.map.set(op.saveResultAsEntity, result);
    }
    if (Array.isArray(test.expectEvents)) {
      const m = checkEvents(test.expectEvents as Doc[], ents);
      if (m) return { status: "fail", reason: `events: ${m}` };
    }
    if (Array.isArray(test.outcome)) {
      const m = await checkOutcome(internal, test.outcome as Doc[]);
      if (m) return { status: "fail", reason: m };
    }
    return { status: "pass" };
  } catch (err) {
    if (err instanceof Unsupported)
      return { status: "fail", reason: `runner does not support ${err.message}` };
    return { status: "fail", reason: `unexpected: ${(err as Error).message}` };
  } finally {
    for (const c of ents.clients) await c.close().catch(() => undefined);
  }
}

/** Runs every `*.json` file in `dir` against the server at `uri` and returns one verdict per test. */
export async function runSuite(opts: {
  uri: string;
  dir: string;
  only?: (file: string) => boolean;
}): Promise<{ results: TestResult[]; server: ServerFacts }> {
  const internal = new MongoClient(opts.uri, { serverSelectionTimeoutMS: 5_000 });
  await internal.connect();
  const results: TestResult[] = [];
  try {
    const server = await serverFacts(internal);
    const admin = internal.db("admin");
    const files = fs
      .readdirSync(opts.dir)
      .filter((f) => f.endsWith(".json") && (opts.only?.(f) ?? true))
      .sort();
    for (const name of files) {
      const text = fs.readFileSync(path.join(opts.dir, name), "utf8");
      const file = BSON.EJSON.parse(text, { relaxed: false }) as Doc;
      const fileOk = await requirementsMet(file.runOnRequirements, server, admin);
      for (const [i, test] of (file.tests as Doc[]).entries()) {
        const description = String(test.description);
        const base = { file: name.replace(/\.json$/, ""), test: description };
        if (typeof test.skipReason === "string") {
          results.push({ ...base, status: "skip", reason: test.skipReason });
          continue;
        }
        if (!fileOk || !(await requirementsMet(test.runOnRequirements, server, admin))) {
          results.push({ ...base, status: "skip", reason: "runOnRequirements not met" });
          continue;
        }
        const na = notApplicable(base.file, description);
        if (na) {
          results.push({ ...base, status: "n/a", reason: na });
          continue;
        }
        // A fresh parse per test: the driver mutates arguments (insertOne adds an _id).
        const fresh = BSON.EJSON.parse(text, { relaxed: false }) as Doc;
        const freshTest = (fresh.tests as Doc[])[i]!;
        results.push({ ...base, ...(await runTest(fresh, freshTest, opts.uri, internal)) });
      }
    }
    return { results, server };
  } finally {
    await internal.close();
  }
}
