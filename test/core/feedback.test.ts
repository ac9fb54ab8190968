/**
 * The feedback form (src/core/feedback.ts) as residents type it: complaints and suggestions told in
 * words start it with their words as its draft, every step understands typed answers that name a
 * button, the complaint's text is never searched while the form is open, questions about how feedback
 * is handled get the FAQ, and cancel words end it without a card.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ticketModel } from "../../src/store/models/ticket.js";
import { buildConversation, chat, payloads, textOf, type TestConversation } from "../helpers/conversation.js";
import { dialogue, dialogueCases } from "../helpers/dialogues.js";
import type { Reply } from "../../src/core/types.js";

const kind = (replies: Reply[]) => replies.find((r) => r.meta)?.meta?.kind;

describe("complaints and suggestions told in words", () => {
  dialogueCases(
    [
      "rac o dau hem nha toi 1 tuan khong ai don, boc mui kinh khung",
      "Đèn đường trước ngõ 15 tắt cả tuần nay, tối đi làm về sợ lắm",
      "duong xom toi moi lan mua la ngap toi dau goi, cong bi tac lau roi",
      "nha ben canh hat karaoke on ao den 12h dem ngay nao cung vay",
      "can bo mot cua thai do coc can, quat nguoi dan",
      "nop ho so chung thuc ma bi hen di hen lai 3 lan chua xong",
      "ho so cua toi tre han 2 tuan roi van chua co ket qua",
      "sang nay len phuong cho ca buoi ma khong ai tiep, buc xuc qua",
      "de nghi xa lap them den duong o thon 3",
      "Tôi có ý kiến: phường nên làm thêm mái che cho người chờ",
    ].map((say, i) =>
      dialogue(`complaint-${i + 1}`, [{ say, expect: { intent: "feedback_form", text_has: ["ban nhap"] } }]),
    ),
  );
});

describe("complaints told in words in English", () => {
  dialogueCases([
    dialogue(
      "a-broken-light-typed-through-the-form",
      [
        {
          say: "the street light in my alley has been broken for two weeks",
          expect: { intent: "feedback_form" },
        },
        { say: "other", expect: { intent: "feedback_form" } },
        { say: "use what I wrote", expect: { intent: "feedback_form" } },
        { say: "no photo", expect: { intent: "feedback_form" } },
        { say: "no contact", expect: { intent: "feedback_form" } },
        { say: "send it, you can publish it", expect: { intent: "feedback_filed" } },
      ],
      { lang: "en" },
    ),
    dialogue(
      "how-feedback-is-handled-in-english",
      [
        {
          say: "how long does it take to get an answer to feedback?",
          expect: { card: "faq:phan-anh-kien-nghi-xu-ly" },
        },
      ],
      { lang: "en" },
    ),
  ]);
});

describe("questions that carry complaint words stay questions", () => {
  dialogueCases([
    dialogue("late-file-lookup", [
      { say: "ho so cua toi tre han thi tra cuu o dau", expect: { card: "guide:tra-cuu-ho-so" } },
    ]),
    dialogue("late-birth-registration", [
      { say: "dang ky khai sinh qua han can gi", expect: { intent: ["card", "facet", "choices"] } },
    ]),
    dialogue("where-to-report-a-bribe", [
      { say: "can bo doi tien moi lam nhanh thi bao ai", expect: { card: "faq:phan-anh-nhung-nhieu" } },
    ]),
    dialogue("asking-after-a-ticket", [
      { say: "phan anh hom truoc cua toi da ai tra loi chua", expect: { intent: "ticket_status" } },
    ]),
    dialogue("how-feedback-is-handled-while-a-guide-is-in-discussion", [
      { say: "tra cuu ho so nop online o dau", expect: { card: "guide:tra-cuu-ho-so" } },
      { say: "con phan anh thi bao lau moi duoc tra loi", expect: { card: "faq:phan-anh-kien-nghi-xu-ly" } },
    ]),
    dialogue("where-to-report-while-a-procedure-is-in-discussion", [
      { say: "chung thuc ban sao can cuoc", expect: { card: "2.000815" } },
      {
        say: "can bo doi them tien moi chung thuc nhanh, to cao voi ai",
        expect: { card: "faq:phan-anh-nhung-nhieu" },
      },
      { say: "phan anh thi gui cho ai", expect: { card: "faq:phan-anh-kien-nghi-xu-ly" } },
      { say: "ho so gui o dau", expect: { facet: "where", about: "2.000815" } },
    ]),
    dialogue("how-feedback-is-handled", [
      { say: "phan anh bao lau thi duoc tra loi", expect: { card: "faq:phan-anh-kien-nghi-xu-ly" } },
      { say: "kiến nghị gửi ở đâu", expect: { card: "faq:phan-anh-kien-nghi-xu-ly" } },
      { say: "gop y the nao", expect: { intent: "feedback_form" } },
    ]),
  ]);
});

describe("the form typed rather than pressed", () => {
  dialogueCases([
    dialogue(
      "every-step-typed",
      [
        {
          say: "rac o dau hem nha toi 1 tuan khong ai don, xa lam an kieu gi vay",
          expect: { intent: "feedback_form" },
        },
        { say: "noi dung khac", expect: { intent: "feedback_form" } },
        // "ở đầu hẻm" folds like "ở đâu": the complaint's text is still not searched.
        {
          say: "Rac o dau hem 12 thon 2 khong duoc thu gom tu thu hai. De nghi xa nhac don vi thu gom.",
          expect: { intent: "feedback_form", lacks_card: true },
        },
        { photo: true, caption: "dong rac", expect: { intent: "feedback_form" } },
        { say: "khong de lai so", expect: { intent: "feedback_form" } },
        { say: "gửi luôn, không công khai", expect: { intent: "feedback_filed" } },
      ],
      { unit: "xa-tan-loc" },
    ),
    dialogue("a-why-question-that-complains-then-short-typed-answers", [
      { say: "Sao rác đầu ngõ 7 mãi không ai dọn vậy?", expect: { intent: "feedback_form" } },
      { say: "khac", expect: { intent: "feedback_form" } },
      // The draft shown is accepted in words.
      { say: "gửi luôn", expect: { intent: "feedback_form", text_has: ["gui kem mot anh"] } },
      { say: "bỏ qua", expect: { intent: "feedback_form" } },
      { say: "có", expect: { intent: "feedback_form" } },
      { say: "tên tôi là Phạm Văn Nam", expect: { intent: "feedback_form" } },
      {
        say: "số tôi là 0912 000 111",
        expect: { intent: "feedback_form", text_has: ["pham van nam 0912000111"] },
      },
      { say: "gửi không công khai", expect: { intent: "feedback_filed" } },
    ]),
    dialogue(
      "a-topic-without-a-button-and-later-questions-answered-early",
      [
        { say: "toi muon phan anh viec chiem dung via he o cho", expect: { intent: "feedback_form" } },
        // No button names this topic: it is "other", and the form goes on.
        { say: "an ninh trat tu", expect: { intent: "feedback_form", text_has: ["ban nhap"] } },
        {
          say: "Cac quan an bay ban ghe kin via he doan cong cho, nguoi di bo phai di xuong long duong.",
          expect: { intent: "feedback_form" },
        },
        // The photo question answered with the contact question's answer, then sent in the same words.
        {
          say: "khong can de lai so dien thoai",
          expect: { intent: "feedback_form", text_has: ["kiem tra lai"] },
        },
        { say: "gui luon, dang cong khai cung duoc nhe", expect: { intent: "feedback_filed" } },
      ],
      { unit: "phuong-dong-hai" },
    ),
    dialogue("sent-at-the-contact-question", [
      { say: "gop y ve thai do can bo", expect: { intent: "feedback_form" } },
      { say: "thai do", expect: { intent: "feedback_form" } },
      {
        say: "Chi can bo quay so 2 noi chuyen rat kho chiu, toi hoi lai thi bi gat di.",
        expect: { intent: "feedback_form" },
      },
      { photo: true, expect: { intent: "feedback_form" } },
      { say: "gui luon, khong cong khai", expect: { intent: "feedback_filed" } },
    ]),
    dialogue("an-aside-announced-in-words", [
      { say: "toi muon phan anh", expect: { intent: "feedback_form" } },
      { say: "khac", expect: { intent: "feedback_form" } },
      {
        say: "Cong thoat nuoc truoc nha so 8 bi vo nap, tre con di hoc rat de sa chan.",
        expect: { intent: "feedback_form" },
      },
      {
        say: "hoi ngoai le chut: lam giay xac nhan tinh trang hon nhan can nhung giay gi",
        expect: { facet: "documents", about: "1.004873" },
      },
      { say: "tiep tuc", expect: { intent: "feedback_form" } },
    ]),
    dialogue("the-text-edited-at-the-summary-and-a-photo-sent-late", [
      { say: "gui gop y", expect: { intent: "feedback_form" } },
      { say: "1", expect: { intent: "feedback_form" } },
      // "Thủ tục" names the category; it does not make the complaint a question.
      {
        say: "Thủ tục chứng thực yêu cầu photo quá nhiều bản, đề nghị giảm bớt.",
        expect: { intent: "feedback_form", text_has: ["gui kem mot anh"] },
      },
      { say: "khong co", expect: { intent: "feedback_form" } },
      { say: "khong", expect: { intent: "feedback_form", text_has: ["kiem tra lai"] } },
      { say: "sua lai noi dung", expect: { intent: "feedback_form", text_has: ["ban nhap"] } },
      {
        say: "Chứng thực 1 bộ hồ sơ phải photo 5 bản, đề nghị phường chỉ yêu cầu số bản cần thiết.",
        expect: { intent: "feedback_form" },
      },
      { say: "bo qua", expect: { intent: "feedback_form" } },
      { say: "khong", expect: { intent: "feedback_form", text_has: ["kiem tra lai"] } },
      { photo: true, expect: { intent: "feedback_form", text_has: ["kem 1 anh"] } },
      { say: "gui", expect: { intent: "feedback_filed" } },
    ]),
    dialogue("a-follow-up-about-a-procedure-steps-out", [
      { say: "dang ky khai sinh", expect: { card: "1.001193" } },
      { say: "toi muon gop y", expect: { intent: "feedback_form" } },
      { say: "khac", expect: { intent: "feedback_form" } },
      { say: "can cu phap ly", expect: { facet: "legal_basis", about: "1.001193" } },
    ]),
    dialogue("a-request-for-a-service-steps-out", [
      { say: "toi muon phan anh", expect: { intent: "feedback_form" } },
      { say: "toi muon lam giay xac nhan doc than de ket hon", expect: { card: "1.004873" } },
      { say: "tiep tuc", expect: { intent: "feedback_form" } },
    ]),
    dialogue("a-question-steps-out-and-the-form-waits", [
      { say: "toi muon phan anh", expect: { intent: "feedback_form" } },
      { say: "khac", expect: { intent: "feedback_form" } },
      { say: "phuong lam viec may gio", expect: { intent: "unit_info" } },
      { say: "tiep tuc", expect: { intent: "feedback_form" } },
    ]),
  ]);

  let c: TestConversation;
  beforeAll(async () => {
    c = await buildConversation();
  });
  afterAll(async () => {
    await c.close();
  });

  it("should file what was typed at every step, keeping the first words and the details", async () => {
    const u = chat(c.engine);
    await u.press("u:phuong-hoa-an");
    expect(kind(await u.say("den duong hem 12 Le Loi hong ca thang nay roi ma khong ai sua"))).toBe(
      "feedback_form",
    );
    expect(kind(await u.say("khac"))).toBe("feedback_form");
    expect(kind(await u.say("Den o cot so 5, toi om, hoc sinh di hoc ve rat nguy hiem."))).toBe(
      "feedback_form",
    );
    expect(kind(await u.say("bo qua"))).toBe("feedback_form");
    expect(kind(await u.say("co, de lai so"))).toBe("feedback_form");
    const confirm = await u.say("Tran Thi Mai 0987 654 321");
    expect(textOf(confirm)).toContain("Tran Thi Mai 0987654321");
    const filed = await u.say("cho dang cong khai");
    expect(kind(filed)).toBe("feedback_filed");
    const code = /PA-\d{4}-\d{6}/.exec(textOf(filed))?.[0];
    const t = await ticketModel(c.store.connection).findOne({ code }).lean();
    expect(t).toMatchObject({
      category: "khac",
      contact: { name: "Tran Thi Mai", phone: "0987654321" },
      consent: { publish: true },
    });
    expect(t?.text).toContain("khong ai sua");
    expect(t?.text).toContain("hoc sinh di hoc ve");
  });

  it("should take the complaint typed instead of a category, guessing its category", async () => {
    const u = chat(c.engine);
    await u.press("u:phuong-dong-hai");
    await u.say("toi muon phan anh");
    const next = await u.say("Can bo tiep nhan ho so sang nay noi nang coc can, khong huong dan gi ca.");
    expect(payloads(next)).toContain("fb:nophoto");
    await u.say("khong co anh");
    await u.say("an danh");
    const filed = await u.say("gui di");
    const code = /PA-\d{4}-\d{6}/.exec(textOf(filed))?.[0];
    const t = await ticketModel(c.store.connection).findOne({ code }).lean();
    // "Gửi đi" without a word about publishing does not consent to publishing.
    expect(t).toMatchObject({ category: "thai-do", consent: { publish: false } });
    expect(t?.contact).toBeUndefined();
  });
});

describe("a photo sent with a complaint as its caption", () => {
  let c: TestConversation;
  beforeAll(async () => {
    c = await buildConversation();
  });
  afterAll(async () => {
    await c.close();
  });

  it("should start the form with the caption as its draft and file the photo with it", async () => {
    const u = chat(c.engine);
    await u.press("u:phuong-hoa-an");
    const started = await c.engine.handle({
      channel: "telegram",
      chatId: u.chatId,
      photo: "photo-file-id-1",
      text: "rac do trom o dau hem 9 ca tuan nay",
    });
    expect(kind(started)).toBe("feedback_form");
    await u.say("noi dung khac");
    // The photo is already there: the form goes from the text straight to the contact question.
    expect(payloads(await u.say("dung noi dung da go"))).toContain("fb:contact:no");
    await u.say("khong");
    const filed = await u.say("gui di");
    const code = /PA-\d{4}-\d{6}/.exec(textOf(filed))?.[0];
    const t = await ticketModel(c.store.connection).findOne({ code }).lean();
    expect(t).toMatchObject({ photo: "photo-file-id-1", text: "rac do trom o dau hem 9 ca tuan nay" });
  });
});

describe("cancel words", () => {
  dialogueCases([
    ...[
      "thoi huy, khong gui nua",
      "thôi khỏi",
      "không gửi nữa",
      "hủy giúp",
      "để sau nhé",
      "ko gui nua dau",
      "thôi, không phản ánh nữa",
    ].map((say, i) =>
      dialogue(`cancel-${i + 1}`, [
        { say: "toi muon gop y", expect: { intent: "feedback_form" } },
        { say: "thu tuc hanh chinh", expect: { intent: "feedback_form" } },
        { say, expect: { intent: "menu", lacks_card: true, text_has: ["da huy"] } },
      ]),
    ),
    dialogue("cancel-with-a-reason", [
      { say: "toi muon gop y", expect: { intent: "feedback_form" } },
      { say: "khac", expect: { intent: "feedback_form" } },
      {
        say: "thôi bỏ đi, để mai tôi lên phường nói trực tiếp",
        expect: { intent: "menu", lacks_card: true, text_has: ["da huy"] },
      },
    ]),
    dialogue("cancel-after-a-question-in-the-form", [
      {
        say: "toi muon phan anh viec phuong giai quyet ho so xin phep xay dung qua cham",
        expect: { intent: "feedback_form" },
      },
      { say: "à mà xin phép xây dựng nộp ở đâu nhỉ", expect: { facet: "where", about: "1.013225" } },
      { say: "thoi huy, khong gui nua", expect: { lacks_card: true, text_has: ["da huy"] } },
    ]),
    dialogue(
      "cancel-words-in-the-queue-for-a-person",
      [
        { say: "cho toi gap can bo", expect: { intent: "handoff" } },
        {
          say: "thoi khong cho nua",
          expect: { intent: "menu", lacks_card: true, text_has: ["roi hang cho"] },
        },
        { say: "dang ky ket hon", expect: { card: "1.000894" } },
      ],
      { handoff: "staffed" },
    ),
    dialogue("cancel-words-with-nothing-open", [
      { say: "huy", expect: { intent: "small_talk", lacks_card: true } },
      { say: "thôi khỏi", expect: { intent: "small_talk", lacks_card: true } },
    ]),
  ]);
});

describe("complaints and ticket lookups in English", () => {
  dialogueCases([
    dialogue(
      "english-problems-start-the-form",
      [
        {
          say: "the street light in our alley has been broken for a week",
          expect: { intent: "feedback_form" },
        },
        { say: "cancel", expect: { lacks_card: true } },
        { say: "the staff at the one stop desk were very rude to me", expect: { intent: "feedback_form" } },
      ],
      { lang: "en" },
    ),
    dialogue(
      "a-damaged-paper-is-a-question-not-a-complaint",
      [
        {
          say: "my birth certificate is broken and torn, can I get a new copy",
          expect: { intent: ["choices", "card"] },
        },
      ],
      { lang: "en" },
    ),
    dialogue(
      "english-ticket-lookup",
      [{ say: "has my complaint been handled yet?", expect: { intent: "ticket_status" } }],
      { lang: "en" },
    ),
  ]);
});

describe("a problem told with where to report it, and a topic for a category", () => {
  dialogueCases([
    dialogue("noise-and-where-to-report-starts-the-form", [
      {
        say: "nha ben hat karaoke toi 12h dem ngay nao cung vay, phan anh o dau",
        expect: { intent: "feedback_form" },
      },
      { say: "trat tu, moi truong", expect: { intent: "feedback_form" } },
      {
        say: "Hem 14 duong Le Loi, nha so 7 hat karaoke loa keo tu 20h den qua nua dem.",
        expect: { intent: "feedback_form" },
      },
      { say: "bo qua", expect: { intent: "feedback_form" } },
      { say: "khong de lai so", expect: { intent: "feedback_form" } },
      { say: "gui, khong cong khai", expect: { intent: "feedback_filed" } },
    ]),
    dialogue(
      "a-road-topic-names-the-category",
      [
        {
          say: "duong lien thon o ga lon lam, mua xuong la ngap, xe may te lien tuc",
          expect: { intent: "feedback_form" },
        },
        { say: "giao thong, duong sa", expect: { intent: "feedback_form", text_lacks: ["chua tim duoc"] } },
      ],
      { unit: "xa-tan-loc" },
    ),
    dialogue("a-barking-dog-and-whom-to-tell-starts-the-form", [
      { say: "hang xom nuoi cho sua ca dem, bao ai", expect: { intent: "feedback_form" } },
    ]),
    dialogue("staff-asking-money-and-where-to-report-is-the-faq", [
      {
        say: "can bo doi tien moi lam nhanh thi bao ai",
        expect: { card: "faq:phan-anh-nhung-nhieu" },
      },
    ]),
  ]);
});
