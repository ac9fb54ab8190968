/** The chat's language (src/core/language.ts): switched by buttons, commands, or asked in words. */
import { describe, expect, it } from "vitest";
import { languageAsked } from "../../src/core/language.js";
import { foldText } from "../../src/core/intents.js";
import { dialogue, dialogueCases } from "../helpers/dialogues.js";

describe("language asked in words", () => {
  it("should read a request to switch, whichever language it is typed in", () => {
    const asked = (text: string) => languageAsked(foldText(text));
    expect(asked("English please")).toBe("en");
    expect(asked("Can you speak English?")).toBe("en");
    expect(asked("cho em hỏi bằng tiếng Anh được không")).toBe("en");
    expect(asked("I don't read Vietnamese")).toBe("en");
    expect(asked("tiếng Việt")).toBe("vi");
    expect(asked("nói tiếng Việt đi")).toBe("vi");
    expect(asked("Vietnamese please")).toBe("vi");
  });

  it("should not take a question that only names a language for a switch", () => {
    const asked = (text: string) => languageAsked(foldText(text));
    expect(asked("certify an English translation of my degree")).toBeUndefined();
    expect(asked("we are both Vietnamese and want to get married")).toBeUndefined();
    expect(asked("chứng thực bản dịch tiếng Anh")).toBeUndefined();
  });

  dialogueCases([
    dialogue("english-please-in-a-vietnamese-chat-then-english-answers", [
      { say: "English please", expect: { intent: "language", text_has: ["switched to english"] } },
      { say: "how do I register a death", expect: { card: "1.000656", text_has: ["death registration"] } },
      { say: "is it free", expect: { facet: "fee", about: "1.000656", text_has: ["fee"] } },
    ]),
    dialogue(
      "back-to-vietnamese-in-words",
      [
        { say: "tiếng Việt", expect: { intent: "language", text_has: ["da chuyen sang tieng viet"] } },
        { say: "lam giay khai sinh can gi", expect: { facet: "documents", about: "1.001193" } },
        { say: "English", expect: { intent: "language" } },
        { say: "nói tiếng Việt đi", expect: { intent: "language", text_has: ["tieng viet"] } },
      ],
      { lang: "en" },
    ),
    dialogue("a-translation-question-is-not-a-switch", [
      { say: "chung thuc chu ky nguoi dich ban dich tieng anh", expect: { card: "2.001008" } },
    ]),
  ]);
});
