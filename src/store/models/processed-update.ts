/**
 * The `processed_updates` collection: platform updates being or already handled (dedupe), kept 3 days.
 * An update is marked `processing` before it is handled and `done` after, so a redelivery of a handled
 * update is skipped, while one whose handler died (kill -9) is taken over once it is stale.
 */
import { Schema, type Connection, type Model } from "mongoose";
import { trusted } from "../trusted.js";

export interface ProcessedUpdateDoc {
  _id: string;
  state: "processing" | "done";
  at: Date;
}

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
    conn.model<ProcessedUpdateDoc>("ProcessedUpdate", schema, "processed_updates")
  );
}

/** How long a `processing` mark is honoured before another attempt may take the update over. */
export const PROCESSING_STALE_MS = 10_000;

/**
 * Claims an update for handling: `new` (handle it, then {@link finishUpdate}), `done` (a redelivery of
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

/** Marks a handled update done. */
export async function finishUpdate(model: Model<ProcessedUpdateDoc>, key: string): Promise<void> {
  await model.updateOne({ _id: key }, { $set: { state: "done" } });
}
