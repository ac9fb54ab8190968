/**
 * Verification as a workflow (issue 20), through the console over HTTP as staff use it: a province
 * editor marks a fact verified, the record says who and when, the audit log has it, the ward's
 * dashboard count drops and the bot stops warning about that fact; a ward editor cannot verify shared
 * content; and a dead link found by the link checker (against a local stand-in) shows in the console.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contentModels } from "../../src/store/models/content.js";
import { auditModel } from "../../src/store/models/staff.js";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { createStaff, signIn, type Session } from "../helpers/console.js";

const UNIT = "phuong-hoa-an";
const DEAD = "/p/home/dvc-tim-kiem-thu-tuc.html";

let app: TestApp;
let standIn: http.Server;
let province: Session;
let ward: Session;

/** The number shown in the element with this id. */
async function figure(s: Session, path: string, id: string): Promise<number> {
  const page = await (await s.get(path)).text();
  const m = new RegExp(`id="${id}"[^>]*>\\s*(\\d+)`).exec(page);
  if (!m) throw new Error(`no #${id} on ${path}`);
  return Number(m[1]);
}

beforeAll(async () => {
  // The local stand-in for the real sites: the portal's search page is "dead", everything else opens.
  standIn = http.createServer((req, res) => {
    res.statusCode = req.url?.startsWith(DEAD) ? 404 : 200;
    res.end();
  });
  await new Promise<void>((r) => standIn.listen(0, "127.0.0.1", r));
  const origin = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`;
  app = await startTestApp({ LINK_CHECK_ORIGIN: origin, LINK_CHECK_TIMEOUT_MS: "2000" });
  province = await signIn(app.url, await createStaff(app.app, "editor", [], "bien-tap-tinh"));
  ward = await signIn(app.url, await createStaff(app.app, "editor", [UNIT], "bien-tap-hoa-an"));
}, 60_000);
afterAll(async () => {
  await app?.close();
  await new Promise((r) => standIn?.close(r));
});

const stored = async (code: string) =>
  (await contentModels(app.app.store.connection).procedures.findOne({ key: code }).lean())?.data as {
    unverified: string[];
    verified: boolean;
    verification: Record<string, { verified_by: string; verified_at: string }>;
  };

async function feeAnswer(chatId: string): Promise<string> {
  const engine = app.app.engine;
  await engine.handle({ channel: "telegram", chatId, payload: `u:${UNIT}` });
  await engine.handle({ channel: "telegram", chatId, payload: "p:1.004222" });
  const replies = await engine.handle({ channel: "telegram", chatId, text: "lệ phí bao nhiêu?" });
  return replies.map((r) => r.text).join("\n");
}

describe("verifying a fact in the console", () => {
  it("should record who verified the fee and when, audit it, lower the ward's count and the bot's warning", async () => {
    const before = await figure(ward, "/admin", "dash-unverified");
    expect(await figure(ward, "/admin/verification", "unverified-count")).toBe(before);
    expect(await feeAnswer("verify-1")).toMatch(/⚠️[^\n]*lệ phí/);

    const res = await province.post("/admin/verification", {
      kind: "procedures",
      key: "1.004222",
      field: "fee",
      verified: "1",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin/verification?done=factVerified");

    const p = await stored("1.004222");
    expect(p.unverified).not.toContain("fee");
    expect(p.unverified.length).toBeGreaterThan(0);
    expect(p.verification.fee?.verified_by).toBe("bien-tap-tinh");
    expect(Date.now() - Date.parse(p.verification.fee!.verified_at)).toBeLessThan(60_000);
    const entry = await auditModel(app.app.store.connection)
      .findOne({ action: "content.verify", target: "procedures/1.004222#fee" })
      .lean();
    expect(entry?.actor).toBe("bien-tap-tinh");

    expect(await figure(ward, "/admin", "dash-unverified")).toBe(before - 1);
    const answer = await feeAnswer("verify-2");
    // Other facts of the procedure still await verification: the line stays, without the fee.
    expect(answer).toContain("⚠️");
    expect(answer).not.toMatch(/⚠️[^\n]*lệ phí/);

    const page = await (await province.get("/admin/verification")).text();
    expect(page).toContain("bien-tap-tinh");

    // And back: the fee awaits verification again, its record is gone, the count is restored.
    const undo = await province.post("/admin/verification", {
      kind: "procedures",
      key: "1.004222",
      field: "fee",
      verified: "0",
    });
    expect(undo.status).toBe(303);
    const again = await stored("1.004222");
    expect(again.unverified).toContain("fee");
    expect(again.verification.fee).toBeUndefined();
    expect(await figure(ward, "/admin", "dash-unverified")).toBe(before);
  });

  it("should let a province editor verify a whole guide, and refuse a ward editor shared content", async () => {
    const refused = await ward.post("/admin/verification", {
      kind: "procedures",
      key: "1.004222",
      field: "fee",
      verified: "1",
    });
    expect(refused.status).toBe(403);
    expect((await stored("1.004222")).unverified).toContain("fee");

    const before = await figure(province, "/admin/verification", "unverified-count");
    const ok = await province.post("/admin/verification", {
      kind: "guides",
      key: "nhan-con-nuoi",
      field: "item",
      verified: "1",
    });
    expect(ok.status).toBe(303);
    expect(await figure(province, "/admin/verification", "unverified-count")).toBe(before - 1);
    const guide = app.app.content.bundle().guides.find((g) => g.slug === "nhan-con-nuoi");
    expect(guide).toMatchObject({ verified: true, verified_by: "bien-tap-tinh" });

    const wrong = await province.post("/admin/verification", {
      kind: "guides",
      key: "nhan-con-nuoi",
      field: "fee",
      verified: "1",
    });
    expect(wrong.status).toBe(400);
  });
});

describe("links in the console", () => {
  it("should list a dead link found by the link checker against a local stand-in", async () => {
    const before = await (await province.get("/admin/verification")).text();
    expect(before).not.toContain('id="failing-links"');
    const results = await app.app.links.run(app.app.content.bundle());
    expect(results.length).toBeGreaterThan(1);
    const dead = results.filter((r) => !r.ok);
    expect(dead.map((r) => r.url)).toEqual([`https://dichvucong.gov.vn${DEAD}`]);

    const page = await (await ward.get("/admin/verification")).text();
    expect(page).toContain('id="failing-links"');
    expect(page).toContain(`https://dichvucong.gov.vn${DEAD}`);
    expect(page).toMatch(/<td>404<\/td>/);
    expect(await figure(ward, "/admin/verification", "links-failing")).toBe(1);
  });
});
