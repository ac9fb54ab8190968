/**
 * Tests of MongoDB's CRUD suite that do not apply to a store reached through the Node driver, each
 * with a one-line reason (printed with the figures). Anything not listed here counts.
 */

/** [file (without .json), test description or "*" for the whole file, reason]. */
export const NOT_APPLICABLE: ReadonlyArray<readonly [string, string, string]> = [
  ...[
    "bulkWrite-errorResponse",
    "deleteOne-errorResponse",
    "insertOne-errorResponse",
    "updateOne-errorResponse",
  ].map((f) => [f, "*", "configureFailPoint exists only in test builds of mongod"] as const),
  ...[
    "estimatedDocumentCount errors correctly--command error",
    "estimatedDocumentCount errors correctly--socket error",
  ].map(
    (t) => ["estimatedDocumentCount", t, "configureFailPoint exists only in test builds of mongod"] as const,
  ),
  ...[
    "Aggregate with $out passes bypassDocumentValidation: false",
    "BulkWrite passes bypassDocumentValidation: false",
    "FindOneAndReplace passes bypassDocumentValidation: false",
    "FindOneAndUpdate passes bypassDocumentValidation: false",
    "InsertMany passes bypassDocumentValidation: false",
  ].map(
    (t) =>
      [
        "bypassDocumentValidation",
        t,
        "the Node driver sends bypassDocumentValidation only when true (aggregate, bulk writes, findAndModify)",
      ] as const,
  ),
  ...[
    "inserting _id with type null via insertOne",
    "inserting _id with type null via insertMany",
    "inserting _id with type null via bulkWrite",
  ].map(
    (t) =>
      [
        "create-null-ids",
        t,
        "the Node driver replaces _id: null with a new ObjectId before sending",
      ] as const,
  ),
];

/** The reason a test does not apply, or undefined when it counts. */
export function notApplicable(file: string, test: string): string | undefined {
  return NOT_APPLICABLE.find(([f, t]) => f === file && (t === "*" || t === test))?.[2];
}
