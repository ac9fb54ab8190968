/** Loading content into the store: idempotent, nothing deleted silently, read back intact; query log. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readContentDir } from "../../src/content/loader.js";
import { createContentService } from "../../src/content/service.js";
import { readContentFromStore, syncContent } from "../../src/content/store.js";
import type { ContentBundle } from "../../src/content/schemas.js";
import { createLogger } from "../../src/logger.js";
import { contentModels } from "../../src/store/models/content.js";
import { queryLogModel, scrubQuery } from "../../src/store/models/query-log.js";
import { openTestStore, type TestStore } from "../helpers/store.js";

let store: TestStore;
let bundle: ContentBundle;
beforeAll(async () => {
  store = await openTestStore();
  const r = readContentDir("content");
  if (!r.ok) throw new Error("content invalid");
  bundle = r.bundle;
});
afterAll(async () => {
  await store.close();
});

describe("syncContent", () => {
  it("should create everything once, then change nothing on a second load", async () => {
    const models = contentModels(store.connection);
    const first = await syncContent(bundle, models);
    expect(first.created.length).toBe(
      bundle.procedures.length +
        bundle.units.length +
        bundle.hotlines.length +
        bundle.referrals.length +
        bundle.fields.length +
        bundle.guides.length +
        bundle.faqs.length +
        bundle.articles.length +
        3,
    );
    const before = await models.procedures.findOne({ key: "1.001193" }).lean();
    const second = await syncContent(bundle, models);
    expect(second).toMatchObject({ created: [], updated: [], removed: [] });
    const after = await models.procedures.findOne({ key: "1.001193" }).lean();
    expect(after?.updatedAt.getTime()).toBe(before?.updatedAt.getTime());
  });

  it("should update a changed item and report, not delete, an item gone from the files", async () => {
    const models = contentModels(store.connection);
    const changed = {
      ...bundle,
      procedures: bundle.procedures
        .filter((p) => p.code !== "1.010038")
        .map((p) => (p.code === "1.001193" ? { ...p, fee: "Miễn lệ phí." } : p)),
    };
    const dry = await syncContent(changed, models, { dryRun: true });
    expect(dry.updated).toEqual(["procedures/1.001193"]);
    expect((await models.procedures.findOne({ key: "1.001193" }).lean())?.data.fee).not.toBe("Miễn lệ phí.");
    const real = await syncContent(changed, models);
    expect(real.updated).toEqual(["procedures/1.001193"]);
    expect(real.removed).toEqual(["procedures/1.010038"]);
    expect(await models.procedures.countDocuments({ key: "1.010038" })).toBe(1);
    await syncContent(bundle, models);
  });

  it("should read back what was loaded", async () => {
    const { bundle: back, problems } = await readContentFromStore(contentModels(store.connection));
    expect(problems).toEqual([]);
    expect(back?.procedures.find((p) => p.code === "1.000894")).toEqual(
      bundle.procedures.find((p) => p.code === "1.000894"),
    );
    expect(back?.dictionary).toEqual(bundle.dictionary);
  });
});

describe("content service", () => {
  it("should search the store's content and log the query without personal data", async () => {
    const svc = createContentService({
      connection: store.connection,
      logger: createLogger({ level: "silent" }),
      contentDir: "content",
    });
    await svc.start();
    const res = await svc.search("dk ket hon, sdt 0912 345 678", {
      channel: "telegram",
      unit: "phuong-hoa-an",
    });
    expect(res.hits[0]?.id).toBe("1.000894");
    await svc.flushLog();
    const logged = await queryLogModel(store.connection).findOne({ channel: "telegram" }).lean();
    expect(logged).toMatchObject({ q: "dk ket hon, sdt #", unit: "phuong-hoa-an", level: res.level });
    expect(logged?.hits[0]?.id).toBe("1.000894");
  });

  it("should mask numbers, e-mails and links but keep procedure codes", () => {
    expect(scrubQuery("gọi 0912345678 hoặc a.b@gmail.com, xem https://x.vn/a?b=1 về 1.001193")).toBe(
      "gọi # hoặc @, xem <link> về 1.001193",
    );
  });
});
