/**
 * Behaviours a second hold-out of resident dialogues found missing (test/fixtures/dialogue-holdout-2.jsonl):
 * office hours asked by time of day and as a follow-up, unsubscribing without naming the object,
 * "does the bot keep my number", referrals typed as residents type them, off-topic questions.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildConversation, chat, textOf, type TestConversation } from "../helpers/conversation.js";
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

describe("a follow-up binds to the item in discussion unless it names another one clearly", () => {
  const facetOf = (replies: Reply[]) => {
    const m = replies.find((r) => r.meta?.kind === "facet")?.meta as
      { item?: string; facet?: string } | undefined;
    return m ? `${m.item}:${m.facet}` : undefined;
  };

  it("should keep the marriage for 'tỉnh khác' and for a paper it needs, and switch for a paper named with its own question", async () => {
    const u = chat(c.engine);
    await u.press("u:phuong-hoa-an");
    expect(meta(await u.say("2 dua e muon dk ket hon thi lam sao")).item).toBe("1.000894");
    expect(facetOf(await u.say("nguoi yeu e o tinh khac thi nop o dau"))).toBe("1.000894:where");
    expect(facetOf(await u.say("co can giay xac nhan doc than ko"))).toBe("1.000894:documents");
    expect(facetOf(await u.say("giay xac nhan doc than xin mat bao lau"))).toBe("1.004873:time");
  });

  it("should not let '80 tuổi' take a fee question away from the permanent residence", async () => {
    const u = chat(c.engine);
    await u.press("u:phuong-dong-hai");
    expect(meta(await u.say("chuyen ve o nha vo, nhap khau thi lam sao")).item).toBe("1.004222");
    expect(facetOf(await u.say("ba noi 80 tuoi cung nhap thi co phai dong phi ko"))).toBe("1.004222:fee");
  });

  it("should read 'sửa ở phường được không' as where of the item in discussion", async () => {
    const u = chat(c.engine);
    await u.press("u:phuong-hoa-an");
    expect(facetOf(await u.say("giay khai sinh ghi sai ten dem cua e, sua o dau a"))).toBe("1.004859:where");
    expect(facetOf(await u.say("e 30 tuoi roi sua o phuong dc ko"))).toBe("1.004859:where");
  });
});

describe("one item clearly meant gets its answer, not choices", () => {
  const first = (replies: Reply[]) => {
    const m = replies[0]?.meta as { kind?: string; item?: string; facet?: string } | undefined;
    return m?.facet ? `${m.item}:${m.facet}` : `${m?.kind}:${m?.item}`;
  };

  it.each([
    ["the sao y bang lai thi lam o phuong dc ko", "card:2.000815"],
    ["xin ban sao giay dang ky ket hon cua bo me de lam ho so", "card:2.000635"],
    ["vo chong toi muon nhan nuoi 1 be o chua thi lam thu tuc j", "card:guide:nhan-con-nuoi"],
    ["con ruot cua em chua co ten bo trong khai sinh, gio bo chau muon nhan con", "card:1.001022"],
    ["Hi, can I get a copy of my marriage certificate here? how much?", "2.000635:fee"],
  ])("should answer %s with %s", async (q, expected) => {
    const u = chat(c.engine);
    await u.press("u:phuong-hoa-an");
    expect(first(await u.say(q))).toBe(expected);
  });

  it("should answer a certified copy of a passport in English, then its fee", async () => {
    const u = chat(c.engine);
    await u.press("u:phuong-hoa-an");
    await u.press("l:en");
    expect(first(await u.say("how do I get a certified copy of my passport"))).toBe("card:2.000815");
    expect(first(await u.say("how much"))).toBe("2.000815:fee");
  });
});

describe("follow-ups about a guide, and facet words read in context", () => {
  it("should answer 'đi nộp ở đâu' after a guide from that guide, not from a procedure shown before it", async () => {
    const u = chat(c.engine);
    await u.press("u:phuong-hoa-an");
    await u.say("dang ky ket hon");
    expect(meta(await u.say("ong noi toi 78 tuoi ko co luong huu, co dc nhan tien tro cap gi ko")).item).toBe(
      "guide:tro-cap-huu-tri-xa-hoi",
    );
    const where = await u.say("di nop o dau");
    expect(meta(where).item).toBe("guide:tro-cap-huu-tri-xa-hoi");
    expect(textOf(where)).toContain("Bộ phận một cửa");
  });

  it("should not read 'bán tạp hóa tại nhà' as a question about filing online", async () => {
    const u = chat(c.engine);
    await u.press("u:phuong-hoa-an");
    const r = meta(await u.say("toi ban tap hoa nho tai nha, dang ky ho kinh doanh"));
    expect(r.kind).toBe("card");
    expect(r.item).toBe("1.001612");
  });

  it("should read 'phí 1 bản' as the fee of the item in discussion", async () => {
    const u = chat(c.engine);
    await u.press("u:phuong-hoa-an");
    await u.say("xin ban sao giay khai sinh");
    const r = meta(await u.say("phi 1 ban")) as { kind?: string; item?: string; facet?: string };
    expect([r.kind, r.item, r.facet]).toEqual(["facet", "2.000635", "fee"]);
  });
});
