/**
 * The store contract: every operation motcua relies on, through mongoose. Runs against the embedded
 * server by default and against a real MongoDB when MONGODB_URI_TEST is set.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Schema, type Model } from "mongoose";
import { openTestStore, realMongoUri, type TestStore } from "../helpers/store.js";

interface Item {
  sku: string;
  name?: string;
  qty?: number;
  tags?: string[];
  parts?: Array<{ code: string; n: number }>;
  at?: Date;
  email?: string;
}

let store: TestStore;
let Items: Model<Item>;

beforeAll(async () => {
  // The contract exercises operators through mongoose models directly: no filter sanitising here.
  store = await openTestStore({ sanitizeFilter: false });
  Items = store.connection.model<Item>(
    "Item",
    new Schema<Item>(
      {
        sku: { type: String, required: true, unique: true },
        name: String,
        qty: Number,
        tags: [String],
        parts: [{ _id: false, code: String, n: Number }],
        at: Date,
        email: { type: String, index: { unique: true, sparse: true } },
      },
      { strictQuery: true },
    ),
  );
  await Items.init();
});

afterAll(async () => {
  await store.close();
});

async function seed(n: number): Promise<void> {
  await Items.deleteMany({});
  await Items.insertMany(
    Array.from({ length: n }, (_, i) => ({
      sku: `s${String(i).padStart(4, "0")}`,
      name: `item ${i}`,
      qty: i % 10,
      tags: i % 2 ? ["odd", "x"] : ["even"],
      at: new Date(Date.UTC(2026, i % 12, 1)),
    })),
  );
}

describe("find", () => {
  it("should filter, project, sort, skip and limit", async () => {
    await seed(30);
    const docs = await Items.find({ qty: { $gte: 5 }, tags: "odd" }, { sku: 1, qty: 1, _id: 0 })
      .sort({ qty: -1, sku: 1 })
      .skip(1)
      .limit(3)
      .lean();
    expect(docs).toEqual([
      { sku: "s0019", qty: 9 },
      { sku: "s0029", qty: 9 },
      { sku: "s0007", qty: 7 },
    ]);
  });

  it("should page through a large result with getMore and small batches", async () => {
    await seed(250);
    const seen: string[] = [];
    for await (const d of Items.find({}).sort({ sku: 1 }).batchSize(7).lean().cursor()) seen.push(d.sku);
    expect(seen).toHaveLength(250);
    expect(seen[0]).toBe("s0000");
    expect(seen[249]).toBe("s0249");
    expect(new Set(seen).size).toBe(250);
  });

  it("should match by _id, $in, regex and array element", async () => {
    await seed(5);
    const one = await Items.findOne({ sku: "s0003" }).lean();
    expect(one).not.toBeNull();
    expect((await Items.findById(one!._id).lean())?.sku).toBe("s0003");
    expect(await Items.countDocuments({ sku: { $in: ["s0001", "s0004", "nope"] } })).toBe(2);
    expect(await Items.countDocuments({ name: /item [12]/ })).toBe(2);
    expect(await Items.countDocuments({ tags: "even" })).toBe(3);
  });
});

describe("insert and unique indexes", () => {
  it("should reject a duplicate key with code 11000 and keep the first document", async () => {
    await Items.deleteMany({});
    await Items.create({ sku: "dup", name: "first" });
    const err = await Items.create({ sku: "dup", name: "second" }).catch((e: unknown) => e);
    expect((err as { code?: number }).code).toBe(11000);
    expect((err as { keyValue?: unknown }).keyValue).toEqual({ sku: "dup" });
    const docs = await Items.find({ sku: "dup" }).lean();
    expect(docs.map((d) => d.name)).toEqual(["first"]);
  });

  it("should insert the rest of an unordered batch and report each duplicate", async () => {
    await Items.deleteMany({});
    const err = await Items.insertMany(
      [{ sku: "a" }, { sku: "a" }, { sku: "b" }, { sku: "b" }, { sku: "c" }],
      { ordered: false },
    ).catch((e: unknown) => e as { writeErrors?: Array<{ index: number; code: number }> });
    expect(err).toBeInstanceOf(Error);
    expect((err as { code?: number }).code).toBe(11000);
    expect(await Items.countDocuments()).toBe(3);
  });

  it("should stop an ordered batch at the first duplicate", async () => {
    await Items.deleteMany({});
    await expect(Items.insertMany([{ sku: "a" }, { sku: "a" }, { sku: "b" }])).rejects.toMatchObject({
      code: 11000,
    });
    expect((await Items.find().lean()).map((d) => d.sku)).toEqual(["a"]);
  });

  it("should let documents lacking a sparse unique field coexist", async () => {
    await Items.deleteMany({});
    await Items.create([{ sku: "p" }, { sku: "q" }, { sku: "r", email: "r@x.vn" }]);
    await expect(Items.create({ sku: "t", email: "r@x.vn" })).rejects.toMatchObject({ code: 11000 });
    expect(await Items.countDocuments()).toBe(3);
  });

  it("should treat two documents missing a non-sparse unique field as duplicates", async () => {
    const coll = store.connection.collection("nulls");
    await coll.createIndex({ code: 1 }, { unique: true });
    await coll.insertOne({ a: 1 });
    await expect(coll.insertOne({ a: 2 })).rejects.toMatchObject({ code: 11000 });
  });

  it("should refuse an update that would create a duplicate and leave the document as it was", async () => {
    await Items.deleteMany({});
    await Items.create([
      { sku: "x1", qty: 1 },
      { sku: "x2", qty: 2 },
    ]);
    await expect(Items.updateOne({ sku: "x2" }, { $set: { sku: "x1", qty: 99 } })).rejects.toMatchObject({
      code: 11000,
    });
    await expect(Items.findOneAndUpdate({ sku: "x2" }, { $set: { sku: "x1" } })).rejects.toMatchObject({
      code: 11000,
    });
    expect((await Items.findOne({ sku: "x2" }).lean())?.qty).toBe(2);
  });

  it("should let exactly one of two racing writers win a unique key", async () => {
    await Items.deleteMany({});
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => Items.create({ sku: "race", name: `w${i}` })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await Items.countDocuments({ sku: "race" })).toBe(1);
  });
});

describe("update", () => {
  it("should apply every supported operator", async () => {
    const coll = store.connection.collection("ops");
    await coll.deleteMany({});
    await coll.insertOne({ _id: "k" as never, n: 5, lo: 10, hi: 1, list: [1, 2, 3], set: ["a"], gone: true });
    await coll.updateOne({ _id: "k" as never }, {
      $set: { "nested.v": 1 },
      $unset: { gone: "" },
      $inc: { n: 2 },
      $push: { list: 4 },
      $addToSet: { set: { $each: ["a", "b"] } },
      $min: { lo: 3 },
      $max: { hi: 8 },
      $currentDate: { touched: true },
    } as never);
    await coll.updateOne({ _id: "k" as never }, { $pull: { list: { $gte: 3 } } } as never);
    const d = await coll.findOne({ _id: "k" as never });
    expect(d).toMatchObject({ n: 7, lo: 3, hi: 8, list: [1, 2], set: ["a", "b"], nested: { v: 1 } });
    expect(d).not.toHaveProperty("gone");
    expect(d?.touched).toBeInstanceOf(Date);
  });

  it("should upsert from the filter and apply $setOnInsert only on insert", async () => {
    const coll = store.connection.collection("upserts");
    await coll.deleteMany({});
    const first = await coll.updateOne(
      { key: "a", "meta.unit": "u1" },
      { $inc: { hits: 1 }, $setOnInsert: { createdBy: "seed" } },
      { upsert: true },
    );
    expect(first.upsertedCount).toBe(1);
    const second = await coll.updateOne(
      { key: "a", "meta.unit": "u1" },
      { $inc: { hits: 1 }, $setOnInsert: { createdBy: "other" } },
      { upsert: true },
    );
    expect(second).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0 });
    const d = await coll.findOne({ key: "a" });
    expect(d).toMatchObject({ key: "a", meta: { unit: "u1" }, hits: 2, createdBy: "seed" });
  });

  it("should update many, count modified documents and honour arrayFilters", async () => {
    await Items.deleteMany({});
    await Items.create([
      {
        sku: "m1",
        qty: 1,
        parts: [
          { code: "a", n: 1 },
          { code: "b", n: 1 },
        ],
      },
      { sku: "m2", qty: 1, parts: [{ code: "b", n: 5 }] },
      { sku: "m3", qty: 2 },
    ]);
    const res = await Items.updateMany(
      { qty: 1 },
      { $set: { "parts.$[p].n": 0 } },
      { arrayFilters: [{ "p.code": "b" }] },
    );
    expect(res).toMatchObject({ matchedCount: 2, modifiedCount: 2 });
    const m1 = await Items.findOne({ sku: "m1" }).lean();
    expect(m1?.parts).toEqual([
      { code: "a", n: 1 },
      { code: "b", n: 0 },
    ]);
    const same = await Items.updateMany({ qty: 2 }, { $set: { qty: 2 } });
    expect(same).toMatchObject({ matchedCount: 1, modifiedCount: 0 });
  });

  it("should refuse to change _id", async () => {
    const coll = store.connection.collection("ids");
    await coll.insertOne({ _id: "one" as never, v: 1 });
    await expect(coll.updateOne({ _id: "one" as never }, { $set: { _id: "two" } })).rejects.toMatchObject({
      code: 66,
    });
  });

  it("should replace a whole document", async () => {
    const coll = store.connection.collection("repl");
    await coll.insertOne({ _id: "r" as never, a: 1, b: 2 });
    await coll.replaceOne({ _id: "r" as never }, { c: 3 });
    expect(await coll.findOne({ _id: "r" as never })).toEqual({ _id: "r", c: 3 });
  });
});

describe("findAndModify, delete, count, distinct", () => {
  it("should return the document before or after, and remove", async () => {
    await seed(5);
    const before = await Items.findOneAndUpdate(
      { sku: "s0001" },
      { $inc: { qty: 10 } },
      { returnDocument: "before" },
    ).lean();
    expect(before?.qty).toBe(1);
    const after = await Items.findOneAndUpdate(
      { sku: "s0001" },
      { $inc: { qty: 10 } },
      { returnDocument: "after" },
    ).lean();
    expect(after?.qty).toBe(21);
    const removed = await Items.findOneAndDelete({ sku: "s0002" }).lean();
    expect(removed?.sku).toBe("s0002");
    expect(await Items.countDocuments()).toBe(4);
    const created = await Items.findOneAndUpdate(
      { sku: "new" },
      { $set: { qty: 1 } },
      { upsert: true, returnDocument: "after" },
    ).lean();
    expect(created).toMatchObject({ sku: "new", qty: 1 });
  });

  it("should pick the first document in sort order", async () => {
    await seed(10);
    const top = await Items.findOneAndUpdate(
      {},
      { $set: { name: "top" } },
      { sort: { qty: -1 }, returnDocument: "after" },
    ).lean();
    expect(top?.sku).toBe("s0009");
  });

  it("should delete one or many", async () => {
    await seed(10);
    expect((await Items.deleteOne({ tags: "odd" })).deletedCount).toBe(1);
    expect((await Items.deleteMany({ tags: "odd" })).deletedCount).toBe(4);
    expect(await Items.countDocuments()).toBe(5);
    expect(await Items.estimatedDocumentCount()).toBe(5);
  });

  it("should list distinct values, unwinding arrays", async () => {
    await seed(6);
    expect((await Items.distinct("tags")).sort()).toEqual(["even", "odd", "x"]);
    expect((await Items.distinct("qty", { tags: "even" })).sort()).toEqual([0, 2, 4]);
  });
});

describe("aggregate", () => {
  it("should run $match $group $sort $project $limit $skip $unwind $count $facet and date operators", async () => {
    await seed(24);
    const byMonth = await Items.aggregate<{ _id: number; n: number }>([
      { $match: { qty: { $lt: 5 } } },
      { $group: { _id: { $month: "$at" }, n: { $sum: 1 } } },
      { $sort: { _id: 1 } },
      { $skip: 1 },
      { $limit: 3 },
    ]);
    expect(byMonth).toEqual([
      { _id: 2, n: 2 },
      { _id: 3, n: 2 },
      { _id: 4, n: 1 },
    ]);
    const [facet] = await Items.aggregate<{
      total: Array<{ n: number }>;
      tags: Array<{ _id: string; c: number }>;
    }>([
      {
        $facet: {
          total: [{ $count: "n" }],
          tags: [{ $unwind: "$tags" }, { $group: { _id: "$tags", c: { $sum: 1 } } }, { $sort: { _id: 1 } }],
        },
      },
    ]);
    expect(facet?.total).toEqual([{ n: 24 }]);
    expect(facet?.tags).toEqual([
      { _id: "even", c: 12 },
      { _id: "odd", c: 12 },
      { _id: "x", c: 12 },
    ]);
    const projected = await Items.aggregate([
      { $match: { sku: "s0001" } },
      { $project: { _id: 0, sku: 1, year: { $year: "$at" } } },
    ]);
    expect(projected).toEqual([{ sku: "s0001", year: 2026 }]);
  });
});

describe("indexes and collections", () => {
  it("should create indexes idempotently, list and drop them", async () => {
    const coll = store.connection.collection("idx");
    await coll.insertOne({ a: 1 });
    await coll.createIndex({ a: 1, b: -1 }, { name: "ab" });
    await coll.createIndex({ a: 1, b: -1 }, { name: "ab" });
    const names = (await coll.listIndexes().toArray()).map((i: { name?: unknown }) => String(i.name));
    expect(names).toEqual(["_id_", "ab"]);
    await expect(coll.createIndex({ c: 1 }, { name: "ab" })).rejects.toMatchObject({ code: 86 });
    await coll.dropIndex("ab");
    expect((await coll.listIndexes().toArray()).map((i: { name?: unknown }) => String(i.name))).toEqual([
      "_id_",
    ]);
  });

  it("should refuse a unique index over existing duplicates", async () => {
    const coll = store.connection.collection("idxdup");
    await coll.insertMany([{ k: 1 }, { k: 1 }]);
    await expect(coll.createIndex({ k: 1 }, { unique: true })).rejects.toMatchObject({ code: 11000 });
    expect((await coll.listIndexes().toArray()).map((i: { name?: unknown }) => String(i.name))).toEqual([
      "_id_",
    ]);
  });

  it("should answer NamespaceNotFound for indexes of a missing collection", async () => {
    await expect(store.connection.collection("missing").listIndexes().toArray()).rejects.toMatchObject({
      code: 26,
    });
  });

  it("should create, list and drop collections, answering NamespaceExists on a second create", async () => {
    const db = store.connection.db!;
    await db.createCollection("made");
    await expect(db.createCollection("made")).rejects.toMatchObject({ code: 48 });
    const names = (await db.listCollections({ name: "made" }).toArray()).map((c) => c.name);
    expect(names).toEqual(["made"]);
    await db.dropCollection("made");
    expect(await db.listCollections({ name: "made" }).toArray()).toEqual([]);
  });

  it.skipIf(Boolean(realMongoUri))(
    "should remove documents once their TTL index says they expired",
    async () => {
      const coll = store.connection.collection("ttl");
      await coll.createIndex({ at: 1 }, { expireAfterSeconds: 1 });
      await coll.insertMany([
        { k: "old", at: new Date(Date.now() - 60_000) },
        { k: "fresh", at: new Date() },
        { k: "nodate" },
      ]);
      const deadline = Date.now() + 5_000;
      while (Date.now() < deadline && (await coll.countDocuments({ k: "old" })) > 0)
        await new Promise((r) => setTimeout(r, 50));
      expect((await coll.find({}).toArray()).map((d) => d.k as string).sort()).toEqual(["fresh", "nodate"]);
    },
  );
});

describe("errors", () => {
  it("should answer transactions as a standalone server does (IllegalOperation)", async () => {
    const session = await store.connection.startSession();
    try {
      const err = await session
        .withTransaction(async () => {
          await Items.create([{ sku: "tx" }], { session });
        })
        .catch((e: unknown) => e);
      // The driver reports a standalone's code 20 as "does not support retryable writes", for mongod too.
      expect((err as Error).message).toContain("does not support retryable writes");
      expect((err as { originalError?: { code?: number } }).originalError?.code).toBe(20);
    } finally {
      await session.endSession();
    }
    expect(await Items.countDocuments({ sku: "tx" })).toBe(0);
  });

  it.skipIf(Boolean(realMongoUri))("should name an unknown command in its error", async () => {
    await expect(store.connection.db!.command({ frobnicate: 1 })).rejects.toMatchObject({
      code: 59,
      message: "no such command: 'frobnicate'",
    });
  });
});

describe("paging by _id", () => {
  it("should page through a collection in _id order with $gt cursors, also after out-of-order inserts and deletes", async () => {
    const coll = store.connection.collection("paging");
    await coll.deleteMany({});
    const ids = Array.from({ length: 50 }, (_, i) => `k${String(i).padStart(3, "0")}`);
    // Insert shuffled, so insertion order and _id order differ.
    const shuffled = [...ids].sort(
      (a, b) =>
        ((a.charCodeAt(3) * 7 + a.charCodeAt(2)) % 13) - ((b.charCodeAt(3) * 7 + b.charCodeAt(2)) % 13),
    );
    await coll.insertMany(shuffled.map((_id, i) => ({ _id: _id as never, n: i, keep: _id !== "k010" })));
    await coll.deleteOne({ _id: "k020" as never });
    const seen: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await coll
        .find(cursor ? { _id: { $gt: cursor } as never, keep: true } : { keep: true })
        .sort({ _id: 1 })
        .limit(7)
        .toArray();
      if (!page.length) break;
      seen.push(...page.map((d) => String(d._id)));
      cursor = String(page[page.length - 1]!._id);
    }
    expect(seen).toEqual(ids.filter((x) => x !== "k010" && x !== "k020"));
    const desc = await coll
      .find({ _id: { $lte: "k005" } as never })
      .sort({ _id: -1 })
      .limit(3)
      .toArray();
    expect(desc.map((d) => String(d._id))).toEqual(["k005", "k004", "k003"]);
  });
});
