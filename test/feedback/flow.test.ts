/** The feedback form, ticket lookup and ratings in chat, on a real store. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ratingModel } from "../../src/store/models/rating.js";
import { ticketModel } from "../../src/store/models/ticket.js";
import { buildConversation, chat, payloads, textOf, type TestConversation } from "../helpers/conversation.js";

let c: TestConversation;
beforeAll(async () => {
  c = await buildConversation();
});
afterAll(async () => {
  await c.close();
});

async function fileTicket(u: ReturnType<typeof chat>, opts: { contact: boolean; publish: boolean }) {
  await u.press("u:phuong-hoa-an");
  expect(payloads(await u.press("m:fb"))).toContain("fb:c:thai-do");
  expect(textOf(await u.press("fb:c:thai-do"))).toContain(c.t("vi", "feedback.askText", { max: 2000 }));
  expect(textOf(await u.say("ngắn"))).toContain(c.t("vi", "feedback.tooShort"));
  expect(payloads(await u.say("Cán bộ tiếp nhận hẹn tôi ba lần mà chưa trả kết quả."))).toContain(
    "fb:nophoto",
  );
  const consent = await u.press("fb:nophoto");
  expect(textOf(consent)).toContain("180 ngày");
  if (opts.contact) {
    await u.press("fb:contact:yes");
    await u.say("Nguyễn Thị Lan");
    expect(textOf(await u.say("12345"))).toContain(c.t("vi", "feedback.badPhone"));
    const confirm = await u.say("0912 345 678");
    expect(textOf(confirm)).toContain("Nguyễn Thị Lan 0912345678");
  } else {
    expect(textOf(await u.press("fb:contact:no"))).toContain(c.t("vi", "feedback.anonymous"));
  }
  const filed = await u.press(opts.publish ? "fb:send:pub" : "fb:send:priv");
  const code = /PA-\d{4}-\d{6}/.exec(textOf(filed))?.[0];
  expect(code).toBeDefined();
  return code!;
}

describe("feedback in chat", () => {
  it("should file a ticket without contact when consent is refused", async () => {
    const u = chat(c.engine);
    const code = await fileTicket(u, { contact: false, publish: false });
    const t = await ticketModel(c.store.connection).findOne({ code }).lean();
    expect(t).toMatchObject({
      category: "thai-do",
      status: "received",
      unit: "phuong-hoa-an",
      hidden: true,
      consent: { publish: false },
    });
    expect(t?.contact).toBeUndefined();
    expect(t?.consent.contact).toBeUndefined();
    expect(t?.text).toBe("Cán bộ tiếp nhận hẹn tôi ba lần mà chưa trả kết quả.");
  });

  it("should keep contact details only with consent, recording its version and time", async () => {
    const u = chat(c.engine);
    const code = await fileTicket(u, { contact: true, publish: true });
    const t = await ticketModel(c.store.connection).findOne({ code }).lean();
    expect(t?.contact).toEqual({ name: "Nguyễn Thị Lan", phone: "0912345678" });
    expect(t?.consent.contact?.version).toBe("contact-2026-11");
    expect(t?.consent.publish).toBe(true);
  });

  it("should show a ticket's replies only to the chat that filed it", async () => {
    const u = chat(c.engine);
    const code = await fileTicket(u, { contact: false, publish: false });
    await c.feedback.reply(code, "Tổ tư vấn", "Hồ sơ của bạn đã có kết quả, mời nhận tại quầy số 2.");
    const own = textOf(await u.say(`cho hỏi phiếu ${code.toLowerCase()} thế nào rồi`));
    expect(own).toContain(`${code}** — Đã trả lời`);
    expect(own).toContain("mời nhận tại quầy số 2");
    const other = chat(c.engine);
    // Another chat learns nothing from a (sequential, guessable) code: not even that it exists.
    const seen = textOf(await other.say(`/tracuu ${code}`));
    expect(seen).toContain(c.t("vi", "feedback.notFoundHere", { code }));
    expect(seen).not.toContain("Đã trả lời");
    expect(seen).not.toContain("quầy số 2");
    expect(textOf(await other.say("PA-2026-999999"))).toContain(
      c.t("vi", "feedback.notFoundHere", { code: "PA-2026-999999" }),
    );
  });

  it("should limit a chat to five tickets a day", async () => {
    const u = chat(c.engine);
    for (let i = 0; i < 5; i++) await fileTicket(u, { contact: false, publish: false });
    expect(textOf(await u.press("m:fb"))).toContain(c.t("vi", "feedback.limit", { max: 5 }));
  });

  it("should answer a question when the citizen leaves the form, keep the form waiting and resume it", async () => {
    const u = chat(c.engine);
    await u.press("m:fb");
    await u.press("fb:c:khac");
    await u.press("menu");
    const replies = await u.say("đăng ký kết hôn");
    expect(textOf(replies)).toContain("Đăng ký kết hôn");
    expect(payloads(replies)).toContain("fb:resume");
    expect(textOf(await u.say("tiếp tục"))).toContain(c.t("vi", "feedback.askText", { max: 2000 }));
    expect(textOf(await u.say("hủy"))).toContain(c.t("vi", "feedback.cancelled"));
  });

  it("should give every ticket a distinct code, even when filed at once", async () => {
    const codes = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        c.feedback.fileTicket({
          channel: "telegram",
          chatId: `race-${i}`,
          lang: "vi",
          category: "khac",
          text: `Phản ánh số ${i} về thủ tục`,
          publishConsent: false,
        }),
      ),
    );
    const set = new Set(codes.map((x) => x.code));
    expect(set.size).toBe(25);
    for (const code of set) expect(code).toMatch(/^PA-\d{4}-\d{6}$/);
  });
});

describe("ratings in chat", () => {
  it("should rate an answer, take a comment and the SIPAS questions, once per chat", async () => {
    const u = chat(c.engine);
    await u.press("u:xa-tan-loc");
    const card = await u.say("dang ky tam tru");
    expect(payloads(card)).toContain("rt:p:1.004194");
    expect(payloads(await u.press("rt:p:1.004194"))).toEqual([
      "rs:p:1.004194:5",
      "rs:p:1.004194:4",
      "rs:p:1.004194:3",
      "rs:p:1.004194:2",
      "rs:p:1.004194:1",
    ]);
    expect(payloads(await u.press("rs:p:1.004194:4"))).toContain("sp:start");
    await u.press("sp:start");
    for (let i = 0; i < 4; i++) await u.press(`sp:${i}:5`);
    expect(textOf(await u.press("sp:4:3"))).toContain(c.t("vi", "rating.sipasDone"));
    const r = await ratingModel(c.store.connection).findOne({ "target.id": "1.004194" }).lean();
    expect(r).toMatchObject({
      score: 4,
      field: "cu-tru",
      unit: "xa-tan-loc",
      channel: "telegram",
      sipas: { "tiep-can": 5, "phan-anh": 3 },
    });
    expect(JSON.stringify(r)).not.toContain(u.chatId);
    expect(textOf(await u.press("rs:p:1.004194:1"))).toContain(c.t("vi", "rating.already"));
  });

  it("should record an optional comment", async () => {
    const u = chat(c.engine);
    await u.press("m:survey");
    await u.press("rt:s:");
    const thanks = await u.press("rs:s::2");
    // A comment is an explicit choice: a question typed right after a rating is answered as a question.
    expect(payloads(thanks)).toContain("rc:comment");
    await u.press("rc:comment");
    expect(textOf(await u.say("Chờ lâu quá"))).toContain(c.t("vi", "rating.commentThanks"));
    expect(await ratingModel(c.store.connection).countDocuments({ comment: "Chờ lâu quá", score: 2 })).toBe(
      1,
    );
  });
});

describe("the citizen's data", () => {
  it("should export everything tied to a chat, then anonymise it on /xoadulieu", async () => {
    const u = chat(c.engine);
    const code = await fileTicket(u, { contact: true, publish: false });
    await u.press("rt:s:");
    await u.press("rs:s::5");
    const exported = await c.feedback.exportCitizen("telegram", u.chatId);
    expect(JSON.stringify(exported)).toContain("Nguyễn Thị Lan");
    expect((exported.ratings as unknown[]).length).toBe(1);
    await u.say("/xoadulieu");
    await u.press("del:yes");
    const t = await ticketModel(c.store.connection).findOne({ code }).lean();
    expect(t?.text).toContain("Cán bộ tiếp nhận");
    expect(t?.chatId).toBeUndefined();
    expect(t?.contact).toBeUndefined();
    const after = await c.feedback.exportCitizen("telegram", u.chatId);
    expect(after.tickets).toEqual([]);
    expect(after.ratings).toEqual([]);
  });
});
