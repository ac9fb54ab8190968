/**
 * Talking to a person, end to end: citizens on Telegram, Zalo OA and Zalo Bot reach the ward's staff
 * Telegram group through the real app and the three platform emulators.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAllChannels, type AllChannels } from "../helpers/channels.js";
import { telegramDriver, zaloBotDriver, zaloOaDriver, type Driver } from "../helpers/drivers.js";
import { TEST_TOKEN, chatIdOf } from "../helpers/telegram.js";
import { oaTextEvent } from "../emulators/zalo-oa.js";
import { botTextUpdate } from "../emulators/zalo-bot.js";
import { handoffModel } from "../../src/store/models/handoff.js";

const GROUP = -1001500;
const UNIT = "phuong-hoa-an";
const ADMIN = "admin-token-for-handoff-tests-0123456789";
/** Monday 23 November 2026, 09:00 in Viet Nam: the advisory team is in. */
const MONDAY_9AM = Date.parse("2026-11-23T02:00:00Z");
/** Sunday 22 November 2026, 10:00 in Viet Nam: closed. */
const SUNDAY_10AM = Date.parse("2026-11-22T03:00:00Z");

let all: AllChannels;
/** The app's clock runs at real speed from a chosen instant. */
let offset = 0;
const setClock = (at: number) => {
  offset = at - Date.now();
};

