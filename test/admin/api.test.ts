/** The staff API: token, validation with exact messages, NoSQL-injection attempts, and a reply reaching the citizen's chat. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { botMessages, startTelegramEmulator, TEST_TOKEN, type TelegramServer } from "../helpers/telegram.js";

const TOKEN = "staff-api-token-for-tests-0123456789";
let tg: TelegramServer;
let app: TestApp;

beforeAll(async () => {
  tg = await startTelegramEmulator();
  app = await startTestApp({
    TELEGRAM_BOT_TOKEN: TEST_TOKEN,
    TELEGRAM_API_ROOT: tg.config.apiURL,
    ADMIN_API_TOKEN: TOKEN,
  });
});
afterAll(async () => {
  await app.close();
  await tg.stop();
});

const api = (path: string, init: RequestInit & { token?: string | null } = {}) =>
  fetch(`${app.url}/admin/api${path}`, {
    ...init,
    headers: {
      "Content-Type": "application/json",
      ...(init.token === null ? {} : { Authorization: `Bearer ${init.token ?? TOKEN}` }),
    },
  });

describe("staff API", () => {
  it("should refuse requests without the right token", async () => {
    for (const token of [null, "wrong", `${TOKEN}x`]) {
      const res = await api("/tickets", { token });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({
        error: {
          code: "UNAUTHORIZED",
          message: token === null ? "Sign in or send the API token" : "Missing or wrong API token",
        },
      });
    }
  });

  it("should validate input and name the bad fields", async () => {
    let res = await api("/tickets/PA-1/replies", {
      method: "POST",
      body: JSON.stringify({ text: "x", by: "a" }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: {
        code: "VALIDATION_FAILED",
        message: "Invalid request",
        details: [{ field: "(body)", message: "a ticket code like PA-2026-000123" }],
      },
    });
    res = await api("/tickets?status=lost", {});
    expect(res.status).toBe(400);
    expect(
      ((await res.json()) as { error: { details: Array<{ field: string }> } }).error.details[0]?.field,
    ).toBe("status");
    res = await api("/satisfaction?from=2026-01-01", {});
    expect(res.status).toBe(400);
  });

  it("should refuse NoSQL-injection attempts in JSON and query strings", async () => {
    const attempts: Array<[string, RequestInit]> = [
      ["/tickets?status[$ne]=closed", {}],
      ["/tickets?unit[$gt]=", {}],
      [
        "/tickets/PA-2026-000001/replies",
        { method: "POST", body: JSON.stringify({ text: { $gt: "" }, by: "x" }) },
      ],
      [
        "/tickets/PA-2026-000001/status",
        { method: "POST", body: JSON.stringify({ status: { $in: ["closed"] }, by: "x" }) },
      ],
      [
        "/announcements",
        {
          method: "POST",
          body: JSON.stringify({ title: "T", body: "B", audience: { units: [{ $gt: "" }] } }),
        },
      ],
      ["/citizens/telegram/%7B%22%24gt%22%3A%22%22%7D/export", {}],
    ];
    for (const [path, init] of attempts) {
      const res = await api(path, init);
      expect(res.status, path).toBe(400);
    }
  });

  it("should let staff answer a ticket filed in chat, and the citizen see the answer in Telegram", async () => {
    const chatId = 6101;
    const client = tg.getClient(TEST_TOKEN, { userId: chatId, chatId });
    const send = async (payload: string) => {
      await client.sendCallback(client.makeCallbackQuery(payload));
      return botMessages(tg, chatId);
    };
    await client.sendCommand(client.makeCommand("/start"));
    await botMessages(tg, chatId);
    await send("u:phuong-hoa-an");
    await send("fb:c:thu-tuc");
    await client.sendMessage(
      client.makeMessage("Tôi nộp hồ sơ tạm trú trên VNeID một tuần chưa có kết quả."),
    );
    await botMessages(tg, chatId);
    await send("fb:nophoto");
    await send("fb:contact:no");
    const filed = await send("fb:send:priv");
    const code = /PA-\d{4}-\d{6}/.exec(filed.map((m) => m.text).join("\n"))![0];

    const list = (await (await api("/tickets?status=received")).json()) as {
      tickets: Array<{ code: string; contact: unknown }>;
    };
    expect(list.tickets.find((t) => t.code === code)).toMatchObject({ contact: null });
    const replied = await api(`/tickets/${code}/replies`, {
      method: "POST",
      body: JSON.stringify({ text: "Hồ sơ đã được duyệt, mời bạn kiểm tra VNeID.", by: "Công an phường" }),
    });
    expect(replied.status).toBe(200);
    expect(((await replied.json()) as { ticket: { status: string } }).ticket.status).toBe("answered");
    const pushed = await botMessages(tg, chatId);
    expect(pushed.map((m) => m.text).join("\n")).toContain("Hồ sơ đã được duyệt, mời bạn kiểm tra VNeID.");

    const bad = await api(`/tickets/${code}/status`, {
      method: "POST",
      body: JSON.stringify({ status: "rejected", by: "admin" }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      error: {
        code: "REASON_REQUIRED",
        message: "A rejection needs a reason",
        details: [{ field: "reason", message: "A rejection needs a reason" }],
      },
    });
    const closed = await api(`/tickets/${code}/status`, {
      method: "POST",
      body: JSON.stringify({ status: "closed", by: "admin" }),
    });
    expect(closed.status).toBe(200);
    const offer = await botMessages(tg, chatId);
    expect(
      offer
        .at(-1)
        ?.reply_markup?.inline_keyboard?.flat()
        .map((b) => b.callback_data),
    ).toContain(`rs:t:${code}:5`);
    await send(`rs:t:${code}:5`);

    const sat = (await (await api("/satisfaction?from=2026-01-01&to=2030-12-31&by=channel")).json()) as {
      rows: Array<{ group: string; n: number; index: number }>;
    };
    expect(sat.rows).toEqual([expect.objectContaining({ group: "telegram", n: 1, index: 1 })]);

    const exported = (await (await api(`/citizens/telegram/${chatId}/export`)).json()) as {
      tickets: unknown[];
    };
    expect(exported.tickets).toHaveLength(1);
    expect((await api(`/citizens/telegram/${chatId}`, { method: "DELETE" })).status).toBe(204);
    const after = (await (await api(`/citizens/telegram/${chatId}/export`)).json()) as {
      tickets: unknown[];
      subscriber: unknown;
    };
    expect(after.tickets).toEqual([]);
  }, 30_000);

  it("should create, report and cancel an announcement", async () => {
    const created = await api("/announcements", {
      method: "POST",
      body: JSON.stringify({
        title: "Lịch",
        body: "Tuần sau nghỉ lễ.",
        schedule: { kind: "at", at: "2030-01-01T08:00:00+07:00" },
      }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect(((await (await api(`/announcements/${id}`)).json()) as { status: string }).status).toBe(
      "scheduled",
    );
    expect((await api(`/announcements/${id}/cancel`, { method: "POST" })).status).toBe(200);
    expect((await api(`/announcements/${id}/cancel`, { method: "POST" })).status).toBe(409);
    expect((await api("/announcements/zzz")).status).toBe(400);
  });
});
