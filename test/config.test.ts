import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";

describe("loadConfig", () => {
  it("should apply defaults for an empty environment", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, mongodbUri: undefined, logLevel: "info", publicUrl: undefined });
    expect(c.dataDir.endsWith("data")).toBe(true);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it("should report every invalid key at once", () => {
    let err: unknown;
    try {
      loadConfig({ PORT: "abc", LOG_LEVEL: "loud", MONGODB_URI: "postgres://x", PUBLIC_URL: "not a url" });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems.join("\n");
    for (const key of ["PORT", "LOG_LEVEL", "MONGODB_URI", "PUBLIC_URL"]) expect(problems).toContain(key);
  });

  it("should treat an empty MONGODB_URI as unset (embedded store)", () => {
    expect(loadConfig({ MONGODB_URI: "" }).mongodbUri).toBeUndefined();
    expect(loadConfig({ MONGODB_URI: "mongodb://db:27017/motcua" }).mongodbUri).toBe(
      "mongodb://db:27017/motcua",
    );
  });

  it("should read the staff groups of the handoff as unit=chat id pairs and refuse anything else", () => {
    const c = loadConfig({ HANDOFF_TELEGRAM_GROUPS: "phuong-hoa-an=-1001234567890,xa-tan-loc=-42" });
    expect(c.handoff.telegramGroups).toEqual({ "phuong-hoa-an": "-1001234567890", "xa-tan-loc": "-42" });
    expect(loadConfig({}).handoff).toEqual({
      telegramGroups: {},
      consoleUnits: [],
      idleMinutes: 30,
      waitMaxMinutes: 480,
      showStaffNames: false,
    });
    expect(() => loadConfig({ HANDOFF_TELEGRAM_GROUPS: "phuong-hoa-an:-100" })).toThrow(
      /HANDOFF_TELEGRAM_GROUPS/,
    );
    expect(() => loadConfig({ HANDOFF_IDLE_MINUTES: "0" })).toThrow(/HANDOFF_IDLE_MINUTES/);
    expect(loadConfig({ HANDOFF_CONSOLE_UNITS: "*" }).handoff.consoleUnits).toBe("all");
    expect(loadConfig({ HANDOFF_CONSOLE_UNITS: "phuong-hoa-an,xa-tan-loc" }).handoff.consoleUnits).toEqual([
      "phuong-hoa-an",
      "xa-tan-loc",
    ]);
    expect(() => loadConfig({ HANDOFF_CONSOLE_UNITS: "Phường Hòa An" })).toThrow(/HANDOFF_CONSOLE_UNITS/);
  });

  it("should refuse a Zalo OA configured with only one of its two secrets, naming where each is found", () => {
    const oa = {
      ZALO_OA_APP_ID: "3608465249409039671",
      ZALO_OA_ACCESS_TOKEN: "access-token-1234",
      ZALO_OA_REFRESH_TOKEN: "refresh-token-1234",
    };
    const onlyOa = () => loadConfig({ ...oa, ZALO_OA_SECRET_KEY: "oa-secret-key-1" });
    expect(onlyOa).toThrow(ConfigError);
    expect(onlyOa).toThrow(/ZALO_APP_SECRET: .*App Secret Key .*basic information/);
    const onlyApp = () => loadConfig({ ...oa, ZALO_APP_SECRET: "app-secret-key-1" });
    expect(onlyApp).toThrow(/ZALO_OA_SECRET_KEY: .*OA Secret Key .*Webhook page/);
    const both = loadConfig({
      ...oa,
      ZALO_APP_SECRET: "app-secret-key-1",
      ZALO_OA_SECRET_KEY: "oa-secret-key-1",
    });
    expect(both.zaloOa).toMatchObject({ appSecret: "app-secret-key-1", secretKey: "oa-secret-key-1" });
  });

  it("should read ZALO_OA_TEMPLATES as JSON and refuse a malformed one", () => {
    const c = loadConfig({
      ZALO_OA_APP_ID: "1",
      ZALO_APP_SECRET: "app-secret-key-1",
      ZALO_OA_SECRET_KEY: "oa-secret-key-1",
      ZALO_OA_ACCESS_TOKEN: "access-token-1234",
      ZALO_OA_REFRESH_TOKEN: "refresh-token-1234",
      ZALO_OA_TEMPLATES: JSON.stringify({
        default: { templateId: "301234", data: { tieu_de: "title", noi_dung: "body" } },
      }),
    });
    expect(c.zaloOa?.templates.default).toEqual({
      templateId: "301234",
      data: { tieu_de: "title", noi_dung: "body" },
    });
    expect(() => loadConfig({ ZALO_OA_TEMPLATES: "{oops" })).toThrow(/ZALO_OA_TEMPLATES/);
    expect(() =>
      loadConfig({ ZALO_OA_TEMPLATES: JSON.stringify({ default: { templateId: "x", data: {} } }) }),
    ).toThrow(/ZALO_OA_TEMPLATES/);
  });
});
