/**
 * Zalo OA against the emulator written from the documentation: two secrets, signatures on raw bytes,
 * Zalo's retry ladder, replays, follow/unfollow, hidden-payload buttons and the -201 fallback, tokens,
 * documented error codes, the one-tap contact card and photos in the feedback form.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classify } from "../../../src/channels/zalo-oa/client.js";
import { subscriberModel } from "../../../src/store/models/subscriber.js";
import { zaloOaEventModel } from "../../../src/store/models/zalo-oa-event.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { ticketModel } from "../../../src/store/models/ticket.js";
import {
  oaFollowEvent,
  oaImageEvent,
  oaSubmitInfoEvent,
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
    // Hidden payloads: oa.query.show would post "ps:1.000894" into the citizen's own chat.
    expect(sent[0]?.buttons.some((b) => b.type === "oa.query.hide" && b.payload === "ps:1.000894")).toBe(
      true,
    );
    expect(sent[0]?.buttons.some((b) => b.type === "oa.query.show")).toBe(false);
    const steps = sent[0]!.buttons.find((b) => b.payload === "ps:1.000894")!;
    expect((await oa.tap(hook, u, steps))?.status).toBe(200);
    expect((await repliesTo(u, 2))[1]?.text).toContain("1.");
    expect(oa.shownPayloads).toEqual([]);
  });

  it("should refuse an event signed with the App Secret Key instead of the OA Secret Key", async () => {
    const u = user();
    const res = await oa.deliver(hook, oaTextEvent(oa.appId, u, "xin chào"), { secretKey: oa.appSecret });
    expect(res.status).toBe(401);
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
      [403, oa.deliver(hook, oaTextEvent(oa.appId, u, "xin chào", Date.now() - 4 * 3600_000))],
      [403, oa.deliver(hook, oaTextEvent(oa.appId, u, "xin chào", Date.now() + 3600_000))],
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

  it("should answer once a retried event 20 minutes old (Zalo's retry ladder, original timestamp)", async () => {
    const u = user();
    // The first three deliveries (at 0, 30 s and 5 min) were lost in an outage; the retry after 15 min
    // more arrives with num_retry 3 and the timestamp of the citizen's message.
    const event = oaTextEvent(oa.appId, u, "dang ky khai sinh", Date.now() - 20 * 60_000);
    const third = await oa.deliver(hook, event, { numRetry: 3 });
    expect(third.status).toBe(200);
    const fourth = await oa.deliver(hook, event, { numRetry: 4 });
    expect(fourth.status).toBe(200);
    expect(await fourth.json()).toMatchObject({ duplicate: true });
    const sent = await repliesTo(u);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.text).toContain("Đăng ký khai sinh");
  });

  it("should stop the retry ladder at the first 200", async () => {
    const u = user();
    expect(await oa.deliverWithRetries(hook, oaTextEvent(oa.appId, u, "hotline"))).toEqual([200]);
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
    // Outside a form that asked (and got consent), shared details are not kept anywhere.
    const sessions = JSON.stringify(await app.app.store.connection.collection("sessions").find({}).toArray());
    expect(sessions).not.toContain("0900000000");
  });
});

describe("Zalo OA feedback form", () => {
  async function filed(replies: Array<{ text: string }>) {
    const code = /PA-\d{4}-\d{6}/.exec(replies.map((m) => m.text).join("\n"))?.[0];
    expect(code).toBeDefined();
    return ticketModel(app.app.store.connection).findOne({ code }).lean();
  }

  async function startForm(u: string) {
    const say = async (text: string) => {
      const n = oa.messagesTo(u).length;
      expect((await oa.deliver(hook, oaTextEvent(oa.appId, u, text))).status).toBe(200);
      return (await repliesTo(u, n + 1)).slice(n);
    };
    await say("u:phuong-hoa-an");
    await say("m:fb");
    await say("fb:c:thai-do");
    return say;
  }

  it("should fill name and phone from the one-tap contact card after consent, and file them", async () => {
    const u = user();
    const say = await startForm(u);
    await say("Cán bộ tiếp nhận hẹn tôi ba lần mà chưa trả kết quả.");
    await say("fb:nophoto");
    const asked = await say("fb:contact:yes");
    expect(asked.some((m) => m.requestUserInfo)).toBe(true);
    const n = oa.messagesTo(u).length;
    await oa.deliver(hook, oaSubmitInfoEvent(oa.appId, u, { name: "Trần Thị Bình", phone: "84912345678" }));
    const confirm = (await repliesTo(u, n + 1)).slice(n);
    expect(confirm[0]?.text).toContain("Trần Thị Bình 0912345678");
    const t = await filed(await say("fb:send:priv"));
    expect(t?.contact).toMatchObject({ name: "Trần Thị Bình", phone: "0912345678" });
  });

  it("should ignore a contact card answered before consent", async () => {
    const u = user();
    const say = await startForm(u);
    await say("Cán bộ tiếp nhận hẹn tôi ba lần mà chưa trả kết quả.");
    await say("fb:nophoto");
    const n = oa.messagesTo(u).length;
    await oa.deliver(hook, oaSubmitInfoEvent(oa.appId, u, { name: "Lê Văn C", phone: "0987654321" }));
    const again = (await repliesTo(u, n + 1)).slice(n);
    expect(again[0]?.text).not.toContain("0987654321");
    expect(
      JSON.stringify(await app.app.store.connection.collection("sessions").find({}).toArray()),
    ).not.toContain("0987654321");
  });

  it("should keep a photo sent at the photo step in the ticket", async () => {
    const u = user();
    const say = await startForm(u);
    await say("Đường trước trụ sở phường bị ngập sau mưa, đề nghị xử lý.");
    const n = oa.messagesTo(u).length;
    await oa.deliver(hook, oaImageEvent(oa.appId, u, "https://photo-stal-9.zdn.vn/ngap.jpg"));
    await repliesTo(u, n + 1);
    await say("fb:contact:no");
    const t = await filed(await say("fb:send:priv"));
    expect(t?.photo).toBe("https://photo-stal-9.zdn.vn/ngap.jpg");
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
    oa.userErrors.set(u, -217);
    await oa.deliver(hook, oaTextEvent(oa.appId, u, "hotline"));
    const deadline = Date.now() + 3_000;
    let sub = await Subs.findOne({ channel: "zalo-oa", chatId: u }).lean();
    while (sub?.inactiveReason !== "unreachable" && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      sub = await Subs.findOne({ channel: "zalo-oa", chatId: u }).lean();
    }
    expect(sub?.inactiveReason).toBe("unreachable");
    oa.userErrors.delete(u);
  });

  it("should back off and retry a send Zalo rate-limits (-32), then mark the event done", async () => {
    const Events = zaloOaEventModel(app.app.store.connection);
    const u = user();
    oa.failNext.push(-32);
    const event = oaTextEvent(oa.appId, u, "khai sinh");
    await oa.deliver(hook, event);
    expect((await repliesTo(u, 1, 8_000))[0]?.text).toContain("khai sinh");
    const key = `zalo-oa:msg:${(event.message as { msg_id: string }).msg_id}`;
    const doc = await Events.findById(key).lean();
    expect(doc).toMatchObject({ status: "done", attempts: 1 });
    expect(doc?.body).toBeUndefined();
  });

  it("should keep an event for the sweeper when a send fails for good, and answer it once later", async () => {
    const Events = zaloOaEventModel(app.app.store.connection);
    const u = user();
    oa.failNext.push(-999);
    const event = oaTextEvent(oa.appId, u, "khai tu");
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
    await Events.updateOne({ _id: key }, { $set: { receivedAt: new Date(Date.now() - 60_000) } });
    await app.app.zaloOa!.drain();
    expect(await repliesTo(u)).toHaveLength(1);
  });

  it("should map error codes as documented", () => {
    expect([-213, -217, -227, -230, -232, -244].map(classify)).toEqual(Array(6).fill("unreachable"));
    expect([-32, -100].map(classify)).toEqual(["retry", "retry"]);
    expect([-216, -220, -124].map(classify)).toEqual(["token", "token", "token"]);
    expect([-211, -218, -234].map(classify)).toEqual(["defer", "defer", "defer"]);
    expect([-224, -201, -999].map(classify)).toEqual(["alert", "invalid", "other"]);
  });

  it("should resend a reply whose buttons Zalo refuses (-201) as plain text with numbered choices", async () => {
    const u = user();
    oa.refuseButtons = true;
    try {
      await oa.deliver(hook, oaTextEvent(oa.appId, u, "dang ky ket hon"));
      const sent = await repliesTo(u);
      expect(sent[0]?.buttons).toEqual([]);
      expect(sent[0]?.text).toContain("Đăng ký kết hôn (mã 1.000894)");
      expect(sent[0]?.text).toMatch(/^1\. .+$/m);
      // Typing the number works as the button would have.
      await oa.deliver(hook, oaTextEvent(oa.appId, u, "1"));
      expect((await repliesTo(u, 2)).length).toBeGreaterThanOrEqual(2);
    } finally {
      oa.refuseButtons = false;
    }
  });
});
