/**
 * The dialogue evaluation (../shared/dialogue-eval.md): runs JSON Lines dialogues through the real
 * engine — real content, feedback and handoff services over the embedded store — and checks every
 * turn's expectation against what the replies say they are (`Reply.meta`) and their text.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import mongoose from "mongoose";
import { z } from "zod";
import { createContentService } from "../../src/content/service.js";
import { createEngine, type Engine } from "../../src/core/engine.js";
import { foldText } from "../../src/core/intents.js";
import type { IncomingMessage, Reply } from "../../src/core/types.js";
import { createFeedbackService } from "../../src/feedback/service.js";
import { createHandoffService } from "../../src/handoff/service.js";
import { createTranslator } from "../../src/i18n.js";
import { createLogger } from "../../src/logger.js";
import {
  createPrivacyStore,
  createSessionStore,
  createSubscriptionStore,
} from "../../src/store/conversation-stores.js";
import { startEmbeddedServer } from "../../src/store/embedded/server.js";

const expectSchema = z
  .object({
    card: z.string().optional(),
    facet: z.string().optional(),
    about: z.string().optional(),
    choices: z.array(z.string()).optional(),
    intent: z.union([z.string(), z.array(z.string())]).optional(),
    agency: z.string().optional(),
    lacks_card: z.boolean().optional(),
    text_has: z.array(z.string()).optional(),
    text_lacks: z.array(z.string()).optional(),
  })
  .strict();

const turnSchema = z.object({
  say: z.string().optional(),
  press: z.string().optional(),
  photo: z.boolean().optional(),
  caption: z.string().optional(),
  command: z.string().optional(),
  expect: expectSchema,
});

/** One dialogue of a JSON Lines file. */
export const dialogueSchema = z.object({
  id: z.string(),
  unit: z.string().optional(),
  lang: z.enum(["vi", "en"]).default("vi"),
  at: z.string().optional(),
  handoff: z.enum(["staffed", "unstaffed"]).optional(),
  turns: z.array(turnSchema).min(1),
});
export type Dialogue = z.infer<typeof dialogueSchema>;
export type DialogueTurn = z.infer<typeof turnSchema>;

/** Reads a JSON Lines file of dialogues; throws naming the line of the first invalid one. */
export function readDialogues(file: string): Dialogue[] {
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .map((l, i) => ({ l, i }))
    .filter(({ l }) => l.trim())
    .map(({ l, i }) => {
      const r = dialogueSchema.safeParse(JSON.parse(l));
      if (!r.success) throw new Error(`${file}:${i + 1}: ${r.error.message}`);
      return r.data;
    });
}

/** The verdict on one turn. */
export interface TurnResult {
  dialogue: string;
  n: number;
  sent: string;
  expected: string;
  got: string;
  pass: boolean;
}

/** A weekday (Tuesday 1 December 2026) at 09:00 in Viet Nam. */
const DEFAULT_AT = "2026-12-01T09:00:00+07:00";

/**
 * Folding as ../shared/dialogue-eval.md defines it for text_has / text_lacks: lower case, no
 * diacritics, đ → d; punctuation is kept ("13:30" must match), runs of spaces and line breaks are one.
 */
export function specFold(text: string): string {
  return text
    .replace(/\*\*/g, "") // the bold markers are markup, not what the resident reads
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .replace(/\s+/g, " ");
}

/** The main reply of a turn: the first that is not a plain acknowledgement (it carries a meta). */
export function mainReply(replies: Reply[]): Reply | undefined {
  return replies.find((r) => r.meta) ?? replies[0];
}

