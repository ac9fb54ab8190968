/**
 * The conversation engine: `handle(message) → replies`, channel-neutral and pure over its ports.
 * Every user-visible text goes through the injected translator.
 */
import {
  faqText,
  facetText,
  guideText,
  hotlineLine,
  plain,
  procedureButtons,
  procedureCard,
  ratingButtons,
} from "./cards.js";
import { createHandoffFlow } from "./handoff-flow.js";
import {
  detectFacet,
  foldText,
  isGreeting,
  parseCommand,
  scrubQuery,
  wantsPerson,
  withoutFacet,
  yesNo,
} from "./intents.js";
import type { EnginePorts, Session } from "./ports.js";
import { TOPICS, type Topic } from "./topics.js";
import { LANGS, type Button, type IncomingMessage, type Lang, type Reply } from "./types.js";

/** Longest text the engine reads; longer messages are cut (a question is never this long). */
export const MAX_TEXT_CHARS = 1_000;
/** Procedures listed per page when browsing a field. */
export const PAGE_SIZE = 6;
/** Tickets a chat may file in 24 hours. */
export const TICKETS_PER_DAY = 5;
/** Longest feedback text. */
export const MAX_TICKET_CHARS = 2_000;
/** Version of the contact-consent text shown in the feedback form (stored with the consent). */
export const CONTACT_CONSENT_VERSION = "contact-2026-11";
/** Days after a ticket closes that contact details are kept, as the consent text says. */
export const CONTACT_RETENTION_NOTICE_DAYS = 180;
/** A ticket code typed anywhere: PA-2026-000123. */
const TICKET_CODE = /\bPA-\d{4}-\d{6}\b/i;
/** Version of the subscription notice the citizen agreed to (stored with the consent). */
export const SUBSCRIPTION_CONSENT_VERSION = "sub-2026-11";

/** The engine as channels use it. */
export interface Engine {
  handle(msg: IncomingMessage): Promise<Reply[]>;
  /** Like `handle`, also telling the language the replies are in (for channel-added text). */
  handleTurn(msg: IncomingMessage): Promise<{ replies: Reply[]; lang: Lang }>;
}

interface Turn {
  msg: IncomingMessage;
  session: Session;
  lang: Lang;
  /** Set when the session must not be saved again (it was deleted). */
  forget?: boolean;
}

const action = (label: string, payload: string): Button => ({ kind: "action", label, payload });

/** The command a typed message gives ("/menu" → "menu"; a bare "menu" counts too). */
function typedCommand(msg: IncomingMessage): string | undefined {
  if (msg.payload !== undefined || msg.text === undefined) return undefined;
  const text = msg.text.slice(0, MAX_TEXT_CHARS);
  return parseCommand(text)?.name ?? (foldText(text) === "menu" ? "menu" : undefined);
}

function langFromHint(hint: string | undefined): Lang | undefined {
  const code = hint?.slice(0, 2).toLowerCase();
  return LANGS.find((l) => l === code);
}

