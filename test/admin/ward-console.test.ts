/**
 * The console as a ward's staff use it (issue 15): accounts limited to one ward, the sample content as
 * shipped. Each `describe` reproduces one reported failure: saving without optional fields lost the
 * item, ward accounts got a 500 on announcements, the live-help page reloaded over typed text, helmet
 * forced https on a LAN, and a form with a problem lost what was typed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ContentKind } from "../../src/store/models/content.js";
import { contentModels } from "../../src/store/models/content.js";
import { handoffModel } from "../../src/store/models/handoff.js";
import { startAllChannels, type AllChannels } from "../helpers/channels.js";
import { createStaff, formFields, signIn, type Session } from "../helpers/console.js";
import { zaloBotDriver } from "../helpers/drivers.js";
import { textOf } from "../helpers/conversation.js";
import { botTextUpdate } from "../emulators/zalo-bot.js";

const UNIT = "phuong-hoa-an";
const OTHER_UNIT = "xa-tan-loc";
/** Monday 23 November 2026, 09:00 in Viet Nam: staff are in. */
const MONDAY_9AM = Date.parse("2026-11-23T02:00:00Z");

let all: AllChannels;
let url: string;
const offset = MONDAY_9AM - Date.now();

beforeAll(async () => {
  all = await startAllChannels(
    { HANDOFF_CONSOLE_UNITS: `${UNIT},${OTHER_UNIT}` },
    { now: () => new Date(Date.now() + offset) },
  );
  url = all.app.url;
}, 60_000);
afterAll(async () => {
  await all?.close();
});

const wardStaff = async (role: Parameters<typeof createStaff>[1], unit = UNIT): Promise<Session> => {
  const name = `${role}-w-${unit}`.slice(0, 32);
  if (!(await all.app.app.staff.list()).some((s) => s.username === name))
    await createStaff(all.app.app, role, [unit], name);
  return signIn(url, name);
};

/** What the bot answers a new chat asking `q` (text of every reply). */
const botAnswer = async (q: string) => {
  const replies = await all.app.app.engine.handle({
    channel: "telegram",
    chatId: `ask-${Math.random().toString(36).slice(2)}`,
    text: q,
  });
  return textOf(replies);
};

