/**
 * The staff console and the staff API behind it, against the real app: sign-in, lockout, sessions,
 * CSRF, every route × every role, unit scope, the audit log, and the console's effects on the bot
 * (an edited procedure answers at once; a handoff answered from the console reaches the citizen).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PERMISSIONS, can } from "../../src/admin/auth.js";
import type { RouteSpec } from "../../src/admin/guard.js";
import { auditModel, STAFF_ROLES, staffModel } from "../../src/store/models/staff.js";
import { handoffModel } from "../../src/store/models/handoff.js";
import { queryLogModel } from "../../src/store/models/query-log.js";
import { viewCountModel } from "../../src/store/models/view-count.js";
import { startAllChannels, type AllChannels } from "../helpers/channels.js";
import { createStaff, formBody, postLogin, signIn, TEST_PASSWORD, type Session } from "../helpers/console.js";
import { zaloBotDriver } from "../helpers/drivers.js";
import { botTextUpdate } from "../emulators/zalo-bot.js";

const UNIT = "phuong-hoa-an";
const OTHER_UNIT = "xa-tan-loc";
const TOKEN = "console-test-api-token-0123456789abcdef";
/** Monday 23 November 2026, 09:00 in Viet Nam: staff are in. */
const MONDAY_9AM = Date.parse("2026-11-23T02:00:00Z");

let all: AllChannels;
let url: string;
const sessions = new Map<string, Session>();
const offset = MONDAY_9AM - Date.now();

beforeAll(async () => {
  all = await startAllChannels(
    { ADMIN_API_TOKEN: TOKEN, HANDOFF_CONSOLE_UNITS: UNIT },
    { now: () => new Date(Date.now() + offset) },
  );
  url = all.app.url;
  for (const role of STAFF_ROLES) {
    const name = await createStaff(all.app.app, role);
    sessions.set(role, await signIn(url, name));
  }
}, 60_000);
afterAll(async () => {
  await all?.close();
});

const as = (role: string) => sessions.get(role)!;
/** Undoes the HTML escaping of a field's value. */
const unescape = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

