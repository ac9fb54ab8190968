/** A real engine over a temporary store and the sample content, with helpers to talk to it. */
import { createContentService } from "../../src/content/service.js";
import { createFeedbackService, type FeedbackService } from "../../src/feedback/service.js";
import { createEngine, type Engine } from "../../src/core/engine.js";
import type { ChannelName, Lang, Reply } from "../../src/core/types.js";
import { createTranslator, type Translator } from "../../src/i18n.js";
import { createLogger } from "../../src/logger.js";
import {
  createPrivacyStore,
  createSessionStore,
  createSubscriptionStore,
} from "../../src/store/conversation-stores.js";
import { openTestStore, type TestStore } from "./store.js";

export interface TestConversation {
  feedback: FeedbackService;
  store: TestStore;
  engine: Engine;
  t: Translator;
  close(): Promise<void>;
}

/** Builds the engine exactly as the app does, on its own store. */
export async function buildConversation(opts: { withFeedback?: boolean } = {}): Promise<TestConversation> {
  const store = await openTestStore();
  const content = createContentService({
    connection: store.connection,
    logger: createLogger({ level: "silent" }),
    contentDir: "content",
  });
  await content.start();
  const t = createTranslator("locales");
  const logger = createLogger({ level: "silent" });
  const feedback = createFeedbackService({
    connection: store.connection,
    senders: {},
    t,
    logger,
    salt: "test-salt",
    dueDays: 10,
    contactRetentionDays: 180,
    onContentChange: () => content.reload(),
  });
  // As the app runs on the embedded store: sessions cached in memory, written through.
  const sessions = createSessionStore(store.connection, { cacheSize: 1_000 });
  const chatStore = createPrivacyStore(store.connection, sessions);
  const engine = createEngine({
    content: { view: () => content.bundle(), search: (q, ctx) => content.search(q, ctx) },
    sessions,
    subscriptions: createSubscriptionStore(store.connection),
    privacy: {
      deleteChatData: async (channel, chatId) => {
        await Promise.all([
          chatStore.deleteChatData(channel, chatId),
          feedback.anonymiseChat(channel, chatId),
        ]);
      },
    },
    feedback: opts.withFeedback === false ? undefined : feedback,
    clock: { now: () => new Date() },
    t,
  });
  return { store, engine, t, feedback, close: () => store.close() };
}

let nextChat = 1000;

/** One citizen's chat with the engine. */
export function chat(engine: Engine, opts: { channel?: ChannelName; localeHint?: string } = {}) {
  const chatId = String(nextChat++);
  const channel = opts.channel ?? "telegram";
  return {
    chatId,
    channel,
    say: (text: string): Promise<Reply[]> =>
      engine.handle({ channel, chatId, text, localeHint: opts.localeHint }),
    press: (payload: string): Promise<Reply[]> =>
      engine.handle({ channel, chatId, payload, localeHint: opts.localeHint }),
  };
}

/** All button payloads of a reply list, in order. */
export function payloads(replies: Reply[]): string[] {
  return replies
    .flatMap((r) => (r.buttons ?? []).flat())
    .flatMap((b) => (b.kind === "action" ? [b.payload] : []));
}

/** All text of a reply list. */
export function textOf(replies: Reply[]): string {
  return replies.map((r) => r.text).join("\n---\n");
}

export type { Lang };
