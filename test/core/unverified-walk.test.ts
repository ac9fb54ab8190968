/**
 * "The warning goes wherever the fact goes" (issue 20): walks every answer path that shows a fact of
 * every shipped procedure (full card, each short facet answer typed as a resident would, the steps
 * button), in Vietnamese and English, and checks that an unverified procedure always carries the ⚠️
 * line naming its unverified facts, and a verified one never does. Guides and FAQs awaiting
 * verification carry their own line.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readContentDir } from "../../src/content/loader.js";
import type { Procedure } from "../../src/content/schemas.js";
import {
  buildConversation,
  chat,
  textOf,
  type Lang,
  type TestConversation,
} from "../helpers/conversation.js";

const read = readContentDir("content");
if (!read.ok) throw new Error("sample content invalid");
const bundle = read.bundle;

/** A follow-up question per facet, as residents type them, and a fact the answer must show. */
const FACET_QUESTIONS: Record<Lang, Array<[string, (p: Procedure) => string]>> = {
  vi: [
    ["lệ phí bao nhiêu?", (p) => p.fee],
    ["mất bao lâu?", (p) => p.processing_time],
    ["căn cứ pháp lý?", (p) => p.legal_basis[0]!],
    ["cần giấy tờ gì?", (p) => p.documents[0]!],
    ["nộp ở đâu?", (p) => p.where],
    ["nộp trực tuyến được không?", () => "Nộp trực tuyến"],
  ],
  en: [
    ["fee?", (p) => p.en?.fee ?? p.fee],
    ["how long?", (p) => p.en?.processing_time ?? p.processing_time],
    ["legal basis?", (p) => p.legal_basis[0]!],
    ["documents?", (p) => p.en?.documents?.[0] ?? p.documents[0]!],
    ["where?", (p) => p.en?.where ?? p.where],
    ["online?", () => "Online filing"],
  ],
};

let c: TestConversation;
beforeAll(async () => {
  c = await buildConversation();
});
afterAll(async () => {
  await c.close();
});

/** Checks one answer about procedure p: the ⚠️ line with every unverified fact, or none at all. */
function expectMark(text: string, p: Procedure, lang: Lang, path: string): void {
  const where = `${p.code} ${lang} ${path}`;
  if (p.unverified.length === 0) {
    expect(text, where).not.toContain("⚠️");
    return;
  }
  expect(text, where).toContain("⚠️");
  for (const f of p.unverified) expect(text, `${where}: ${f}`).toContain(c.t(lang, `card.facts.${f}`));
}

// The markup keeps only ** as special; the bot prints facts with ** replaced by *.
const shown = (s: string) => s.replace(/\*\*/g, "*").slice(0, 40);

describe("the unverified mark on every answer path", () => {
  it("should ship both verified and unverified procedures, so both branches are walked", () => {
    expect(bundle.procedures.some((p) => p.verified)).toBe(true);
    expect(bundle.procedures.some((p) => !p.verified)).toBe(true);
  });

  for (const lang of ["vi", "en"] as const) {
    it.each(bundle.procedures.map((p) => [p.code, p] as const))(
      `should mark every facet of %s in ${lang}`,
      async (_code, p) => {
        const u = chat(c.engine);
        await u.press("u:phuong-hoa-an");
        if (lang === "en") await u.press("l:en");
        const name = lang === "en" && p.en?.name ? p.en.name : p.name;

        const card = textOf(await u.press(`p:${p.code}`));
        expect(card, p.code).toContain(shown(name));
        expectMark(card, p, lang, "card");

        const steps = textOf(await u.press(`ps:${p.code}`));
        expect(steps).toContain(c.t(lang, "card.steps"));
        expectMark(steps, p, lang, "steps button");

        for (const [question, fact] of FACET_QUESTIONS[lang]) {
          await u.press(`p:${p.code}`);
          const answer = textOf(await u.say(question));
          expect(answer, `${p.code} ${lang} "${question}"`).toContain(shown(name));
          expect(answer, `${p.code} ${lang} "${question}"`).toContain(shown(fact(p)));
          expectMark(answer, p, lang, `"${question}"`);
        }
      },
    );
  }

  it("should mark a guide or FAQ that awaits verification, and only those", async () => {
    const u = chat(c.engine);
    await u.press("u:phuong-hoa-an");
    for (const g of bundle.guides) {
      const text = textOf(await u.press(`g:${g.slug}`));
      if (g.verified) expect(text, g.slug).not.toContain(c.t("vi", "card.unverifiedItem"));
      else expect(text, g.slug).toContain(c.t("vi", "card.unverifiedItem"));
    }
    for (const f of bundle.faqs) {
      const text = textOf(await u.press(`q:${f.slug}`));
      if (f.verified) expect(text, f.slug).not.toContain(c.t("vi", "card.unverifiedItem"));
      else expect(text, f.slug).toContain(c.t("vi", "card.unverifiedItem"));
    }
  });
});