describe("sign-in", () => {
  it("should send anonymous visitors to the login page and answer the API with 401", async () => {
    const page = await fetch(`${url}/admin/tickets?status=received`, { redirect: "manual" });
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toBe(
      `/admin/login?next=${encodeURIComponent("/admin/tickets?status=received")}`,
    );
    const login = await fetch(`${url}/admin/login`);
    expect(login.status).toBe(200);
    const html = await login.text();
    expect(html).toContain('<html lang="vi">');
    expect(html).toContain("Đăng nhập");
    expect(html).toMatch(/<label for="username">\s*Tên đăng nhập/);
    const api = await fetch(`${url}/admin/api/tickets`);
    expect(api.status).toBe(401);
  });

  it("should set an HttpOnly, SameSite=Strict session cookie scoped to /admin", async () => {
    await createStaff(all.app.app, "viewer", [], "cookie-check");
    const res = await postLogin(url, {
      username: "cookie-check",
      password: TEST_PASSWORD,
      next: "/admin/reports",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin/reports");
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^motcua_sid=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
    expect(cookie).toContain("Path=/admin");
    // Plain http: a Secure cookie would never come back, so none is set.
    expect(cookie).not.toContain("Secure");
  });

  it("should refuse a wrong password and an unknown name alike, and refuse off-site redirects", async () => {
    await createStaff(all.app.app, "handler", [], "wrong-pw");
    const first = await postLogin(url, { username: "wrong-pw", password: "sai-mat-khau-000" });
    expect(first.status).toBe(401);
    const noToken = (s: string) => s.replace(/name="_csrf" value="[^"]+"/, "");
    const firstText = noToken(await first.text());
    expect(firstText).toContain("Tên đăng nhập hoặc mật khẩu không đúng.");
    const unknown = await postLogin(url, { username: "khong-co-ai", password: "bat-ky-mat-khau" });
    expect(unknown.status).toBe(401);
    expect(noToken(await unknown.text())).toBe(firstText);
    await createStaff(all.app.app, "viewer", [], "redirect-check");
    const evil = await postLogin(url, {
      username: "redirect-check",
      password: TEST_PASSWORD,
      next: "https://evil.example/x",
    });
    expect(evil.headers.get("location")).toBe("/admin");
  });

  it("should refuse a write without the session's CSRF token and end the session on sign-out", async () => {
    await createStaff(all.app.app, "admin", [], "csrf-check");
    const s = await signIn(url, "csrf-check");
    const noToken = await s.post("/admin/staff", { username: "x-user" }, { csrf: false });
    expect(noToken.status).toBe(403);
    // A Vietnamese page explains in Vietnamese (the English message is for the API and logs).
    const refused = await noToken.text();
    expect(refused).toContain("Trang đã cũ. Hãy tải lại trang rồi thử lại.");
    expect(refused).not.toContain("Missing or wrong CSRF token");
    const wrong = await fetch(`${url}/admin/api/announcements`, {
      method: "POST",
      headers: { cookie: s.cookie, "content-type": "application/json", "x-csrf-token": "forged" },
      body: JSON.stringify({ title: "t", body: "b" }),
    });
    expect(wrong.status).toBe(403);
    const out = await s.post("/admin/logout", {});
    expect(out.status).toBe(303);
    expect(out.headers.get("set-cookie")).toContain("Max-Age=0");
    const after = await s.get("/admin/staff");
    expect(after.status).toBe(303);
    expect(after.headers.get("location")).toMatch(/^\/admin\/login/);
  });
});

describe("authorisation", () => {
  /** A concrete path for a route pattern (parameters filled with well-formed values). */
  const fill = (path: string) =>
    path
      .replace(
        ":code",
        path.startsWith("/tickets")
          ? "PA-2026-999999"
          : path.startsWith("/handoffs")
            ? "HZZZZZZ"
            : "1.000656",
      )
      .replace(":id", "0123456789abcdef01234567")
      .replace(":channel", "telegram")
      .replace(":chatId", "12345")
      .replace(":unit", UNIT)
      .replace(":kind", "guides")
      .replace(":key", "vneid-muc-2")
      .replace(":lang", "vi");

  const call = async (base: "api" | "console", r: RouteSpec, s: Session | undefined) => {
    const path = `${base === "api" ? "/admin/api" : "/admin"}${fill(r.path)}`;
    const headers: Record<string, string> = s ? { cookie: s.cookie } : {};
    if (base === "api") {
      if (s) headers["x-csrf-token"] = s.csrf;
      headers["content-type"] = "application/json";
      return fetch(`${url}${path}`, {
        method: r.method.toUpperCase(),
        headers,
        body: r.method === "get" ? undefined : "{}",
        redirect: "manual",
      });
    }
    return fetch(`${url}${path}`, {
      method: r.method.toUpperCase(),
      headers,
      body: r.method === "get" ? undefined : formBody({ _csrf: s?.csrf ?? "" }),
      redirect: "manual",
    });
  };

  it("should list a permission for every route, and every permission should be used", () => {
    const routes = [...all.app.app.adminRoutes.api, ...all.app.app.adminRoutes.console];
    expect(all.app.app.adminRoutes.api.length).toBeGreaterThan(15);
    expect(all.app.app.adminRoutes.console.length).toBeGreaterThan(30);
    const used = new Set(routes.map((r) => r.permission));
    for (const p of Object.keys(PERMISSIONS)) expect(used, p).toContain(p);
  });

  for (const base of ["api", "console"] as const) {
    it(`should check the role on every ${base} route (route × role)`, async () => {
      const routes = all.app.app.adminRoutes[base].filter((r) => r.permission !== "public");
      for (const r of routes) {
        if (r.path === "/logout") continue;
        for (const role of STAFF_ROLES) {
          const res = await call(base, r, as(role));
          const label = `${role} ${r.method.toUpperCase()} ${r.path} → ${res.status}`;
          const allowed =
            r.permission === "signed-in" || can({ role }, r.permission as keyof typeof PERMISSIONS);
          if (allowed) expect(res.status, label).not.toBe(403);
          else expect(res.status, label).toBe(403);
          expect(res.status, label).toBeLessThan(500);
        }
        const anon = await call(base, r, undefined);
        expect(anon.status, `anonymous ${r.path}`).toBe(base === "api" ? 401 : 303);
      }
    }, 120_000);
  }
});

describe("unit scope", () => {
  it("should show a ward's handler only their ward's tickets and refuse others", async () => {
    const feedback = all.app.app.feedback;
    const mine = await feedback.fileTicket({
      channel: "telegram",
      chatId: "71001",
      unit: UNIT,
      lang: "vi",
      category: "thu-tuc",
      text: "Hồ sơ khai sinh của tôi trễ hẹn hai ngày",
      publishConsent: false,
    });
    const theirs = await feedback.fileTicket({
      channel: "telegram",
      chatId: "71002",
      unit: OTHER_UNIT,
      lang: "vi",
      category: "thai-do",
      text: "Cán bộ tiếp dân xã bên cạnh chưa niềm nở",
      publishConsent: false,
    });
    await createStaff(all.app.app, "handler", [UNIT], "handler-hoa-an");
    const s = await signIn(url, "handler-hoa-an");
    const list = await (await s.get("/admin/tickets")).text();
    expect(list).toContain(mine.code);
    expect(list).not.toContain(theirs.code);
    expect((await s.get(`/admin/tickets/${theirs.code}`)).status).toBe(403);
    const reply = await s.post(`/admin/tickets/${theirs.code}/reply`, { text: "Không phải việc của tôi" });
    expect(reply.status).toBe(403);
    const api = await fetch(`${url}/admin/api/tickets`, { headers: { cookie: s.cookie } });
    const codes = ((await api.json()) as { tickets: Array<{ code: string }> }).tickets.map((t) => t.code);
    expect(codes).toContain(mine.code);
    expect(codes).not.toContain(theirs.code);
    expect(
      (await fetch(`${url}/admin/api/tickets?unit=${OTHER_UNIT}`, { headers: { cookie: s.cookie } })).status,
    ).toBe(403);
    // The ticket of their own ward can be answered, and the answer is audited under their name.
    const ok = await s.post(`/admin/tickets/${mine.code}/reply`, {
      text: "Hồ sơ đã có kết quả, mời ông/bà đến nhận.",
    });
    expect(ok.status).toBe(303);
    const entry = await auditModel(all.app.app.store.connection)
      .findOne({ action: "ticket.reply", target: `tickets/${mine.code}` })
      .lean();
    expect(entry?.actor).toBe("handler-hoa-an");
    expect(entry?.after).toMatchObject({
      status: "answered",
      reply: "Hồ sơ đã có kết quả, mời ông/bà đến nhận.",
    });
  });
});

describe("content editing", () => {
  it("should validate an edit with exact messages, save a good one, audit it and answer with it at once", async () => {
    const editor = as("editor");
    const form = await (await editor.get("/admin/content/procedures/1.000656")).text();
    const field = (name: string) => {
      const input = new RegExp(`name="${name}"\\s+type="text"\\s+value="([^"]*)"`).exec(form);
      const area = new RegExp(`name="${name}"[^>]*>\\n?([^<]*)</textarea>`).exec(form);
      return unescape(input?.[1] ?? area?.[1] ?? "");
    };
    const base = Object.fromEntries(
      [
        "name",
        "summary",
        "who",
        "where",
        "documents",
        "processing_time",
        "fee",
        "legal_basis",
        "online_note",
        "steps",
        "aliases",
        "keywords",
      ].map((k) => [k, field(k)]),
    );
    expect(base.fee).toContain("Miễn lệ phí");
    const bad = await editor.post("/admin/content/procedures/1.000656", {
      ...base,
      online: "toan-trinh",
      documents: "",
      action: "save",
    });
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(badHtml).toContain("Chưa lưu được");
    // Named by the field's label, never its id, and shown beside the field too.
    expect(badHtml).toContain('<a href="#f-documents">Thành phần hồ sơ</a>: không được để trống');
    expect(badHtml).toContain('<p class="field-error" id="e-documents">không được để trống</p>');

    const newFee = "Miễn lệ phí khi đăng ký đúng hạn (bản sửa thử nghiệm của cán bộ).";
    const preview = await editor.post("/admin/content/procedures/1.000656", {
      ...base,
      online: "toan-trinh",
      fee: newFee,
      action: "preview",
    });
    expect(preview.status).toBe(200);
    expect(await preview.text()).toContain(newFee);
    // The preview saved nothing.
    expect(all.app.app.content.bundle().procedures.find((p) => p.code === "1.000656")!.fee).not.toBe(newFee);

    const saved = await editor.post("/admin/content/procedures/1.000656", {
      ...base,
      online: "toan-trinh",
      fee: newFee,
      action: "save",
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.get("location")).toBe("/admin/content/procedures/1.000656?done=saved");
    const entry = await auditModel(all.app.app.store.connection)
      .findOne({ action: "content.update", target: "procedures/1.000656" })
      .lean();
    expect(entry?.actor).toBe("editor-all");
    expect((entry?.before as { fee: string }).fee).toContain(
      "Miễn lệ phí khi đăng ký đúng hạn (trong 15 ngày",
    );
    expect((entry?.after as { fee: string }).fee).toBe(newFee);

    const citizen = zaloBotDriver(all.bot, "zb-content-1");
    const answer = await citizen.say("dang ky khai tu");
    expect(answer).toContain("bản sửa thử nghiệm của cán bộ");
    // The answer is counted for the reports (views and the query log are written in batches).
    await all.app.app.flushAnalytics();
    const views = await viewCountModel(all.app.app.store.connection)
      .find({ kind: "procedure", id: "1.000656" })
      .lean();
    expect(views.reduce((n, v) => n + v.n, 0)).toBeGreaterThanOrEqual(1);
    expect(
      await queryLogModel(all.app.app.store.connection).findOne({ q: "dang ky khai tu" }).lean(),
    ).toMatchObject({
      channel: "zalo-bot",
      level: "confident",
    });
  });

  it("should keep YAML as the administrators' advanced view: invalid YAML refused, the key fixed", async () => {
    const admin = as("admin");
    const path = "/admin/content/faqs/bo-phan-mot-cua-la-gi/yaml";
    const broken = await admin.post(path, { yaml: "slug: [unclosed" });
    expect(broken.status).toBe(400);
    expect(await broken.text()).toContain("YAML:");
    const form = await (await admin.get("/admin/content/faqs/bo-phan-mot-cua-la-gi")).text();
    expect(form).toContain("Chatbot đang trả lời như sau (bản đã lưu)");
    expect(form).toContain("<b>Bộ phận một cửa là gì, làm việc ở đâu?</b>");
    expect(form).toContain('href="/admin/content/faqs/bo-phan-mot-cua-la-gi/yaml"');
    const page = await (await admin.get(path)).text();
    // Named by the item's question, not its key.
    expect(page).toContain("<h1>Hỏi – Đáp: Bộ phận một cửa là gì, làm việc ở đâu?</h1>");
    const yaml = unescape(/id="yaml"[^>]*>\n?([\s\S]*?)<\/textarea>/.exec(page)![1]!);
    const renamed = await admin.post(path, {
      yaml: yaml.replace("slug: bo-phan-mot-cua-la-gi", "slug: doi-ten"),
    });
    expect(renamed.status).toBe(400);
    expect(await renamed.text()).toContain("Không được đổi mã");
    // Editors use the form; the YAML view is not theirs to save, nor a viewer's.
    expect(await (await as("editor").get("/admin/content/faqs/bo-phan-mot-cua-la-gi")).text()).not.toContain(
      "/yaml",
    );
    expect((await as("editor").post(path, { yaml })).status).toBe(403);
    expect((await as("viewer").post(path, { yaml })).status).toBe(403);
  });
});

describe("content scope", () => {
  it("should let a ward's editor edit only their ward's hotlines, not shared content", async () => {
    await createStaff(all.app.app, "editor", [UNIT], "editor-hoa-an");
    const s = await signIn(url, "editor-hoa-an");
    const procedurePage = await (await s.get("/admin/content/procedures/1.001193")).text();
    expect(procedurePage).not.toContain('value="save"');
    const refused = await s.post("/admin/content/procedures/1.001193", { name: "x", action: "save" });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("Nội dung dùng chung cho mọi đơn vị do cán bộ cấp tỉnh biên tập");
    const hotline = all.app.app.content.bundle().hotlines.find((h) => h.unit === UNIT)!;
    const other = all.app.app.content.bundle().hotlines.find((h) => h.unit === OTHER_UNIT)!;
    const page = await (await s.get(`/admin/content/hotlines/${hotline.id}`)).text();
    expect(page).toContain("Bạn sửa được");
    const note = "Ghi chú do cán bộ phường cập nhật";
    const form = {
      label: hotline.label,
      phone: hotline.phone,
      unit: UNIT,
      hours: hotline.hours ?? "",
      note,
      sample: "on",
      label_en: hotline.label_en ?? "",
      action: "save",
    };
    const saved = await s.post(`/admin/content/hotlines/${hotline.id}`, form);
    expect(saved.status).toBe(303);
    expect(all.app.app.content.bundle().hotlines.find((h) => h.id === hotline.id)?.note).toBe(note);
    expect((await s.post(`/admin/content/hotlines/${other.id}`, form)).status).toBe(403);
    // Scope is checked on the submitted item too: no moving it to another unit, no making it province-wide.
    for (const unit of [OTHER_UNIT, ""]) {
      const moved = await s.post(`/admin/content/hotlines/${hotline.id}`, { ...form, unit });
      expect(moved.status, unit).toBe(400);
      expect(await moved.text()).toContain("chỉ chọn được đơn vị của bạn");
      expect(all.app.app.content.bundle().hotlines.find((h) => h.id === hotline.id)?.unit).toBe(UNIT);
    }
  });
});

describe("the inbox", () => {
  it("should search by part of the text, code and phone across every page, assign only to the ward's handlers, bulk assign and show the badge", async () => {
    const feedback = all.app.app.feedback;
    const UNIT2 = "phuong-dong-hai";
    // More tickets than one page, so filters must run in the store query, not after a cap.
    for (let i = 0; i < 55; i++)
      await feedback.fileTicket({
        channel: "telegram",
        chatId: `72${i}`,
        unit: UNIT2,
        lang: "vi",
        category: "khac",
        text: `Phản ánh số ${i} về vệ sinh khu phố`,
        publishConsent: false,
      });
    const needle = await feedback.fileTicket({
      channel: "zalo-bot",
      chatId: "72999",
      unit: UNIT2,
      lang: "vi",
      category: "thu-tuc",
      text: "Đèn đường hẻm 42 Trần Phú bị hỏng nhiều ngày",
      contact: { name: "Nguyễn Văn A", phone: "0905123456" },
      contactConsentVersion: "2026-01",
      publishConsent: false,
    });
    for (let i = 0; i < 5; i++)
      await feedback.fileTicket({
        channel: "telegram",
        chatId: `73${i}`,
        unit: UNIT2,
        lang: "vi",
        category: "khac",
        text: `Phản ánh cũ ${i}`,
        publishConsent: false,
      });
    await createStaff(all.app.app, "handler", [UNIT2], "xu-ly-dong-hai");
    await createStaff(all.app.app, "handler", [UNIT2], "dong-nghiep-dh");
    await createStaff(all.app.app, "handler", [OTHER_UNIT], "xu-ly-tan-loc");
    const s = await signIn(url, "xu-ly-dong-hai");
    const first = await (await s.get("/admin/tickets")).text();
    expect(first).toMatch(/Tìm thấy 61 phiếu · trang 1\/2/);
    expect(first).toContain('<span class="count"');
    expect(first).not.toContain("phuong-dong-hai<");
    const second = await (await s.get("/admin/tickets?page=2")).text();
    expect(second).toContain("Trang 2/2");
    for (const q of ["hẻm 42 trần", needle.code.slice(-6), "0905 123 456"]) {
      const found = await (await s.get(`/admin/tickets?q=${encodeURIComponent(q)}`)).text();
      expect(found, q).toContain("Tìm thấy 1 phiếu");
      expect(found, q).toContain(needle.code);
    }
    const page = await (await s.get(`/admin/tickets/${needle.code}`)).text();
    expect(page).toContain('<option value="dong-nghiep-dh"');
    expect(page).not.toContain('value="xu-ly-tan-loc"');
    const wrong = await s.post(`/admin/tickets/${needle.code}/assign`, { assignee: "xu-ly-tan-loc" });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain("Chỉ giao được cho cán bộ xử lý phản ánh của đúng đơn vị.");
    const ok = await s.post(`/admin/tickets/${needle.code}/assign`, { assignee: "dong-nghiep-dh" });
    expect(ok.status).toBe(303);
    expect((await feedback.get(needle.code))?.assignee).toBe("dong-nghiep-dh");
    // Bulk: assign three to me, then closing asks first.
    const list = await feedback.search({ unit: UNIT2, text: "Phản ánh cũ" });
    const codes = list.items.slice(0, 3).map((t) => t.code);
    expect(
      (await s.post("/admin/tickets/bulk", { codes, action: "assign", assignee: "xu-ly-dong-hai" })).status,
    ).toBe(303);
    for (const c of codes) expect((await feedback.get(c))?.assignee).toBe("xu-ly-dong-hai");
    expect(await (await s.get("/admin/tickets?assignee=me")).text()).toContain("Tìm thấy 3 phiếu");
    const ask = await s.post("/admin/tickets/bulk", { codes, action: "close" });
    expect(await ask.text()).toContain("Đóng 3 phiếu");
    expect((await feedback.get(codes[0]!))?.status).toBe("in_progress");
    await s.post("/admin/tickets/bulk", { codes, action: "close", confirmed: "yes" });
    for (const c of codes) expect((await feedback.get(c))?.status).toBe("closed");
    // Rejecting asks first, too.
    const reject = await s.post(`/admin/tickets/${needle.code}/status`, {
      status: "rejected",
      reason: "Không thuộc thẩm quyền",
    });
    expect(await reject.text()).toContain("Không thụ lý phiếu");
    expect((await feedback.get(needle.code))?.status).toBe("in_progress");
  });
});

describe("announcements from the console", () => {
  it("should check before sending (units, topics, channels by name, exact count, time, preview), then schedule, edit and cancel with confirmation, all audited", async () => {
    const b = as("broadcaster");
    const form = {
      title: "Lịch tiếp công dân tháng 12",
      body: "Bộ phận **một cửa** làm việc cả sáng thứ Bảy, xem https://dichvucong.gov.vn",
      when: "at",
      at: "2026-12-05T08:00",
      units: [UNIT],
      topics: ["thong-bao-chung"],
    };
    // No unit ticked means "choose a unit", never everyone.
    const none = await b.post("/admin/announcements/check", { ...form, units: [] });
    expect(none.status).toBe(400);
    expect(await none.text()).toContain("hãy chọn ít nhất một đơn vị nhận thông báo");
    const past = await b.post("/admin/announcements/check", { ...form, at: "2026-11-01T08:00" });
    expect(await past.text()).toContain("thời điểm này đã qua");
    const check = await b.post("/admin/announcements/check", form);
    expect(check.status).toBe(200);
    const page = await check.text();
    const n = await all.app.app.broadcast.estimate(
      { units: [UNIT], topics: ["thong-bao-chung"], channels: [] },
      false,
    );
    expect(page).toContain(`Hẹn gửi cho ${n} người`);
    expect(page).toContain("Phường Hòa An (đơn vị mẫu)");
    expect(page).toContain("Thông báo chung");
    expect(page).toContain("Zalo (Official Account)");
    expect(page).toContain("Gửi lúc 05/12/2026 08:00");
    // Bold and links render the same way in every channel's preview.
    expect(page).toContain("<b>một cửa</b>");
    expect(page).toContain('<a href="https://dichvucong.gov.vn"');
    // Posting without the check page's confirmation shows the check page, it does not create.
    const unchecked = await b.post("/admin/announcements", form);
    expect(unchecked.status).toBe(200);
    expect(await unchecked.text()).toContain("Kiểm tra trước khi gửi");
    const created = await b.post("/admin/announcements", { ...form, checked: "yes" });
    expect(created.status).toBe(303);
    const id = /\/admin\/announcements\/([0-9a-f]{24})/.exec(created.headers.get("location") ?? "")![1]!;
    const a = await all.app.app.broadcast.get(id);
    expect(a?.status).toBe("scheduled");
    expect(a?.nextRunAt?.toISOString()).toBe("2026-12-05T01:00:00.000Z");
    expect(a?.audience.topics).toEqual(["thong-bao-chung"]);
    // Edit before it starts: repeat every Monday at 07:30 instead.
    const edit = await b.get(`/admin/announcements/${id}/edit`);
    expect(await edit.text()).toContain("Lịch tiếp công dân tháng 12");
    const changed = {
      ...form,
      title: "Lịch tiếp công dân (đã sửa)",
      when: "repeat",
      every: "week",
      weekday: "1",
      time: "07:30",
    };
    const recheck = await b.post(`/admin/announcements/${id}/check`, changed);
    expect(await recheck.text()).toContain("Thứ Hai hằng tuần lúc 07:30");
    const saved = await b.post(`/admin/announcements/${id}`, { ...changed, checked: "yes" });
    expect(saved.status).toBe(303);
    const after = await all.app.app.broadcast.get(id);
    expect(after?.title).toBe("Lịch tiếp công dân (đã sửa)");
    expect(after?.schedule).toMatchObject({ kind: "cron", cron: "30 7 * * 1" });
    // Cancelling asks first.
    const ask = await b.post(`/admin/announcements/${id}/cancel`, {});
    expect(ask.status).toBe(200);
    expect(await ask.text()).toContain("không khôi phục được");
    expect((await all.app.app.broadcast.get(id))?.status).toBe("scheduled");
    const cancel = await b.post(`/admin/announcements/${id}/cancel`, { confirmed: "yes" });
    expect(cancel.status).toBe(303);
    expect((await all.app.app.broadcast.get(id))?.status).toBe("cancelled");
    const again = await b.post(`/admin/announcements/${id}/cancel`, { confirmed: "yes" });
    expect(again.status).toBe(409);
    expect((await b.post(`/admin/announcements/${id}`, { ...changed, checked: "yes" })).status).toBe(409);
    // The audience stays on its page afterwards.
    expect(await (await b.get(`/admin/announcements/${id}`)).text()).toContain("Phường Hòa An (đơn vị mẫu)");
    const entries = await auditModel(all.app.app.store.connection)
      .find({ target: `announcements/${id}` })
      .lean();
    expect(entries.map((x) => x.action).sort()).toEqual([
      "announcement.cancel",
      "announcement.create",
      "announcement.update",
    ]);
    const upd = entries.find((x) => x.action === "announcement.update");
    expect(upd?.before).toMatchObject({ title: "Lịch tiếp công dân tháng 12" });
    expect(upd?.after).toMatchObject({ title: "Lịch tiếp công dân (đã sửa)" });
  });
});

describe("handoffs from the console", () => {
  it("should queue a Zalo Bot citizen for a console-answered ward, let one staff member claim, relay the reply and close", async () => {
    const citizen = zaloBotDriver(all.bot, "zb-handoff-1");
    const handler = as("handler");
    await citizen.say("/start");
    await citizen.choose(`u:${UNIT}`, "Phường Hòa An (đơn vị mẫu)");
    // A handler with the queue page open is on duty (so the citizen is queued, not told nobody is in).
    await handler.get("/admin/handoffs");
    expect(await citizen.say("cho tôi gặp cán bộ tư vấn")).toMatch(/vị trí số 1/);
    const doc = await handoffModel(all.app.app.store.connection).findOne({ chatId: "zb-handoff-1" }).lean();
    const code = doc!._id;
    all.bot.push(botTextUpdate("zb-handoff-1", "Tôi cần hỏi về giấy tờ khai sinh cho con"));
    await createStaff(all.app.app, "handler", [], "handler-two");
    const other = await signIn(url, "handler-two");
    const queue = await (await handler.get("/admin/handoffs")).text();
    expect(queue).toContain(code);
    // Two staff press "take" at once: one wins.
    const [r1, r2] = await Promise.all([
      handler.post(`/admin/handoffs/${code}/claim`, {}),
      other.post(`/admin/handoffs/${code}/claim`, {}),
    ]);
    const flashes = [r1.headers.get("location"), r2.headers.get("location")]
      .map((l) => /done=(\w+)/.exec(l ?? "")?.[1])
      .sort();
    expect(flashes).toEqual(["handoffClaimed", "handoffTaken"]);
    const winner = r1.headers.get("location")!.includes("handoffClaimed") ? handler : other;
    const loser = winner === handler ? other : handler;
    // The transcript shows what the citizen wrote.
    for (let i = 0; i < 50; i++) {
      if ((await (await winner.get(`/admin/handoffs/${code}`)).text()).includes("giấy tờ khai sinh cho con"))
        break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await (await winner.get(`/admin/handoffs/${code}`)).text()).toContain("giấy tờ khai sinh cho con");
    const notMine = await loser.post(`/admin/handoffs/${code}/reply`, { text: "Tôi trả lời thay" });
    expect(notMine.headers.get("location")).toContain("done=handoffTaken");
    const before = all.bot.messagesTo("zb-handoff-1").length;
    const sent = await winner.post(`/admin/handoffs/${code}/reply`, {
      text: "Chào anh/chị, cần tờ khai và giấy chứng sinh.",
    });
    expect(sent.headers.get("location")).toContain("done=handoffSent");
    for (
      let i = 0;
      i < 100 &&
      !all.bot
        .messagesTo("zb-handoff-1")
        .slice(before)
        .some((m) => m.includes("giấy chứng sinh"));
      i++
    )
      await new Promise((r) => setTimeout(r, 30));
    expect(all.bot.messagesTo("zb-handoff-1").slice(before).join("\n")).toMatch(
      /Cán bộ tư vấn: Chào anh\/chị, cần tờ khai và giấy chứng sinh\./,
    );
    const ask = await winner.post(`/admin/handoffs/${code}/close`, {});
    expect(await ask.text()).toContain("Kết thúc cuộc tư vấn này?");
    const closed = await winner.post(`/admin/handoffs/${code}/close`, { confirmed: "yes" });
    expect(closed.headers.get("location")).toContain("done=handoffClosed");
    const after = await handoffModel(all.app.app.store.connection).findById(code).lean();
    expect(after?.status).toBe("closed");
    expect(after?.transcript).toBeUndefined();
  });
});

describe("staff management", () => {
  it("should create accounts with validation, refuse duplicates, and keep password hashes out of the audit", async () => {
    const admin = as("admin");
    const weak = await admin.post("/admin/staff", {
      username: "ab",
      displayName: "X",
      role: "viewer",
      password: "ngan",
    });
    expect(weak.status).toBe(400);
    const text = await weak.text();
    expect(text).toContain("3–32 ký tự, chỉ gồm chữ thường không dấu, số và . _ -");
    expect(text).toContain("<code>password</code>: cần ít nhất 10 ký tự");
    const ok = await admin.post("/admin/staff", {
      username: "bien.tap.2",
      displayName: "Biên tập 2",
      role: "editor",
      units: [UNIT],
      password: "mot-mat-khau-dai",
    });
    expect(ok.status).toBe(303);
    const dup = await admin.post("/admin/staff", {
      username: "bien.tap.2",
      displayName: "Khác",
      role: "viewer",
      password: "mot-mat-khau-dai",
    });
    expect(dup.status).toBe(409);
    const entry = await auditModel(all.app.app.store.connection)
      .findOne({ action: "staff.create", target: "staff/bien.tap.2" })
      .lean();
    expect(entry?.after).toMatchObject({ username: "bien.tap.2", role: "editor", units: [UNIT] });
    expect(JSON.stringify(entry)).not.toContain("scrypt$");
    // A password set by an admin opens only the password page until its owner chooses their own.
    const first = await signIn(url, "bien.tap.2", "mot-mat-khau-dai");
    const blocked = await first.get("/admin/content");
    expect(blocked.status).toBe(303);
    expect(blocked.headers.get("location")).toBe("/admin/password");
    expect(await (await first.get("/admin/password")).text()).toContain(
      "Mật khẩu hiện tại do người khác đặt",
    );
    const changed = await first.post("/admin/password", {
      current: "mot-mat-khau-dai",
      password: "bien-tap-vien-tu-dat-01",
    });
    expect(changed.status).toBe(303);
    const s = await signIn(url, "bien.tap.2", "bien-tap-vien-tu-dat-01");
    expect((await s.get("/admin/content")).status).toBe(200);
    expect((await s.get("/admin/staff")).status).toBe(403);
  });
});

/**
 * A session opened by the staff service itself, for accounts whose sign-in is not under test (the
 * login form's per-address limit is shared by the whole file).
 */
async function openSession(username: string): Promise<Session> {
  const doc = await staffModel(all.app.app.store.connection).findOne({ username }).lean();
  const s = await all.app.app.staff.openSession(doc!);
  const cookie = `motcua_sid=${s.token}`;
  return {
    cookie,
    csrf: s.csrf,
    get: (path) => fetch(`${url}${path}`, { headers: { cookie }, redirect: "manual" }),
    post: (path, form) =>
      fetch(`${url}${path}`, {
        method: "POST",
        headers: { cookie },
        body: formBody({ ...form, _csrf: s.csrf }),
        redirect: "manual",
      }),
  };
}

describe("accounts, the audit log and the dashboard", () => {
  const unitName = (id: string) => all.app.app.content.bundle().units.find((u) => u.id === id)!.name;

  it("should default a new account to viewer and the creator's own units, and ask before removing a unit", async () => {
    await createStaff(all.app.app, "admin", [UNIT], "quan-tri-hoa-an");
    const wardAdmin = await openSession("quan-tri-hoa-an");
    const form = await (await wardAdmin.get("/admin/staff")).text();
    const create = form.slice(form.indexOf('action="/admin/staff"'));
    expect(create).toMatch(/<option value="viewer" selected>/);
    expect(create).toMatch(new RegExp(`value="${UNIT}"\\s+checked`));
    const admin = as("admin");
    const s = await all.app.app.staff.create({
      username: "hai-don-vi",
      displayName: "Cán bộ hai đơn vị",
      role: "handler",
      units: [UNIT, OTHER_UNIT],
      password: TEST_PASSWORD,
    });
    const edit = { role: "handler", units: [UNIT], active: "on" };
    const ask = await admin.post(`/admin/staff/${String(s._id)}`, edit);
    expect(ask.status).toBe(200);
    const question = await ask.text();
    expect(question).toContain(`Bỏ ${unitName(OTHER_UNIT)} khỏi tài khoản của Cán bộ hai đơn vị?`);
    expect((await all.app.app.staff.get(String(s._id)))?.units).toEqual([UNIT, OTHER_UNIT]);
    const done = await admin.post(`/admin/staff/${String(s._id)}`, { ...edit, confirmed: "yes" });
    expect(done.status).toBe(303);
    expect((await all.app.app.staff.get(String(s._id)))?.units).toEqual([UNIT]);
  });

  it("should show the audit log in words: who, when, what and each field before → after, with filters", async () => {
    const admin = as("admin");
    const page = await (await admin.get("/admin/audit?action=staff.update")).text();
    expect(page).toContain("Sửa tài khoản");
    expect(page).toContain("Cán bộ hai đơn vị");
    // The unit change, by name: before → after.
    expect(page).toContain(
      `<del>${unitName(UNIT)}, ${unitName(OTHER_UNIT)}</del> → <ins>${unitName(UNIT)}</ins>`,
    );
    expect(page).toContain("<strong>Đặt mật khẩu mới</strong>");
    expect(page).not.toContain("{&quot;");
    expect(page).not.toMatch(/>[^<]*phuong-hoa-an[^<]*</);
    const rows = (html: string) => html.slice(html.indexOf("<tbody>"));
    const byPerson = rows(await (await admin.get("/admin/audit?actor=broadcaster-all")).text());
    expect(byPerson).toContain("Sửa thông báo");
    expect(byPerson).not.toContain("Sửa tài khoản");
    const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
    const dated = await (await admin.get(`/admin/audit?from=${today}&to=${today}&action=staff.*`)).text();
    expect(dated).toMatch(/[1-9]\d* mục · trang 1/);
    const none = await (await admin.get("/admin/audit?from=2020-01-01&to=2020-01-31")).text();
    expect(none).toContain("0 mục");
  });

  it("should show this month's outreach against each unit's target and let an editor set it", async () => {
    const editor = as("editor");
    const before = await (await editor.get("/admin")).text();
    expect(before).toContain("Kế hoạch tuyên truyền tháng này");
    expect(before).toContain(unitName(UNIT));
    expect(before).toMatch(/\d+\/3/);
    const set = await editor.post("/admin/dashboard/target", { unit: UNIT, target: "5" });
    expect(set.status).toBe(303);
    const after = await (await editor.get("/admin")).text();
    const row = after.slice(after.indexOf(unitName(UNIT)), after.indexOf(unitName(UNIT)) + 2000);
    expect(row).toMatch(/\d+\/5/);
    const entry = await auditModel(all.app.app.store.connection).findOne({ action: "unit.target" }).lean();
    expect(entry?.before).toEqual({ outreachTarget: 3 });
    expect(entry?.after).toEqual({ outreachTarget: 5 });
    expect((await editor.post("/admin/dashboard/target", { unit: UNIT, target: "500" })).status).toBe(400);
  });
});
