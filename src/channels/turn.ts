/** The part every channel shares: flood control, the engine, and the one error path. */
import type { Engine } from "../core/engine.js";
import type { IncomingMessage, Lang, Reply } from "../core/types.js";
import type { Translator } from "../i18n.js";
import type { Logger } from "../logger.js";
import type { FloodGuard } from "./flood.js";

/** What a channel needs to run a turn. */
export interface TurnDeps {
  engine: Engine;
  flood: FloodGuard;
  t: Translator;
  logger: Logger;
}

/**
 * Handles one incoming message: replies to send, or none when the chat is flooding. A failing engine
 * gives the citizen a friendly message; the log gets the channel and message id, never the text.
 */
export async function runTurn(
  deps: TurnDeps,
  msg: IncomingMessage,
  lang: Lang = "vi",
): Promise<{ replies: Reply[]; lang: Lang }> {
  const verdict = deps.flood.check(`${msg.channel}:${msg.chatId}`);
  if (verdict === "drop") return { replies: [], lang };
  if (verdict === "warn") return { replies: [{ text: deps.t(lang, "errors.slowDown") }], lang };
  try {
    return await deps.engine.handleTurn(msg);
  } catch (err) {
    deps.logger.error({ err, channel: msg.channel, messageId: msg.messageId }, "engine failed on a message");
    return { replies: [{ text: deps.t(lang, "errors.internal") }], lang };
  }
}
