/**
 * Behaviours a second hold-out of resident dialogues found missing (test/fixtures/dialogue-holdout-2.jsonl):
 * office hours asked by time of day and as a follow-up, unsubscribing without naming the object,
 * "does the bot keep my number", referrals typed as residents type them, off-topic questions.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildConversation, chat, type TestConversation } from "../helpers/conversation.js";
import type { Reply } from "../../src/core/types.js";

let c: TestConversation;
beforeAll(async () => {
  c = await buildConversation();
});
afterAll(async () => {
  await c.close();
});

const kind = (replies: Reply[]) => replies[0]?.meta?.kind;
const meta = (replies: Reply[]) => replies[0]?.meta as { kind?: string; agency?: string; item?: string };

describe("office questions by time of day", () => {
  it("should answer 'sáng nay xã có làm việc không', 'thứ 2 mấy giờ mở' and a follow-up 'chiều nay thì sao'", async () => {
    const u = chat(c.engine);
    await u.press("u:xa-tan-loc");
    expect(kind(await u.say("sang nay xa co lam viec ko"))).toBe("unit_info");
    expect(kind(await u.say("thu 2 may gio mo"))).toBe("unit_info");
    expect(kind(await u.say("dia chi xa o dau"))).toBe("unit_info");
    expect(kind(await u.say("chieu nay thi sao"))).toBe("unit_info");
  });

  it("should not take 'chiều nay thì sao' for the office without an office question before it", async () => {
    const u = chat(c.engine);
    await u.press("u:xa-tan-loc");
    expect(kind(await u.say("chieu nay thi sao"))).not.toBe("unit_info");
  });
});

describe("subscriptions and privacy", () => {
  it("should unsubscribe on 'thôi không nhận nữa, hủy đi' right after the subscription screen", async () => {
    const u = chat(c.engine);
    await u.press("u:xa-tan-loc");
    expect(kind(await u.say("cho toi nhan thong bao moi cua xa"))).toBe("subscribe");
    expect(kind(await u.say("thoi ko nhan nua, huy di"))).toBe("unsubscribe");
  });

  it("should give the privacy notice for 'bot có lưu sđt của tôi không', not the portal's data store", async () => {
    const u = chat(c.engine);
    await u.press("u:phuong-hoa-an");
    expect(kind(await u.say("bot co luu sdt cua toi ko"))).toBe("privacy");
    expect(kind(await u.say("kho du lieu ca nhan tren cong dich vu cong la gi"))).not.toBe("privacy");
  });
});

describe("referrals as residents type them", () => {
  it.each([
    ["toi nghi viec cong ty roi, muon rut bhxh 1 lan", "bhxh"],
    ["the bhyt cua me het han gia han o dau", "bhxh"],
  ])("should refer %s to %s", async (q, agency) => {
    const u = chat(c.engine);
    await u.press("u:phuong-hoa-an");
    const r = meta(await u.say(q));
    expect(r.kind).toBe("refer");
    expect(r.agency).toBe(agency);
  });

  it("should refer 'I want to get divorced' to the court in English", async () => {
    const u = chat(c.engine);
    await u.press("u:phuong-hoa-an");
    await u.press("l:en");
    const r = meta(await u.say("I want to get divorced, can the ward do it?"));
    expect(r.kind).toBe("refer");
    expect(r.agency).toBe("toa-an");
  });

  it("should give the commune's social pension, not a referral, to an elder without a pension", async () => {
    const u = chat(c.engine);
    await u.press("u:phuong-hoa-an");
    const r = meta(await u.say("ong noi toi 78 tuoi ko co luong huu, co dc nhan tien tro cap gi ko"));
    expect(r.item).toBe("guide:tro-cap-huu-tri-xa-hoi");
  });
});

describe("off-topic questions", () => {
  it.each(["ke chuyen cuoi di", "what is the weather tomorrow", "vay tien o dau lai thap"])(
    "should answer %s with an honest not-found, no card and no choices",
    async (q) => {
      const u = chat(c.engine);
      await u.press("u:phuong-hoa-an");
      expect(kind(await u.say(q))).toBe("not_found");
    },
  );
});