/** Whether a turn's replies meet its expectation; the reason when not. */
export function check(replies: Reply[], e: DialogueTurn["expect"]): string | undefined {
  const main = mainReply(replies);
  const m = main?.meta;
  const text = specFold(replies.map((r) => r.text).join(" "));
  const problems: string[] = [];
  if (e.card !== undefined && !(m?.kind === "card" && m.item === e.card)) problems.push(`card ${e.card}`);
  if (
    e.facet !== undefined &&
    !(m?.kind === "facet" && m.facet === e.facet && (!e.about || m.item === e.about))
  )
    problems.push(`facet ${e.facet} of ${e.about ?? "?"}`);
  if (e.choices && !(m?.kind === "choices" && e.choices.every((c) => m.items?.includes(c))))
    problems.push(`choices ${e.choices.join(",")}`);
  if (e.intent !== undefined) {
    const want = Array.isArray(e.intent) ? e.intent : [e.intent];
    if (!m || !want.includes(m.kind)) problems.push(`intent ${want.join("|")}`);
  }
  if (e.agency !== undefined && m?.agency !== e.agency) problems.push(`agency ${e.agency}`);
  if (e.lacks_card && replies.some((r) => r.meta?.kind === "card" || r.meta?.kind === "facet"))
    problems.push("no card");
  for (const s of e.text_has ?? []) if (!text.includes(s)) problems.push(`text has ${s}`);
  for (const s of e.text_lacks ?? []) if (text.includes(s)) problems.push(`text lacks ${s}`);
  return problems.length ? problems.join("; ") : undefined;
}

function describe(replies: Reply[]): string {
  const main = mainReply(replies);
  const m = main?.meta;
  const what = m
    ? [m.kind, m.item, m.facet, m.agency, m.items?.join(",")].filter(Boolean).join(" ")
    : "(no meta)";
  const text = (main?.text ?? "").replace(/\s+/g, " ").slice(0, 100);
  return `${what} | ${text}`;
}

/** The engine and services a dialogue run talks to. */
export interface DialogueHarness {
  run(d: Dialogue): Promise<TurnResult[]>;
  close(): Promise<void>;
}

