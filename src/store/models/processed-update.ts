/**
 * The `processed_updates` collection: platform updates being or already handled (dedupe), kept 3 days.
 * An update is marked `processing` before it is handled and `done` after, so a redelivery of a handled
 * update is skipped, while one whose handler died (kill -9) is taken over once it is stale.
 */
import { Schema, type Connection, type Model } from "mongoose";
import { runDirect, type DirectStore } from "../direct.js";
import { trusted } from "../trusted.js";

export interface ProcessedUpdateDoc {
  _id: string;
  state: "processing" | "done";
  at: Date;
}

const COLLECTION = "processed_updates";

const schema = new Schema<ProcessedUpdateDoc>(
  {
    _id: { type: String, required: true },
    state: { type: String, enum: ["processing", "done"], default: "done" },
    at: { type: Date, required: true },
  },
  { versionKey: false, strictQuery: true },
);
schema.index({ at: 1 }, { expireAfterSeconds: 3 * 24 * 3600 });

/** Registers (once) and returns the model on `conn`. */
export function processedUpdateModel(conn: Connection): Model<ProcessedUpdateDoc> {
  return (
    (conn.models.ProcessedUpdate as Model<ProcessedUpdateDoc> | undefined) ??
    conn.model<ProcessedUpdateDoc>("ProcessedUpdate", schema, COLLECTION)
  );
}

/** How long a `processing` mark is honoured before another attempt may take the update over. */
export const PROCESSING_STALE_MS = 10_000;

/**
 * Claims an update for handling: `new` (handle it, then mark it done), `done` (a redelivery of
 * a handled update: skip), or `busy` (another attempt is handling it right now: ask to retry later).
 */
export async function beginUpdate(
  model: Model<ProcessedUpdateDoc>,
  key: string,
  now = new Date(),
): Promise<"new" | "done" | "busy"> {
  try {
    await model.create({ _id: key, state: "processing", at: now });
    return "new";
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err;
  }
  const existing = await model.findById(key).lean();
  if (!existing || existing.state === "done") return "done";
  // The attempt that marked it died (or hangs): take it over, once.
  const taken = await model.updateOne(
    { _id: key, state: "processing", at: trusted({ $lt: new Date(now.getTime() - PROCESSING_STALE_MS) }) },
    { $set: { at: now } },
  );
  return taken.modifiedCount === 1 ? "new" : "busy";
}

/** Claims and completions of updates, written in group commits. */
export interface UpdateMarks {
  /** As {@link beginUpdate}. */
  begin(key: string): Promise<"new" | "done" | "busy">;
  /** Marks a handled update done. */
  finish(key: string): Promise<void>;
}

interface Waiter<T> {
  key: string;
  resolve: (v: T) => void;
  reject: (err: unknown) => void;
}

/** Collects calls made in one turn of the event loop and runs them as one operation. */
function groupCommit<T>(run: (batch: Array<Waiter<T>>) => Promise<void>) {
  let pending: Array<Waiter<T>> = [];
  return (key: string) =>
    new Promise<T>((resolve, reject) => {
      pending.push({ key, resolve, reject });
      if (pending.length > 1) return;
      setImmediate(() => {
        const batch = pending;
        pending = [];
        run(batch).catch((err: unknown) => {
          for (const w of batch) w.reject(err);
        });
      });
    });
}

/**
 * The same protocol as {@link beginUpdate} (then a `done` mark), but the claims (and the
 * completions) of the updates arriving together are written in one `insertMany` (one `updateMany`):
 * two store round trips per burst instead of two per update, with the same guarantees. A key already
 * present falls back to the one-by-one path (redelivery, takeover of a stale claim).
 */
export function createUpdateMarks(
  model: Model<ProcessedUpdateDoc>,
  now: () => Date = () => new Date(),
): UpdateMarks {
  const begin = groupCommit<"new" | "done" | "busy">(async (batch) => {
    const at = now();
    const failed = new Map<number, { code?: number }>();
    try {
      await model.insertMany(
        batch.map((w) => ({ _id: w.key, state: "processing" as const, at })),
        { ordered: false, lean: true },
      );
    } catch (err) {
      // Only a bulk-write error names the documents that failed; anything else (the store is down)
      // fails them all.
      const writeErrors = [(err as { writeErrors?: unknown }).writeErrors ?? []].flat() as Array<{
        index?: unknown;
        code?: number;
      }>;
      if (!writeErrors.length || writeErrors.some((we) => typeof we.index !== "number")) throw err;
      for (const we of writeErrors) failed.set(we.index as number, we);
    }
    batch.forEach((w, i) => {
      const problem = failed.get(i);
      if (!problem) w.resolve("new");
      else if (problem.code === 11000) beginUpdate(model, w.key, at).then(w.resolve, w.reject);
      else w.reject(Object.assign(new Error("could not mark an update"), { cause: problem }));
    });
  });
  const finish = groupCommit<void>(async (batch) => {
    await model.updateMany({ _id: trusted({ $in: batch.map((w) => w.key) }) }, { $set: { state: "done" } });
    for (const w of batch) w.resolve();
  });
  return { begin, finish };
}

/**
 * The same claims and completions written straight to the embedded store's engine when this process
 * runs it: the same collection, indexes, write-ahead log and answers, without the driver and the wire
 * protocol in between (which cost more than the rest of handling a message). When the engine has
 * closed, `fallback` (the driver path) answers, so a store that is down is reported as down.
 */
export function createDirectUpdateMarks(
  store: DirectStore,
  fallback: UpdateMarks,
  now: () => Date = () => new Date(),
): UpdateMarks {
  return {
    begin(key) {
      if (!store.open()) return fallback.begin(key);
      try {
        const at = now();
        const inserted = runDirect(
          store,
          { insert: COLLECTION, documents: [{ _id: key, state: "processing", at }] },
          [11000],
        );
        if (!inserted.writeErrors) return Promise.resolve("new");
        const found = runDirect(store, { find: COLLECTION, filter: { _id: key }, limit: 1 });
        const existing = (found.cursor as { firstBatch: Array<{ state?: string }> }).firstBatch[0];
        if (!existing || existing.state === "done") return Promise.resolve("done");
        // The attempt that marked it died (or hangs): take it over, once.
        const taken = runDirect(store, {
          update: COLLECTION,
          updates: [
            {
              q: { _id: key, state: "processing", at: { $lt: new Date(at.getTime() - PROCESSING_STALE_MS) } },
              u: { $set: { at } },
            },
          ],
        });
        return Promise.resolve(taken.nModified === 1 ? "new" : "busy");
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
    },
    finish(key) {
      if (!store.open()) return fallback.finish(key);
      try {
        runDirect(store, {
          update: COLLECTION,
          updates: [{ q: { _id: key }, u: { $set: { state: "done" } } }],
        });
        return Promise.resolve();
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
    },
  };
}
