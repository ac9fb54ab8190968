/**
 * Ratings (src/core/ratings.ts): right after a rating, a remark on the answer (criticism or praise) is
 * its comment; a question is answered as a question, and the explicit comment button stays.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ratingModel } from "../../src/store/models/rating.js";
import { buildConversation, chat, payloads, type TestConversation } from "../helpers/conversation.js";
import { dialogue, dialogueCases } from "../helpers/dialogues.js";
import type { Reply } from "../../src/core/types.js";

const kind = (replies: Reply[]) => replies.find((r) => r.meta)?.meta?.kind;

describe("what is typed right after a rating", () => {
  dialogueCases([
    dialogue(
      "criticism-is-the-comment-and-the-topic-stays",
      [
        { say: "chau toi da du 18 tuoi, gio muon cham dut viec giam ho", expect: { card: "1.004845" } },
        { press: "danh gia", expect: { lacks_card: true } },
        { press: "khong hai long", expect: { intent: "rating_recorded" } },
        {
          say: "thong tin so sai qua, khong noi ro phai mang giay gi",
          expect: { intent: "rating_recorded" },
        },
        { say: "bao lau", expect: { facet: "time", about: "1.004845" } },
      ],
      { unit: "xa-tan-loc" },
    ),
    dialogue("praise-is-the-comment", [
      { say: "dang ky tam tru", expect: { card: "1.004194" } },
      { press: "danh gia", expect: { lacks_card: true } },
      { press: "rat hai long", expect: { intent: "rating_recorded" } },
      { say: "huong dan ro rang, de hieu lam", expect: { intent: "rating_recorded" } },
    ]),
    dialogue("what-was-missing-is-reported-not-asked", [
      { say: "dang ky ket hon", expect: { card: "1.000894" } },
      { press: "danh gia", expect: { lacks_card: true } },
      { press: "khong hai long", expect: { intent: "rating_recorded" } },
      { say: "noi chung chung qua, khong ghi ro mat may ngay", expect: { intent: "rating_recorded" } },
    ]),
    dialogue("an-apology-is-small-talk", [
      { say: "dang ky ket hon", expect: { card: "1.000894" } },
      { press: "danh gia", expect: { lacks_card: true } },
      { press: "hai long", expect: { intent: "rating_recorded" } },
      { say: "xin loi em go cham qua", expect: { intent: "small_talk" } },
    ]),
    dialogue("levels-typed-rather-than-pressed", [
      { say: "dang ky ket hon", expect: { card: "1.000894" } },
      { press: "danh gia", expect: { lacks_card: true } },
      { say: "hai long", expect: { intent: "rating_recorded" } },
      { press: "5 cau", expect: { lacks_card: true } },
      { say: "rất là hài lòng ạ", expect: { lacks_card: true, text_has: ["cau 2/5"] } },
      { say: "4 sao", expect: { lacks_card: true, text_has: ["cau 3/5"] } },
      { say: "binh thuong", expect: { lacks_card: true, text_has: ["cau 4/5"] } },
      { say: "khong hai long", expect: { lacks_card: true, text_has: ["cau 5/5"] } },
      { say: "rat khong hai long", expect: { intent: "rating_recorded" } },
    ]),
    dialogue("a-comment-asked-for-and-given-up", [
      { say: "dang ky tam tru", expect: { card: "1.004194" } },
      { press: "danh gia", expect: { lacks_card: true } },
      { press: "khong hai long", expect: { intent: "rating_recorded" } },
      { press: "them gop y", expect: { lacks_card: true } },
      { say: "thôi khỏi", expect: { lacks_card: true, text_lacks: ["da ghi nhan gop y"] } },
      { say: "phi bao nhieu", expect: { facet: "fee", about: "1.004194" } },
    ]),
    dialogue("a-question-is-answered", [
      { say: "dang ky ket hon", expect: { card: "1.000894" } },
      { press: "danh gia", expect: { lacks_card: true } },
      { press: "khong hai long", expect: { intent: "rating_recorded" } },
      { say: "thế nộp ở đâu", expect: { facet: "where", about: "1.000894" } },
    ]),
    dialogue("a-criticism-that-asks-is-answered", [
      { say: "dang ky tam tru", expect: { card: "1.004194" } },
      { press: "danh gia", expect: { lacks_card: true } },
      { press: "khong hai long", expect: { intent: "rating_recorded" } },
      {
        say: "sao khong noi ro can giay gi, giay to gom nhung gi vay",
        expect: { facet: "documents", about: "1.004194" },
      },
    ]),
  ]);

  let c: TestConversation;
  beforeAll(async () => {
    c = await buildConversation();
  });
  afterAll(async () => {
    await c.close();
  });

  it("should store the remark as the rating's comment, and only right after the rating", async () => {
    const u = chat(c.engine);
    await u.press("u:phuong-hoa-an");
    await u.say("xin ban sao giay khai sinh");
    await u.press("rt:p:2.000635");
    const thanks = await u.press("rs:p:2.000635:2");
    expect(payloads(thanks)).toContain("rc:comment");
    expect(kind(await u.say("tra loi dai qua, doc khong hieu gi"))).toBe("rating_recorded");
    const r = await ratingModel(c.store.connection).findOne({ "target.id": "2.000635", score: 2 }).lean();
    expect(r?.comment).toBe("tra loi dai qua, doc khong hieu gi");

    const v = chat(c.engine);
    await v.press("u:phuong-hoa-an");
    await v.say("dang ky khai tu");
    await v.press("rt:p:1.000656");
    await v.press("rs:p:1.000656:3");
    expect(kind(await v.say("phi bao nhieu"))).toBe("facet");
    // Two turns after the rating a remark is no longer taken as its comment.
    expect(kind(await v.say("so sai qua"))).not.toBe("rating_recorded");
    const s = await ratingModel(c.store.connection).findOne({ "target.id": "1.000656" }).lean();
    expect(s?.comment).toBeUndefined();
  });
});
