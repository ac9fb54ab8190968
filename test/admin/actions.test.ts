/**
 * The staff-actions policy (issue 15, points 6–10): every action × every role, and the write routes a
 * ward account reached × target (own unit, other unit, province-wide), in the console and the API.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STAFF_ACTIONS, type StaffActionName } from "../../src/admin/actions.js";
import { can, type Actor } from "../../src/admin/auth.js";
import { AppError } from "../../src/errors.js";
import { STAFF_ROLES } from "../../src/store/models/staff.js";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { createStaff, signIn } from "../helpers/console.js";

const OWN = "phuong-hoa-an";
const OTHER = "xa-tan-loc";
const TOKEN = "actions-test-api-token-0123456789";
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ ADMIN_API_TOKEN: TOKEN });
}, 60_000);
afterAll(async () => {
  await t?.close();
});

const actor = (role: (typeof STAFF_ROLES)[number], units: string[] = [OWN]): Actor => ({
  username: `${role}-${units.join("-") || "all"}`,
  displayName: role,
  role,
  units,
  via: "session",
});
const codeOf = async (f: () => Promise<unknown>) => {
  try {
    await f();
    return "ok";
  } catch (err) {
    return err instanceof AppError ? err.code : String(err);
  }
};

describe("every action × every role", () => {
  it("should refuse each role without the action's permission before looking at the input", async () => {
    for (const name of Object.keys(STAFF_ACTIONS) as StaffActionName[]) {
      const permission = STAFF_ACTIONS[name].permission;
      for (const role of STAFF_ROLES) {
        const allowed = permission === "signed-in" || can({ role }, permission);
        const code = await codeOf(() => t.app.staffActions.run(actor(role), name, {} as never));
        if (allowed) expect(code, `${role} ${name}`).not.toBe("FORBIDDEN");
        else expect(code, `${role} ${name}`).toBe("FORBIDDEN");
      }
    }
  });
});

describe("write routes × target unit (ward accounts)", () => {
  const ticketIn = (unit: string | undefined) =>
    t.app.feedback.fileTicket({
      channel: "telegram",
      chatId: `9${Math.floor(Math.random() * 1e8)}`,
      unit,
      lang: "vi",
      category: "thu-tuc",
      text: "Hồ sơ trễ hẹn",
      publishConsent: false,
    });
  const announcementFor = (units: string[]) =>
    t.app.broadcast.create(
      {
        title: "Thông báo",
        body: "Nội dung",
        audience: { units, topics: ["thong-bao-chung"], channels: [] },
        schedule: { kind: "at", at: new Date(Date.now() + 30 * 86_400_000) },
      },
      "test",
    );

  it("should let a ward's handler answer its own unit's tickets only, in the console and the API", async () => {
    await createStaff(t.app, "handler", [OWN], "xu-ly-hoa-an");
    const s = await signIn(t.url, "xu-ly-hoa-an");
    for (const [target, unit, expected] of [
      ["own", OWN, [303, 200]],
      ["other", OTHER, [403, 403]],
      ["province", undefined, [403, 403]],
    ] as const) {
      const tk = await ticketIn(unit);
      const page = await s.post(`/admin/tickets/${tk.code}/reply`, { text: "Đã tiếp nhận" });
      const api = await fetch(`${t.url}/admin/api/tickets/${tk.code}/replies`, {
        method: "POST",
        headers: { cookie: s.cookie, "x-csrf-token": s.csrf, "content-type": "application/json" },
        body: JSON.stringify({ text: "Đã tiếp nhận" }),
      });
      expect([page.status, api.status], target).toEqual(expected);
    }
  });

  it("should let a ward's broadcaster pause and cancel only announcements aimed at its unit alone (point 7)", async () => {
    await createStaff(t.app, "broadcaster", [OWN], "phat-tin-hoa-an");
    const s = await signIn(t.url, "phat-tin-hoa-an");
    for (const [target, units, ok] of [
      ["own", [OWN], true],
      ["other", [OTHER], false],
      ["province-wide", [], false],
      ["own and other", [OWN, OTHER], false],
    ] as const) {
      for (const action of ["pause", "cancel"] as const) {
        const a = await announcementFor([...units]);
        const id = String(a._id);
        const api = await fetch(`${t.url}/admin/api/announcements/${id}/${action}`, {
          method: "POST",
          headers: { cookie: s.cookie, "x-csrf-token": s.csrf },
        });
        const b = await announcementFor([...units]);
        const page = await s.post(`/admin/announcements/${String(b._id)}/${action}`, { confirmed: "yes" });
        expect(api.status, `API ${action} ${target}`).toBe(ok ? 200 : 403);
        expect(page.status, `console ${action} ${target}`).toBe(ok ? 303 : 403);
        expect((await t.app.broadcast.get(id))?.status, target).toBe(
          ok ? (action === "pause" ? "paused" : "cancelled") : "scheduled",
        );
      }
    }
  });

  it("should keep a ward admin to accounts within its unit, granting nothing beyond it, never changing itself (point 6)", async () => {
    await createStaff(t.app, "admin", [OWN], "quan-tri-hoa-an");
    await createStaff(t.app, "viewer", [OTHER], "xem-tan-loc");
    await createStaff(t.app, "viewer", [], "xem-tinh");
    await createStaff(t.app, "viewer", [OWN], "xem-hoa-an");
    const s = await signIn(t.url, "quan-tri-hoa-an");
    const idOf = async (u: string) => String((await t.app.staff.list()).find((x) => x.username === u)!._id);
    const update = async (username: string, form: Record<string, string | string[]>) =>
      s.post(`/admin/staff/${await idOf(username)}`, { confirmed: "yes", ...form });
    // Another unit's account and a province-wide one: out of reach (a password reset included).
    expect(
      (
        await update("xem-tan-loc", {
          role: "viewer",
          units: [OTHER],
          active: "on",
          password: "mat-khau-moi-cua-toi",
        })
      ).status,
    ).toBe(403);
    expect((await update("xem-tinh", { role: "viewer", active: "on" })).status).toBe(403);
    // Its own unit's account: yes, but not moved to another unit nor made province-wide.
    expect((await update("xem-hoa-an", { role: "editor", units: [OWN], active: "on" })).status).toBe(303);
    expect((await update("xem-hoa-an", { role: "editor", units: [OTHER], active: "on" })).status).toBe(400);
    expect((await update("xem-hoa-an", { role: "editor", active: "on" })).status).toBe(400);
    // Itself: no change of role or units (posting its own record with no units made it province-wide).
    expect((await update("quan-tri-hoa-an", { role: "admin", active: "on" })).status).toBe(409);
    const me = (await t.app.staff.list()).find((x) => x.username === "quan-tri-hoa-an")!;
    expect(me.units).toEqual([OWN]);
    // Creating: only within its units.
    const created = await s.post("/admin/staff", {
      username: "moi-tan-loc",
      displayName: "Mới",
      role: "viewer",
      units: [OTHER],
      password: "mat-khau-moi-cua-toi",
    });
    expect(created.status).toBe(400);
    expect((await t.app.staff.list()).some((x) => x.username === "moi-tan-loc")).toBe(false);
    // The list shows only accounts it may manage.
    const list = await (await s.get("/admin/staff")).text();
    expect(list).toContain("xem-hoa-an");
    expect(list).not.toContain("xem-tan-loc");
  });

  it("should check a hotline's unit on the submitted item as well as the stored one (point 8)", async () => {
    const own = t.app.content.bundle().hotlines.find((h) => h.unit === OWN)!;
    const ward = actor("editor", [OWN]);
    const move = await codeOf(() =>
      t.app.staffActions.run(ward, "content.save", {
        kind: "hotlines",
        key: own.id,
        data: { ...own, unit: OTHER },
      }),
    );
    const { unit: _u, ...noUnit } = own;
    const widen = await codeOf(() =>
      t.app.staffActions.run(ward, "content.save", { kind: "hotlines", key: own.id, data: noUnit }),
    );
    expect([move, widen]).toEqual(["VALIDATION_FAILED", "VALIDATION_FAILED"]);
    expect(t.app.content.bundle().hotlines.find((h) => h.id === own.id)?.unit).toBe(OWN);
  });

  it("should export a citizen's data only for staff of every unit it lies in, and scope satisfaction (point 9)", async () => {
    await ticketIn(OTHER).then(async (tk) => {
      const full = await t.app.feedback.get(tk.code);
      const ward = actor("admin", [OWN]);
      const prov = actor("admin", []);
      const target = { channel: "telegram" as const, chatId: full!.chatId! };
      expect(await codeOf(() => t.app.staffActions.run(ward, "citizen.export", target))).toBe("OUT_OF_SCOPE");
      expect(await codeOf(() => t.app.staffActions.run(ward, "citizen.erase", target))).toBe("OUT_OF_SCOPE");
      expect(await codeOf(() => t.app.staffActions.run(prov, "citizen.export", target))).toBe("ok");
    });
    await createStaff(t.app, "viewer", [OWN, "phuong-dong-hai"], "xem-hai-don-vi");
    const s = await signIn(t.url, "xem-hai-don-vi");
    for (const by of ["month", "channel", "unit"]) {
      const r = await fetch(`${t.url}/admin/api/satisfaction?from=2020-01-01&to=2030-12-31&by=${by}`, {
        headers: { cookie: s.cookie },
      });
      expect(r.status).toBe(200);
    }
  });
});
