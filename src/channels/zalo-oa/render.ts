/** Zalo OA rendering: plain text, up to 5 template buttons, the rest as numbered lines. */
import type { Reply } from "../../core/types.js";
import { buttonLines, numberActions, stripMarkup, zaloParts } from "../plain-text.js";

/** How many buttons an OA consultation message may carry. */
export const OA_MAX_BUTTONS = 5;

/** One OA button as the Open API takes it. */
export type OaButton =
  | { title: string; type: "oa.query.show"; payload: string }
  | { title: string; type: "oa.open.url"; payload: { url: string } }
  | { title: string; type: "oa.open.phone"; payload: { phone_code: string } };

/** The `message` object of `/v3.0/oa/message/cs`. */
export interface OaMessage {
  text: string;
  attachment?: { type: "template"; payload: { buttons: OaButton[] } };
}

const TITLE_LIMIT = 100;

/** Renders a batch of replies as OA messages; buttons go on the last part of each reply. */
export function renderZaloOa(replies: Reply[]): OaMessage[] {
  const numbers = numberActions(replies);
  const out: OaMessage[] = [];
  for (const r of replies) {
    const all = (r.buttons ?? []).flat().filter((b) => !(b.kind === "phone" && /x/i.test(b.phone)));
    const asButtons = all.slice(0, OA_MAX_BUTTONS);
    const asLines = all.slice(OA_MAX_BUTTONS);
    const extra = asLines.length ? `\n\n${buttonLines(asLines, numbers).join("\n")}` : "";
    const parts = zaloParts(`${stripMarkup(r.text)}${extra}`);
    parts.forEach((text, i) => {
      if (i < parts.length - 1 || asButtons.length === 0) {
        out.push({ text });
        return;
      }
      const buttons: OaButton[] = asButtons.map((b) => {
        const title = b.label.slice(0, TITLE_LIMIT);
        if (b.kind === "action") return { title, type: "oa.query.show", payload: b.payload };
        if (b.kind === "url") return { title, type: "oa.open.url", payload: { url: b.url } };
        return { title, type: "oa.open.phone", payload: { phone_code: b.phone.replace(/[^\d+]/g, "") } };
      });
      out.push({ text, attachment: { type: "template", payload: { buttons } } });
    });
  }
  return out;
}
