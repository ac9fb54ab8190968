/**
 * Follow-up questions in the report (issue 16 point 6): a resident asks about a procedure, then "còn
 * phí bao nhiêu ạ?"; the bot answers from that procedure, so the quarter's report counts the question
 * as answered, not as one the bot could not answer — through the real engine, channel and query log.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryLogModel } from "../../src/store/models/query-log.js";
import { startAllChannels, type AllChannels } from "../helpers/channels.js";
import { zaloBotDriver } from "../helpers/drivers.js";

const U = "phuong-hoa-an";
const TOKEN = "follow-up-test-api-token-0123456789abcdef";
let all: AllChannels;

beforeAll(async () => {
  all = await startAllChannels({ ADMIN_API_TOKEN: TOKEN });
}, 60_000);
afterAll(async () => {
  await all?.close();
});

describe("follow-up questions in the report", () => {
  it("should log a follow-up with the item it is about and count it as answered", async () => {
    const citizen = zaloBotDriver(all.bot, "zb-follow-up-1");
    await citizen.say("/start");
    await citizen.choose(`u:${U}`, "Phường Hòa An (đơn vị mẫu)");
    expect(await citizen.say("đăng ký khai sinh")).toContain("Đăng ký khai sinh");
    const fee = await citizen.say("còn phí bao nhiêu ạ?");
    expect(fee).toMatch(/Lệ phí/);
    await all.app.app.flushAnalytics();
    const logged = await queryLogModel(all.app.app.store.connection).find({ unit: U }).sort({ at: 1 }).lean();
    expect(logged.map((q) => q.followUp ?? null)).toEqual([null, "1.001193"]);

    // The report of the current Viet Nam year, through the staff API.
    const year = new Date(Date.now() + 7 * 3600_000).getUTCFullYear();
    const res = await fetch(`${all.app.url}/admin/api/reports/${U}?kind=year&year=${year}`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.status).toBe(200);
    const { report } = (await res.json()) as { report: { questions: Record<string, unknown> } };
    expect(report.questions).toMatchObject({ total: 2, answered: 2, followUps: 1, unanswered: 0 });
  });
});
