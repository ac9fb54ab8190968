/** Zalo OA: signatures on raw bytes, stale and foreign events, replays, follow/unfollow, tokens, errors. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classify } from "../../../src/channels/zalo-oa/client.js";
import { subscriberModel } from "../../../src/store/models/subscriber.js";
import { zaloOaEventModel } from "../../../src/store/models/zalo-oa-event.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import {
  oaFollowEvent,
  oaTextEvent,
  startZaloOaEmulator,
  type ZaloOaEmulator,
  oaEnv,
} from "../../emulators/zalo-oa.js";

let oa: ZaloOaEmulator;
let app: TestApp;
let hook: string;

beforeAll(async () => {
  oa = await startZaloOaEmulator();
  app = await startTestApp({
    ...oaEnv(oa),
  });
  hook = `${app.url}/webhooks/zalo-oa`;
});
afterAll(async () => {
  await app.close();
  await oa.close();
});

async function repliesTo(userId: string, min = 1, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (oa.messagesTo(userId).length < min && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 150));
  return oa.messagesTo(userId);
}

let uid = 1;
const user = () => `7${String(Date.now()).slice(-9)}${uid++}`;

describe("Zalo OA webhook authenticity", () => {
  it("should accept a correctly signed event and reply through the Open API", async () => {
    const u = user();
    const res = await oa.deliver(hook, oaTextEvent(oa.appId, u, "dang ky ket hon"));
    expect(res.status).toBe(200);
    const sent = await repliesTo(u);
    expect(sent[0]?.text).toContain("Đăng ký kết hôn (mã 1.000894)");
    expect(sent[0]?.text).not.toContain("**");
    expect(sent[0]?.buttons.length).toBeLessThanOrEqual(5);
    expect(sent[0]?.buttons.some((b) => b.type === "oa.query.show" && b.payload === "ps:1.000894")).toBe(
      true,
    );
  });

  it("should reject forged, tampered, unsigned, stale and foreign events and store none of them", async () => {
    const Events = zaloOaEventModel(app.app.store.connection);
    const before = await Events.countDocuments();
    const u = user();
    const cases: Array<[number, Promise<Response>]> = [
      [401, oa.deliver(hook, oaTextEvent(oa.appId, u, "xin chào"), { secretKey: "not-the-secret" })],
      [
        401,
        oa.deliver(hook, oaTextEvent(oa.appId, u, "xin chào"), {
          tamper: (raw) => raw.replace("xin chào", "xin chao"),
        }),
      ],
      [401, oa.deliver(hook, oaTextEvent(oa.appId, u, "xin chào"), { header: "" })],
      [401, oa.deliver(hook, oaTextEvent(oa.appId, u, "xin chào"), { header: "mac=zz" })],
      [403, oa.deliver(hook, oaTextEvent(oa.appId, u, "xin chào", Date.now() - 3600_000))],
      [403, oa.deliver(hook, oaTextEvent("999", u, "xin chào"))],
    ];
    for (const [status, pending] of cases) expect((await pending).status).toBe(status);
    expect(await Events.countDocuments()).toBe(before);
    expect(oa.messagesTo(u)).toEqual([]);
  });

  it("should answer malformed and oversized bodies with 4xx", async () => {
    const post = (body: string) =>
      fetch(hook, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-ZEvent-Signature": "mac=00" },
        body,
      });
    expect((await post("{oops")).status).toBe(400);
    expect((await post("")).status).toBe(400);
    expect((await post(JSON.stringify({ app_id: 5 }))).status).toBe(400);
    expect((await post("x".repeat(400_000))).status).toBe(413);
  });

  it("should handle a redelivered event once", async () => {
    const u = user();
    const event = oaTextEvent(oa.appId, u, "tach ho");
    expect((await oa.deliver(hook, event)).status).toBe(200);
    const second = await oa.deliver(hook, event);
    expect(second.status).toBe(200);
    expect(await second.json()).toMatchObject({ duplicate: true });
    expect(await repliesTo(u)).toHaveLength(1);
  });
});

describe("Zalo OA followers", () => {
  it("should subscribe a follower (with recorded consent) and greet them; unfollow stops everything", async () => {
    const Subs = subscriberModel(app.app.store.connection);
    const u = user();
    expect((await oa.deliver(hook, oaFollowEvent(oa.appId, u, "follow"))).status).toBe(200);
    const sent = await repliesTo(u);
    expect(sent[0]?.text).toContain("Xin chào!");
    const sub = await Subs.findOne({ channel: "zalo-oa", chatId: u }).lean();
    expect(sub).toMatchObject({ active: true, consent: { version: "zalo-oa-follow-2026-11" } });
    expect(sub?.topics.length).toBeGreaterThan(0);
    expect((await oa.deliver(hook, oaFollowEvent(oa.appId, u, "unfollow"))).status).toBe(200);
    const deadline = Date.now() + 3_000;
    while ((await Subs.countDocuments({ channel: "zalo-oa", chatId: u })) > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(await Subs.countDocuments({ channel: "zalo-oa", chatId: u })).toBe(0);
  });

  it("should reply to a photo with a text-only notice and store no submitted contact info", async () => {
    const u = user();
    const photo = {
      ...oaTextEvent(oa.appId, u, "x"),
      event_name: "user_send_image",
      message: {
        msg_id: `img-${u}`,
        attachments: [{ type: "image", payload: { url: "https://example.com/a.jpg" } }],
      },
    };
    expect((await oa.deliver(hook, photo)).status).toBe(200);
    expect((await repliesTo(u))[0]?.text).toContain("chỉ đọc được tin nhắn chữ");
    const info = {
      app_id: oa.appId,
      event_name: "user_submit_info",
      sender: { id: u },
      info: { name: "Nguyễn Văn A", phone: "0900000000" },
      timestamp: String(Date.now()),
    };
    expect((await oa.deliver(hook, info)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    const Events = zaloOaEventModel(app.app.store.connection);
    const stored = await Events.find({ _id: new RegExp(`user_submit_info:${u}`) }).lean();
    expect(stored.every((e) => e.body === undefined)).toBe(true);
    const dump = JSON.stringify(await Events.find({}).lean());
    expect(dump).not.toContain("0900000000");
  });
});

describe("Zalo OA tokens and errors", () => {
  it("should refresh the access token on -216, persist the rotated pair, and deliver the reply", async () => {
    const u = user();
    const calls = oa.refreshCalls;
    oa.revokeAccessToken();
    expect((await oa.deliver(hook, oaTextEvent(oa.appId, u, "dang ky tam tru"))).status).toBe(200);
    expect((await repliesTo(u))[0]?.text).toContain("Đăng ký tạm trú");
    expect(oa.refreshCalls).toBe(calls + 1);
    const stored = await app.app.store.connection
      .collection("zalo_oa_tokens")
      .findOne({ _id: "oa" as never });
    expect(stored?.refreshToken).not.toBe(oa.refreshToken);
    expect(typeof stored?.refreshToken).toBe("string");
  });

  it("should flag a subscriber the platform says is unreachable", async () => {
    const Subs = subscriberModel(app.app.store.connection);
    const u = user();
    await oa.deliver(hook, oaFollowEvent(oa.appId, u, "follow"));
    await repliesTo(u);
    oa.unreachable.add(u);
    await oa.deliver(hook, oaTextEvent(oa.appId, u, "hotline"));
    const deadline = Date.now() + 3_000;
    let sub = await Subs.findOne({ channel: "zalo-oa", chatId: u }).lean();
    while (sub?.inactiveReason !== "unreachable" && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      sub = await Subs.findOne({ channel: "zalo-oa", chatId: u }).lean();
    }
    expect(sub?.inactiveReason).toBe("unreachable");
    oa.unreachable.delete(u);
  });

  it("should keep a failed event for retry when the platform says back off", async () => {
    const Events = zaloOaEventModel(app.app.store.connection);
    const u = user();
    oa.failNext.push(-32);
    const event = oaTextEvent(oa.appId, u, "khai sinh");
    await oa.deliver(hook, event);
    const key = `zalo-oa:msg:${(event.message as { msg_id: string }).msg_id}`;
    const deadline = Date.now() + 3_000;
    let doc = await Events.findById(key).lean();
    while (doc?.status !== "failed" && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      doc = await Events.findById(key).lean();
    }
    expect(doc).toMatchObject({ status: "failed", attempts: 1 });
    expect(doc?.body).toBeDefined();
  });

  it("should map error codes as documented", () => {
    expect([-213, -230, -232].map(classify)).toEqual(["unreachable", "unreachable", "unreachable"]);
    expect([-32, -211, -218].map(classify)).toEqual(["backoff", "backoff", "backoff"]);
    expect([-216, -220].map(classify)).toEqual(["token", "token"]);
    expect([-201, -224, -234].map(classify)).toEqual(["other", "other", "other"]);
  });
});