async function until<T>(read: () => T | undefined, what: string, timeoutMs = 8_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = read();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

interface GroupMessage {
  id: number;
  text: string;
  replyTo?: number;
  buttons: string[];
}

/** Every message the bot has in the staff group, as it stands now (edits applied). */
function groupMessages(): GroupMessage[] {
  return all.tg.storage.botMessages
    .filter((u) => String(chatIdOf(u)) === String(GROUP))
    .map((u) => {
      const m = u.message as unknown as {
        text: string;
        reply_parameters?: { message_id: number } | string;
        reply_markup?: unknown;
      };
      const markup = (typeof m.reply_markup === "string" ? JSON.parse(m.reply_markup) : m.reply_markup) as
        { inline_keyboard?: Array<Array<{ callback_data?: string }>> } | undefined;
      const rp = (
        typeof m.reply_parameters === "string" ? JSON.parse(m.reply_parameters) : m.reply_parameters
      ) as { message_id?: number } | undefined;
      return {
        id: u.messageId,
        text: m.text,
        replyTo: rp?.message_id,
        buttons: (markup?.inline_keyboard ?? [])
          .flat()
          .flatMap((b) => (b.callback_data ? [b.callback_data] : [])),
      };
    });
}

const cardOf = (code: string) => groupMessages().find((m) => m.text.includes(`Yêu cầu gặp cán bộ ${code}`));

function staff(userId: number, firstName: string) {
  const client = all.tg.getClient(TEST_TOKEN, { userId, chatId: GROUP, type: "supergroup", firstName });
  return {
    press: (data: string, messageId: number) =>
      client.sendCallback(client.makeCallbackQuery(data, { message: { message_id: messageId } })),
    reply: (text: string, messageId: number) =>
      client.sendMessage(client.makeMessage(text, { reply_to_message: { message_id: messageId } })),
  };
}

/** A citizen's text to the app, without waiting for an answer (a handed-off chat gets none). */
async function tell(d: Driver, text: string): Promise<void> {
  if (d.channel === "zalo-oa") {
    const res = await all.oa.deliver(
      `${all.app.url}/webhooks/zalo-oa`,
      oaTextEvent(all.oa.appId, d.chatId, text),
    );
    expect(res.status).toBe(200);
  } else if (d.channel === "zalo-bot") all.bot.push(botTextUpdate(d.chatId, text));
  else {
    const client = all.tg.getClient(TEST_TOKEN, { userId: Number(d.chatId), chatId: Number(d.chatId) });
    await client.sendMessage(client.makeMessage(text));
  }
}

/** Texts the citizen has received so far. */
function received(d: Driver): string[] {
  if (d.channel === "zalo-oa")
    return all.oa
      .messagesTo(d.chatId)
      .map((m) => [m.text, ...m.buttons.map((b) => String(b.payload))].join("\n"));
  if (d.channel === "zalo-bot") return all.bot.messagesTo(d.chatId);
  return all.tg.storage.botMessages
    .filter((u) => String(chatIdOf(u)) === d.chatId)
    .map((u) => {
      const m = u.message as unknown as { text: string; reply_markup?: unknown };
      return `${m.text}\n${typeof m.reply_markup === "string" ? m.reply_markup : JSON.stringify(m.reply_markup ?? "")}`;
    });
}

async function nextText(d: Driver, from: number, pattern: RegExp): Promise<string> {
  return until(
    () =>
      received(d)
        .slice(from)
        .find((m) => pattern.test(m)),
    `${d.channel} ${d.chatId}: ${pattern}`,
  );
}

async function pickUnit(d: Driver): Promise<void> {
  const menu = await d.say("/start");
  if (d.channel === "zalo-bot") await d.choose(`u:${UNIT}`, "Phường Hòa An (đơn vị mẫu)");
  else {
    expect(menu).toContain("Phường Hòa An");
    await d.choose(`u:${UNIT}`, "Phường Hòa An (đơn vị mẫu)");
  }
}

async function codeOf(d: Driver): Promise<string> {
  const found = await handoffModel(all.app.app.store.connection)
    .findOne({ channel: d.channel, chatId: d.chatId })
    .sort({ createdAt: -1 })
    .lean();
  if (!found) throw new Error(`no handoff for ${d.chatId}`);
  return found._id;
}

beforeAll(async () => {
  setClock(MONDAY_9AM);
  all = await startAllChannels(
    { HANDOFF_TELEGRAM_GROUPS: `${UNIT}=${GROUP}`, HANDOFF_IDLE_MINUTES: "30", ADMIN_API_TOKEN: ADMIN },
    { now: () => new Date(Date.now() + offset) },
  );
}, 60_000);
afterAll(async () => {
  await all.close();
});

/** A staff member of the ward is at work (as when one opens the console queue or writes in the group). */
const onDuty = () => all.app.app.handoff.staffSeen(UNIT);

describe("handoff to the advisory team", () => {
  it("should hand a Zalo OA citizen to the staff group, relay both ways, close with a rating and count it", async () => {
    setClock(MONDAY_9AM);
    onDuty();
    const citizen = zaloOaDriver(all.oa, all.app.url, "8800000000000000001");
    await pickUnit(citizen);
    const menu = await citizen.say("menu");
    expect(menu).toContain("Gặp cán bộ tư vấn");
    await citizen.say("gọi 0912345678 hỏi làm giấy khai sinh cần gì");
    const queued = await citizen.say("cho toi gap can bo");
    expect(queued).toMatch(/vị trí số 1/);
    expect(queued).toMatch(/khoảng \d+ phút/);

    const code = await codeOf(citizen);
    const card = await until(() => cardOf(code), "the card in the staff group");
    expect(card.text).toContain("Zalo OA");
    expect(card.text).toContain("làm giấy khai sinh cần gì");
    expect(card.text).not.toContain("0912345678");
    expect(card.buttons).toEqual([`hc:${code}`]);

    // The citizen writes while waiting: it reaches the group as a reply to the card; the bot stays quiet.
    let seen = received(citizen).length;
    await tell(citizen, "Tôi muốn hỏi về giấy tờ cho con");
    const relayed = await until(
      () => groupMessages().find((m) => m.text.includes("Tôi muốn hỏi về giấy tờ cho con")),
      "the relayed citizen message",
    );
    expect(relayed.replyTo).toBe(card.id);
    await new Promise((r) => setTimeout(r, 300));
    expect(received(citizen).length).toBe(seen);

    // Lan claims; the citizen is told, by role and not by name.
    await staff(9001, "Lan").press(`hc:${code}`, card.id);
    const claimed = await nextText(citizen, seen, /đã tiếp nhận/);
    expect(claimed).toContain("Cán bộ tư vấn");
    expect(claimed).not.toContain("Lan");
    await until(
      () => (cardOf(code)?.text.includes("Đang phụ trách") ? true : undefined),
      "the card to show the owner",
    );
    expect(cardOf(code)!.buttons).toEqual([`hx:${code}`]);

    // Lan answers by replying to the citizen's relayed message: it arrives in the citizen's Zalo chat.
    seen = received(citizen).length;
    await staff(9001, "Lan").reply("Bạn mang giấy chứng sinh và CCCD của cha mẹ nhé.", relayed.id);
    const answer = await nextText(citizen, seen, /giấy chứng sinh và CCCD/);
    expect(answer).toContain("Cán bộ tư vấn");

    // Another staff member cannot speak in Lan's conversation.
    const before = groupMessages().length;
    await staff(9002, "Minh").reply("Tôi trả lời thay", card.id);
    const refusal = await until(
      () =>
        groupMessages()
          .slice(before)
          .find((m) => m.text.includes("cán bộ khác phụ trách")),
      "the refusal in the group",
    );
    expect(refusal).toBeDefined();
    expect(received(citizen).some((m) => m.includes("Tôi trả lời thay"))).toBe(false);

    // Lan ends it: the citizen gets the rating scale, rates, and the bot answers again.
    seen = received(citizen).length;
    await staff(9001, "Lan").reply("/xong", card.id);
    const closed = await nextText(citizen, seen, /đã kết thúc cuộc trò chuyện/);
    expect(closed).toContain(`rs:h:${code}:5`);
    await until(
      () => (cardOf(code)?.text.includes("Đã kết thúc bởi cán bộ") ? true : undefined),
      "the card closed",
    );
    const thanks = await citizen.choose(`rs:h:${code}:5`, "Rất hài lòng");
    expect(thanks).toMatch(/cảm ơn/i);
    await citizen.choose("rc:skip", "Bỏ qua");
    const back = await citizen.say("lệ phí đăng ký khai sinh");
    expect(back).toMatch(/khai sinh/i);

    const res = await fetch(
      `${all.app.url}/admin/api/handoffs/stats?from=2026-11-01&to=2026-11-30&unit=${UNIT}`,
      { headers: { authorization: `Bearer ${ADMIN}` } },
    );
    const stats = (await res.json()) as {
      handled: number;
      handledWithinHours: number;
      waitMinutes: { p50: number | null };
      satisfaction: { n: number; index: number | null };
      byChannel: Record<string, number>;
    };
    expect(stats.handled).toBeGreaterThanOrEqual(1);
    expect(stats.handledWithinHours).toBeGreaterThanOrEqual(1);
    expect(stats.byChannel["zalo-oa"]).toBeGreaterThanOrEqual(1);
    expect(stats.waitMinutes.p50).not.toBeNull();
    expect(stats.satisfaction).toMatchObject({ n: 1, index: 100 });
  }, 60_000);

  it("should keep three waiting citizens informed of their place, let one claim win, and move the queue on a cancel", async () => {
    setClock(MONDAY_9AM + 3600_000);
    onDuty();
    const a = telegramDriver(all.tg, 7101);
    const b = zaloOaDriver(all.oa, all.app.url, "8800000000000000002");
    const c = zaloBotDriver(all.bot, "zb-7103");
    for (const d of [a, b, c]) await pickUnit(d);
    expect(await a.say("nói chuyện với cán bộ")).toMatch(/vị trí số 1/);
    expect(await b.say("cho tôi gặp cán bộ tư vấn")).toMatch(/vị trí số 2/);
    expect(await c.say("toi muon gap nguoi that")).toMatch(/vị trí số 3/);
    const [codeA, codeB] = [await codeOf(a), await codeOf(b)];

    // Five staff press "Take" on A's card at once: exactly one owns it.
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((i) => all.app.app.handoff.claim(codeA, { id: `telegram:95${i}`, name: `S${i}` })),
    );
    expect(results.filter((r) => r === "claimed")).toHaveLength(1);
    expect(results.filter((r) => r === "taken")).toHaveLength(4);

    // B and C move up one place each and are told.
    const seenB = received(b).length;
    const seenC = received(c).length;
    await nextText(b, seenB - 1, /vị trí số 1/);
    await nextText(c, seenC - 1, /vị trí số 2/);

    // B leaves the queue: C is now first.
    const seenC2 = received(c).length;
    await b.choose("h:end", "Rời hàng chờ");
    await nextText(c, seenC2, /vị trí số 1/);
    const left = await handoffModel(all.app.app.store.connection).findById(codeB).lean();
    expect(left).toMatchObject({ status: "closed", endReason: "citizen" });
    await until(
      () => (cardOf(codeB)?.text.includes("Công dân đã rời") ? true : undefined),
      "B's card closed",
    );
  }, 60_000);

  it("should tell a citizen out of hours when staff are back, offer a ticket, and queue them if they wish", async () => {
    setClock(SUNDAY_10AM);
    const d = telegramDriver(all.tg, 7201);
    await pickUnit(d);
    const closed = await d.choose("h:req", "Gặp cán bộ tư vấn");
    expect(closed).toContain("ngoài giờ làm việc");
    expect(closed).toMatch(/07:30/);
    expect(closed).toMatch(/Thứ Hai/);
    expect(closed).toContain("Gửi câu hỏi để trả lời sau");
    expect(closed).toContain("Vẫn xếp hàng chờ");
    const form = await d.choose("h:leave", "Gửi câu hỏi để trả lời sau");
    expect(form).toMatch(/phản ánh|góp ý/i);
    await d.say("/menu");
    await d.choose("h:req", "Gặp cán bộ tư vấn");
    const queued = await d.choose("h:queue", "Vẫn xếp hàng chờ");
    // Out of hours: when the team opens, never a wait counted in hundreds of minutes.
    expect(queued).toMatch(/07:30/);
    expect(queued).toMatch(/Thứ Hai/);
    expect(queued).not.toMatch(/\d{3,} phút/);
    const code = await codeOf(d);
    const card = await until(() => cardOf(code), "the card");
    expect(card.text).toContain("ngoài giờ");
  }, 60_000);

  it("should give the chat back to the bot after the idle timeout", async () => {
    setClock(MONDAY_9AM + 2 * 3600_000);
    onDuty();
    const d = telegramDriver(all.tg, 7301);
    await pickUnit(d);
    await d.say("tôi muốn gặp cán bộ");
    const code = await codeOf(d);
    expect(await all.app.app.handoff.claim(code, { id: "telegram:9601", name: "Hoa" })).toBe("claimed");
    const seen = received(d).length;
    setClock(MONDAY_9AM + 2 * 3600_000 + 31 * 60_000);
    onDuty();
    // (Conversations left open by the tests above are idle by now too.)
    expect((await all.app.app.handoff.sweep()).idle).toBeGreaterThanOrEqual(1);
    await nextText(d, seen, /không có tin nhắn mới/);
    const doc = await handoffModel(all.app.app.store.connection).findById(code).lean();
    expect(doc).toMatchObject({ status: "closed", endReason: "idle" });
    const before = received(d).length;
    await tell(d, "đăng ký thường trú cần giấy tờ gì");
    expect(await nextText(d, before, /thường trú/i)).toMatch(/thường trú/i);
    expect(await all.app.app.handoff.sweep()).toMatchObject({ idle: 0 });
  }, 60_000);

  it("should end the request and forget the chat when the citizen deletes their data", async () => {
    setClock(MONDAY_9AM + 5 * 3600_000);
    onDuty();
    const d = telegramDriver(all.tg, 7401);
    await pickUnit(d);
    await d.say("tra cứu hồ sơ đất đai ở đâu");
    expect(await d.say("cho tôi gặp cán bộ")).toMatch(/vị trí số \d+/);
    const code = await codeOf(d);
    expect(await d.say("/xoadulieu")).toMatch(/xóa/i);
    await d.choose("del:yes", "Xóa");
    const doc = await handoffModel(all.app.app.store.connection).findById(code).lean();
    expect(doc?.status).toBe("closed");
    expect(doc?.chatId).toBeUndefined();
    expect(doc?.openKey).toBeUndefined();
    expect(doc?.recent).toEqual([]);
  }, 60_000);
});
