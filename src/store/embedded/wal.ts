/**
 * Crash-safe persistence for one database: an append-only write-ahead log of framed BSON records.
 *
 * Frame: u32 LE payload length, u32 LE CRC-32 of the payload, payload (one BSON document). A record is
 * written with one write(2) before the client is answered, so a kill -9 after the answer cannot lose it
 * (the bytes are in the OS page cache); with `fsync` on, they also survive power loss. A torn frame at the
 * tail (crash mid-write) fails its length or CRC check and is cut off on the next start. Compaction
 * writes a fresh log to a temporary file, fsyncs it and renames it over the old one.
 */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { BSON } from "bson";

/** One logged change. */
export type WalRecord =
  | { o: "create"; c: string; opts?: Record<string, unknown> }
  | { o: "drop"; c: string }
  | { o: "put"; c: string; d: Record<string, unknown> }
  | { o: "del"; c: string; id: unknown }
  | { o: "idx"; c: string; s: Record<string, unknown> }
  | { o: "dropIdx"; c: string; n: string };

const HEADER = 8;

/** BSON options that keep stored values as the application wrote them. */
export const BSON_READ = { promoteBuffers: false, promoteValues: true, promoteLongs: true } as const;

function frame(rec: WalRecord): Buffer {
  const payload = BSON.serialize(rec, { ignoreUndefined: true, checkKeys: false });
  const out = Buffer.allocUnsafe(HEADER + payload.length);
  out.writeUInt32LE(payload.length, 0);
  out.writeUInt32LE(zlib.crc32(payload), 4);
  out.set(payload, HEADER);
  return out;
}

/** The write-ahead log of one database file. */
export class Wal {
  readonly file: string;
  private fd: number | undefined;
  private readonly fsync: boolean;
  /** Records appended since the last compaction; drives {@link shouldCompact}. */
  recordsSinceCompaction = 0;
  bytes = 0;

  constructor(file: string, opts: { fsync: boolean }) {
    this.file = file;
    this.fsync = opts.fsync;
  }

  /** Reads every intact record in order, truncating a torn tail; then opens the log for appending. */
  replay(apply: (rec: WalRecord) => void): number {
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    let count = 0;
    if (fs.existsSync(this.file)) {
      // Read in chunks so a large log does not have to fit in memory twice.
      const fd = fs.openSync(this.file, "r");
      const size = fs.fstatSync(fd).size;
      const CHUNK = 4 * 1024 * 1024;
      let buf = Buffer.alloc(0);
      let filePos = 0;
      let off = 0; // absolute offset of buf[0]
      let good = 0;
      try {
        for (;;) {
          if (buf.length < HEADER || buf.length < HEADER + buf.readUInt32LE(0)) {
            if (filePos >= size) break;
            const want =
              buf.length >= HEADER ? Math.max(CHUNK, HEADER + buf.readUInt32LE(0) - buf.length) : CHUNK;
            const chunk = Buffer.allocUnsafe(Math.min(want, size - filePos));
            const n = fs.readSync(fd, chunk, 0, chunk.length, filePos);
            filePos += n;
            buf = buf.length ? Buffer.concat([buf, chunk.subarray(0, n)]) : chunk.subarray(0, n);
            continue;
          }
          const len = buf.readUInt32LE(0);
          const crc = buf.readUInt32LE(4);
          const payload = buf.subarray(HEADER, HEADER + len);
          if (zlib.crc32(payload) !== crc) break;
          apply(BSON.deserialize(payload, BSON_READ) as WalRecord);
          buf = buf.subarray(HEADER + len);
          off += HEADER + len;
          good = off;
          count++;
        }
      } finally {
        fs.closeSync(fd);
      }
      if (good < size) fs.truncateSync(this.file, good);
      this.bytes = good;
    }
    this.fd = openPrivate(this.file, "a");
    this.recordsSinceCompaction = count;
    return count;
  }

  /** Appends records with a single write; throws (and writes nothing usable) on I/O failure. */
  append(records: WalRecord[]): void {
    if (records.length === 0) return;
    if (this.fd === undefined) throw new Error(`write-ahead log ${this.file} is not open`);
    const buf = records.length === 1 ? frame(records[0]!) : Buffer.concat(records.map(frame));
    let written = 0;
    while (written < buf.length) written += fs.writeSync(this.fd, buf, written);
    if (this.fsync) fs.fsyncSync(this.fd);
    this.recordsSinceCompaction += records.length;
    this.bytes += buf.length;
  }

  /** Whether the log holds enough superseded records that rewriting it is worthwhile. */
  shouldCompact(liveRecords: number): boolean {
    return this.recordsSinceCompaction > 10_000 && this.recordsSinceCompaction > liveRecords * 2;
  }

  /** Replaces the log with exactly `records` (temp file, fsync, atomic rename, fsync of the directory). */
  rewrite(records: Iterable<WalRecord>): void {
    const tmp = `${this.file}.tmp`;
    const fd = openPrivate(tmp, "w");
    let count = 0;
    let bytes = 0;
    try {
      let chunk: Buffer[] = [];
      let size = 0;
      for (const rec of records) {
        const f = frame(rec);
        chunk.push(f);
        size += f.length;
        count++;
        if (size > 4 * 1024 * 1024) {
          fs.writeSync(fd, Buffer.concat(chunk));
          bytes += size;
          chunk = [];
          size = 0;
        }
      }
      if (chunk.length) fs.writeSync(fd, Buffer.concat(chunk));
      bytes += size;
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    if (this.fd !== undefined) fs.closeSync(this.fd);
    fs.renameSync(tmp, this.file);
    syncDir(path.dirname(this.file));
    this.fd = openPrivate(this.file, "a");
    this.recordsSinceCompaction = count;
    this.bytes = bytes;
  }

  /** Removes the log file (dropDatabase). */
  destroy(): void {
    this.close();
    fs.rmSync(this.file, { force: true });
  }

  close(): void {
    if (this.fd !== undefined) {
      fs.closeSync(this.fd);
      this.fd = undefined;
    }
  }
}

/** Opens a file readable and writable by its owner only (0600), whatever the umask or its old mode. */
function openPrivate(file: string, flags: "a" | "w"): number {
  const fd = fs.openSync(file, flags, 0o600);
  fs.fchmodSync(fd, 0o600);
  return fd;
}

function syncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, "r");
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Some filesystems refuse fsync on directories; the rename itself is still atomic.
  }
}
