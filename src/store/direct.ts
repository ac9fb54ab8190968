/**
 * Commands run straight on the embedded store's engine when this process runs it: the same
 * collections, indexes, write-ahead log and answers as through the driver, without the wire protocol
 * in between (a round trip costs more than handling a message). Used for the hottest writes only.
 */

/** The engine of this process's embedded store, while it is open. */
export interface DirectStore {
  /** Runs one command (`{ insert: … }`, `{ find: … }`, `{ update: … }`) and returns its reply. */
  run(cmd: Record<string, unknown>): Record<string, unknown>;
  /** False once the embedded server has closed (commands must then go through the driver). */
  open(): boolean;
}

/** Runs `cmd` and returns the reply; throws when the command failed as a whole or for a document. */
export function runDirect(
  store: DirectStore,
  cmd: Record<string, unknown>,
  allowCodes: number[] = [],
): Record<string, unknown> {
  const reply = store.run(cmd);
  if (reply.ok !== 1) throw new Error(`embedded store: ${String(reply.errmsg)}`);
  const writeError = (reply.writeErrors as Array<{ code?: number; errmsg?: string }> | undefined)?.[0];
  if (writeError && !allowCodes.includes(writeError.code ?? 0))
    throw new Error(`embedded store: ${String(writeError.errmsg)}`);
  return reply;
}
