/** The chat's language (src/core/language.ts): switched by buttons, commands, or asked in words. */
import { describe, expect, it } from "vitest";
import { languageAsked, typedInEnglish } from "../../src/core/language.js";
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

  it("should tell an English message from Vietnamese typed without diacritics or chat slang", () => {
    expect(typedInEnglish("is it free?")).toBe(true);
    expect(typedInEnglish("how do I register my baby's birth")).toBe(true);
    expect(typedInEnglish("co the lam online duoc khong")).toBe(false);
    expect(typedInEnglish("oke tks ad")).toBe(false);
    expect(typedInEnglish("Làm giấy khai sinh online thế nào")).toBe(false);
  });

  dialogueCases([
    dialogue("an-english-question-in-a-vietnamese-chat-is-answered-in-english", [
      {
        say: "how do I get a copy of my marriage certificate",
        expect: { card: "2.000635", text_has: ["copy of a civil-status extract"] },
      },
      { say: "how much is it", expect: { facet: "fee", about: "2.000635", text_has: ["fee"] } },
      { say: "le phi bao nhieu", expect: { facet: "fee", about: "2.000635", text_has: ["le phi"] } },
    ]),
    dialogue("english-please-in-a-vietnamese-chat-then-english-answers", [
      { say: "English please", expect: { intent: "language", text_has: ["switched to english"] } },
      { say: "how do I register a death", expect: { card: "1.000656", text_has: ["death registration"] } },
      { say: "is it free", expect: { facet: "fee", about: "1.000656", text_has: ["fee"] } },
    ]),
    dialogue(
      "back-to-vietnamese-in-words",
      [
        { say: "tiếng Việt", expect: { intent: "language", text_has: ["da chuyen sang tieng viet"] } },
        { say: "dang ky khai sinh", expect: { card: "1.001193", text_has: ["dang ky khai sinh"] } },
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
