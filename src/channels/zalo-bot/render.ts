/**
 * Zalo Bot Platform rendering: no buttons exist, so choices become numbered lines. Text with our
 * `**bold**` goes with `parse_mode: "markdown"` when nothing else in it could be read as markup;
 * otherwise the markers are dropped and it goes as plain text.
 */
import type { Reply } from "../../core/types.js";
import { buttonLines, numberActions, stripMarkup, zaloParts } from "../plain-text.js";

/** One message for sendMessage. */
export interface BotText {
  text: string;
  parseMode?: "markdown";
}

/** Markdown characters other than our `**` pairs: any of them and the part is sent as plain text. */
const OTHER_MARKUP = /[_`[\]#~>|]/;

function asBotText(part: string): BotText {
  const withoutBold = part.replace(/\*\*([^*\n][^*]*?)\*\*/g, "$1");
  if (withoutBold !== part && !withoutBold.includes("*") && !OTHER_MARKUP.test(part))
    return { text: part, parseMode: "markdown" };
  return { text: stripMarkup(part) };
}

/** Renders a batch of replies as messages; `hint` explains how to choose by number. */
export function renderZaloBot(replies: Reply[], hint: string): BotText[] {
  const numbers = numberActions(replies);
  const out: BotText[] = [];
  for (const r of replies) {
    const buttons = (r.buttons ?? []).flat();
    const lines = buttons.length ? `\n\n${buttonLines(buttons, numbers).join("\n")}` : "";
    const withHint = buttons.some((b) => b.kind === "action") ? `${lines}\n\n${hint}` : lines;
    out.push(...zaloParts(`${r.text}${withHint}`).map(asBotText));
  }
  return out;
}
