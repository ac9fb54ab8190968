/**
 * The load generator of bench:inbound (a separate process): POSTs realistic Telegram updates to a
 * webhook at fixed concurrency and prints throughput and latency percentiles as JSON.
 * Args: URL SECRET N CONCURRENCY FIRST_UPDATE_ID
 */
import fs from "node:fs";
import { performance } from "node:perf_hooks";

const [url, secret, nArg, cArg, firstArg] = process.argv.slice(2);
const N = Number(nArg);
const C = Number(cArg);
let updateId = Number(firstArg);
const questions = fs.existsSync("../shared/search-dev-set.jsonl")
  ? fs
      .readFileSync("../shared/search-dev-set.jsonl", "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { q: string }).q)
  : ["lam giay khai sinh", "đăng ký kết hôn", "tách hộ khẩu"];
const folded = questions.map((q) =>
  q
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D"),
);
const taps = [
  "menu",
  "m:hot",
  "m:proc",
  "f:ho-tich:0",
  "p:1.001193",
  "m:guide",
  "g:vneid-muc-2",
  "u:phuong-hoa-an",
];

function update(i: number): unknown {
  const chat = 10_000 + (i % 2_000);
  const id = updateId++;
  const from = { id: chat, is_bot: false, first_name: "Dân", language_code: "vi" };
  const kind = i % 10;
  if (kind < 2)
    return {
      update_id: id,
      message: {
        message_id: id,
        date: 1_700_000_000,
        chat: { id: chat, type: "private" },
        from,
        text: "/start",
        entities: [{ type: "bot_command", offset: 0, length: 6 }],
      },
    };
  if (kind < 5)
    return {
      update_id: id,
      callback_query: {
        id: String(id),
        from,
        chat_instance: "1",
        data: taps[i % taps.length],
        message: { message_id: 1, date: 1_700_000_000, chat: { id: chat, type: "private" } },
      },
    };
  const text = kind < 8 ? questions[i % questions.length] : folded[i % folded.length];
  return {
    update_id: id,
    message: { message_id: id, date: 1_700_000_000, chat: { id: chat, type: "private" }, from, text },
  };
}

const bodies = Array.from({ length: N }, (_, i) => JSON.stringify(update(i)));
const lat: number[] = [];
let next = 0;
let errors = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: C }, async () => {
    while (next < N) {
      const body = bodies[next++]!;
      const t = performance.now();
      const res = await fetch(url!, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret! },
        body,
      });
      await res.arrayBuffer();
      if (res.status !== 200) errors++;
      lat.push(performance.now() - t);
    }
  }),
);
const secs = (performance.now() - started) / 1000;
lat.sort((a, b) => a - b);
const p = (q: number) => lat[Math.min(lat.length - 1, Math.floor(q * lat.length))]!;
console.log(JSON.stringify({ n: N, errors, updatesPerSec: N / secs, p50: p(0.5), p99: p(0.99) }));
