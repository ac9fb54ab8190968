/** Update claims written in group commits keep the one-by-one protocol's answers. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import { Engine } from "../../src/store/embedded/engine.js";
import {
  createDirectUpdateMarks,
  createUpdateMarks,
  processedUpdateModel,
  type UpdateMarks,
} from "../../src/store/models/processed-update.js";
import { trusted } from "../../src/store/trusted.js";
import { openTestStore, tempDir, type TestStore } from "../helpers/store.js";

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore();
  await processedUpdateModel(store.connection).init();
});
afterAll(async () => {
  await store?.close();
});

describe("update marks in group commits", () => {
  it("should claim a burst of new updates together, and tell a redelivery in the same burst it is busy", async () => {
    const model = processedUpdateModel(store.connection);
    const marks = createUpdateMarks(model);
    const keys = Array.from({ length: 20 }, (_, i) => `test:burst:${i}`);
    const answers = await Promise.all([...keys, "test:burst:3"].map((k) => marks.begin(k)));
    expect(answers.slice(0, 20)).toEqual(keys.map(() => "new"));
    expect(answers[20]).toBe("busy");
    expect(await model.countDocuments({ _id: trusted({ $in: keys }), state: "processing" })).toBe(20);
    await Promise.all(keys.slice(0, 10).map((k) => marks.finish(k)));
    expect(await model.countDocuments({ _id: trusted({ $in: keys }), state: "done" })).toBe(10);
    // A redelivery of a finished update is skipped; one of an unfinished (fresh) one is busy.
    expect(await Promise.all([marks.begin("test:burst:0"), marks.begin("test:burst:15")])).toEqual([
      "done",
      "busy",
    ]);
  });

  it("should let a stale claim (its handler died) be taken over once", async () => {
    const model = processedUpdateModel(store.connection);
    await model.create({ _id: "test:stale", state: "processing", at: new Date(Date.now() - 60_000) });
    const marks = createUpdateMarks(model);
    expect(await Promise.all([marks.begin("test:stale"), marks.begin("test:fresh")])).toEqual(["new", "new"]);
    expect(await marks.begin("test:stale")).toBe("busy");
  });
});

describe("update marks written straight to the embedded engine", () => {
  it("should give the driver path's answers, persist the marks, and hand over to the driver once the engine closes", async () => {
    const dir = tempDir("motcua-marks-");
    const engine = new Engine({ dataDir: dir, fsync: false });
    const fallbackCalls: string[] = [];
    const fallback: UpdateMarks = {
      begin: (k) => {
        fallbackCalls.push(`begin ${k}`);
        return Promise.reject(new Error("store down"));
      },
      finish: (k) => {
        fallbackCalls.push(`finish ${k}`);
        return Promise.resolve();
      },
    };
    let clock = Date.parse("2026-11-24T02:00:00Z");
    const marks = createDirectUpdateMarks(
      { run: (cmd) => engine.run("motcua", cmd), open: () => !engine.closed },
      fallback,
      () => new Date(clock),
    );
    try {
      expect(await marks.begin("telegram:1")).toBe("new");
      expect(await marks.begin("telegram:1")).toBe("busy");
      await marks.finish("telegram:1");
      expect(await marks.begin("telegram:1")).toBe("done");
      expect(await marks.begin("telegram:2")).toBe("new");
      // Its handler died: after the stale time another attempt takes it over, once.
      clock += 11_000;
      expect(await marks.begin("telegram:2")).toBe("new");
      expect(await marks.begin("telegram:2")).toBe("busy");
      const stored = engine.run("motcua", { find: "processed_updates", filter: {} }) as {
        cursor: { firstBatch: Array<{ _id: string; state: string }> };
      };
      expect(stored.cursor.firstBatch.map((d) => [d._id, d.state])).toEqual([
        ["telegram:1", "done"],
        ["telegram:2", "processing"],
      ]);
      engine.close();
      await expect(marks.begin("telegram:3")).rejects.toThrow("store down");
      expect(fallbackCalls).toEqual(["begin telegram:3"]);
    } finally {
      engine.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
