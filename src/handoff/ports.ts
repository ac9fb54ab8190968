/** What the handoff service needs from a staff-side channel, and what it offers one. */
import type { ChannelName, Reply } from "../core/types.js";

/** A photo as a platform reference: a Telegram file id, or a Zalo image URL. */
export interface PhotoRef {
  channel: ChannelName;
  ref: string;
}

/** A staff member as the desk knows them: a stable id, and a display name (shown only if configured). */
export interface StaffRef {
  id: string;
  name?: string | undefined;
}

/** Where staff see handoffs: a staff Telegram group per unit. */
export interface StaffDesk {
  /** Posts a message (or a photo with `reply.text` as caption); its message id, or undefined on failure. */
  post(
    chatId: string,
    reply: Reply,
    opts?: { replyTo?: number | undefined; photo?: PhotoRef | undefined },
  ): Promise<number | undefined>;
  /** Replaces the text and buttons of an earlier message (the request's card). */
  edit(chatId: string, messageId: number, reply: Reply): Promise<void>;
}

/** What the desk hands back: staff messages and button presses in a staff chat. */
export interface StaffInbound {
  isStaffChat(chatId: string): boolean;
  /** A staff message; the answer to post in the group (a refusal, a confirmation), if any. */
  onMessage(m: {
    chatId: string;
    staff: StaffRef;
    replyTo?: number | undefined;
    text?: string | undefined;
    photo?: string | undefined;
  }): Promise<{ reply: Reply; replyTo?: number | undefined } | undefined>;
  /** A button press on a card; the short notice to show the presser. */
  onButton(b: { chatId: string; staff: StaffRef; data: string }): Promise<string>;
}
