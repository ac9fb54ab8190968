/** OA token rotation under concurrency: two replicas, one refresh, the rotated pair persisted first. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOaTokenStore, type TokenPair } from "../../../src/channels/zalo-oa/tokens.js";
import { openTestStore, type TestStore } from "../../helpers/store.js";

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore();
});
afterAll(async () => {
  await store.close();
});

describe("OA token store", () => {
  it("should let only one of several replicas refresh, and give all of them the new token", async () => {
    let calls = 0;
    let current = "rt-0";
    const refresh = async (rt: string): Promise<TokenPair> => {
      // Single use: a second refresh with the same token fails, as Zalo's does.
      if (rt !== current) throw new Error("refresh token already used");
      calls++;
      await new Promise((r) => setTimeout(r, 50));
      current = `rt-${calls}`;
      return { accessToken: `at-${calls}`, refreshToken: current, expiresInSec: 90_000 };
    };
    const replicas = Array.from({ length: 5 }, () =>
      createOaTokenStore(store.connection, { access: "at-0", refresh: "rt-0" }),
    );
    const tokens = await Promise.all(replicas.map((r) => r.forceRefresh("at-0", refresh)));
    expect(calls).toBe(1);
    expect(new Set(tokens)).toEqual(new Set(["at-1"]));
    const doc = await store.connection.collection("zalo_oa_tokens").findOne({ _id: "oa" as never });
    expect(doc).toMatchObject({ accessToken: "at-1", refreshToken: "rt-1" });
    expect(doc?.lockOwner).toBeUndefined();
  });

  it("should refresh before expiry and not otherwise", async () => {
    let t = Date.parse("2026-11-23T00:00:00Z");
    let calls = 0;
    const refresh = async (): Promise<TokenPair> => {
      calls++;
      return Promise.resolve({
        accessToken: `fresh-${calls}`,
        refreshToken: `r-${calls}`,
        expiresInSec: 3600,
      });
    };
    const s = createOaTokenStore(store.connection, { access: "x", refresh: "y" }, { now: () => new Date(t) });
    await store.connection.collection("zalo_oa_tokens").deleteMany({});
    expect(await s.accessToken(refresh)).toBe("x");
    t += 55 * 60_000; // 5 minutes before the seeded hour runs out: within the 10-minute margin
    expect(await s.accessToken(refresh)).toBe("fresh-1");
    expect(await s.accessToken(refresh)).toBe("fresh-1");
    expect(calls).toBe(1);
  });

  it("should release the lease when the refresh fails", async () => {
    await store.connection.collection("zalo_oa_tokens").deleteMany({});
    const s = createOaTokenStore(store.connection, { access: "a", refresh: "b" });
    await expect(s.forceRefresh("a", () => Promise.reject(new Error("network down")))).rejects.toThrow(
      "network down",
    );
    const doc = await store.connection.collection("zalo_oa_tokens").findOne({ _id: "oa" as never });
    expect(doc?.lockOwner).toBeUndefined();
    expect(
      await s.forceRefresh("a", () =>
        Promise.resolve({ accessToken: "c", refreshToken: "d", expiresInSec: 10 }),
      ),
    ).toBe("c");
  });
});
