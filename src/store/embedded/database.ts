/** One database of the embedded store: its collections and its write-ahead log. */
import path from "node:path";
import { Collection, type Doc, type IndexSpec } from "./collection.js";
import { Wal, type WalRecord } from "./wal.js";

/**
 * A unit of change: the log records to append and the in-memory undo steps that restore the previous
 * state if appending fails, so memory never holds a write the disk does not.
 */
export class Tx {
  readonly records: WalRecord[] = [];
  private readonly undo: Array<() => void> = [];

  put(coll: Collection, doc: Doc): void {
    const prev = coll.put(doc);
    this.undo.push(() => {
      if (prev) coll.put(prev);
      else coll.remove(doc._id);
    });
    this.records.push({ o: "put", c: coll.name, d: doc });
  }

  remove(coll: Collection, doc: Doc): void {
    const prev = coll.remove(doc._id);
    if (!prev) return;
    this.undo.push(() => coll.put(prev));
    this.records.push({ o: "del", c: coll.name, id: doc._id });
  }

  onUndo(step: () => void, record?: WalRecord): void {
    this.undo.push(step);
    if (record) this.records.push(record);
  }

  rollback(): void {
    for (let i = this.undo.length - 1; i >= 0; i--) this.undo[i]!();
    this.undo.length = 0;
    this.records.length = 0;
  }
}

/** A database: collections in memory, every change logged before it is acknowledged. */
export class Database {
  readonly name: string;
  readonly collections = new Map<string, Collection>();
  private readonly wal: Wal;

  constructor(name: string, dataDir: string, opts: { fsync: boolean }) {
    this.name = name;
    this.wal = new Wal(path.join(dataDir, `${name}.wal`), opts);
  }

  /** Rebuilds the in-memory state from the log. */
  load(): void {
    this.wal.replay((rec) => this.applyRecord(rec));
    this.maybeCompact();
  }

  private applyRecord(rec: WalRecord): void {
    switch (rec.o) {
      case "create":
        if (!this.collections.has(rec.c))
          this.collections.set(rec.c, new Collection(this.name, rec.c, rec.opts));
        return;
      case "drop":
        this.collections.delete(rec.c);
        return;
      case "put":
        this.ensure(rec.c).put(rec.d as Doc);
        return;
      case "del":
        this.ensure(rec.c).remove(rec.id);
        return;
      case "idx": {
        const spec = rec.s as unknown as IndexSpec;
        const coll = this.ensure(rec.c);
        if (!coll.indexes.has(spec.name)) coll.addIndex(spec);
        return;
      }
      case "dropIdx":
        this.collections.get(rec.c)?.indexes.delete(rec.n);
        return;
    }
  }

  private ensure(name: string): Collection {
    let coll = this.collections.get(name);
    if (!coll) {
      coll = new Collection(this.name, name);
      this.collections.set(name, coll);
    }
    return coll;
  }

  /** The collection, created (and logged in `tx`) when missing. */
  collectionForWrite(name: string, tx: Tx): { coll: Collection; created: boolean } {
    const existing = this.collections.get(name);
    if (existing) return { coll: existing, created: false };
    const coll = new Collection(this.name, name);
    this.collections.set(name, coll);
    tx.onUndo(() => this.collections.delete(name), { o: "create", c: name });
    return { coll, created: true };
  }

  /** Creates a collection explicitly (the `create` command). */
  createCollection(name: string, opts: Record<string, unknown>, tx: Tx): Collection {
    const coll = new Collection(this.name, name, opts);
    this.collections.set(name, coll);
    tx.onUndo(() => this.collections.delete(name), { o: "create", c: name, opts });
    return coll;
  }

  dropCollection(name: string, tx: Tx): boolean {
    const coll = this.collections.get(name);
    if (!coll) return false;
    this.collections.delete(name);
    tx.onUndo(() => this.collections.set(name, coll), { o: "drop", c: name });
    return true;
  }

  /** Appends the transaction's records; on failure restores memory and rethrows. */
  commit(tx: Tx): void {
    if (tx.records.length === 0) return;
    try {
      this.wal.append(tx.records);
    } catch (err) {
      tx.rollback();
      throw err;
    }
    this.maybeCompact();
  }

  private liveRecordCount(): number {
    let n = 0;
    for (const c of this.collections.values()) n += 1 + c.docs.size + c.indexes.size;
    return n;
  }

  private maybeCompact(): void {
    if (this.wal.shouldCompact(this.liveRecordCount())) this.compact();
  }

  /** Rewrites the log so it holds only the live state. */
  compact(): void {
    const collections = [...this.collections.values()];
    function* records(): Generator<WalRecord> {
      for (const c of collections) {
        yield { o: "create", c: c.name, opts: c.options };
        for (const idx of c.indexes.values()) {
          if (idx.spec.name !== "_id_") yield { o: "idx", c: c.name, s: idx.spec };
        }
        for (const d of c.docs.values()) yield { o: "put", c: c.name, d };
      }
    }
    this.wal.rewrite(records());
  }

  /** Drops every collection and the log file. */
  destroy(): void {
    this.collections.clear();
    this.wal.destroy();
  }

  close(): void {
    this.wal.close();
  }
}
