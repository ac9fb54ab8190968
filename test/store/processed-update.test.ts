/** Update claims written in group commits keep the one-by-one protocol's answers. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUpdateMarks, processedUpdateModel } from "../../src/store/models/processed-update.js";
import { trusted } from "../../src/store/trusted.js";
import { openTestStore, type TestStore } from "../helpers/store.js";

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
