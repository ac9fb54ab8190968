/** Follow-ups (src/core/procedures/follow-ups.ts): the topic in discussion, facets by meaning. */
import { describe } from "vitest";
import { dialogue, dialogueCases } from "../helpers/dialogues.js";

describe("follow-ups and facets", () => {
  dialogueCases([
    dialogue("facets-of-the-topic", [
      { say: "lam giay xac nhan tinh trang hon nhan", expect: { card: "1.004873" } },
      { say: "trinh tu ra sao", expect: { facet: "steps", about: "1.004873" } },
      { say: "dua vao van ban nao", expect: { facet: "legal_basis", about: "1.004873" } },
      { say: "nho nguoi nha di lay duoc khong", expect: { facet: "who", about: "1.004873" } },
      { say: "nop tai dau", expect: { facet: "where", about: "1.004873" } },
    ]),
    dialogue("money-words-alone-decide-nothing", [
      { say: "ho ngheo co duoc ho tro tien mai tang khong", expect: { card: "1.001731" } },
    ]),
    dialogue("a-named-item-switches-the-topic", [
      { say: "dang ky khai sinh", expect: { card: "1.001193" } },
      { say: "con tach ho thi le phi bao nhieu", expect: { facet: "fee", about: "1.010038" } },
      { say: "mat may ngay", expect: { facet: "time", about: "1.010038" } },
    ]),
    // Asked first, the papers are the answer (the card is a button away); "phải làm giấy tờ gì" asks
    // which procedure, and gets the card.
    dialogue("papers-asked-first-get-the-papers", [
      {
        say: "dang ky giam ho can giay to gi",
        expect: { facet: "documents", about: "1.004837", text_has: ["ho so can chuan bi"] },
      },
    ]),
    dialogue("which-paperwork-gets-the-card", [
      { say: "ong noi vua mat, gio phai lam giay to gi", expect: { card: "1.000656" } },
    ]),
    // A general word several procedures share asks which of them; the one named so is its card.
    dialogue("a-general-word-offers-its-family", [
      { say: "cho hoi ve chung thuc", expect: { choices: ["2.000815", "2.000884", "2.001008"] } },
      { say: "cac thu tuc lien thong", expect: { choices: ["3.000722", "1.011537"] } },
      { say: "dang ky ket hon", expect: { card: "1.000894" } },
    ]),
    // One long sentence is read clause by clause: the question clause names the procedure, and the
    // story (a foreign husband) makes it the narrower one.
    dialogue("a-long-sentence-read-by-clauses", [
      {
        say: "Chào anh chị, em lấy chồng Hàn Quốc, về nước sinh em bé được 1 tháng, giờ muốn làm giấy khai sinh cho con ở phường thì làm sao ạ?",
        expect: { card: "2.000528" },
      },
    ]),
    dialogue("where-asked-outright-beats-a-describing-word", [
      {
        say: "mo ho kinh doanh ban hang online thi dang ky o dau",
        expect: { facet: "where", about: "1.001612" },
      },
    ]),
    dialogue("paying-a-household-business-tax-is-the-tax-office", [
      { say: "ho kinh doanh nop thue khoan o dau", expect: { intent: "refer", agency: "thue" } },
      { say: "dang ky ho kinh doanh co phai nop le phi khong", expect: { facet: "fee", about: "1.001612" } },
    ]),
    dialogue(
      "english-follow-ups",
      [
        { say: "marriage registration", expect: { card: "1.000894" } },
        { say: "where do we apply", expect: { facet: "where", about: "1.000894" } },
      ],
      { lang: "en" },
    ),
    dialogue(
      "english-follow-ups-bind-to-the-topic",
      [
        {
          say: "ok, what about certified copies of my passport and my degree?",
          expect: { card: "2.000815" },
        },
        { say: "how much per page", expect: { facet: "fee", about: "2.000815" } },
        { say: "can my wife do it for me", expect: { facet: "who", about: "2.000815" } },
        { say: "can I do it online", expect: { facet: "online", about: "2.000815" } },
        { say: "we just had a baby, how do we get the birth certificate", expect: { card: "1.001193" } },
        { say: "what is the legal basis", expect: { facet: "legal_basis", about: "1.001193" } },
      ],
      { lang: "en" },
    ),
  ]);
});
