/**
 * Zalo OA rendering: plain text with up to 5 template buttons (the rest as numbered lines), and the
 * same message as plain text with every choice numbered, for when Zalo refuses the buttons (-201).
 * Action buttons are `oa.query.hide`: `oa.query.show` would post our payload (`ps:1.000894`) into the
 * citizen's own chat (platforms.md).
 */
import type { Reply } from "../../core/types.js";
import { buttonLines, numberActions, stripMarkup, zaloParts } from "../plain-text.js";

/** How many buttons an OA consultation message may carry. */
export const OA_MAX_BUTTONS = 5;

/** One OA button as the Open API takes it. */
export type OaButton =
  | { title: string; type: "oa.query.hide"; payload: string }
  | { title: string; type: "oa.open.url"; payload: { url: string } }
  | { title: string; type: "oa.open.phone"; payload: { phone_code: string } };

/** A media element: an image by URL or by an uploaded `attachment_id` (zalo-java-sdk SendImageCSMessage). */
export type OaMediaElement =
  { media_type: "image"; url: string } | { media_type: "image"; attachment_id: string };

/** The `message` object of `/v3.0/oa/message/cs`. */
export interface OaMessage {
  text?: string;
  attachment?:
    | { type: "template"; payload: { buttons: OaButton[] } }
    | { type: "template"; payload: { template_type: "media"; elements: [OaMediaElement] } }
    | {
        type: "template";
        payload: {
          template_type: "request_user_info";
          elements: [{ title: string; subtitle: string; image_url: string }];
        };
      };
}

/** One message to send, with what to send instead if Zalo refuses its buttons. */
export interface OaOutgoing {
  message: OaMessage;
  /** The same content as plain text with numbered choices (sent when the buttons get -201). */
  fallback?: OaMessage[];
}

const TITLE_LIMIT = 100;
const PAYLOAD_LIMIT = 1000;

/** Renders a batch of replies as OA messages; buttons go on the last part of each reply. */
export function renderZaloOa(replies: Reply[]): OaOutgoing[] {
  const numbers = numberActions(replies);
  const out: OaOutgoing[] = [];
  for (const r of replies) {
    const all = (r.buttons ?? []).flat().filter((b) => !(b.kind === "phone" && /x/i.test(b.phone)));
    const asButtons = all.slice(0, OA_MAX_BUTTONS);
    const asLines = all.slice(OA_MAX_BUTTONS);
    const extra = asLines.length ? `\n\n${buttonLines(asLines, numbers).join("\n")}` : "";
    const body = stripMarkup(r.text);
    const parts = zaloParts(`${body}${extra}`);
    parts.forEach((text, i) => {
      if (i < parts.length - 1 || asButtons.length === 0) {
        out.push({ message: { text } });
        return;
      }
      const buttons: OaButton[] = asButtons.map((b) => {
        const title = b.label.slice(0, TITLE_LIMIT);
        if (b.kind === "action")
          return { title, type: "oa.query.hide", payload: b.payload.slice(0, PAYLOAD_LIMIT) };
        if (b.kind === "url") return { title, type: "oa.open.url", payload: { url: b.url } };
        return { title, type: "oa.open.phone", payload: { phone_code: b.phone.replace(/[^\d+]/g, "") } };
      });
      const numbered = `${text}\n\n${buttonLines(asButtons, numbers).join("\n")}`;
      out.push({
        message: { text, attachment: { type: "template", payload: { buttons } } },
        fallback: zaloParts(numbered).map((part) => ({ text: part })),
      });
    });
  }
  return out;
}

/** The buttons of a message (none for media and contact-card templates). */
export function oaButtons(m: OaMessage): OaButton[] {
  const p = m.attachment?.payload;
  return p && "buttons" in p ? p.buttons : [];
}

/** An image message by URL or uploaded attachment id, with an optional caption. */
export function oaImage(image: { url: string } | { attachmentId: string }, caption?: string): OaMessage {
  const element: OaMediaElement =
    "url" in image
      ? { media_type: "image", url: image.url }
      : { media_type: "image", attachment_id: image.attachmentId };
  return {
    ...(caption ? { text: zaloParts(stripMarkup(caption))[0] } : {}),
    attachment: { type: "template", payload: { template_type: "media", elements: [element] } },
  };
}

/** The one-tap request for the citizen's name and phone (zalo-java-sdk SendRequestUserInfoCSMessage). */
export function oaRequestUserInfo(title: string, subtitle: string, imageUrl: string): OaMessage {
  return {
    attachment: {
      type: "template",
      payload: {
        template_type: "request_user_info",
        elements: [
          { title: title.slice(0, TITLE_LIMIT), subtitle: subtitle.slice(0, 500), image_url: imageUrl },
        ],
      },
    },
  };
}
