/**
 * Every console page in Vietnamese, as a province admin and as a ward's staff: no English error
 * message, no untranslated key and no internal id (unit ids like `phuong-hoa-an`, ObjectIds, topic
 * and status codes) in what a person reads. The walk covers every GET route of the console's route
 * table, so a new page without a walk entry fails here (issue 16).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTENT_KINDS } from "../../src/store/models/content.js";
import { TOPICS } from "../../src/core/topics.js";
import { TICKET_CATEGORIES, TICKET_STATUSES } from "../../src/store/models/ticket.js";
import { handoffModel } from "../../src/store/models/handoff.js";
import { staffModel } from "../../src/store/models/staff.js";
import { startAllChannels, type AllChannels } from "../helpers/channels.js";
import { createStaff } from "../helpers/console.js";
import { zaloBotDriver } from "../helpers/drivers.js";

const UNIT = "phuong-hoa-an";

/** English a Vietnamese page must never show (API messages, zod, JavaScript leaks). */
const ENGLISH = [
  "Invalid request",
  "Not found",
  "No such",
  "Missing or wrong",
  "Outside your units",
  "Your role may not",
  "Cannot ",
  "Something went wrong",
  "Invalid input",
  "Expected ",
  "Required",
  "undefined",
  "NaN",
  "[object Object]",
  "Error:",
];

let all: AllChannels;
let url: string;

beforeAll(async () => {
  // Monday 23 November 2026, 09:00 in Viet Nam: the ward's advisors are in.
  const offset = Date.parse("2026-11-23T02:00:00Z") - Date.now();
  all = await startAllChannels({ HANDOFF_CONSOLE_UNITS: UNIT }, { now: () => new Date(Date.now() + offset) });
  url = all.app.url;
  const app = all.app.app;
  await createStaff(app, "admin", [], "tinh-admin");
  await createStaff(app, "admin", [UNIT], "phuong-admin");
  // Something on every page: a ticket, an announcement, a waiting chat, audit entries.
  await app.feedback.fileTicket({
    channel: "telegram",
    chatId: "80001",
    unit: UNIT,
    lang: "vi",
    category: "thu-tuc",
    text: "Hồ sơ đăng ký khai sinh nộp tuần trước chưa có kết quả",
    contact: { name: "Trần Thị B", phone: "0912 345 678" },
    contactConsentVersion: "2026-01",
    publishConsent: true,
  });
  await app.broadcast.create(
    {
      title: "Lịch tiếp công dân",
      body: "Bộ phận **một cửa** làm việc sáng thứ Bảy.",
      audience: { units: [UNIT], topics: ["thong-bao-chung"], channels: [] },
      schedule: { kind: "cron", cron: "0 8 * * 1" },
    },
    "tinh-admin",
  );
  // Staff looking at the console queue are on duty, so the request is queued, not declined.
  await (
    await session("phuong-admin")
  )("/handoffs");
  const citizen = zaloBotDriver(all.bot, "zb-vi-walk");
  await citizen.say("/start");
  await citizen.choose(`u:${UNIT}`, "Phường Hòa An (đơn vị mẫu)");
  // Outside office hours the bot offers to queue anyway; the walk needs a waiting chat.
  expect(await citizen.say("cho tôi gặp cán bộ tư vấn")).toMatch(/vị trí số 1/);
}, 90_000);
afterAll(async () => {
  await all?.close();
});

/** A session opened by the staff service (the login form's own limits are tested elsewhere). */
async function session(username: string) {
  const doc = await staffModel(all.app.app.store.connection).findOne({ username }).lean();
  const s = await all.app.app.staff.openSession(doc!);
  return (path: string) =>
    fetch(`${url}/admin${path}`, { headers: { cookie: `motcua_sid=${s.token}` }, redirect: "manual" });
}

