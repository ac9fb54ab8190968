/**
 * What a feature module of the conversation declares, and what the engine hands it: the turn being
 * answered and a small kit of shared helpers. As grammY composes a bot from composers, the engine
 * knows features only by these declarations (README.md, "Conversations", lists the modules).
 */
import type { EnginePorts, Session, Translate, UnitInfo } from "./ports.js";
import type { Button, IncomingMessage, Lang, Reply, ReplyMeta } from "./types.js";

/** One message being answered: the message, the chat's session (changed in place) and its language. */
export interface Turn {
  msg: IncomingMessage;
  session: Session;
  lang: Lang;
  /** Set when the session must not be saved again (it was deleted). */
  forget?: boolean;
}

/** Answers a pressed button; `args` are the payload's parts after its prefix (`p:1.001193` → ["1.001193"]). */
export type PayloadHandler = (turn: Turn, args: string[]) => Promise<Reply[]> | Reply[];
/** Answers a command; `arg` is the text after it (`/tracuu PA-…` → "PA-…"). */
export type CommandHandler = (turn: Turn, arg: string) => Promise<Reply[]> | Reply[];

/** A form or pending question a feature keeps open in the session (feedback form, rating comment…). */
export interface FeatureForm {
  /** True while the form is open in this chat's session. */
  open(turn: Turn): boolean;
  /**
   * Typed text or a photo while the form is open: the replies, or undefined to let the turn go on
   * (the form stays open unless `leave` closes it).
   */
  input(turn: Turn, text: string | undefined, photo: string | undefined): Promise<Reply[] | undefined>;
  /** Buttons added under an answer given while the form waits ("continue", "cancel"). */
  pausedRow?(turn: Turn): Button[];
}

/** What a feature module declares to the engine. */
export interface Feature {
  name: string;
  /** Payloads it owns, by prefix: "p" owns `p:*`; "m:fb" owns exactly that menu entry. */
  payloads?: Record<string, PayloadHandler>;
  /** Commands it owns, by name without the slash. */
  commands?: Record<string, CommandHandler>;
  /** Runs first on every turn (an open conversation with staff): replies, or undefined to pass. */
  intercept?(turn: Turn, command: string | undefined): Promise<Reply[] | undefined>;
  /** Its open form, which gets typed text and photos before intents and search. */
  form?: FeatureForm;
  /** Called when the chat leaves by another feature's button or by a command: close what is open. */
  leave?(turn: Turn, by: "payload" | "command"): void;
  /**
   * Typed text, asked in registration order before the catalogue search: replies when this feature
   * recognises what the citizen wants, undefined to pass. `folded` is lower case without diacritics.
   */
  text?(turn: Turn, text: string, folded: string): Promise<Reply[] | undefined> | Reply[] | undefined;
}

/** Helpers every feature may use, built once by the engine. */
export interface Kit {
  ports: EnginePorts;
  t: Translate;
  /** The main menu, with an optional lead line. */
  menu(turn: Turn, lead?: string): Reply;
  /** The menu with "this button is out of date". */
  stale(turn: Turn): Reply[];
  /** The "talk to a person" row, when the chat's unit has a team reachable in chat. */
  personRow(turn: Turn): Button[][];
  /** Whether the chat's unit has a team reachable in chat. */
  handoffOffered(turn: Turn): boolean;
  /** Units a citizen can choose (not the province). */
  selectableUnits(): UnitInfo[];
  /** The chat's unit, if chosen. */
  unitOf(turn: Turn): UnitInfo | undefined;
  /** Runs a payload as if its button were pressed (commands and intents that open a menu entry). */
  press(turn: Turn, payload: string): Promise<Reply[]>;
}

/** An action button. */
export const action = (label: string, payload: string): Button => ({ kind: "action", label, payload });

/** Marks a reply with what it is (see ReplyMeta). */
export function tag(reply: Reply, meta: ReplyMeta): Reply {
  return { ...reply, meta };
}

/** Marks every reply of a list that carries no mark yet. */
export function tagAll(replies: Reply[], meta: ReplyMeta): Reply[] {
  return replies.map((r) => (r.meta ? r : { ...r, meta }));
}