describe("1. saving content unchanged keeps every item", () => {
  it("should open and save every item of content/ through the console and keep the store and the bot's answers identical", async () => {
    const app = all.app.app;
    await createStaff(app, "editor", [], "bien-tap-tinh");
    const editor = await signIn(url, "bien-tap-tinh");
    const models = contentModels(app.store.connection);
    const bundle = app.content.bundle();
    const items: Array<{ kind: ContentKind; key: string; page: string; action: string }> = [
      ...bundle.procedures.map((p) => ({
        kind: "procedures" as const,
        key: p.code,
        page: `/admin/content/procedures/${p.code}`,
        action: `/admin/content/procedures/${p.code}`,
      })),
    ];
    const keyed: Array<[ContentKind, string[]]> = [
      ["units", bundle.units.map((u) => u.id)],
      ["hotlines", bundle.hotlines.map((h) => h.id)],
      ["fields", bundle.fields.map((f) => f.id)],
      ["guides", bundle.guides.map((g) => g.slug)],
      ["faqs", bundle.faqs.map((f) => f.slug)],
      ["articles", bundle.articles.map((a) => a.slug)],
      ["surveys", ["default"]],
      ["dictionary", ["default"]],
      ["portal", ["default"]],
    ];
    for (const [kind, keys] of keyed)
      for (const key of keys)
        items.push({
          kind,
          key,
          page: `/admin/content/${kind}/${key}`,
          action: `/admin/content/${kind}/${key}`,
        });
    expect(items.filter((i) => i.kind === "procedures").length).toBe(36);

    const questions = [
      ...bundle.procedures.map((p) => p.name),
      ...bundle.faqs.map((f) => f.question),
      ...bundle.guides.map((g) => g.title),
      "số điện thoại đường dây nóng",
    ];
    const answersBefore = await Promise.all(questions.map(botAnswer));
    const stored = async () =>
      Object.fromEntries(
        await Promise.all(
          items.map(async (i) => [
            `${i.kind}/${i.key}`,
            (await models[i.kind].findOne({ key: i.key }).lean())?.data ?? null,
          ]),
        ),
      ) as Record<string, unknown>;
    const before = await stored();

    for (const item of items) {
      const page = await (await editor.get(item.page)).text();
      const fields = formFields(page, item.action);
      const res = await editor.post(item.action, { ...fields, action: "save" });
      expect(res.status, `${item.kind}/${item.key}: ${res.status}`).toBe(303);
      expect(res.headers.get("location"), `${item.kind}/${item.key}`).toMatch(/done=unchanged/);
    }
    expect(app.content.bundle().procedures.length).toBe(36);
    expect(await stored()).toEqual(before);
    expect(await Promise.all(questions.map(botAnswer))).toEqual(answersBefore);
  }, 120_000);

  it("should change only the edited field of a procedure without optional fields (1.000689)", async () => {
    const app = all.app.app;
    const models = contentModels(app.store.connection);
    const before = (await models.procedures.findOne({ key: "1.000689" }).lean())!.data;
    expect("who" in before && "online_note" in before).toBe(false);
    const editor = await signIn(url, "bien-tap-tinh");
    const path = "/admin/content/procedures/1.000689";
    const fields = formFields(await (await editor.get(path)).text(), path);
    const fee = "Lệ phí theo quy định (bản sửa của cán bộ tỉnh).";
    const res = await editor.post(path, { ...fields, fee, action: "save" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`${path}?done=saved`);
    const after = (await models.procedures.findOne({ key: "1.000689" }).lean())!.data;
    expect(after).toEqual({ ...before, fee });
    expect(app.content.bundle().procedures.length).toBe(36);
    expect((await editor.get(path)).status).toBe(200);
    const name = app.content.bundle().procedures.find((p) => p.code === "1.000689")!.name;
    expect(await botAnswer(name)).toContain("bản sửa của cán bộ tỉnh");
  });
});

describe("2. announcements for ward accounts", () => {
  it("should show the announcements page and the audience estimate to a ward's broadcaster and viewer", async () => {
    const b = await wardStaff("broadcaster");
    const page = await b.get("/admin/announcements");
    expect(page.status).toBe(200);
    // Compose → check: the check page names the audience and its size.
    const check = await b.post("/admin/announcements/check", {
      title: "Lịch tiếp công dân",
      body: "Bộ phận một cửa làm việc sáng thứ Bảy.",
      when: "at",
      at: "2026-12-05T08:00",
      units: [UNIT],
      topics: ["thong-bao-chung"],
    });
    expect(check.status).toBe(200);
    expect(await check.text()).toMatch(/Hẹn gửi cho \d+ người/);
    const viewer = await wardStaff("viewer", OTHER_UNIT);
    expect((await viewer.get("/admin/announcements")).status).toBe(200);
  });

  it("should list only announcements for the ward or for everyone", async () => {
    const { broadcast } = all.app.app;
    const mine = await broadcast.create(
      {
        title: "Của phường Hòa An",
        body: "x",
        audience: { units: [UNIT], topics: ["thong-bao-chung"], channels: [] },
        schedule: { kind: "at", at: new Date(MONDAY_9AM + 30 * 86_400_000) },
      },
      "test",
    );
    const theirs = await broadcast.create(
      {
        title: "Của xã Tân Lộc",
        body: "x",
        audience: { units: [OTHER_UNIT], topics: ["thong-bao-chung"], channels: [] },
        schedule: { kind: "at", at: new Date(MONDAY_9AM + 30 * 86_400_000) },
      },
      "test",
    );
    const list = await broadcast.list({ units: [UNIT] });
    const ids = list.map((a) => String(a._id));
    expect(ids).toContain(String(mine._id));
    expect(ids).not.toContain(String(theirs._id));
  });
});

describe("3. live help without reloading the page", () => {
  it("should serve the chat page without a refresh and deliver new citizen messages to the page's poll", async () => {
    // A ward handler watches the queue (which puts the ward on duty), then a citizen asks.
    const h = await wardStaff("handler");
    expect((await h.get("/admin/handoffs")).status).toBe(200);
    const citizen = zaloBotDriver(all.bot, "zb-ward-live-1");
    await citizen.say("/start");
    await citizen.choose(`u:${UNIT}`, "Phường Hòa An (đơn vị mẫu)");
    expect(await citizen.say("cho tôi gặp cán bộ tư vấn")).toMatch(/vị trí số 1/);
    const code = (await handoffModel(all.app.app.store.connection)
      .findOne({ chatId: "zb-ward-live-1" })
      .lean())!._id;
    const page = await (await h.get(`/admin/handoffs/${code}`)).text();
    expect(page).not.toMatch(/http-equiv="refresh"/);
    expect(page).toContain('src="/admin/assets/console.js"');
    const poll = async () =>
      (await (await h.get(`/admin/handoffs/${code}/live`)).json()) as {
        status: string;
        transcript: string;
      };
    expect((await poll()).status).toBe("waiting");
    all.bot.push(botTextUpdate("zb-ward-live-1", "Tôi hỏi về giấy khai sinh bản sao"));
    await expect
      .poll(async () => (await poll()).transcript, { timeout: 5000 })
      .toContain("giấy khai sinh bản sao");
    // Pages that reloaded themselves no longer do.
    expect(await (await h.get("/admin/handoffs")).text()).not.toMatch(/http-equiv="refresh"/);
    // Another ward's chat is out of reach of the poll too.
    const other = await wardStaff("handler", OTHER_UNIT);
    expect((await other.get(`/admin/handoffs/${code}/live`)).status).toBe(403);
  });
});

describe("4. plain HTTP on a LAN", () => {
  it("should not ask the browser to upgrade to https or pin HSTS when served over http", async () => {
    const res = await fetch(`${url}/admin/login`);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toContain("upgrade-insecure-requests");
    expect(res.headers.get("strict-transport-security")).toBeNull();
    // A client cannot claim https when no proxy is trusted.
    const claimed = await fetch(`${url}/admin/login`, { headers: { "x-forwarded-proto": "https" } });
    expect(claimed.headers.get("strict-transport-security")).toBeNull();
  });
});

describe("5. a form with a problem keeps what was typed", () => {
  it("should show a ticket's status form again with the choice and the problem beside the reason", async () => {
    const t = await all.app.app.feedback.fileTicket({
      channel: "telegram",
      chatId: "81001",
      unit: UNIT,
      lang: "vi",
      category: "thu-tuc",
      text: "Hồ sơ của tôi trễ hẹn",
      publishConsent: false,
    });
    const h = await wardStaff("handler");
    const res = await h.post(`/admin/tickets/${t.code}/status`, { status: "rejected", reason: "" });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain(`Phiếu ${t.code}`);
    expect(html).toMatch(/<option value="rejected"\s+selected/);
    expect(html).toMatch(/id="s-reason"[\s\S]{0,400}class="field-error"[^>]*>[^<]*lý do/i);
    // Typed reply text comes back too when a reply cannot be sent.
    const long = "x".repeat(2001);
    const r2 = await h.post(`/admin/tickets/${t.code}/reply`, { text: long });
    expect(r2.status).toBe(400);
    expect(await r2.text()).toContain(long);
  });

  it("should show the new-account form again with the name typed and the problem beside the password", async () => {
    await createStaff(all.app.app, "admin", [UNIT], "admin-w-hoa-an");
    const a = await signIn(url, "admin-w-hoa-an");
    const res = await a.post("/admin/staff", {
      username: "can.bo.moi",
      displayName: "Cán bộ Mới",
      role: "viewer",
      units: [UNIT],
      password: "ngan",
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(/id="n-user"[^>]*value="can.bo.moi"/);
    expect(html).toMatch(/id="n-name"[^>]*value="Cán bộ Mới"/);
    expect(html).toMatch(/id="n-pw"[\s\S]{0,300}class="field-error"/);
  });
});
