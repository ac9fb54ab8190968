/** The analytics batch writer: one write per batch, nothing lost on close, failures reported. */
import { describe, expect, it } from "vitest";
import { createBatchWriter } from "../../src/store/batch.js";

describe("batch writer", () => {
  it("should write once per interval, at once when full, and the rest on close", async () => {
    const writes: number[][] = [];
    const w = createBatchWriter<number>({
      write: (items) => {
        writes.push(items);
        return Promise.resolve();
      },
      onError: () => undefined,
      flushMs: 50,
      max: 3,
    });
    w.add(1);
    w.add(2);
    expect(writes).toEqual([]);
    await new Promise((r) => setTimeout(r, 120));
    expect(writes).toEqual([[1, 2]]);
    for (const n of [3, 4, 5, 6]) w.add(n);
    await Promise.resolve();
    expect(writes).toEqual([
      [1, 2],
      [3, 4, 5],
    ]);
    await w.close();
    expect(writes).toEqual([[1, 2], [3, 4, 5], [6]]);
  });

  it("should report a failed batch with how many items it lost, and go on", async () => {
    const lost: number[] = [];
    let fail = true;
    const written: number[] = [];
    const w = createBatchWriter<number>({
      write: (items) => {
        if (fail) return Promise.reject(new Error("store down"));
        written.push(...items);
        return Promise.resolve();
      },
      onError: (_err, n) => lost.push(n),
    });
    w.add(1);
    w.add(2);
    await w.flush();
    expect(lost).toEqual([2]);
    fail = false;
    w.add(3);
    await w.flush();
    expect(written).toEqual([3]);
  });
});
