/**
 * Marks a query operator object as ours. The connection runs with `sanitizeFilter`, which neutralises
 * any `$`-operator object in a filter (NoSQL injection from request data); operators the code writes
 * itself are wrapped with this, e.g. `{ attempts: trusted({ $lt: 5 }) }`.
 */
import mongoose from "mongoose";

export function trusted(operators: Record<string, unknown>): never {
  // Typed `never` so it fits any field's condition type; at run time it is the marked object.
  return mongoose.trusted(operators) as never;
}