/** Creates the engine over its ports, e.g. `createEngine(ports).handle(msg)`. */
export function createEngine(ports: EnginePorts): Engine {
  const { t } = ports;

  // === Menus

  function mainMenu(turn: Turn, lead?: string): Reply {
    const L = turn.lang;
    const unit = turn.session.unit
      ? ports.content.view().units.find((u) => u.id === turn.session.unit)
      : undefined;
    const unitLine = unit
      ? `\n${t(L, "menu.unit", { unit: L === "en" && unit.name_en ? unit.name_en : unit.name })}`
      : "";
    const rows: Button[][] = [
      [action(t(L, "menu.procedures"), "m:proc"), action(t(L, "menu.guides"), "m:guide")],
      [action(t(L, "menu.hotlines"), "m:hot"), action(t(L, "menu.surveys"), "m:survey")],
      [action(t(L, "menu.subscribe"), "m:sub"), action(t(L, "menu.language"), "m:lang")],
    ];
    // Feedback appears only when the feedback module is wired in.
    if (ports.feedback)
      rows.splice(2, 0, [action(t(L, "menu.feedback"), "m:fb"), action(t(L, "menu.lookup"), "m:tk")]);
    if (handoff?.offered(turn)) rows.splice(2, 0, [action(t(L, "menu.human"), "h:req")]);
    if (selectableUnits().length > 1)
      rows.push([action(t(L, "menu.changeUnit"), "m:unit"), action(t(L, "menu.privacy"), "m:privacy")]);
    else rows.push([action(t(L, "menu.privacy"), "m:privacy")]);
    return { text: `${lead ? `${lead}\n\n` : ""}${t(L, "menu.title")}${unitLine}`, buttons: rows };
  }

  const handoff = ports.handoff
    ? createHandoffFlow({
        port: ports.handoff,
        t,
        clock: ports.clock,
        menu: mainMenu,
        canFileTicket: ports.feedback !== undefined,
      })
    : undefined;

  /** The "talk to a person" row, when the chat's unit has a team reachable in chat. */
  function personRow(turn: Turn): Button[][] {
    return handoff?.offered(turn) ? [[action(t(turn.lang, "menu.human"), "h:req")]] : [];
  }

  function selectableUnits() {
    return ports.content.view().units.filter((u) => u.kind !== "province");
  }

  function unitChoice(turn: Turn, lead?: string): Reply {
    const L = turn.lang;
    const units = selectableUnits();
    return {
      text: `${lead ? `${lead}\n\n` : ""}${t(L, "unit.choose")}`,
      buttons: units.map((u) => [action(L === "en" && u.name_en ? u.name_en : u.name, `u:${u.id}`)]),
    };
  }

  function start(turn: Turn): Reply[] {
    const welcome = t(turn.lang, "welcome");
    if (!turn.session.unit && selectableUnits().length > 1) return [unitChoice(turn, welcome)];
    if (!turn.session.unit) turn.session.unit = selectableUnits()[0]?.id;
    return [mainMenu(turn, welcome)];
  }

  // === Procedures, guides, FAQs

  function showProcedure(turn: Turn, code: string): Reply[] {
    const view = ports.content.view();
    const p = view.procedures.find((x) => x.code === code);
    if (!p) return [mainMenu(turn, t(turn.lang, "errors.stale"))];
    turn.session.lastProcedure = p.code;
    ports.views?.viewed({
      kind: "procedure",
      id: p.code,
      channel: turn.msg.channel,
      unit: turn.session.unit,
    });
    const buttons = procedureButtons(p, turn.lang, t, view);
    if (ports.feedback)
      buttons.splice(buttons.length - 1, 0, [action(t(turn.lang, "rating.rateAnswer"), `rt:p:${p.code}`)]);
    return [{ text: procedureCard(p, turn.lang, t, view), buttons }];
  }

  function showFacet(turn: Turn, code: string, facet: NonNullable<ReturnType<typeof detectFacet>>): Reply[] {
    const view = ports.content.view();
    const p = view.procedures.find((x) => x.code === code);
    if (!p) return [mainMenu(turn, t(turn.lang, "errors.stale"))];
    turn.session.lastProcedure = p.code;
    return [
      {
        text: facetText(p, facet, turn.lang, t, view),
        buttons: [
          [
            action(t(turn.lang, "card.buttons.full"), `p:${p.code}`),
            action(t(turn.lang, "menu.back"), "menu"),
          ],
        ],
      },
    ];
  }

  function showGuide(turn: Turn, slug: string): Reply[] {
    const g = ports.content.view().guides.find((x) => x.slug === slug);
    if (!g) return [mainMenu(turn, t(turn.lang, "errors.stale"))];
    ports.views?.viewed({ kind: "guide", id: g.slug, channel: turn.msg.channel, unit: turn.session.unit });
    const buttons: Button[][] = g.links.map((l) => [{ kind: "url", label: l.label, url: l.url }]);
    buttons.push([action(t(turn.lang, "menu.guides"), "m:guide"), action(t(turn.lang, "menu.back"), "menu")]);
    return [{ text: guideText(g, turn.lang), buttons }];
  }

  function showFaq(turn: Turn, slug: string): Reply[] {
    const view = ports.content.view();
    const f = view.faqs.find((x) => x.slug === slug);
    if (!f) return [mainMenu(turn, t(turn.lang, "errors.stale"))];
    ports.views?.viewed({ kind: "faq", id: f.slug, channel: turn.msg.channel, unit: turn.session.unit });
    const related = f.related.flatMap((r) => {
      if (r.startsWith("guide:")) {
        const g = view.guides.find((x) => x.slug === r.slice(6));
        return g ? [action(turn.lang === "en" && g.title_en ? g.title_en : g.title, `g:${g.slug}`)] : [];
      }
      const p = view.procedures.find((x) => x.code === r);
      return p ? [action(p.name, `p:${p.code}`)] : [];
    });
    return [
      {
        text: faqText(f, turn.lang),
        buttons: [...related.map((b) => [b]), [action(t(turn.lang, "menu.back"), "menu")]],
      },
    ];
  }

  function showHit(turn: Turn, hit: { id: string; kind: "procedure" | "guide" | "faq" }): Reply[] {
    if (hit.kind === "guide") return showGuide(turn, hit.id.slice("guide:".length));
    if (hit.kind === "faq") return showFaq(turn, hit.id.slice("faq:".length));
    return showProcedure(turn, hit.id);
  }

  function hitPayload(hit: { id: string; kind: "procedure" | "guide" | "faq" }): string {
    if (hit.kind === "guide") return `g:${hit.id.slice(6)}`;
    if (hit.kind === "faq") return `q:${hit.id.slice(4)}`;
    return `p:${hit.id}`;
  }

  function notFound(turn: Turn): Reply[] {
    const L = turn.lang;
    return [
      {
        text: t(L, "search.none"),
        buttons: [
          ...personRow(turn),
          [action(t(L, "menu.hotlines"), "m:hot"), action(t(L, "menu.procedures"), "m:proc")],
          [action(t(L, "menu.back"), "menu")],
        ],
      },
    ];
  }

  async function question(turn: Turn, text: string): Promise<Reply[]> {
    // Kept (scrubbed) for staff, should the citizen ask for a person next (only where one can be reached).
    if (handoff?.offered(turn))
      turn.session.recent = [...(turn.session.recent ?? []), scrubQuery(text)].slice(-3);
    const folded = foldText(text);
    const facet = detectFacet(folded);
    const last = turn.session.lastProcedure;
    // After a card, a question about one of its facets ("phí bao nhiêu?") is about that procedure,
    // unless what remains once the facet words are gone clearly names something else.
    const residual = facet && last ? withoutFacet(folded) : text;
    const answer = await ports.content.search(residual || text, {
      channel: turn.msg.channel,
      unit: turn.session.unit,
    });
    const top = answer.hits[0];
    if (facet && last && !(answer.level === "confident" && top && top.id !== last))
      return showFacet(turn, last, facet);
    if (answer.level === "confident" && top) {
      if (facet && top.kind === "procedure" && facet !== "documents") return showFacet(turn, top.id, facet);
      return showHit(turn, top);
    }
    if (answer.level === "unsure" && answer.hits.length) {
      const L = turn.lang;
      return [
        {
          text: t(L, "search.unsure"),
          buttons: [
            ...answer.hits.slice(0, 3).map((h) => [action(h.title, hitPayload(h))]),
            ...personRow(turn),
            [action(t(L, "search.noneOfThese"), "m:hot"), action(t(L, "menu.back"), "menu")],
          ],
        },
      ];
    }
    return notFound(turn);
  }

  function browseFields(turn: Turn): Reply[] {
    const L = turn.lang;
    const fields = ports.content.view().fields;
    const rows: Button[][] = [];
    for (let i = 0; i < fields.length; i += 2) {
      rows.push(fields.slice(i, i + 2).map((f) => action(L === "en" ? f.name_en : f.name, `f:${f.id}:0`)));
    }
    rows.push([action(t(L, "menu.back"), "menu")]);
    return [{ text: t(L, "browse.fields"), buttons: rows }];
  }

  function browseField(turn: Turn, fieldId: string, page: number): Reply[] {
    const L = turn.lang;
    const view = ports.content.view();
    const field = view.fields.find((f) => f.id === fieldId);
    if (!field) return [mainMenu(turn, t(L, "errors.stale"))];
    const all = view.procedures.filter((p) => p.field === fieldId);
    const pages = Math.max(1, Math.ceil(all.length / PAGE_SIZE));
    const current = Math.min(Math.max(0, page), pages - 1);
    const items = all.slice(current * PAGE_SIZE, current * PAGE_SIZE + PAGE_SIZE);
    const nav: Button[] = [];
    if (current > 0) nav.push(action(t(L, "browse.prev"), `f:${fieldId}:${current - 1}`));
    if (current < pages - 1) nav.push(action(t(L, "browse.next"), `f:${fieldId}:${current + 1}`));
    return [
      {
        text: t(L, "browse.field", {
          field: L === "en" ? field.name_en : field.name,
          page: current + 1,
          pages,
        }),
        buttons: [
          ...items.map((p) => [action(L === "en" && p.en?.name ? p.en.name : p.name, `p:${p.code}`)]),
          ...(nav.length ? [nav] : []),
          [action(t(L, "browse.allFields"), "m:proc"), action(t(L, "menu.back"), "menu")],
        ],
      },
    ];
  }

  function related(turn: Turn, code: string): Reply[] {
    const view = ports.content.view();
    const p = view.procedures.find((x) => x.code === code);
    if (!p) return [mainMenu(turn, t(turn.lang, "errors.stale"))];
    const items = p.related.flatMap((c) => view.procedures.filter((x) => x.code === c));
    return [
      {
        text: t(turn.lang, "card.relatedTitle", { name: p.name }),
        buttons: [
          ...items.map((x) => [action(x.name, `p:${x.code}`)]),
          [action(t(turn.lang, "menu.back"), "menu")],
        ],
      },
    ];
  }

  // === Hotlines, guides list, surveys

  function hotlines(turn: Turn): Reply[] {
    const L = turn.lang;
    const view = ports.content.view();
    const unitId = turn.session.unit;
    const unit = view.units.find((u) => u.id === unitId);
    const own = view.hotlines.filter((h) => h.unit !== undefined && h.unit === unitId);
    const shared = view.hotlines.filter((h) => h.unit === undefined);
    const lines = [
      t(L, "hotlines.title", {
        unit: unit ? (L === "en" && unit.name_en ? unit.name_en : unit.name) : t(L, "hotlines.province"),
      }),
    ];
    const all = [...own, ...shared];
    for (const h of all) lines.push(hotlineLine(h, L, t));
    if (unit?.address) lines.push("", `📍 ${unit.address}`);
    if (unit?.office_hours) lines.push(`🕒 ${unit.office_hours}`);
    if (all.some((h) => h.sample)) lines.push("", t(L, "hotlines.sampleNote"));
    const callable: Button[] = all
      .filter((h) => !h.sample)
      .map((h) => ({
        kind: "phone",
        label: `${L === "en" && h.label_en ? h.label_en : h.label}`,
        phone: h.phone,
      }));
    const rows: Button[][] = callable.map((b) => [b]);
    if (!unitId && selectableUnits().length > 1) rows.push([action(t(L, "menu.changeUnit"), "m:unit")]);
    rows.push([action(t(L, "menu.back"), "menu")]);
    return [{ text: lines.join("\n"), buttons: rows }];
  }

  function guides(turn: Turn): Reply[] {
    const L = turn.lang;
    const list = ports.content.view().guides;
    return [
      {
        text: t(L, "guides.title"),
        buttons: [
          ...list.map((g) => [action(L === "en" && g.title_en ? g.title_en : g.title, `g:${g.slug}`)]),
          [action(t(L, "menu.back"), "menu")],
        ],
      },
    ];
  }

  function surveys(turn: Turn): Reply[] {
    const L = turn.lang;
    const links = ports.content.view().surveys.links.filter((l) => !l.unit || l.unit === turn.session.unit);
    const lines = [
      t(L, "surveys.title"),
      ...links.map((l) => `• ${l.label}${l.sample ? ` ${t(L, "surveys.sample")}` : ""}`),
    ];
    const rate: Button[][] = ports.feedback ? [[action(t(L, "rating.rateService"), "rt:s:")]] : [];
    return [
      {
        text: lines.join("\n"),
        buttons: [
          ...rate,
          ...links.map((l): Button[] => [{ kind: "url", label: l.label, url: l.url }]),
          [action(t(L, "menu.back"), "menu")],
        ],
      },
    ];
  }

  // === Subscriptions, language, unit, privacy

  async function subscriptionMenu(turn: Turn, lead?: string): Promise<Reply[]> {
    const L = turn.lang;
    const sub = await ports.subscriptions.get(turn.msg.channel, turn.msg.chatId);
    const head = lead ? `${lead}\n\n` : "";
    if (!sub) {
      return [
        {
          text: `${head}${t(L, "subscribe.notice")}`,
          buttons: [[action(t(L, "subscribe.agree"), "sub:on")], [action(t(L, "menu.back"), "menu")]],
        },
      ];
    }
    const rows = TOPICS.map((topic) => [
      action(`${sub.topics.includes(topic) ? "✅" : "⬜"} ${t(L, `topics.${topic}`)}`, `t:${topic}`),
    ]);
    rows.push([action(t(L, "subscribe.stop"), "sub:off")], [action(t(L, "menu.back"), "menu")]);
    return [{ text: `${head}${t(L, "subscribe.manage")}`, buttons: rows }];
  }

  async function subscribe(turn: Turn): Promise<Reply[]> {
    const existing = await ports.subscriptions.get(turn.msg.channel, turn.msg.chatId);
    await ports.subscriptions.subscribe(turn.msg.channel, turn.msg.chatId, {
      topics: existing?.topics ?? [...TOPICS],
      unit: turn.session.unit,
      lang: turn.lang,
      consentVersion: SUBSCRIPTION_CONSENT_VERSION,
    });
    return subscriptionMenu(turn, t(turn.lang, "subscribe.done"));
  }

  async function toggleTopic(turn: Turn, topic: Topic): Promise<Reply[]> {
    const sub = await ports.subscriptions.get(turn.msg.channel, turn.msg.chatId);
    if (!sub) return subscriptionMenu(turn);
    const topics = sub.topics.includes(topic)
      ? sub.topics.filter((x) => x !== topic)
      : [...sub.topics, topic];
    await ports.subscriptions.subscribe(turn.msg.channel, turn.msg.chatId, {
      ...sub,
      topics,
      consentVersion: SUBSCRIPTION_CONSENT_VERSION,
    });
    return subscriptionMenu(turn);
  }

  async function unsubscribe(turn: Turn): Promise<Reply[]> {
    await ports.subscriptions.unsubscribe(turn.msg.channel, turn.msg.chatId);
    return [mainMenu(turn, t(turn.lang, "subscribe.stopped"))];
  }

  async function setLanguage(turn: Turn, lang: Lang): Promise<Reply[]> {
    turn.session.lang = lang;
    turn.lang = lang;
    const sub = await ports.subscriptions.get(turn.msg.channel, turn.msg.chatId);
    if (sub)
      await ports.subscriptions.subscribe(turn.msg.channel, turn.msg.chatId, {
        ...sub,
        lang,
        consentVersion: SUBSCRIPTION_CONSENT_VERSION,
      });
    return [mainMenu(turn, t(lang, "language.changed"))];
  }

  async function setUnit(turn: Turn, unitId: string): Promise<Reply[]> {
    const unit = selectableUnits().find((u) => u.id === unitId);
    if (!unit) return [mainMenu(turn, t(turn.lang, "errors.stale"))];
    turn.session.unit = unit.id;
    const sub = await ports.subscriptions.get(turn.msg.channel, turn.msg.chatId);
    if (sub)
      await ports.subscriptions.subscribe(turn.msg.channel, turn.msg.chatId, {
        ...sub,
        unit: unit.id,
        consentVersion: SUBSCRIPTION_CONSENT_VERSION,
      });
    return [
      mainMenu(
        turn,
        t(turn.lang, "unit.chosen", { unit: turn.lang === "en" && unit.name_en ? unit.name_en : unit.name }),
      ),
    ];
  }

  function privacy(turn: Turn): Reply[] {
    const L = turn.lang;
    return [
      {
        text: t(L, "privacy.text"),
        buttons: [[action(t(L, "privacy.delete"), "del:ask")], [action(t(L, "menu.back"), "menu")]],
      },
    ];
  }

  function askDelete(turn: Turn): Reply[] {
    const L = turn.lang;
    turn.session.awaiting = "delete-confirm";
    return [
      {
        text: t(L, "privacy.confirm"),
        buttons: [[action(t(L, "privacy.yes"), "del:yes"), action(t(L, "privacy.no"), "del:no")]],
      },
    ];
  }

  async function confirmDelete(turn: Turn, yes: boolean): Promise<Reply[]> {
    const L = turn.lang;
    delete turn.session.awaiting;
    if (!yes) return [mainMenu(turn, t(L, "privacy.kept"))];
    await ports.privacy.deleteChatData(turn.msg.channel, turn.msg.chatId);
    turn.forget = true;
    return [{ text: t(L, "privacy.deleted"), buttons: [[action(t(L, "menu.restart"), "menu")]] }];
  }

  // === Feedback (phản ánh kiến nghị), ticket lookup, ratings

  const CATEGORIES = ["thu-tuc", "thai-do", "dich-vu-cong", "de-xuat", "khac"] as const;
  const SIPAS = ["tiep-can", "thu-tuc", "cong-chuc", "ket-qua", "phan-anh"] as const;
  const cancelRow = (L: Lang): Button[] => [action(t(L, "feedback.cancel"), "fb:cancel")];

  async function feedbackStart(turn: Turn): Promise<Reply[]> {
    const L = turn.lang;
    const fb = ports.feedback!;
    const since = new Date(ports.clock.now().getTime() - 24 * 3600_000);
    if ((await fb.ticketsSince(turn.msg.channel, turn.msg.chatId, since)) >= TICKETS_PER_DAY) {
      return [mainMenu(turn, t(L, "feedback.limit", { max: TICKETS_PER_DAY }))];
    }
    return [
      {
        text: t(L, "feedback.intro"),
        buttons: [
          ...CATEGORIES.map((c) => [action(t(L, `feedback.category.${c}`), `fb:c:${c}`)]),
          [action(t(L, "menu.back"), "menu")],
        ],
      },
    ];
  }

  function feedbackPrompt(turn: Turn): Reply[] {
    const L = turn.lang;
    const fb = turn.session.fb!;
    switch (fb.step) {
      case "text":
        return [{ text: t(L, "feedback.askText", { max: MAX_TICKET_CHARS }), buttons: [cancelRow(L)] }];
      case "photo":
        return [
          {
            text: t(L, "feedback.askPhoto"),
            buttons: [[action(t(L, "feedback.skipPhoto"), "fb:nophoto")], cancelRow(L)],
          },
        ];
      case "consent":
        return [
          {
            text: t(L, "feedback.consent", { days: CONTACT_RETENTION_NOTICE_DAYS }),
            buttons: [
              [action(t(L, "feedback.consentYes"), "fb:contact:yes")],
              [action(t(L, "feedback.consentNo"), "fb:contact:no")],
              cancelRow(L),
            ],
          },
        ];
      case "name":
        return [{ text: t(L, "feedback.askName"), buttons: [cancelRow(L)] }];
      case "phone":
        return [{ text: t(L, "feedback.askPhone"), buttons: [cancelRow(L)] }];
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
        return [
          {
            text: lines.join("\n"),
            buttons: [
              [action(t(L, "feedback.sendPublic"), "fb:send:pub")],
              [action(t(L, "feedback.sendPrivate"), "fb:send:priv")],
              cancelRow(L),
            ],
          },
        ];
      }
    }
  }

  /** Takes what the citizen typed (or the photo they sent) for the current step of the form. */
  function feedbackInput(turn: Turn, text: string | undefined, photo: string | undefined): Reply[] {
    const L = turn.lang;
    const fb = turn.session.fb!;
    if (photo && (fb.step === "text" || fb.step === "photo")) fb.photo = photo.slice(0, 2048);
    if (fb.step === "text") {
      if (!text)
        return photo ? [{ text: t(L, "feedback.photoKept"), buttons: [cancelRow(L)] }] : feedbackPrompt(turn);
      if (text.trim().length < 10) return [{ text: t(L, "feedback.tooShort"), buttons: [cancelRow(L)] }];
      fb.text = text.trim().slice(0, MAX_TICKET_CHARS);
      fb.step = fb.photo ? "consent" : "photo";
      return feedbackPrompt(turn);
    }
    if (fb.step === "photo" && photo) {
      fb.step = "consent";
      return feedbackPrompt(turn);
    }
    if (fb.step === "name" && text) {
      fb.name = text.trim().slice(0, 100);
      fb.step = "phone";
      return feedbackPrompt(turn);
    }
    if (fb.step === "phone" && text) {
      const phone = text.replace(/[\s.()-]/g, "");
      if (!/^(\+84|0)\d{9,10}$/.test(phone))
        return [{ text: t(L, "feedback.badPhone"), buttons: [cancelRow(L)] }];
      fb.phone = phone;
      fb.step = "confirm";
      return feedbackPrompt(turn);
    }
    return feedbackPrompt(turn);
  }

  async function feedbackSend(turn: Turn, publish: boolean): Promise<Reply[]> {
    const L = turn.lang;
    const fb = turn.session.fb;
    if (!fb?.text || fb.step !== "confirm") return [mainMenu(turn, t(L, "errors.stale"))];
    const contact = fb.name || fb.phone ? { name: fb.name, phone: fb.phone } : undefined;
    const { code } = await ports.feedback!.fileTicket({
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
      },
    ];
  }

  async function ticketLookup(turn: Turn, code: string): Promise<Reply[]> {
    const L = turn.lang;
    const v = await ports.feedback!.ticket(code, turn.msg.channel, turn.msg.chatId);
    if (!v)
      return [
        {
          text: t(L, "feedback.notFound", { code: code.toUpperCase() }),
          buttons: [[action(t(L, "menu.back"), "menu")]],
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
    return [{ text: lines.join("\n"), buttons: [[action(t(L, "menu.back"), "menu")]] }];
  }

  function ratingScale(turn: Turn, kind: string, id: string): Reply[] {
    const L = turn.lang;
    return [
      {
        text: t(L, "rating.ask"),
        buttons: ratingButtons(L, t, kind, id),
      },
    ];
  }

  async function rate(turn: Turn, kind: string, id: string, score: number): Promise<Reply[]> {
    const L = turn.lang;
    const target = {
      kind: kind === "p" ? "procedure" : kind === "t" ? "ticket" : kind === "h" ? "handoff" : "service",
      id: id || undefined,
    } as const;
    if (!(score >= 1 && score <= 5)) return [mainMenu(turn, t(L, "errors.stale"))];
    const r = await ports.feedback!.rate({
      channel: turn.msg.channel,
      chatId: turn.msg.chatId,
      unit: turn.session.unit,
      target,
      score,
    });
    if (r === "duplicate") return [mainMenu(turn, t(L, "rating.already"))];
    turn.session.rating = { id: r.id, step: "comment" };
    return [
      {
        text: t(L, "rating.thanks"),
        buttons: [[action(t(L, "rating.sipas"), "sp:start")], [action(t(L, "rating.skip"), "rc:skip")]],
      },
    ];
  }

  function sipasQuestion(turn: Turn, i: number): Reply[] {
    const L = turn.lang;
    const el = SIPAS[i]!;
    return [
      {
        text: t(L, "rating.sipasQuestion", {
          n: i + 1,
          total: SIPAS.length,
          element: t(L, `rating.elements.${el}`),
        }),
        buttons: [
          ...[5, 4, 3, 2, 1].map((n) => [action(t(L, `rating.scale.${n}`), `sp:${i}:${n}`)]),
          [action(t(L, "rating.skip"), "rc:skip")],
        ],
      },
    ];
  }

  async function sipasAnswer(turn: Turn, i: number, score: number): Promise<Reply[]> {
    const r = turn.session.rating;
    if (!r || !SIPAS[i] || !(score >= 1 && score <= 5)) return [mainMenu(turn, t(turn.lang, "errors.stale"))];
    await ports.feedback!.sipas(r.id, SIPAS[i], score);
    if (i + 1 < SIPAS.length) {
      turn.session.rating = { ...r, step: "sipas", next: i + 1 };
      return sipasQuestion(turn, i + 1);
    }
    delete turn.session.rating;
    return [mainMenu(turn, t(turn.lang, "rating.sipasDone"))];
  }

  async function onFeedbackPayload(
    turn: Turn,
    kind: string,
    a: string,
    b: string,
    c: string,
  ): Promise<Reply[] | undefined> {
    if (!ports.feedback) return undefined;
    const L = turn.lang;
    switch (kind) {
      case "fb":
        if (a === "c" && (CATEGORIES as readonly string[]).includes(b)) {
          turn.session.fb = { step: "text", category: b };
          return feedbackPrompt(turn);
        }
        if (a === "cancel") {
          delete turn.session.fb;
          return [mainMenu(turn, t(L, "feedback.cancelled"))];
        }
        if (!turn.session.fb) return [mainMenu(turn, t(L, "errors.stale"))];
        if (a === "nophoto" && turn.session.fb.step === "photo") turn.session.fb.step = "consent";
        else if (a === "contact" && turn.session.fb.step === "consent")
          turn.session.fb.step = b === "yes" ? "name" : "confirm";
        else if (a === "send") return feedbackSend(turn, b === "pub");
        return feedbackPrompt(turn);
      case "tk":
        return ticketLookup(turn, a);
      case "rt":
        return ratingScale(turn, a, b);
      case "rs":
        return rate(turn, a, b, Number(c));
      case "rc":
        delete turn.session.rating;
        return [mainMenu(turn, t(L, "rating.bye"))];
      case "sp":
        if (a === "start" && turn.session.rating) return sipasQuestion(turn, 0);
        return sipasAnswer(turn, Number(a), Number(b));
      default:
        return undefined;
    }
  }

  // === Dispatch

  async function onPayload(turn: Turn, payload: string): Promise<Reply[]> {
    const [kind = "", a = "", b = "", c = ""] = payload.split(":");
    // Leaving the form through another button abandons it.
    if (kind !== "fb" && turn.session.fb) delete turn.session.fb;
    const fbReply = await onFeedbackPayload(turn, kind, a, b, c);
    if (fbReply) return fbReply;
    switch (kind) {
      case "menu":
        return [mainMenu(turn)];
      case "m":
        switch (a) {
          case "proc":
            return browseFields(turn);
          case "guide":
            return guides(turn);
          case "hot":
            return hotlines(turn);
          case "survey":
            return surveys(turn);
          case "sub":
            return subscriptionMenu(turn);
          case "lang":
            return [
              {
                text: t(turn.lang, "language.choose"),
                buttons: [
                  [action(t(turn.lang, "language.vi"), "l:vi"), action(t(turn.lang, "language.en"), "l:en")],
                ],
              },
            ];
          case "unit":
            return [unitChoice(turn)];
          case "privacy":
            return privacy(turn);
          case "fb":
            if (ports.feedback) return feedbackStart(turn);
            break;
          case "tk":
            if (ports.feedback)
              return [
                {
                  text: t(turn.lang, "feedback.lookupHelp"),
                  buttons: [[action(t(turn.lang, "menu.back"), "menu")]],
                },
              ];
            break;
          default:
            break;
        }
        break;
      case "h":
        if (handoff) return handoff.onPayload(turn, a);
        break;
      case "p":
        return showProcedure(turn, a);
      case "ps":
        return showFacet(turn, a, "steps");
      case "pr":
        return related(turn, a);
      case "g":
        return showGuide(turn, a);
      case "q":
        return showFaq(turn, a);
      case "f":
        return browseField(turn, a, Number.parseInt(b, 10) || 0);
      case "u":
        return setUnit(turn, a);
      case "l":
        if (a === "vi" || a === "en") return setLanguage(turn, a);
        break;
      case "sub":
        if (a === "on") return subscribe(turn);
        if (a === "off") return unsubscribe(turn);
        break;
      case "t":
        if ((TOPICS as readonly string[]).includes(a)) return toggleTopic(turn, a as Topic);
        break;
      case "del":
        if (a === "ask") return askDelete(turn);
        if (a === "yes" || a === "no") return confirmDelete(turn, a === "yes");
        break;
      default:
        break;
    }
    return [mainMenu(turn, t(turn.lang, "errors.stale"))];
  }

  async function onCommand(turn: Turn, name: string, arg: string): Promise<Reply[]> {
    switch (name) {
      case "start":
        return start(turn);
      case "menu":
      case "help":
        return [mainMenu(turn)];
      case "privacy":
      case "baomat":
        return privacy(turn);
      case "xoadulieu":
        return askDelete(turn);
      case "hotline":
      case "duongdaynong":
        return hotlines(turn);
      case "thutuc":
        return arg ? question(turn, arg) : browseFields(turn);
      case "lang":
      case "ngonngu":
        return onPayload(turn, "m:lang");
      case "gopy":
      case "phananh":
        return onPayload(turn, "m:fb");
      case "tracuu": {
        const code = TICKET_CODE.exec(arg)?.[0];
        if (ports.feedback && code) return ticketLookup(turn, code);
        return onPayload(turn, "m:tk");
      }
      default:
        return [mainMenu(turn, t(turn.lang, "errors.unknownCommand"))];
    }
  }

  async function onText(turn: Turn, raw: string): Promise<Reply[]> {
    const text = raw.slice(0, MAX_TEXT_CHARS).trim();
    if (!text) return [mainMenu(turn)];
    const cmd = parseCommand(text);
    if (cmd) {
      delete turn.session.fb;
      delete turn.session.rating;
      return onCommand(turn, cmd.name, cmd.arg);
    }
    const folded = foldText(text);
    const fb = turn.session.fb;
    if (fb && ports.feedback && (fb.step === "text" || fb.step === "name" || fb.step === "phone"))
      return feedbackInput(turn, text, undefined);
    if (turn.session.rating?.step === "comment" && ports.feedback && !/^\d{1,2}$/.test(folded)) {
      await ports.feedback.comment(turn.session.rating.id, text);
      delete turn.session.rating;
      return [mainMenu(turn, t(turn.lang, "rating.commentThanks"))];
    }
    const ticketCode = TICKET_CODE.exec(text)?.[0];
    if (ticketCode && ports.feedback) return ticketLookup(turn, ticketCode);
    if (turn.session.awaiting === "delete-confirm") {
      const yes = yesNo(folded);
      if (yes !== undefined) return confirmDelete(turn, yes);
      delete turn.session.awaiting;
    }
    const choices = turn.session.choices;
    if (choices && /^\d{1,2}$/.test(folded)) {
      const chosen = choices[Number(folded) - 1];
      if (chosen) return onPayload(turn, chosen);
    }
    if (folded === "menu") return [mainMenu(turn)];
    if (isGreeting(folded)) return start(turn);
    if (handoff && wantsPerson(folded)) return handoff.onPayload(turn, "req");
    return question(turn, text);
  }

  async function handleTurn(msg: IncomingMessage): Promise<{ replies: Reply[]; lang: Lang }> {
    const session = (await ports.sessions.get(msg.channel, msg.chatId)) ?? {};
    const turn: Turn = { msg, session, lang: session.lang ?? langFromHint(msg.localeHint) ?? "vi" };
    // A chat with an open request to talk to a person goes to the handoff flow first.
    let replies = session.handoff && handoff ? await handoff.intercept(turn, typedCommand(msg)) : undefined;
    if (msg.payload !== undefined) replies ??= await onPayload(turn, msg.payload.slice(0, 64));
    else if (msg.text !== undefined) replies ??= await onText(turn, msg.text);
    else replies ??= [mainMenu(turn, t(turn.lang, "errors.textOnly"))];
    if (!turn.forget) {
      turn.session.choices = replies
        .flatMap((r) => (r.buttons ?? []).flat())
        .flatMap((b) => (b.kind === "action" ? [b.payload] : []));
      if (!turn.session.lang) turn.session.lang = turn.lang;
      await ports.sessions.save(msg.channel, msg.chatId, turn.session);
    }
    return { replies, lang: turn.lang };
  }

  return {
    handleTurn,
    async handle(msg) {
      return (await handleTurn(msg)).replies;
    },
  };
}
