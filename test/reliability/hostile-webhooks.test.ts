/** 10,000 malformed or hostile webhook bodies: 4xx each, no crash, nothing written. */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultWebhookSecret } from "../../src/channels/telegram/index.js";
import type { TestApp } from "../helpers/app.js";
import { startAllChannels, type AllChannels } from "../helpers/channels.js";
import { TEST_TOKEN } from "../helpers/telegram.js";

let app: TestApp;

let all: AllChannels;
beforeAll(async () => {
  all = await startAllChannels({ PUBLIC_URL: "https://bot.example.gov.vn" });
  ({ app } = all);
});
afterAll(async () => {
  await all.close();
});

const hostileJson = fc.oneof(
  fc.jsonValue({ maxDepth: 6 }),
  fc.record({
    update_id: fc.oneof(fc.string(), fc.double(), fc.constant(null)),
    message: fc.anything({ maxDepth: 3 }),
  }),
  fc.record({
    event_name: fc.string(),
    message: fc.anything({ maxDepth: 3 }),
    app_id: fc.anything(),
    timestamp: fc.anything(),
  }),
  fc.record({ $where: fc.constant("sleep(1000)"), update_id: fc.constant({ $gt: 0 }) }),
);

function raw(v: unknown, mode: number): Uint8Array | string {
  if (mode === 0) return JSON.stringify(v) ?? "null";
  if (mode === 1) return `${"[".repeat(5000)}${"]".repeat(5000)}`;
  if (mode === 2) return Uint8Array.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]); // invalid UTF-8
  return (JSON.stringify(v) ?? "").slice(0, 7);
}

describe("hostile webhooks", () => {
  it("should answer 10,000 malformed, forged or hostile bodies with 4xx and write nothing", async () => {
    const conn = app.app.store.connection;
    const counts = async () =>
      Object.fromEntries(
        await Promise.all(
          ["sessions", "processed_updates", "zalo_oa_events", "subscribers", "tickets"].map(
            async (n) => [n, await conn.collection(n).countDocuments()] as const,
          ),
        ),
      );
    const before = await counts();
    const samples = fc.sample(
      fc.tuple(hostileJson, fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 2 }), fc.boolean()),
      10_000,
    );
    const secret = defaultWebhookSecret(TEST_TOKEN);
    let i = 0;
    const statuses = new Map<number, number>();
    const worker = async () => {
      while (i < samples.length) {
        const [value, mode, target, forged] = samples[i++]!;
        const path = ["/webhooks/telegram", "/webhooks/zalo-oa", "/webhooks/zalo-bot"][target]!;
        const headers: Record<string, string> = { "Content-Type": "application/json" };
        if (target === 0) headers["X-Telegram-Bot-Api-Secret-Token"] = forged ? "forged" : secret;
        if (target === 1) headers["X-ZEvent-Signature"] = `mac=${"ab".repeat(32)}`;
        if (target === 2) headers["X-Bot-Api-Secret-Token"] = forged ? "forged-secret" : "also-wrong-secret";
        const res = await fetch(`${app.url}${path}`, { method: "POST", headers, body: raw(value, mode) });
        await res.arrayBuffer();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    for (const status of statuses.keys())
      expect(status, JSON.stringify([...statuses])).toBeGreaterThanOrEqual(400);
    for (const status of statuses.keys()) expect(status).toBeLessThan(500);
    expect(await counts()).toEqual(before);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  }, 120_000);
});
