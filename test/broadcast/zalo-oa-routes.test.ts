/**
 * Announcements to Zalo OA followers by route (issue 18): a free consultation message within 48 hours
 * of the citizen's last message, an approved template from 48 hours to 7 days, nothing after 7 days,
 * each choice recorded and reported with its estimated cost. Runs against the OA emulator.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliveryModel } from "../../src/store/models/delivery.js";
import { subscriberModel } from "../../src/store/models/subscriber.js";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { createStaff, signIn } from "../helpers/console.js";
import { oaEnv, oaFollowEvent, startZaloOaEmulator, type ZaloOaEmulator } from "../emulators/zalo-oa.js";

const H = 3600_000;
let oa: ZaloOaEmulator;
let app: TestApp;

beforeAll(async () => {
  oa = await startZaloOaEmulator();
  oa.approvedTemplates.set("301234", ["tieu_de", "noi_dung", "ngay"]);
  app = await startTestApp({
    ...oaEnv(oa),
    ZALO_OA_TEMPLATES: JSON.stringify({
      default: {
        templateId: "301234",
        data: { tieu_de: "title", noi_dung: "body", ngay: "date" },
        priceVnd: 300,
      },
    }),
  });
});
afterAll(async () => {
  await app.close();
  await oa.close();
});

let seq = 1;
async function follower(ageMs: number): Promise<string> {
  const u = `55${String(Date.now()).slice(-9)}${seq++}`;
  expect((await oa.deliver(`${app.url}/webhooks/zalo-oa`, oaFollowEvent(oa.appId, u, "follow"))).status).toBe(
    200,
  );
  const Subs = subscriberModel(app.app.store.connection);
  const deadline = Date.now() + 5_000;
  while (!(await Subs.exists({ channel: "zalo-oa", chatId: u })) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 20));
  // Wait for the greeting, then age the follower (both here and at Zalo, which the quota endpoint reads).
  while (oa.messagesTo(u).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const at = Date.now() - ageMs;
  await Subs.updateOne({ channel: "zalo-oa", chatId: u }, { $set: { lastInteractionAt: new Date(at) } });
  oa.setLastInteraction(u, at);
  return u;
}

describe("announcements to Zalo OA followers", () => {
  it("should send consultation at 1 h, the template at 3 days, skip at 10 days, and report routes and cost", async () => {
    const recent = await follower(1 * H);
    const days3 = await follower(3 * 24 * H);
    const days10 = await follower(10 * 24 * H);
    const before = { recent: oa.messagesTo(recent).length, days3: oa.messagesTo(days3).length };
    const a = await app.app.broadcast.create(
      {
        title: "Lịch tiếp công dân tháng 12",
        body: "Chủ tịch UBND phường tiếp công dân vào sáng thứ Năm hằng tuần tại trụ sở.",
        imageUrl: "https://example.gov.vn/lich-tiep.jpg",
        audience: { channels: ["zalo-oa"] },
      },
      "test",
    );
    await app.app.broadcast.tick();

    const toRecent = oa.messagesTo(recent).slice(before.recent);
    expect(toRecent[0]?.text).toContain("Lịch tiếp công dân tháng 12");
    expect(toRecent.every((m) => !m.billable)).toBe(true);
    expect(toRecent.some((m) => m.image?.url === "https://example.gov.vn/lich-tiep.jpg")).toBe(true);

    expect(oa.messagesTo(days3).slice(before.days3)).toEqual([]);
    const tpl = oa.templates.filter((x) => x.userId === days3);
    expect(tpl).toHaveLength(1);
    expect(tpl[0]).toMatchObject({
      templateId: "301234",
      data: {
        tieu_de: "Lịch tiếp công dân tháng 12",
        noi_dung: expect.stringContaining("sáng thứ Năm") as string,
      },
    });
    expect(tpl[0]?.data.ngay).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);

    expect(oa.messagesTo(days10).length).toBe(1); // the greeting only
    expect(oa.templates.some((x) => x.userId === days10)).toBe(false);

    const Del = deliveryModel(app.app.store.connection);
    const rows = await Del.find({ announcement: a._id }).lean();
    const skipped = rows.find((r) => r.status === "skipped");
    expect(skipped?.detail).toMatch(/7 days/);

    const report = await app.app.broadcast.report(String(a._id));
    expect(report?.routes).toEqual({ consultation: 1, template: 1, "skip-7-days": 1 });
    expect(report?.estimatedCostVnd).toBe(300);
    expect(report?.counts).toMatchObject({ sent: 2, skipped: 1 });

    // What staff read on the announcement's page.
    const staff = await signIn(app.url, await createStaff(app.app, "admin", [], "admin-routes"));
    const page = await (await staff.get(`/admin/announcements/${String(a._id)}`)).text();
    for (const key of ["consultation", "template", "skip-7-days"])
      expect(page).toContain(app.app.t("vi", `console:ann.routes.${key}`));
    expect(page).toContain(app.app.t("vi", "console:ann.routes.cost", { n: "300" }));
  });

  it("should skip a follower at 3 days when no template fits and paid consultation is off", async () => {
    const plain = await startTestApp(oaEnv(oa));
    try {
      const u = `56${String(Date.now()).slice(-9)}${seq++}`;
      await oa.deliver(`${plain.url}/webhooks/zalo-oa`, oaFollowEvent(oa.appId, u, "follow"));
      const Subs = subscriberModel(plain.app.store.connection);
      const deadline = Date.now() + 5_000;
      while (!(await Subs.exists({ channel: "zalo-oa", chatId: u })) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      const at = Date.now() - 3 * 24 * H;
      await Subs.updateOne({ channel: "zalo-oa", chatId: u }, { $set: { lastInteractionAt: new Date(at) } });
      oa.setLastInteraction(u, at);
      const a = await plain.app.broadcast.create(
        { title: "Thông báo", body: "Nội dung thông báo.", audience: { channels: ["zalo-oa"] } },
        "test",
      );
      await plain.app.broadcast.tick();
      const report = await plain.app.broadcast.report(String(a._id));
      expect(report?.routes).toEqual({ "skip-no-template": 1 });
      const row = await deliveryModel(plain.app.store.connection).findOne({ announcement: a._id }).lean();
      expect(row).toMatchObject({ status: "skipped" });
      expect(row?.detail).toMatch(/48-hour.*no template/);
    } finally {
      await plain.close();
    }
  });
});
