/**
 * Buffers fire-and-forget analytics writes (the query log, view counters) and writes them in one
 * round trip every `flushMs` or `max` items: one store operation per batch instead of one per message.
 * A crash loses at most the last interval of analytics, never a citizen's data or a reply.
 */
export interface BatchWriter<T> {
  add(item: T): void;
  /** Writes what is buffered now (also on close). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** Creates a writer, e.g. `createBatchWriter({ write: (docs) => Model.insertMany(docs), onError })`. */
export function createBatchWriter<T>(opts: {
  write(items: T[]): Promise<unknown>;
  onError(err: unknown, lost: number): void;
  flushMs?: number;
  max?: number;
}): BatchWriter<T> {
  const flushMs = opts.flushMs ?? 250;
  const max = opts.max ?? 500;
  let buffer: T[] = [];
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!buffer.length) return inFlight;
    const items = buffer;
    buffer = [];
    inFlight = inFlight.then(() =>
      opts.write(items).then(
        () => undefined,
        (err: unknown) => opts.onError(err, items.length),
      ),
    );
    return inFlight;
  }

  return {
    add(item) {
      buffer.push(item);
      if (buffer.length >= max) void flush();
      else timer ??= setTimeout(() => void flush(), flushMs).unref();
    },
    flush,
    close: flush,
  };
}
