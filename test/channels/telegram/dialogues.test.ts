/**
 * The dialogue evaluation end to end: a sample of dialogues driven through the Telegram emulator and
 * the real app (webhook-less long polling, telegraf, rendering), checked turn by turn by what the
 * replies are, and each main reply checked to have reached the citizen's screen.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  readDialogues,
  runDialogue,
  type DialogueTransport,
  type TurnResult,
} from "../../../scripts/dialogue/run.js";
import { foldText } from "../../../src/core/intents.js";
import type { Reply } from "../../../src/core/types.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import {
  botMessages,
  startTelegramEmulator,
  TEST_TOKEN,
  type TelegramServer,
} from "../../helpers/telegram.js";

/** Dialogues of the shared development set and the project's hold-out sent over Telegram. */
const SAMPLE = new Set([
  "dv01-khaisinh-phi-buoc-roi-tamtru",
  "dv16-phan-anh-den-duong-hoi-giua-chung-gui-anh",
  "dv24-nhan-thong-bao-quyen-rieng-tu-xoa",
  "dv29-danh-gia-roi-hoi-tamtru",
  "dv31-en-birth-registration",
  "ho04-phan-anh-rac",
  "ho13-en-in-vi-chat-baby-japanese-mother",
  "ho15-en-back-to-vietnamese",
]);

let tg: TelegramServer;
let app: TestApp;
/** What the engine answered, per chat, as the app's turn observer saw it. */
const turns = new Map<string, Reply[][]>();

beforeAll(async () => {
  tg = await startTelegramEmulator();
  app = await startTestApp(
    { TELEGRAM_BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: tg.config.apiURL, FLOOD_BURST: "200" },
    {
      onTurn: (msg, replies) => turns.set(msg.chatId, [...(turns.get(msg.chatId) ?? []), replies]),
      // A working day, 09:00 in Viet Nam, moving at real speed.
      now: () => new Date(Date.parse("2026-12-01T02:00:00Z") + (Date.now() - started)),
    },
  );
}, 60_000);
const started = Date.now();
afterAll(async () => {
  await app.close();
  await tg.stop();
});

/** Plain text of a reply as a citizen reads it (no markup), folded. */
const shown = (s: string) => foldText(s.replace(/<[^>]+>/g, "").replace(/\*\*/g, ""));

function telegram(screen: string[]): DialogueTransport {
  let next = 9100;
  return {
    async open(d) {
      const chatId = next++;
      const client = tg.getClient(TEST_TOKEN, { userId: chatId, chatId, firstName: "Dân" });
      const send = async (m: { text?: string; payload?: string; photo?: string }): Promise<Reply[]> => {
        const before = turns.get(String(chatId))?.length ?? 0;
        if (m.payload) await client.sendCallback(client.makeCallbackQuery(m.payload));
        else if (m.photo) {
          const message = client.makeMessage(m.text ?? "", {
            photo: [{ file_id: m.photo, file_unique_id: m.photo, width: 800, height: 600 }],
            ...(m.text ? { caption: m.text } : {}),
          }) as unknown as Record<string, unknown>;
          delete message.text;
          await client.sendMessage(message);
        } else if (m.text?.startsWith("/")) await client.sendCommand(client.makeCommand(m.text));
        else await client.sendMessage(client.makeMessage(m.text ?? ""));
        const got = await botMessages(tg, chatId);
        const replies = turns.get(String(chatId))?.[before] ?? [];
        // The main reply reached the screen: its first line is among the messages Telegram got.
        const main = replies.find((r) => r.meta) ?? replies[0];
        const firstLine = shown(main?.text.split("\n")[0] ?? "");
        const screenText = shown(got.map((g) => g.text).join(" "));
        if (!screenText.includes(firstLine)) screen.push(`${d.id}: "${firstLine}" not on screen`);
        return replies;
      };
      if (d.lang === "en") await send({ payload: "l:en" });
      if (d.unit) await send({ payload: `u:${d.unit}` });
      return send;
    },
  };
}

describe("dialogues over Telegram", () => {
  it("should give the same answers through the Telegram emulator, turn by turn", async () => {
    const dialogues = [
      ...readDialogues("../shared/dialogue-dev-set.jsonl"),
      ...readDialogues("test/fixtures/dialogue-holdout.jsonl"),
    ].filter((d) => SAMPLE.has(d.id));
    expect(dialogues.length).toBe(SAMPLE.size);
    const screen: string[] = [];
    const transport = telegram(screen);
    const results: TurnResult[] = [];
    for (const d of dialogues) results.push(...(await runDialogue(d, transport)));
    expect(results.filter((r) => !r.pass).map((r) => `${r.dialogue} #${r.n} ${r.sent} -> ${r.got}`)).toEqual(
      [],
    );
    expect(screen).toEqual([]);
  }, 180_000);
});
