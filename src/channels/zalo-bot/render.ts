/** Zalo Bot Platform rendering: no buttons exist, so choices become numbered lines. */
import type { Reply } from "../../core/types.js";
import { buttonLines, numberActions, stripMarkup, zaloParts } from "../plain-text.js";

/** Renders a batch of replies as plain-text messages; `hint` explains how to choose by number. */
export function renderZaloBot(replies: Reply[], hint: string): string[] {
  const numbers = numberActions(replies);
  const out: string[] = [];
  for (const r of replies) {
    const buttons = (r.buttons ?? []).flat();
    const lines = buttons.length ? `\n\n${buttonLines(buttons, numbers).join("\n")}` : "";
    const withHint = buttons.some((b) => b.kind === "action") ? `${lines}\n\n${hint}` : lines;
    out.push(...zaloParts(`${stripMarkup(r.text)}${withHint}`));
  }
  return out;
}