/** Builds the engine as the app does, over a fresh embedded store in a temporary directory. */
export async function createDialogueHarness(opts: { contentDir?: string } = {}): Promise<DialogueHarness> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-dialogue-"));
  const server = await startEmbeddedServer({ dataDir });
  const connection = await mongoose.createConnection(server.uri, { dbName: "dialogues" }).asPromise();
  const logger = createLogger({ level: "silent" });
  const content = createContentService({ connection, logger, contentDir: opts.contentDir ?? "content" });
  await content.start();
  const t = createTranslator("locales");
  let clock = new Date(DEFAULT_AT);
  const now = () => clock;
  const feedback = createFeedbackService({
    connection,
    senders: {},
    t,
    logger,
    salt: "dialogue-salt",
    dueDays: 10,
    contactRetentionDays: 180,
    onContentChange: () => content.reload(),
    now,
  });
  const sessions = createSessionStore(connection, { cacheSize: 1_000 });
  const chatStore = createPrivacyStore(connection, sessions);
  // Each dialogue gets its own handoff desk: which unit offers it, and whether anyone is on duty. Who
  // is on duty is kept in the store, so each desk has a database of its own (one dialogue's staff
  // must not make the next one's unit staffed).
  let desks = 0;
  const engineFor = (d: Dialogue): Engine => {
    const handoff = createHandoffService({
      connection: connection.useDb(`dialogue-desk-${++desks}`, { useCache: false }),
      senders: {},
      t,
      logger,
      groups: {},
      consoleUnits: d.handoff && d.unit ? [d.unit] : [],
      idleMinutes: 30,
      waitMaxMinutes: 120,
      showStaffNames: false,
      units: () => content.bundle().units,
      now,
    });
    if (d.handoff === "staffed" && d.unit) handoff.staffSeen(d.unit);
    return createEngine({
      content: { view: () => content.bundle(), search: (q, ctx) => content.search(q, ctx) },
      sessions,
      subscriptions: createSubscriptionStore(connection),
      privacy: {
        deleteChatData: async (channel, chatId) => {
          await Promise.all([
            chatStore.deleteChatData(channel, chatId),
            feedback.anonymiseChat(channel, chatId),
          ]);
        },
      },
      feedback,
      handoff,
      clock: { now },
      t,
    });
  };
  let chats = 0;
  const direct: DialogueTransport = {
    async open(d) {
      clock = new Date(d.at ?? DEFAULT_AT);
      const engine = engineFor(d);
      const chatId = `dlg-${++chats}`;
      if (d.unit || d.lang !== "vi")
        await sessions.save("telegram", chatId, { ...(d.unit ? { unit: d.unit } : {}), lang: d.lang });
      return (m) => engine.handle({ channel: "telegram", chatId, ...m });
    },
  };

  return {
    run: (d) => runDialogue(d, direct),
    async close() {
      await connection.close();
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** What a turn sends: typed text, a pressed button's payload, a photo (with its caption). */
export type TurnMessage = Pick<IncomingMessage, "text" | "payload" | "photo">;

/**
 * How dialogues reach the bot: `open` prepares a fresh chat for a dialogue (unit, language, clock,
 * handoff desk) and returns how to send it a message and get the replies. The direct transport calls
 * the engine; the end-to-end test sends through the Telegram emulator and the real app.
 */
export interface DialogueTransport {
  open(d: Dialogue): Promise<(m: TurnMessage) => Promise<Reply[]>>;
}

/** Runs one dialogue over a transport and checks every turn. */
export async function runDialogue(d: Dialogue, transport: DialogueTransport): Promise<TurnResult[]> {
  const send = await transport.open(d);
  const results: TurnResult[] = [];
  let last: Reply[] = [];
  for (const [i, turn] of d.turns.entries()) {
    let msg: TurnMessage;
    let sent: string;
    let missing: string | undefined;
    if (turn.press !== undefined) {
      const want = foldText(turn.press);
      const button = last
        .flatMap((r) => (r.buttons ?? []).flat())
        .find((b) => b.kind === "action" && foldText(b.label).includes(want));
      sent = `[press ${turn.press}]`;
      if (!button || button.kind !== "action") {
        missing = `no button "${turn.press}" in: ${describe(last)}`;
        // The citizen types the label instead.
        msg = { text: turn.press };
      } else msg = { payload: button.payload };
    } else if (turn.photo) {
      msg = { photo: `photo-${d.id}-${i}`, ...(turn.caption ? { text: turn.caption } : {}) };
      sent = `[photo${turn.caption ? ` "${turn.caption}"` : ""}]`;
    } else {
      const text = turn.command ?? turn.say ?? "";
      msg = { text };
      sent = text;
    }
    const replies = await send(msg);
    last = replies;
    const problem = check(replies, turn.expect);
    const got = problem ? `${describe(replies)} [missing: ${problem}]` : describe(replies);
    results.push({
      dialogue: d.id,
      n: i + 1,
      sent,
      expected: JSON.stringify(turn.expect),
      got: missing ? `${missing} / ${got}` : got,
      pass: !problem && !missing,
    });
  }
  return results;
}

/** Figures of a run: turns, passes, and the share of dialogues right in every turn. */
export function summarise(results: TurnResult[]) {
  const turns = results.length;
  const pass = results.filter((r) => r.pass).length;
  const byDialogue = new Map<string, boolean>();
  for (const r of results) byDialogue.set(r.dialogue, (byDialogue.get(r.dialogue) ?? true) && r.pass);
  const dialogues = byDialogue.size;
  const allPass = [...byDialogue.values()].filter(Boolean).length;
  return {
    turns,
    pass,
    rate: turns ? pass / turns : 1,
    dialogues,
    dialoguesAllPass: dialogues ? allPass / dialogues : 1,
    line: `turns=${turns} pass=${pass} rate=${(turns ? pass / turns : 1).toFixed(3)} dialogues=${dialogues} dialogues_all_pass=${(dialogues ? allPass / dialogues : 1).toFixed(3)}`,
  };
}

/** Runs every dialogue of a file and returns the per-turn verdicts. */
export async function evaluateFile(file: string, opts: { contentDir?: string } = {}): Promise<TurnResult[]> {
  const dialogues = readDialogues(file);
  const h = await createDialogueHarness(opts);
  try {
    const out: TurnResult[] = [];
    for (const d of dialogues) out.push(...(await h.run(d)));
    return out;
  } finally {
    await h.close();
  }
}
