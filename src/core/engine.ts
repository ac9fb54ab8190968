/**
 * The conversation engine: `handle(message) → replies`, channel-neutral and pure over its ports. It
 * understands the turn (command, button payload, open form, intent) and routes it to the feature
 * modules registered below, each owning its payloads, commands, form and session slice. Every
 * user-visible text goes through the injected translator.
 */
import type { Feature, Kit, Turn } from "./feature.js";
import { action } from "./feature.js";
import { createFeedbackFeature } from "./feedback.js";
import { createHandoffFeature } from "./handoff.js";
import { createHandoffFlow } from "./handoff-flow.js";
import { expandShorthand, foldText, parseCommand } from "./intents.js";
import { createLanguageFeature } from "./language.js";
import { createMainMenu, createMenuFeature } from "./menu.js";
import { createOfficeFeature } from "./office.js";
import type { EnginePorts } from "./ports.js";
import { createPrivacyFeature } from "./privacy.js";
import { createProceduresFeature } from "./procedures/index.js";
import { createRatingsFeature } from "./ratings.js";
import { createReferralFeature } from "./referral.js";
import { createSmallTalkFeature } from "./small-talk.js";
import { createSubscriptionsFeature } from "./subscriptions.js";
import { LANGS, type IncomingMessage, type Lang, type Reply } from "./types.js";

export {
  CONTACT_CONSENT_VERSION,
  CONTACT_RETENTION_NOTICE_DAYS,
  MAX_TICKET_CHARS,
  TICKETS_PER_DAY,
} from "./feedback.js";
export { PAGE_SIZE } from "./procedures/index.js";
export { SUBSCRIPTION_CONSENT_VERSION } from "./subscriptions.js";

/** Longest text the engine reads; longer messages are cut (a question is never this long). */
export const MAX_TEXT_CHARS = 1_000;

