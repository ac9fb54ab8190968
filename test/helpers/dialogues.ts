/** Runs dialogues (../shared/dialogue-eval.md format) through the real engine, one vitest case each. */
import { afterAll, beforeAll, expect, it } from "vitest";
import { createDialogueHarness, type Dialogue, type DialogueHarness } from "../../scripts/dialogue/run.js";

/** Declares one test per dialogue; each must hold in every turn. */
export function dialogueCases(dialogues: Dialogue[]): void {
  let h: DialogueHarness;
  beforeAll(async () => {
    h = await createDialogueHarness();
  }, 60_000);
  afterAll(async () => {
    await h.close();
  });
  it.each(dialogues.map((d) => [d.id, d] as const))("should hold in every turn: %s", async (_id, d) => {
    const failed = (await h.run(d)).filter((r) => !r.pass).map((r) => `#${r.n} ${r.sent} -> ${r.got}`);
    expect(failed).toEqual([]);
  });
}

/** A dialogue in a ward, in Vietnamese, at the default clock. */
export function dialogue(id: string, turns: Dialogue["turns"], extra: Partial<Dialogue> = {}): Dialogue {
  return { id, unit: "phuong-hoa-an", lang: "vi", turns, ...extra };
}
