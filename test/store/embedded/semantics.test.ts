/**
 * The silent wrong answers issue 19 found, each now answered as mongod answers or refused with an
 * error naming what is unsupported: collation (matching, sorting, unique indexes), hidden indexes,
 * `let`, 64-bit and decimal numbers, hints, views, `_id: null` upserts and `$` keys inside `_id`.
 */
import fs from "node:fs";
import mongoose from "mongoose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmbeddedServer, type EmbeddedServer } from "../../../src/store/embedded/server.js";
import { tempDir } from "../../helpers/store.js";

const { Decimal128, Long } = mongoose.mongo.BSON;
let server: EmbeddedServer;
let dir: string;
let client: InstanceType<typeof mongoose.mongo.MongoClient>;
let db: ReturnType<typeof client.db>;
beforeAll(async () => {
  dir = tempDir();
  server = await startEmbeddedServer({ dataDir: dir });
  client = await new mongoose.mongo.MongoClient(server.uri).connect();
  db = client.db("sem");
});
afterAll(async () => {
  await client.close();
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await db.dropDatabase();
});

const REFUSED = /not supported by the motcua embedded store/;
/** Test documents use number and null ids, as the spec tests do. */
type TestDoc = { _id?: number | null; [field: string]: unknown };
const coll = (name: string) => db.collection<TestDoc>(name);
const ci = { locale: "en", strength: 2 } as const;

describe("embedded store collation", () => {
  it("should match, count, delete and update case-insensitively under strength 2", async () => {
    const c = coll("people");
    await c.insertMany([
      { _id: 1, name: "Nguyễn Văn An" },
      { _id: 2, name: "nguyễn văn an" },
      { _id: 3, name: "Nguyen Van An" },
    ]);
    expect(await c.countDocuments({ name: "NGUYỄN VĂN AN" }, { collation: ci })).toBe(2);
    expect(await c.countDocuments({ name: "NGUYỄN VĂN AN" })).toBe(0);
    // Strength 1 ignores accents too; Vietnamese ignores only tone marks (ễ = ê ≠ e, ă ≠ a), as ICU's vi.
    expect(
      await c.countDocuments({ name: "nguyen van an" }, { collation: { locale: "en", strength: 1 } }),
    ).toBe(3);
    expect(
      await c.countDocuments({ name: "nguyên văn an" }, { collation: { locale: "vi", strength: 1 } }),
    ).toBe(2);
    expect(
      await c.countDocuments({ name: "nguyen van ăn" }, { collation: { locale: "vi", strength: 1 } }),
    ).toBe(0);
    expect(
      (await c.updateMany({ name: "NGUYỄN VĂN AN" }, { $set: { x: 1 } }, { collation: ci })).modifiedCount,
    ).toBe(2);
    expect((await c.deleteMany({ name: "nguyen van an" }, { collation: ci })).deletedCount).toBe(1);
  });

  it("should sort by the collation (case-insensitive, numeric ordering)", async () => {
    const c = coll("files");
    await c.insertMany([{ f: "b10" }, { f: "B2" }, { f: "a1" }, { f: "A3" }]);
    const sorted = async (collation: mongoose.mongo.CollationOptions) =>
      (await c.find({}, { sort: { f: 1 }, collation, projection: { _id: 0 } }).toArray()).map(
        (d) => d.f as string,
      );
    expect(await sorted({ locale: "en", strength: 2 })).toEqual(["a1", "A3", "b10", "B2"]);
    expect(await sorted({ locale: "en", strength: 2, numericOrdering: true })).toEqual([
      "a1",
      "A3",
      "B2",
      "b10",
    ]);
    expect(await sorted({ locale: "simple" })).toEqual(["A3", "B2", "a1", "b10"]);
  });

  it("should enforce a case-insensitive unique index and keep its collation in listIndexes", async () => {
    const c = coll("staff");
    await c.createIndex({ username: 1 }, { unique: true, collation: ci });
    await c.insertOne({ username: "CanBo1" });
    await expect(c.insertOne({ username: "canbo1" })).rejects.toMatchObject({ code: 11000 });
    const indexes = (await c.listIndexes().toArray()) as Array<Record<string, unknown>>;
    const idx = indexes.find((i) => i.name === "username_1");
    expect(idx).toMatchObject({ unique: true, collation: { locale: "en", strength: 2 } });
  });

  it("should refuse what it cannot honour: other locales, strength 4, $regex under a collation", async () => {
    const c = coll("people");
    await c.insertOne({ name: "x" });
    await expect(c.find({ name: "x" }, { collation: { locale: "tr" } }).toArray()).rejects.toThrow(REFUSED);
    await expect(
      c.find({ name: "x" }, { collation: { locale: "en", strength: 4 } }).toArray(),
    ).rejects.toThrow(REFUSED);
    await expect(c.find({ name: /x/ }, { collation: ci }).toArray()).rejects.toThrow(REFUSED);
    await expect(c.aggregate([{ $group: { _id: "$name" } }], { collation: ci }).toArray()).rejects.toThrow(
      REFUSED,
    );
  });
});

