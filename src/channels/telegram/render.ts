/** Turning channel-neutral replies into Telegram messages: HTML, inline keyboards, 4096-char parts. */
import { MAX_PAYLOAD_BYTES, type Reply } from "../../core/types.js";

/** Telegram's limit on a message's text. */
export const TELEGRAM_TEXT_LIMIT = 4096;

export type InlineButton = { text: string; callback_data: string } | { text: string; url: string };

/** One sendMessage call. */
export interface TelegramMessage {
  text: string;
  reply_markup?: { inline_keyboard: InlineButton[][] };
}

/** Escapes the three characters Telegram's HTML parse mode treats as markup. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Escapes everything, then turns our `**bold**` markers into `<b>`. */
export function toHtml(text: string): string {
  return escapeHtml(text).replace(/\*\*([^*\n][^*]*?)\*\*/g, "<b>$1</b>");
}

/**
 * Splits text into parts of at most `limit` characters, at paragraph breaks when possible, then at
 * line breaks, then hard. Splitting happens before HTML conversion so no tag is ever cut.
 */
export function splitText(text: string, limit: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    let cut = rest.lastIndexOf("\n\n", limit);
    if (cut < limit / 2) cut = rest.lastIndexOf("\n", limit);
    if (cut < limit / 2) cut = rest.lastIndexOf(" ", limit);
    if (cut <= 0) cut = limit;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length || parts.length === 0) parts.push(rest);
  return parts;
}

/**
 * Renders a reply as one or more Telegram messages; buttons go under the last part. Phone buttons
 * become text lines (inline keyboards accept only http(s) and tg:// links; Telegram apps make the
 * numbers tappable).
 */
export function renderTelegram(reply: Reply): TelegramMessage[] {
  const all = (reply.buttons ?? []).flat();
  const phones = all.flatMap((b) => (b.kind === "phone" ? [`☎️ ${b.label}: **${b.phone}**`] : []));
  // A payload over callback_data's 64 bytes cannot be a button; it becomes a numbered line instead of
  // failing the whole reply (the engine keeps each reply's actions as numbered choices, so typing the
  // number selects it; numbered within this reply, which is right when earlier replies of the batch
  // carry no actions, as engine replies do).
  const actions = all.filter((b) => b.kind === "action");
  const numbered = actions.flatMap((b, i) =>
    Buffer.byteLength(b.payload, "utf8") > MAX_PAYLOAD_BYTES ? [`${i + 1}. ${b.label}`] : [],
  );
  const lines = [...phones, ...numbered];
  const text = lines.length ? `${reply.text}\n\n${lines.join("\n")}` : reply.text;
  // Leave room for the HTML that escaping and <b> tags add.
  const parts = splitText(text, TELEGRAM_TEXT_LIMIT - 600).map(toHtml);
  const keyboard: InlineButton[][] = [];
  for (const row of reply.buttons ?? []) {
    const out: InlineButton[] = [];
    for (const b of row) {
      if (b.kind === "action") {
        if (Buffer.byteLength(b.payload, "utf8") > MAX_PAYLOAD_BYTES) continue;
        out.push({ text: b.label, callback_data: b.payload });
      } else if (b.kind === "url") out.push({ text: b.label, url: b.url });
    }
    if (out.length) keyboard.push(out);
  }
  return parts.map((p, i) =>
    i === parts.length - 1 && keyboard.length
      ? { text: p, reply_markup: { inline_keyboard: keyboard } }
      : { text: p },
  );
}
