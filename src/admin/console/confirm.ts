/**
 * Confirmation for destructive console actions (send now, cancel, end a live chat, reject a ticket,
 * remove a unit from an account): the first post shows what will happen and asks; only a post that
 * carries `confirmed=yes` acts. Works without JavaScript.
 */
import type { Response } from "express";
import { html, type Html } from "../../reports/html.js";
import { csrfField, page, type View } from "./layout.js";

/** Whether a posted form carries the confirmation. */
export const isConfirmed = (body: unknown): boolean =>
  (body as Record<string, unknown> | undefined)?.confirmed === "yes";

/**
 * Answers a destructive post that is not confirmed yet with a page asking to confirm: the same post
 * again (every field kept) plus `confirmed=yes`, or back to `back`.
 */
export function askToConfirm(
  res: Response,
  v: View,
  opts: {
    title: string;
    question: string | Html;
    action: string;
    confirm: string;
    back: string;
    body?: unknown;
  },
): void {
  const fields = Object.entries((opts.body ?? {}) as Record<string, unknown>).flatMap(([k, val]) =>
    k === "_csrf" || k === "confirmed"
      ? []
      : (Array.isArray(val) ? val : [val])
          .filter((x): x is string => typeof x === "string")
          .map((x) => html`<input type="hidden" name="${k}" value="${x}" />`),
  );
  res.type("html").send(
    page(
      v,
      opts.title,
      html`<form class="card confirm" method="post" action="${opts.action}">
        ${csrfField(v)} ${fields}
        <input type="hidden" name="confirmed" value="yes" />
        <p>${opts.question}</p>
        <p class="row actions">
          <button type="submit" class="danger">${opts.confirm}</button>
          <a class="button secondary" href="${opts.back}">${v.tr("confirm.back")}</a>
        </p>
      </form>`,
    ),
  );
}
