/**
 * Feedback (phản ánh, kiến nghị): the form that files a ticket, and looking a ticket up. Owns payloads
 * `m:fb`, `m:tk`, `fb:*`, `tk:*`, the commands /gopy, /phananh, /tracuu and the session's `fb`.
 */
import { plain } from "./cards.js";
import { action, type Feature, type Kit, type Turn } from "./feature.js";
import type { FeedbackPort } from "./ports.js";
import type { Button, Lang, Reply } from "./types.js";

/** Tickets a chat may file in 24 hours. */
export const TICKETS_PER_DAY = 5;
/** Longest feedback text. */
export const MAX_TICKET_CHARS = 2_000;
/** Version of the contact-consent text shown in the feedback form (stored with the consent). */
export const CONTACT_CONSENT_VERSION = "contact-2026-11";
/** Days after a ticket closes that contact details are kept, as the consent text says. */
export const CONTACT_RETENTION_NOTICE_DAYS = 180;
/** A ticket code typed anywhere: PA-2026-000123. */
export const TICKET_CODE = /\bPA-\d{4}-\d{6}\b/i;

const CATEGORIES = ["thu-tuc", "thai-do", "dich-vu-cong", "de-xuat", "khac"] as const;

/** Creates the feedback feature; absent ports.feedback, it is not registered at all. */
export function createFeedbackFeature(kit: Kit, feedback: FeedbackPort): Feature {
  const { t, ports } = kit;
  const cancelRow = (L: Lang): Button[] => [action(t(L, "feedback.cancel"), "fb:cancel")];
  const form = (replies: Reply[]): Reply[] =>
    replies.map((r) => (r.meta ? r : { ...r, meta: { kind: "feedback_form" } }));

  async function start(turn: Turn): Promise<Reply[]> {
    const L = turn.lang;
    const since = new Date(ports.clock.now().getTime() - 24 * 3600_000);
    if ((await feedback.ticketsSince(turn.msg.channel, turn.msg.chatId, since)) >= TICKETS_PER_DAY) {
      return [
        {
          ...kit.menu(turn, t(L, "feedback.limit", { max: TICKETS_PER_DAY })),
          meta: { kind: "feedback_form" },
        },
      ];
    }
    return form([
      {
        text: t(L, "feedback.intro"),
        buttons: [
          ...CATEGORIES.map((c) => [action(t(L, `feedback.category.${c}`), `fb:c:${c}`)]),
          [action(t(L, "menu.back"), "menu")],
        ],
      },
    ]);
  }

  function prompt(turn: Turn): Reply[] {
    const L = turn.lang;
    const fb = turn.session.fb!;
    switch (fb.step) {
      case "text":
        return form([{ text: t(L, "feedback.askText", { max: MAX_TICKET_CHARS }), buttons: [cancelRow(L)] }]);
      case "photo":
        return form([
          {
            text: t(L, "feedback.askPhoto"),
            buttons: [[action(t(L, "feedback.skipPhoto"), "fb:nophoto")], cancelRow(L)],
          },
        ]);
      case "consent":
        return form([
          {
            text: t(L, "feedback.consent", { days: CONTACT_RETENTION_NOTICE_DAYS }),
            buttons: [
              [action(t(L, "feedback.consentYes"), "fb:contact:yes")],
              [action(t(L, "feedback.consentNo"), "fb:contact:no")],
              cancelRow(L),
            ],
          },
        ]);
      case "name":
        return form([
          {
            text: t(L, "feedback.askName"),
            buttons: [cancelRow(L)],
            // Consent is given at this step: a one-tap card may now fill name and phone (Zalo OA).
            ...(ports.capabilities?.requestsContact(turn.msg.channel) ? { requestContact: true } : {}),
          },
        ]);
      case "phone":
        return form([{ text: t(L, "feedback.askPhone"), buttons: [cancelRow(L)] }]);
      case "confirm": {
        const lines = [
          t(L, "feedback.summary"),
          `${t(L, "feedback.categoryLabel")}: ${t(L, `feedback.category.${fb.category}`)}`,
          `${t(L, "feedback.textLabel")}: ${plain(fb.text ?? "")}`,
        ];
        if (fb.photo) lines.push(t(L, "feedback.withPhoto"));
        lines.push(
          fb.name || fb.phone
            ? `${t(L, "feedback.contactLabel")}: ${plain(fb.name ?? "")} ${plain(fb.phone ?? "")}`
            : t(L, "feedback.anonymous"),
        );
        return form([
          {
            text: lines.join("\n"),
            buttons: [
              [action(t(L, "feedback.sendPublic"), "fb:send:pub")],
              [action(t(L, "feedback.sendPrivate"), "fb:send:priv")],
              cancelRow(L),
            ],
          },
        ]);
      }
    }
  }

  /** Takes what the citizen typed (or the photo they sent) for the current step of the form. */
  function input(turn: Turn, text: string | undefined, photo: string | undefined): Reply[] | undefined {
    const L = turn.lang;
    const fb = turn.session.fb!;
    // Typed text at the photo step is a question like any other; only a photo answers the step.
    if (fb.step === "photo" && !photo) return undefined;
    // A shared contact card counts only once the citizen agreed to give contact details.
    const contact = turn.msg.contact;
    if (contact && (fb.step === "name" || fb.step === "phone")) {
      const phone = contact.phone?.replace(/[\s.()-]/g, "").replace(/^84(?=\d{9,10}$)/, "0");
      if (contact.name) fb.name = contact.name.trim().slice(0, 100);
      if (phone && /^(\+84|0)\d{9,10}$/.test(phone)) fb.phone = phone;
      fb.step = fb.phone ? "confirm" : fb.name ? "phone" : fb.step;
      return prompt(turn);
    }
    if (photo && (fb.step === "text" || fb.step === "photo")) fb.photo = photo.slice(0, 2048);
    if (fb.step === "text") {
      if (!text)
        return photo ? form([{ text: t(L, "feedback.photoKept"), buttons: [cancelRow(L)] }]) : prompt(turn);
      if (text.trim().length < 10)
        return form([{ text: t(L, "feedback.tooShort"), buttons: [cancelRow(L)] }]);
      fb.text = text.trim().slice(0, MAX_TICKET_CHARS);
      fb.step = fb.photo ? "consent" : "photo";
      return prompt(turn);
    }
    if (fb.step === "photo" && photo) {
      fb.step = "consent";
      return prompt(turn);
    }
    if (fb.step === "name" && text) {
      fb.name = text.trim().slice(0, 100);
      fb.step = "phone";
      return prompt(turn);
    }
    if (fb.step === "phone" && text) {
      const phone = text.replace(/[\s.()-]/g, "");
      if (!/^(\+84|0)\d{9,10}$/.test(phone))
        return form([{ text: t(L, "feedback.badPhone"), buttons: [cancelRow(L)] }]);
      fb.phone = phone;
      fb.step = "confirm";
      return prompt(turn);
    }
    return prompt(turn);
  }

  async function send(turn: Turn, publish: boolean): Promise<Reply[]> {
    const L = turn.lang;
    const fb = turn.session.fb;
    if (!fb?.text || fb.step !== "confirm") return kit.stale(turn);
    const contact = fb.name || fb.phone ? { name: fb.name, phone: fb.phone } : undefined;
    const { code } = await feedback.fileTicket({
      channel: turn.msg.channel,
      chatId: turn.msg.chatId,
      unit: turn.session.unit,
      lang: L,
      category: fb.category,
      text: fb.text,
      photo: fb.photo,
      contact,
      contactConsentVersion: contact ? CONTACT_CONSENT_VERSION : undefined,
      publishConsent: publish,
    });
    delete turn.session.fb;
    return [
      {
        text: t(L, "feedback.filed", { code }),
        buttons: [[action(t(L, "feedback.lookup"), `tk:${code}`)], [action(t(L, "menu.back"), "menu")]],
        meta: { kind: "feedback_filed", item: code },
      },
    ];
  }

  async function lookup(turn: Turn, code: string): Promise<Reply[]> {
    const L = turn.lang;
    const v = await feedback.ticket(code, turn.msg.channel, turn.msg.chatId);
    if (!v)
      return [
        {
          text: t(L, "feedback.notFound", { code: code.toUpperCase() }),
          buttons: [[action(t(L, "menu.back"), "menu")]],
          meta: { kind: "ticket_status" },
        },
      ];
    const fmt = (d: Date) =>
      d.toLocaleDateString(L === "en" ? "en-GB" : "vi-VN", { timeZone: "Asia/Ho_Chi_Minh" });
    const lines = [
      `**${v.code}** — ${t(L, `feedback.status.${v.status}`)}`,
      `${t(L, "feedback.categoryLabel")}: ${t(L, `feedback.category.${v.category}`)}`,
      t(L, "feedback.dates", { created: fmt(v.createdAt), due: fmt(v.dueAt) }),
    ];
    if (v.rejectReason) lines.push(t(L, "feedback.reason", { reason: plain(v.rejectReason) }));
    for (const r of v.replies) lines.push("", `💬 ${fmt(r.at)}: ${plain(r.text)}`);
    if (!v.own) lines.push("", t(L, "feedback.notOwner"));
    return [
      {
        text: lines.join("\n"),
        buttons: [[action(t(L, "menu.back"), "menu")]],
        meta: { kind: "ticket_status" },
      },
    ];
  }

  function lookupHelp(turn: Turn): Reply[] {
    return [
      {
        text: t(turn.lang, "feedback.lookupHelp"),
        buttons: [[action(t(turn.lang, "menu.back"), "menu")]],
        meta: { kind: "ticket_status" },
      },
    ];
  }

  return {
    name: "feedback",
    payloads: {
      "m:fb": start,
      "m:tk": lookupHelp,
      tk: (turn, [code = ""]) => lookup(turn, code),
      fb: async (turn, [a, b]) => {
        const L = turn.lang;
        if (a === "c" && (CATEGORIES as readonly string[]).includes(b ?? "")) {
          turn.session.fb = { step: "text", category: b! };
          return prompt(turn);
        }
        if (a === "cancel") {
          delete turn.session.fb;
          return [{ ...kit.menu(turn, t(L, "feedback.cancelled")), meta: { kind: "menu" } }];
        }
        if (!turn.session.fb) return kit.stale(turn);
        if (a === "nophoto" && turn.session.fb.step === "photo") turn.session.fb.step = "consent";
        else if (a === "contact" && turn.session.fb.step === "consent")
          turn.session.fb.step = b === "yes" ? "name" : "confirm";
        else if (a === "send") return send(turn, b === "pub");
        return prompt(turn);
      },
    },
    commands: {
      gopy: start,
      phananh: start,
      tracuu: (turn, arg) => {
        const code = TICKET_CODE.exec(arg)?.[0];
        return code ? lookup(turn, code) : lookupHelp(turn);
      },
    },
    form: {
      open: (turn) => {
        const step = turn.session.fb?.step;
        return step === "text" || step === "photo" || step === "name" || step === "phone";
      },
      input: (turn, text, photo) => Promise.resolve(input(turn, text, photo)),
    },
    leave(turn) {
      delete turn.session.fb;
    },
    text(turn, text) {
      const code = TICKET_CODE.exec(text)?.[0];
      return code ? lookup(turn, code) : undefined;
    },
  };
}