describe("embedded store numbers", () => {
  it("should compare Decimal128 with doubles and sort them among numbers", async () => {
    const c = coll("n");
    await c.insertMany([
      { _id: 1, a: Decimal128.fromString("4.5") },
      { _id: 2, a: 2 },
      { _id: 3, a: 7 },
    ]);
    expect((await c.find({ a: 4.5 }).toArray()).map((d) => d._id)).toEqual([1]);
    expect((await c.find({ a: { $gt: 3 } }).toArray()).map((d) => d._id)).toEqual([1, 3]);
    expect((await c.find({}, { sort: { a: -1 } }).toArray()).map((d) => d._id)).toEqual([3, 1, 2]);
  });

  it("should refuse $sum and $inc over Decimal128 instead of dropping it", async () => {
    const c = coll("n");
    await c.insertMany([
      { _id: 1, a: Decimal128.fromString("4.5") },
      { _id: 2, a: 2 },
    ]);
    await expect(c.aggregate([{ $group: { _id: null, s: { $sum: "$a" } } }]).toArray()).rejects.toThrow(
      REFUSED,
    );
    await expect(c.updateOne({ _id: 1 }, { $inc: { a: 1 } } as never)).rejects.toThrow(REFUSED);
    expect(await c.findOne({ _id: 1 })).toMatchObject({ a: Decimal128.fromString("4.5") });
  });

  it("should add exactly beyond 2^53 and refuse a 64-bit overflow", async () => {
    const c = coll("n");
    await c.insertMany([
      { _id: 1, l: Long.fromNumber(2 ** 53) },
      { _id: 2, l: Long.MAX_VALUE },
    ]);
    await c.updateOne({ _id: 1 }, { $inc: { l: 1 } } as never);
    const one = await c.findOne({ _id: 1 }, { promoteLongs: false });
    expect(String(one?.l)).toBe("9007199254740993");
    await expect(c.updateOne({ _id: 2 }, { $inc: { l: 1 } } as never)).rejects.toMatchObject({ code: 2 });
    expect(String((await c.findOne({ _id: 2 }, { promoteLongs: false }))?.l)).toBe(Long.MAX_VALUE.toString());
    expect((await c.find({ l: { $gt: 2 ** 60 } }).toArray()).map((d) => d._id)).toEqual([2]);
  });
});

describe("embedded store options and edges", () => {
  it("should refuse a hint to a missing or hidden index and not plan with a hidden one", async () => {
    const c = coll("h");
    await c.insertMany([{ k: 1 }, { k: 2 }]);
    await c.createIndex({ k: 1 }, { hidden: true });
    expect(
      (await c.listIndexes().toArray()).find((i) => (i as { name?: string }).name === "k_1"),
    ).toMatchObject({ hidden: true });
    await expect(c.find({}).hint("nope_1").toArray()).rejects.toMatchObject({ code: 2 });
    await expect(c.find({}).hint("k_1").toArray()).rejects.toMatchObject({ code: 2 });
    await expect(c.deleteOne({ k: 1 }, { hint: { nope: 1 } })).rejects.toMatchObject({ code: 2 });
    expect(await c.countDocuments({ k: 2 })).toBe(1);
  });

  it("should evaluate let variables in find, aggregate and update", async () => {
    const c = coll("l");
    await c.insertMany([
      { _id: 1, x: "a" },
      { _id: 2, x: "b" },
    ]);
    const found = await c.find({ $expr: { $eq: ["$x", "$$want"] } }, { let: { want: "b" } }).toArray();
    expect(found.map((d) => d._id)).toEqual([2]);
    await c.updateOne({ $expr: { $eq: ["$_id", "$$id"] } }, [{ $set: { y: "$$v" } }], {
      let: { id: 1, v: { $literal: "$lit" } },
    });
    expect(await c.findOne({ _id: 1 })).toEqual({ _id: 1, x: "a", y: "$lit" });
  });

  it("should refuse views and validators, keep a null _id on upsert, and refuse $ keys inside _id", async () => {
    await expect(db.createCollection("v", { viewOn: "l", pipeline: [] })).rejects.toThrow(
      /views are not supported/,
    );
    await expect(db.createCollection("w", { validator: { a: { $type: "string" } } })).rejects.toThrow(
      REFUSED,
    );
    const c = coll("u");
    await c.updateOne({ _id: null }, { $set: { a: 1 } }, { upsert: true });
    expect(await c.find({ _id: { $type: "null" } }).toArray()).toEqual([{ _id: null, a: 1 }]);
    await expect(c.insertOne({ _id: { $a: 1 } } as never)).rejects.toMatchObject({ code: 52 });
    expect(await c.countDocuments()).toBe(1);
  });
});
