/**
 * Long, polite messages (src/core/procedures/follow-ups.ts): a greeting and a story around the question
 * must not hide the item the question names; a facet asked with nothing in discussion asks which one.
 */
import { describe } from "vitest";
import { dialogue, dialogueCases } from "../helpers/dialogues.js";

describe("long messages and facets without a topic", () => {
  dialogueCases([
    dialogue("a-story-then-the-question", [
      {
        say: "Kính chào phường. Con gái tôi đi làm ở thành phố, hai vợ chồng nó bận quá nên đứa nhỏ gần hai tháng rồi vẫn chưa có giấy tờ gì. Cho tôi hỏi muốn đăng ký khai sinh cho cháu thì làm thế nào ạ?",
        expect: { card: "1.001193" },
      },
      { say: "phi bao nhieu a", expect: { facet: "fee", about: "1.001193" } },
    ]),
    dialogue("a-facet-with-nothing-in-discussion-asks-which-procedure", [
      { say: "Mất mấy ngày vậy ạ?", expect: { lacks_card: true, text_has: ["thu tuc nao"] } },
      { say: "can mang nhung giay to gi", expect: { lacks_card: true, text_has: ["thu tuc nao"] } },
    ]),
  ]);
});
