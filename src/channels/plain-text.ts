/** Rendering for channels without markup (Zalo): plain text, numbered choices, 2,000-char parts. */
import type { Button, Reply } from "../core/types.js";
import { splitText } from "./telegram/render.js";

/** Zalo's limit on one text message (both the OA and the Bot Platform). */
export const ZALO_TEXT_LIMIT = 2000;

/** Drops our `**bold**` markers: Zalo shows text as typed. */
export function stripMarkup(text: string): string {
  return text.replace(/\*\*([^*\n][^*]*?)\*\*/g, "$1");
}

/** Splits text into Zalo-sized parts at paragraph boundaries. */
export function zaloParts(text: string): string[] {
  return splitText(text, ZALO_TEXT_LIMIT);
}

/**
 * Numbers a batch's action buttons in order, as the engine does for `session.choices`, so a reply of
 * "2" selects the second across the whole batch.
 */
export function numberActions(replies: Reply[]): Map<Button, number> {
  const numbers = new Map<Button, number>();
  let n = 0;
  for (const r of replies)
    for (const b of (r.buttons ?? []).flat()) if (b.kind === "action") numbers.set(b, ++n);
  return numbers;
}

/** Text lines for buttons shown as text: "2. Đường dây nóng", "Cổng: https://…", "Tổng đài: 1022". */
export function buttonLines(buttons: Button[], numbers: Map<Button, number>): string[] {
  return buttons.map((b) => {
    if (b.kind === "action") return `${numbers.get(b) ?? "•"}. ${b.label}`;
    if (b.kind === "url") return `🔗 ${b.label}: ${b.url}`;
    return `☎️ ${b.label}: ${b.phone}`;
  });
}
