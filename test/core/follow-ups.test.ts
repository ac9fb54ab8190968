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
    dialogue(
      "english-follow-ups",
      [
        { say: "marriage registration", expect: { card: "1.000894" } },
        { say: "where do we apply", expect: { facet: "where", about: "1.000894" } },
      ],
      { lang: "en" },
    ),
  ]);
});