/** The engine as channels use it. */
export interface Engine {
  handle(msg: IncomingMessage): Promise<Reply[]>;
  /** Like `handle`, also telling the language the replies are in (for channel-added text). */
  handleTurn(msg: IncomingMessage): Promise<{ replies: Reply[]; lang: Lang }>;
}

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
  const selectableUnits = () => ports.content.view().units.filter((u) => u.kind !== "province");
  const handoffOffered = (turn: Turn) =>
    ports.handoff?.availability(turn.session.unit, ports.clock.now()).reachable ?? false;
  const menu = createMainMenu(ports, handoffOffered, selectableUnits);

  const kit: Kit = {
    ports,
    t,
    menu,
    stale: (turn) => [menu(turn, t(turn.lang, "errors.stale"))],
    handoffOffered,
    personRow: (turn) => (handoffOffered(turn) ? [[action(t(turn.lang, "menu.human"), "h:req")]] : []),
    selectableUnits,
    unitOf: (turn) => ports.content.view().units.find((u) => u.id === turn.session.unit),
    press: (turn, payload) => onPayload(turn, payload),
  };

  // === Features, in the order they are asked about typed text (the catalogue search comes last).
  const flow = ports.handoff
    ? createHandoffFlow({ port: ports.handoff, t, clock: ports.clock, menu, canFileTicket: !!ports.feedback })
    : undefined;
  const procedures = createProceduresFeature(kit);
  const features: Feature[] = [
    ...(flow ? [createHandoffFeature(kit, flow)] : []),
    ...(ports.feedback ? [createFeedbackFeature(kit, ports.feedback)] : []),
    createRatingsFeature(kit),
    createPrivacyFeature(kit),
    createSubscriptionsFeature(kit),
    createMenuFeature(kit),
    createLanguageFeature(kit),
    createSmallTalkFeature(kit),
    createOfficeFeature(kit),
    createReferralFeature(kit),
    procedures,
  ];

  const payloadOwners = new Map<string, Feature>();
  const commands = new Map<string, NonNullable<Feature["commands"]>[string]>();
  for (const f of features) {
    for (const prefix of Object.keys(f.payloads ?? {})) payloadOwners.set(prefix, f);
    for (const [name, h] of Object.entries(f.commands ?? {})) commands.set(name, h);
  }

  // === Routing

  async function onPayload(turn: Turn, payload: string): Promise<Reply[]> {
    const parts = payload.split(":");
    const [kind = "", a = ""] = parts;
    const exact = `${kind}:${a}`;
    const owner = payloadOwners.get(exact) ?? payloadOwners.get(kind);
    // Another feature's button pauses (or, for some, closes) what a feature has open.
    if (owner) for (const f of features) if (f !== owner) f.leave?.(turn, "payload");
    if (!owner) return kit.stale(turn);
    if (payloadOwners.get(exact) === owner && owner.payloads?.[exact])
      return owner.payloads[exact](turn, parts.slice(2));
    return owner.payloads![kind]!(turn, parts.slice(1));
  }

  async function onCommand(turn: Turn, name: string, arg: string): Promise<Reply[]> {
    for (const f of features) f.leave?.(turn, "command");
    const handler = commands.get(name);
    if (handler) return handler(turn, arg);
    return [menu(turn, t(turn.lang, "errors.unknownCommand"))];
  }

  async function onText(turn: Turn, raw: string | undefined, photo: string | undefined): Promise<Reply[]> {
    const text = (raw ?? "").slice(0, MAX_TEXT_CHARS).trim();
    const cmd = text ? parseCommand(text) : undefined;
    if (cmd) return onCommand(turn, cmd.name, cmd.arg);
    const folded = expandShorthand(foldText(text));
    const choices = turn.session.choices;
    if (choices && /^\d{1,2}$/.test(folded)) {
      const chosen = choices[Number(folded) - 1];
      if (chosen) return onPayload(turn, chosen);
    }
    // An open form takes what is typed or sent first; what it does not take (a question asked in the
    // middle of it) is answered as usual, and the form waits with "continue" and "cancel" buttons.
    let paused: Feature | undefined;
    for (const f of features) {
      if (!f.form?.open(turn)) continue;
      const replies = await f.form.input(turn, text || undefined, photo);
      if (replies) return replies;
      if (f.form.open(turn)) paused ??= f;
    }
    if (!text) return photo ? [menu(turn, t(turn.lang, "errors.photoOutsideForm"))] : [menu(turn)];
    let replies: Reply[] | undefined;
    for (const f of features) {
      replies = await f.text?.(turn, text, folded);
      if (replies) break;
    }
    replies ??= procedures.catalogue.notFound(turn);
    const row = paused?.form?.pausedRow?.(turn);
    if (row && replies.length && !turn.forget) {
      const last = replies[replies.length - 1]!;
      replies[replies.length - 1] = { ...last, buttons: [row, ...(last.buttons ?? [])] };
    }
    return replies;
  }

  async function handleTurn(msg: IncomingMessage): Promise<{ replies: Reply[]; lang: Lang }> {
    const session = (await ports.sessions.get(msg.channel, msg.chatId)) ?? {};
    const turn: Turn = { msg, session, lang: session.lang ?? langFromHint(msg.localeHint) ?? "vi" };
    const command = typedCommand(msg);
    let replies: Reply[] | undefined;
    for (const f of features) {
      replies = await f.intercept?.(turn, command);
      if (replies) break;
    }
    if (msg.payload !== undefined) replies ??= await onPayload(turn, msg.payload.slice(0, 64));
    else if (msg.text !== undefined || msg.photo !== undefined || msg.contact !== undefined)
      replies ??= await onText(turn, msg.text, msg.photo);
    else replies ??= [menu(turn, t(turn.lang, "errors.textOnly"))];
    if (!turn.forget) {
      const actions = replies
        .flatMap((r) => (r.buttons ?? []).flat())
        .flatMap((b) => (b.kind === "action" ? [b] : []));
      turn.session.choices = actions.map((b) => b.payload);
      turn.session.labels = actions.map((b) => b.label.slice(0, 64));
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
