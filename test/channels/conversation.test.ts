/**
 * The citizen conversation, proven on every channel: the same flows through Telegram (telegram-test-api),
 * Zalo OA (signed webhooks, Open API emulator) and Zalo Bot (long polling, Bot Platform emulator), all
 * three running at once in one app.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { subscriberModel } from "../../src/store/models/subscriber.js";
import type { TestApp } from "../helpers/app.js";
import { startAllChannels, type AllChannels } from "../helpers/channels.js";
import { telegramDriver, zaloBotDriver, zaloOaDriver, type Driver } from "../helpers/drivers.js";
import type { TelegramServer } from "../helpers/telegram.js";
import type { ZaloBotEmulator } from "../emulators/zalo-bot.js";
import type { ZaloOaEmulator } from "../emulators/zalo-oa.js";

let tg: TelegramServer;
let oa: ZaloOaEmulator;
let bot: ZaloBotEmulator;
let app: TestApp;

let all: AllChannels;
beforeAll(async () => {
  all = await startAllChannels({ FLOOD_BURST: "50" });
  ({ tg, oa, bot, app } = all);
});
afterAll(async () => {
  await all.close();
});

let seq = 0;
const drivers: Array<[string, () => Driver]> = [
  ["telegram", () => telegramDriver(tg, 9100 + seq++)],
  ["zalo-oa", () => zaloOaDriver(oa, app.url, `84${Date.now()}${seq++}`)],
  ["zalo-bot", () => zaloBotDriver(bot, `zb${Date.now()}${seq++}`)],
];

describe.each(drivers)("the citizen conversation on %s", (_name, make) => {
  it("should welcome, let the citizen choose a unit, answer a question and a follow-up", async () => {
    const t = app.app.t;
    const u = make();
    expect(await u.say("/start")).toContain("Xin chào!");
    expect(await u.choose("u:phuong-hoa-an", "Phường Hòa An (đơn vị mẫu)")).toContain(
      "Đơn vị của Anh/Chị: Phường Hòa An",
    );
    const card = await u.say("lam giay khai sinh cho con can nhung gi");
    expect(card).toContain("Đăng ký khai sinh (mã 1.001193)");
    expect(card).toContain("Giấy chứng sinh");
    expect(await u.say("phí bao nhiêu?")).toContain("Lệ phí: Miễn lệ phí khi đăng ký đúng hạn");
    await u.choose("menu", t("vi", "menu.back"));
    const hot = await u.choose("m:hot", t("vi", "menu.hotlines"));
    expect(hot).toContain("Tổ tư vấn thủ tục hành chính phường Hòa An");
    expect(hot).toContain("0xx-xxx-0102 (số mẫu)");
  }, 30_000);

  it("should switch language, subscribe with consent and delete the data on request", async () => {
    const t = app.app.t;
    const Subs = subscriberModel(app.app.store.connection);
    const u = make();
    await u.say("menu");
    await u.choose("m:lang", t("vi", "menu.language"));
    expect(await u.choose("l:en", "English")).toContain("Switched to English");
    expect(await u.choose("m:sub", t("en", "menu.subscribe"))).toContain("Do you agree?");
    expect(await u.choose("sub:on", t("en", "subscribe.agree"))).toContain("Subscribed");
    expect(await Subs.findOne({ channel: u.channel, chatId: u.chatId }).lean()).toMatchObject({
      lang: "en",
      active: true,
    });
    await u.say("/xoadulieu");
    expect(await u.choose("del:yes", t("en", "privacy.yes"))).toContain("Your data has been deleted");
    expect(await Subs.countDocuments({ channel: u.channel, chatId: u.chatId })).toBe(0);
  }, 30_000);

  it("should browse a field and open a procedure from the list", async () => {
    const t = app.app.t;
    const u = make();
    await u.say("menu");
    await u.choose("m:proc", t("vi", "menu.procedures"));
    const list = await u.choose("f:cu-tru:0", "Cư trú");
    expect(list).toContain("Đăng ký thường trú");
    expect(await u.choose("p:1.004194", "Đăng ký tạm trú")).toContain("15.000 đồng khi nộp trực tiếp");
  }, 30_000);
});
