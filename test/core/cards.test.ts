/**
 * The first answer about a procedure fits a phone screen (issue 17 point 5: "≤ about 600 characters"):
 * every shipped procedure, in Vietnamese and English, opened as a resident would. A time, fee or place
 * cut short on the card is one tap away whole, and nothing is lost: the tap shows the full fact.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readContentDir } from "../../src/content/loader.js";
import type { Procedure } from "../../src/content/schemas.js";
import type { Reply } from "../../src/core/types.js";
import { buildConversation, chat, textOf, type TestConversation } from "../helpers/conversation.js";

const read = readContentDir("content");
if (!read.ok) throw new Error("sample content invalid");
const bundle = read.bundle;

/** What the phone shows: the bold markers are not characters on screen. */
const shown = (s: string) => s.replace(/\*\*/g, "");

let c: TestConversation;
beforeAll(async () => {
  c = await buildConversation();
});
afterAll(async () => {
  await c.close();
});

const facts = (p: Procedure, lang: "vi" | "en") => ({
  time: lang === "en" ? (p.en?.processing_time ?? p.processing_time) : p.processing_time,
  fee: lang === "en" ? (p.en?.fee ?? p.fee) : p.fee,
});

const actions = (replies: Reply[]) =>
  replies.flatMap((r) => (r.buttons ?? []).flat()).flatMap((b) => (b.kind === "action" ? [b] : []));

describe("the procedure card on a phone", () => {
  for (const lang of ["vi", "en"] as const) {
    it.each(bundle.procedures.map((p) => [p.code, p] as const))(
      `should show %s in ${lang} within 600 characters, each cut fact a tap away in full`,
      async (_code, p) => {
        const u = chat(c.engine);
        await u.press("u:phuong-hoa-an");
        if (lang === "en") await u.press("l:en");
        const replies = await u.press(`p:${p.code}`);
        const card = shown(textOf(replies));
        expect(card.length, `${p.code} ${lang}:\n${card}`).toBeLessThanOrEqual(600);

        const buttons = actions(replies);
        const f = facts(p, lang);
        for (const [facet, full] of Object.entries(f)) {
          const whole = shown(full.replace(/\*\*/g, "*"));
          if (card.includes(whole)) continue;
          // Cut on the card: its own button shows it whole.
          const button = buttons.find((b) => b.payload === `pf:${p.code}:${facet}`);
          expect(button, `${p.code} ${lang}: ${facet} is cut but has no button`).toBeDefined();
          expect(card, `${p.code} ${lang}: a cut ${facet} is marked with …`).toContain("…");
          const tapped = shown(textOf(await u.press(button!.payload)));
          expect(tapped).toContain(whole);
        }
      },
    );
  }

  it("should cut a long fee at a clause and keep its first clause on the card", async () => {
    // Temporary residence: the fee names two amounts, then a long list of exemptions.
    const p = bundle.procedures.find((x) => x.fee.length > 200);
    expect(p, "the sample content has a procedure with a long fee").toBeDefined();
    const u = chat(c.engine);
    await u.press("u:phuong-hoa-an");
    const card = shown(textOf(await u.press(`p:${p!.code}`)));
    const firstClause = p!.fee.split(/[.;] /)[0]!;
    expect(card).toContain(firstClause);
    expect(card).not.toContain(p!.fee);
  });
});
