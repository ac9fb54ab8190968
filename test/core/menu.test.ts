/** The main menu (src/core/menu.ts): asked for in words, in Vietnamese or English. */
import { describe } from "vitest";
import { dialogue, dialogueCases } from "../helpers/dialogues.js";

describe("menu asked in words", () => {
  dialogueCases([
    dialogue("back-to-the-menu", [
      { say: "quay ve menu chinh", expect: { intent: "menu", lacks_card: true } },
    ]),
    dialogue(
      "help-and-what-can-you-do",
      [
        { say: "help", expect: { intent: "menu", lacks_card: true } },
        { say: "what can you do?", expect: { intent: "menu", lacks_card: true } },
      ],
      { lang: "en" },
    ),
  ]);
});
