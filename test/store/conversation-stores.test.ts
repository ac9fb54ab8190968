/** The session store's write-through cache: fewer round trips, never a stale or resurrected session. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrivacyStore, createSessionStore } from "../../src/store/conversation-stores.js";
import { sessionModel } from "../../src/store/models/session.js";
import { openTestStore, realMongoUri, type TestStore } from "../helpers/store.js";

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore();
});
afterAll(async () => {
  await store?.close();
});

describe("session store with a cache", () => {
  it("should write a changed session, skip an unchanged one, and push the expiry back after a day", async () => {
    let clock = Date.parse("2026-11-24T02:00:00Z");
    const sessions = createSessionStore(store.connection, { now: () => new Date(clock), cacheSize: 10 });
    const Sessions = sessionModel(store.connection);
    await sessions.save("telegram", "c1", { unit: "phuong-hoa-an" });
    const first = await Sessions.findById("telegram:c1").lean();
    expect(first?.data).toEqual({ unit: "phuong-hoa-an" });

    clock += 60_000;
    const got = await sessions.get("telegram", "c1");
    expect(got).toEqual({ unit: "phuong-hoa-an" });
    // The engine mutates what it gets: the cache must not change with it.
    got!.lang = "en";
    expect(await sessions.get("telegram", "c1")).toEqual({ unit: "phuong-hoa-an" });

    await sessions.save("telegram", "c1", { unit: "phuong-hoa-an" });
    expect((await Sessions.findById("telegram:c1").lean())?.expiresAt).toEqual(first?.expiresAt);

    await sessions.save("telegram", "c1", { unit: "phuong-hoa-an", lang: "en" });
    const changed = await Sessions.findById("telegram:c1").lean();
    expect(changed?.data).toEqual({ unit: "phuong-hoa-an", lang: "en" });

    clock += 25 * 3600_000;
    await sessions.save("telegram", "c1", { unit: "phuong-hoa-an", lang: "en" });
    const refreshed = await Sessions.findById("telegram:c1").lean();
    expect(refreshed!.expiresAt.getTime()).toBeGreaterThan(changed!.expiresAt.getTime());
  });

  it("should forget a deleted chat at once and keep at most cacheSize sessions in memory", async () => {
    const sessions = createSessionStore(store.connection, { cacheSize: 2 });
    const privacy = createPrivacyStore(store.connection, sessions);
    await sessions.save("zalo-oa", "u1", { unit: "xa-tan-loc" });
    await privacy.deleteChatData("zalo-oa", "u1");
    expect(await sessions.get("zalo-oa", "u1")).toBeUndefined();
    expect(await sessionModel(store.connection).findById("zalo-oa:u1").lean()).toBeNull();

    for (const id of ["a", "b", "c"]) await sessions.save("zalo-bot", id, { unit: id });
    // "a" left the cache; changed behind its back in the store, it is read from there.
    await sessionModel(store.connection).updateOne(
      { _id: "zalo-bot:a" },
      { $set: { data: { unit: "moved" } } },
    );
    expect(await sessions.get("zalo-bot", "a")).toEqual({ unit: "moved" });
  });

  it.skipIf(realMongoUri !== undefined)(
    "should write straight to the embedded engine when given it, readable through the driver, without undefined fields",
    async () => {
      const embedded = store.embedded!;
      const sessions = createSessionStore(store.connection, {
        cacheSize: 10,
        direct: {
          run: (cmd) => embedded.engine.run(store.connection.name, cmd),
          open: () => !embedded.engine.closed,
        },
      });
      await sessions.save("telegram", "direct-1", {
        unit: "phuong-hoa-an",
        lang: undefined,
        choices: ["1.001193"],
      });
      const doc = await sessionModel(store.connection).findById("telegram:direct-1").lean();
      expect(doc?.data).toEqual({ unit: "phuong-hoa-an", choices: ["1.001193"] });
      expect(doc?.expiresAt).toBeInstanceOf(Date);
      const fresh = createSessionStore(store.connection);
      expect(await fresh.get("telegram", "direct-1")).toEqual({
        unit: "phuong-hoa-an",
        choices: ["1.001193"],
      });
    },
  );
});

describe("session store without a cache", () => {
  it("should read back every field the engine keeps (a form at its first step, a paused draft, a rating, labels)", async () => {
    const sessions = createSessionStore(store.connection);
    const session = {
      unit: "phuong-hoa-an",
      lang: "vi" as const,
      lastProcedure: "1.000894",
      lastOffice: "hours" as const,
      choices: ["fb:c:thu-tuc"],
      labels: ["Thủ tục hành chính"],
      fb: { step: "category" as const, category: "", draft: "đường ngập nước", paused: true },
      rating: { id: "r1", step: "rated" as const },
    };
    await sessions.save("telegram", "full", session);
    expect(await sessions.get("telegram", "full")).toEqual(session);
  });
});