/** The concrete pages for each GET route of the console (undefined: the route is not an HTML page). */
async function pagesFor(route: string): Promise<string[] | undefined> {
  const app = all.app.app;
  const bundle = app.content.bundle();
  const ticket = (await app.feedback.search({ limit: 1 })).items[0]!.code;
  const ann = String((await app.broadcast.list())[0]!._id);
  const handoff = (await handoffModel(app.store.connection).findOne({}).lean())!._id;
  const items = (kind: string): string[] => {
    const list = (bundle as unknown as Record<string, unknown>)[kind];
    if (!Array.isArray(list)) return ["default"];
    return (list as Array<Record<string, unknown>>)
      .slice(0, 2)
      .map((x) => String(x.slug ?? x.id ?? x.code ?? x.key));
  };
  const table: Record<string, string[] | undefined> = {
    "/": ["/"],
    "/content": ["/content", "/content?q=khai+sinh"],
    "/content/procedures/:code": bundle.procedures.slice(0, 3).map((p) => `/content/procedures/${p.code}`),
    "/content/procedures/:code/file": undefined,
    "/content/procedures/new": ["/content/procedures/new"],
    "/content/:kind/new": ["faqs", "hotlines", "guides", "articles"].map((k) => `/content/${k}/new`),
    "/content/:kind/:key/yaml": [`/content/faqs/${items("faqs")[0]!}/yaml`],
    "/content/:kind": CONTENT_KINDS.map((k) => `/content/${k}`),
    "/content/:kind/:key": CONTENT_KINDS.filter((k) => k !== "procedures").flatMap((k) =>
      items(k).map((key) => `/content/${k}/${key}`),
    ),
    "/announcements": ["/announcements"],
    "/announcements/new": ["/announcements/new"],
    "/announcements/:id": [`/announcements/${ann}`, "/announcements/0123456789abcdef01234567"],
    "/announcements/:id/edit": [`/announcements/${ann}/edit`],
    "/tickets": ["/tickets", "/tickets?q=khai+sinh&sort=due", "/tickets?page=99"],
    "/tickets/:code": [`/tickets/${ticket}`, "/tickets/PA-2026-999999", "/tickets/khong-phai-ma"],
    "/handoffs": ["/handoffs", "/handoffs?q=khai"],
    "/handoffs/:code": [`/handoffs/${handoff}`, "/handoffs/HZZZZZZ"],
    // JSON the queue and chat pages poll (their HTML is the pages' own, walked above).
    "/handoffs/queue.json": undefined,
    "/handoffs/:code/live": undefined,
    "/reports": ["/reports"],
    "/reports/view": [`/reports/view?unit=${UNIT}&kind=quarter&year=2026&n=4`],
    "/reports/csv": undefined,
    "/reports/xlsx": undefined,
    "/reports/docx": undefined,
    "/staff": ["/staff"],
    "/password": ["/password"],
    "/audit": ["/audit", "/audit?action=ticket.*"],
    "/verification": ["/verification"],
  };
  if (!(route in table)) throw new Error(`no walk entry for the console page ${route}: add one`);
  return table[route];
}

/** What a person reads: text and the attributes read aloud or shown, not YAML editors or markup. */
function visible(html: string): string {
  const attrs = [...html.matchAll(/\s(?:title|placeholder|aria-label|alt)="([^"]*)"/g)].map((m) => m[1]);
  const text = html
    .replace(/<script[\s\S]*?<\/script>/g, " ")
    .replace(/<style[\s\S]*?<\/style>/g, " ")
    .replace(/<textarea[\s\S]*?<\/textarea>/g, " ")
    .replace(/<[^>]+>/g, " ");
  return [text, ...attrs]
    .join(" ")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

function problems(text: string): string[] {
  const unitIds = all.app.app.content.bundle().units.map((u) => u.id);
  const found: string[] = [];
  for (const e of ENGLISH) if (text.includes(e)) found.push(`English "${e}"`);
  for (const id of [...unitIds, ...TOPICS, ...TICKET_CATEGORIES.filter((c) => c.includes("-"))])
    if (new RegExp(`(^|[^\\w/-])${id}($|[^\\w-])`).test(text)) found.push(`id "${id}"`);
  for (const s of TICKET_STATUSES)
    if (new RegExp(`\\b${s}\\b`).test(text) && s.includes("_")) found.push(`status "${s}"`);
  const oid = /\b[0-9a-f]{24}\b/.exec(text);
  if (oid) found.push(`ObjectId "${oid[0]}"`);
  const key =
    /\b(?:ann|tickets|handoffs|audit|staff|dashboard|content|procedure|form|flash|error|nav|reports?|confirm|badges|channels|roles|verification)\.[a-zA-Z][\w.]*/.exec(
      text,
    );
  if (key) found.push(`untranslated key "${key[0]}"`);
  return found;
}

describe("every console page in Vietnamese", () => {
  for (const who of ["tinh-admin", "phuong-admin"]) {
    it(`should show ${who} no English message and no internal id on any page`, async () => {
      const get = await session(who);
      const routes = all.app.app.adminRoutes.console.filter(
        (r) => r.method === "get" && r.permission !== "public",
      );
      const report: string[] = [];
      let walked = 0;
      for (const r of routes) {
        for (const path of (await pagesFor(r.path)) ?? []) {
          const res = await get(path);
          if (res.status >= 300 && res.status < 400) continue;
          expect(res.status, path).toBeLessThan(500);
          walked++;
          for (const p of problems(visible(await res.text()))) report.push(`${path} (${res.status}): ${p}`);
        }
      }
      expect(walked).toBeGreaterThan(40);
      expect(report).toEqual([]);
    }, 120_000);
  }
});
