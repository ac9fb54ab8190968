/** Channel-neutral message types: what channels hand to the engine and what they render back. */

/** The channels motcua speaks on. */
export const CHANNEL_NAMES = ["telegram", "zalo-oa", "zalo-bot"] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];

/** UI languages; Vietnamese is the source. */
export type Lang = "vi" | "en";
export const LANGS: readonly Lang[] = ["vi", "en"];

/** A citizen's message or button press, as a channel hands it to the engine. */
export interface IncomingMessage {
  channel: ChannelName;
  /** The conversation to answer in (a private chat id). */
  chatId: string;
  /** The sender, when the platform tells. */
  userId?: string;
  /** Typed text. */
  text?: string;
  /** The payload of a pressed button (our short id). */
  payload?: string;
  /** The platform's language code of the user, e.g. "vi" or "en-US". */
  localeHint?: string;
  /** The platform's message or update id, for logs. */
  messageId?: string;
  /** A photo the citizen sent, as a platform reference (file id or URL). */
  photo?: string;
  /** Name and phone the citizen shared with the platform's one-tap contact card (Zalo OA). */
  contact?: { name?: string | undefined; phone?: string | undefined };
}

/** A button under a reply: an action of ours, a link, or a phone number to call. */
export type Button =
  | { kind: "action"; label: string; payload: string }
  | { kind: "url"; label: string; url: string }
  | { kind: "phone"; label: string; phone: string };

/**
 * One message to send. `text` is plain text with `**bold**` as the only markup; channels escape and
 * render it (Telegram HTML, Zalo plain text). `buttons` are rows.
 */
export interface Reply {
  text: string;
  buttons?: Button[][];
  /** What the reply is, for analytics and the dialogue evaluation; channels do not render it. */
  meta?: ReplyMeta;
  /** Also offer the platform's one-tap contact card, where the channel has one (see ChannelCapabilities). */
  requestContact?: boolean;
}

/**
 * What a reply is: an item's card, a short answer about one facet of it, a list of choices, or one of
 * the conversation's intents (`unit_info`, `feedback_form`, `refer`, `not_found`, …).
 */
export interface ReplyMeta {
  kind: string;
  /** The item answered: a procedure code, `guide:slug` or `faq:slug`. */
  item?: string;
  facet?: string;
  /** The items offered, when `kind` is `choices`. */
  items?: string[];
  /** The competent agency, when `kind` is `refer`. */
  agency?: string;
}

/** Upper bound of a button payload in bytes (Telegram's callback_data limit). */
export const MAX_PAYLOAD_BYTES = 64;
