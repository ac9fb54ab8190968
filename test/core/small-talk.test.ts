/** Small talk (src/core/small-talk.ts): short replies, no catalogue search; condolence with an answer. */
import { describe } from "vitest";
import { dialogue, dialogueCases } from "../helpers/dialogues.js";

describe("small talk", () => {
  dialogueCases([
    dialogue("thanks-bye-sorry", [
      { say: "cam on ad nhieu nha", expect: { intent: "small_talk" } },
      { say: "xin loi lam phien", expect: { intent: "small_talk" } },
      { say: "tam biet", expect: { intent: "small_talk" } },
    ]),
    dialogue("thanks-then-a-question-is-a-question", [
      { say: "cam on, cho hoi them dang ky ket hon can gi", expect: { card: "1.000894" } },
    ]),
    dialogue("distress-and-insult-offer-a-way-on", [
      { say: "chan qua", expect: { intent: "small_talk", text_has: ["duong day nong"] } },
      { say: "bot vo dung", expect: { intent: "small_talk", text_lacks: ["chua tim duoc"] } },
    ]),
    dialogue("grief-gets-condolence-and-the-answer", [
      {
        say: "bo toi vua qua doi, gia dinh can lam giay to gi",
        expect: { card: "1.000656", text_has: ["chia buon"] },
      },
    ]),
    dialogue(
      "english-thanks-hardship-and-goodbye",
      [
        { say: "thank you, it has been a hard week", expect: { intent: "small_talk" } },
        { say: "sorry to bother you", expect: { intent: "small_talk" } },
        { say: "ok thanks, have a nice day", expect: { intent: "small_talk" } },
        { say: "I am in a terrible situation, please help me", expect: { intent: "small_talk" } },
      ],
      { lang: "en" },
    ),
    dialogue(
      "english-grief-gets-condolence-and-the-card",
      [
        {
          say: "My father passed away yesterday at home. What do I have to register?",
          expect: { card: "1.000656", text_has: ["condolences"], text_lacks: ["congratulation"] },
        },
        { say: "is it free", expect: { facet: "fee", about: "1.000656" } },
      ],
      { lang: "en" },
    ),
    dialogue(
      "a-lost-certificate-is-not-grief",
      [{ say: "I lost my father's death certificate", expect: { text_lacks: ["condolences"] } }],
      { lang: "en" },
    ),
  ]);
});

describe("small talk: wishes and apologies in a sentence", () => {
  dialogueCases([
    dialogue("holiday-wishes", [
      { say: "chuc ad nghi le vui ve", expect: { intent: "small_talk", text_lacks: ["chua tim duoc"] } },
      { say: "nam moi an khang thinh vuong nhe ca nha", expect: { intent: "small_talk" } },
      { say: "chuc moi nguoi mot ngay lam viec hieu qua", expect: { intent: "small_talk" } },
    ]),
    dialogue("apologising-for-oneself", [
      { say: "xin loi nay gio toi noi hoi nang loi", expect: { intent: "small_talk" } },
      { say: "em xin loi vi da lam phien ad nhieu", expect: { intent: "small_talk" } },
    ]),
    dialogue("a-polite-question-or-a-feature-is-not-small-talk", [
      { say: "xin loi cho hoi dang ky khai sinh o dau", expect: { facet: "where", about: "1.001193" } },
      { say: "xin loi, toi bi mat giay khai sinh", expect: { text_lacks: ["khong sao", "chua tim duoc"] } },
      { say: "toi muon lam di chuc de lai nha cho con", expect: { card: "faq:chung-thuc-di-chuc" } },
      { say: "chuc nang tra cuu ho so o dau", expect: { card: "guide:tra-cuu-ho-so" } },
    ]),
  ]);
});
