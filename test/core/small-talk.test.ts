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
  ]);
});
