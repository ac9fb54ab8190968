/**
 * Feedback (phản ánh, kiến nghị): the form that files a ticket, and looking a ticket up. Owns payloads
 * `m:fb`, `m:tk`, `fb:*`, `tk:*`, the commands /gopy, /phananh, /tracuu and the session's `fb`.
 */
import { plain } from "./cards.js";
import { action, type Feature, type Kit, type Turn } from "./feature.js";
import { foldText, isCancel, isResume, matchLabel } from "./intents.js";
import { smallTalkOf } from "./small-talk.js";
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

/** "I want to complain / suggest": starts the form with what was typed as its draft. */
const COMPLAIN =
  /\b(phan anh|gop y|kien nghi|khieu nai|to cao|phan nan|complain|complaint|feedback|report a problem)\b/;
/** "How is my complaint going?" */
const STATUS =
  /\b(tinh trang|tra cuu|den dau|the nao roi|tien do|da xu ly|chua (tra loi|xu ly|giai quyet)|xem lai|status)\b/;
/** A question typed inside the form rather than an answer to it ("à thôi, cho hỏi…"). */
const ASIDE =
  /^(a |a thoi|thoi|nhan tien|tien the|tien hoi|hoi luon|hoi them|cho hoi|cho em hoi|cho toi hoi|ma |con |but |by the way)|\b(cho hoi|hoi luon|nhan tien|tien the hoi)\b/;

/** Creates the feedback feature; absent ports.feedback, it is not registered at all. */
export function createFeedbackFeature(kit: Kit, feedback: FeedbackPort): Feature {
  const { t, ports } = kit;
  const cancelRow = (L: Lang): Button[] => [action(t(L, "feedback.cancel"), "fb:cancel")];
  const form = (replies: Reply[]): Reply[] =>
    replies.map((r) => (r.meta ? r : { ...r, meta: { kind: "feedback_form" } }));

  async function start(turn: Turn, draft?: string): Promise<Reply[]> {
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
    turn.session.fb = { step: "category", category: "", ...(draft ? { draft } : {}) };
    return form([
      {
        text: draft
          ? `${t(L, "feedback.intro")}\n\n${t(L, "feedback.draftKept", { draft: plain(draft) })}`
          : t(L, "feedback.intro"),
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
      case "category":
        return form([
          {
            text: t(L, "feedback.intro"),
            buttons: [
              ...CATEGORIES.map((c) => [action(t(L, `feedback.category.${c}`), `fb:c:${c}`)]),
              cancelRow(L),
            ],
          },
        ]);
      case "text":
        return form([
          {
            text: fb.draft
              ? t(L, "feedback.askTextDraft", { draft: plain(fb.draft), max: MAX_TICKET_CHARS })
              : t(L, "feedback.askText", { max: MAX_TICKET_CHARS }),
            buttons: [
              ...(fb.draft && fb.draft.length >= 10 ? [[action(t(L, "feedback.useDraft"), "fb:draft")]] : []),
              cancelRow(L),
            ],
          },
        ]);
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
    // Only the chat that filed a ticket sees it: codes are sequential, so anyone could guess one.
    if (!v?.own)
      return [
        {
          text: t(L, "feedback.notFoundHere", { code: code.toUpperCase() }),
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
      "m:fb": (turn) => start(turn),
      "m:tk": lookupHelp,
      tk: (turn, [code = ""]) => lookup(turn, code),
      fb: async (turn, [a, b]) => {
        const L = turn.lang;
        if (a === "c" && (CATEGORIES as readonly string[]).includes(b ?? "")) {
          const draft = turn.session.fb?.draft;
          turn.session.fb = { step: "text", category: b!, ...(draft ? { draft } : {}) };
          return prompt(turn);
        }
        if (a === "resume" && turn.session.fb) {
          delete turn.session.fb.paused;
          return prompt(turn);
        }
        if (a === "draft" && turn.session.fb?.step === "text" && turn.session.fb.draft) {
          const fb = turn.session.fb;
          fb.text = fb.draft!.slice(0, MAX_TICKET_CHARS);
          fb.step = fb.photo ? "consent" : "photo";
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
      gopy: (turn) => start(turn),
      phananh: (turn) => start(turn),
      tracuu: (turn, arg) => {
        const code = TICKET_CODE.exec(arg)?.[0];
        return code ? lookup(turn, code) : lookupHelp(turn);
      },
    },
    form: {
      open: (turn) => turn.session.fb !== undefined,
      async input(turn, text, photo) {
        const fb = turn.session.fb!;
        const folded = text ? foldText(text) : "";
        if (text && isCancel(folded)) {
          delete turn.session.fb;
          return [{ ...kit.menu(turn, t(turn.lang, "feedback.cancelled")), meta: { kind: "menu" } }];
        }
        if (text && isResume(folded)) {
          delete fb.paused;
          return prompt(turn);
        }
        // A shared contact card (Zalo OA one-tap) answers the name and phone steps.
        if (turn.msg.contact && (fb.step === "name" || fb.step === "phone"))
          return input(turn, undefined, undefined);
        // The photo step takes a photo (with or without a caption) whenever it comes.
        if (photo && (fb.step === "text" || fb.step === "photo")) {
          delete fb.paused;
          return input(turn, fb.step === "text" ? text : undefined, photo);
        }
        if (!text) return fb.paused ? undefined : prompt(turn);
        // A step answered by its buttons: a typed label counts as pressing it.
        if (fb.step === "category" || fb.step === "photo" || fb.step === "consent" || fb.step === "confirm") {
          const rows = prompt(turn)[0]?.buttons ?? [];
          const buttons = rows.flat().flatMap((b) => (b.kind === "action" ? [b] : []));
          const i = matchLabel(
            folded,
            buttons.map((b) => b.label),
          );
          if (i !== undefined) {
            delete fb.paused;
            return kit.press(turn, buttons[i]!.payload);
          }
          fb.paused = true;
          return undefined; // a question: answered elsewhere, the form waits
        }
        // Free text is the form's only while it is not paused and not a question or a "thank you"
        // said on the side.
        if (fb.paused || ASIDE.test(folded) || smallTalkOf(text, folded)) {
          fb.paused = true;
          return undefined;
        }
        return input(turn, text, undefined);
      },
      pausedRow: (turn) => [
        action(t(turn.lang, "feedback.resume"), "fb:resume"),
        action(t(turn.lang, "feedback.cancel"), "fb:cancel"),
      ],
    },
    leave(turn, by) {
      // A command leaves the form; another button only pauses it ("tiếp tục" resumes).
      if (by === "command") delete turn.session.fb;
      else if (turn.session.fb) turn.session.fb.paused = true;
    },
    text(turn, text, folded) {
      const code = TICKET_CODE.exec(text)?.[0];
      if (code) return lookup(turn, code);
      if (/\b(phan anh|phieu|gop y|kien nghi|khieu nai|ticket)\b/.test(folded) && STATUS.test(folded))
        return lookupHelp(turn);
      if (COMPLAIN.test(folded))
        return start(turn, text.length > 12 ? text.slice(0, MAX_TICKET_CHARS) : undefined);
      return undefined;
    },
  };
}
