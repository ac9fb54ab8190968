/** Faults survived: the store going away while updates arrive, and a platform answering garbage. */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultWebhookSecret } from "../../src/channels/telegram/index.js";
import { startEmbeddedServer } from "../../src/store/embedded/server.js";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { TEST_TOKEN } from "../helpers/telegram.js";
import { startLimitedTelegram, type LimitedTelegram } from "../emulators/telegram-limits.js";

const secret = defaultWebhookSecret(TEST_TOKEN);
let seq = 900_000;
const update = (chat: number, text: string) => ({
  update_id: seq++,
  message: {
    message_id: seq,
    date: 1_700_000_000,
    chat: { id: chat, type: "private" },
    from: { id: chat, is_bot: false },
    text,
  },
});
const post = (app: TestApp, body: unknown) =>
  fetch(`${app.url}/webhooks/telegram`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret },
    body: JSON.stringify(body),
  });

describe("store outage", () => {
  let api: LimitedTelegram;
  let app: TestApp;
  beforeAll(async () => {
    api = await startLimitedTelegram({ ratePerSec: 1000 });
    app = await startTestApp({
      TELEGRAM_BOT_TOKEN: TEST_TOKEN,
      TELEGRAM_API_ROOT: api.url,
      PUBLIC_URL: "https://bot.example.gov.vn",
    });
  });
  afterAll(async () => {
    await app.close();
    await api.close();
  });

  it("should refuse updates with 503 while the store is down, then handle the redelivery once it is back", async () => {
    const embedded = app.app.store.embedded!;
    await embedded.close();
    const u = update(7700, "dang ky tam tru");
    expect((await fetch(`${app.url}/readyz`)).status).toBe(503);
    const refused = await post(app, u);
    expect(refused.status).toBe(503);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);

    // The store comes back on the same socket (the same data directory); the driver reconnects by itself.
    const again = await startEmbeddedServer({ dataDir: app.app.config.dataDir });
    try {
      const deadline = Date.now() + 20_000;
      while ((await fetch(`${app.url}/readyz`)).status !== 200 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 200));
      expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
      expect((await post(app, u)).status).toBe(200);
      expect(api.received.filter((r) => r.chatId === "7700")).toHaveLength(1);
      expect(api.received[0]?.text).toContain("Đăng ký tạm trú");
      expect((await post(app, u)).status).toBe(200);
      expect(api.received.filter((r) => r.chatId === "7700")).toHaveLength(1);
    } finally {
      await app.app.store.connection.close();
      await again.close();
    }
  }, 40_000);
});

describe("platform misbehaving", () => {
  it("should keep answering webhooks when sendMessage gets garbage, 502s and dropped connections", async () => {
    let n = 0;
    let healthy = false;
    const sent: string[] = [];
    const server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (d: Buffer) => (body += d.toString()));
      req.on("end", () => {
        const ok = (result: unknown) => {
          res.writeHead(200, { "Content-Type": "application/json" });
          res.end(JSON.stringify({ ok: true, result }));
        };
        if (!req.url?.endsWith("/sendMessage"))
          return ok(
            req.url?.endsWith("/getMe") ? { id: 1, is_bot: true, first_name: "b", username: "b" } : true,
          );
        if (healthy) {
          sent.push(body);
          return ok({ message_id: 1, date: 0, chat: { id: 1, type: "private" } });
        }
        const kind = n++ % 3;
        if (kind === 0) {
          res.writeHead(200, { "Content-Type": "application/json" });
          res.end("<html>not json");
        } else if (kind === 1) {
          res.writeHead(502);
          res.end("Bad gateway");
        } else res.destroy();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const app = await startTestApp({
      TELEGRAM_BOT_TOKEN: TEST_TOKEN,
      TELEGRAM_API_ROOT: apiRoot,
      PUBLIC_URL: "https://bot.example.gov.vn",
    });
    try {
      // Each reply is retried with capped backoff (about 15 s in all) before it is given up.
      const statuses = await Promise.all(
        Array.from({ length: 6 }, (_, i) => post(app, update(7800 + i, "khai sinh")).then((r) => r.status)),
      );
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
      expect(n).toBeGreaterThan(6);
      expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
      healthy = true;
      expect((await post(app, update(7900, "khai sinh"))).status).toBe(200);
      expect(sent.some((b) => b.includes("Đăng ký khai sinh"))).toBe(true);
    } finally {
      await app.close();
      server.closeAllConnections();
      server.close();
    }
  }, 60_000);
});
