/** The `processed_updates` collection: platform update ids already handled (dedupe), kept 3 days. */
import { Schema, type Connection, type Model } from "mongoose";

export interface ProcessedUpdateDoc {
  _id: string;
  at: Date;
}

const schema = new Schema<ProcessedUpdateDoc>(
  { _id: { type: String, required: true }, at: { type: Date, required: true } },
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

/**
 * Records an update as seen; resolves false when it was seen before (a redelivery), e.g.
 * `if (!(await markProcessed(model, "telegram:123"))) return;`.
 */
export async function markProcessed(
  model: Model<ProcessedUpdateDoc>,
  key: string,
  at = new Date(),
): Promise<boolean> {
  try {
    await model.create({ _id: key, at });
    return true;
  } catch (err) {
    if ((err as { code?: number }).code === 11000) return false;
    throw err;
  }
}
