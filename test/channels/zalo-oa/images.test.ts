/**
 * Images on the OA (issue 18): a staff photo from the Telegram desk is uploaded (`/v2.0/oa/upload/image`)
 * and sent as a media template with its attachment_id; a photo that has a URL goes by URL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRateLimiter } from "../../../src/channels/outbound/limiter.js";
import { createZaloOaClient } from "../../../src/channels/zalo-oa/client.js";
import { createZaloOaSender } from "../../../src/channels/zalo-oa/sender.js";
import { createOaTokenStore } from "../../../src/channels/zalo-oa/tokens.js";
import { openTestStore, type TestStore } from "../../helpers/store.js";
import { startZaloOaEmulator, type ZaloOaEmulator } from "../../emulators/zalo-oa.js";

let store: TestStore;
let oa: ZaloOaEmulator;
beforeAll(async () => {
  store = await openTestStore();
  oa = await startZaloOaEmulator();
});
afterAll(async () => {
  await oa.close();
  await store.close();
});

function sender(download?: (ref: string) => Promise<{ bytes: Buffer; mime: string }>) {
  const client = createZaloOaClient({
    apiRoot: oa.url,
    oauthRoot: oa.url,
    appId: oa.appId,
    appSecret: oa.appSecret,
    tokens: createOaTokenStore(store.connection, { access: oa.accessToken, refresh: oa.refreshToken }),
  });
  return createZaloOaSender(client, createRateLimiter({ ratePerSec: 50 }), download);
}

// A 1×1 JPEG as Telegram's file server would hand it over (the outer edge, faked).
const JPEG = Buffer.from(
  "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AKp//2Q==",
  "base64",
);

describe("photos to Zalo OA citizens", () => {
  it("should upload a staff photo from Telegram and send it with its attachment_id and caption", async () => {
    const asked: string[] = [];
    const s = sender((ref) => {
      asked.push(ref);
      return Promise.resolve({ bytes: JPEG, mime: "image/jpeg" });
    });
    const outcome = await s.sendPhoto!(
      "1234567890",
      { channel: "telegram", ref: "AgACAgUAAxkBAAIB" },
      "Cán bộ tư vấn: mẫu tờ khai",
      "reply",
    );
    expect(outcome).toEqual({ status: "sent" });
    expect(asked).toEqual(["AgACAgUAAxkBAAIB"]);
    const [m] = oa.messagesTo("1234567890");
    expect(m?.image?.attachmentId).toMatch(/^[0-9a-f]{24}$/);
    expect(m?.text).toBe("Cán bộ tư vấn: mẫu tờ khai");
  });

  it("should send a photo that has a URL by URL, and say unsupported without a downloader", async () => {
    const s = sender();
    expect(
      await s.sendPhoto!(
        "1234567891",
        { channel: "zalo-bot", ref: "https://photo-zalo.example/a.jpg" },
        "Ảnh",
        "reply",
      ),
    ).toEqual({ status: "sent" });
    expect(oa.messagesTo("1234567891")[0]?.image?.url).toBe("https://photo-zalo.example/a.jpg");
    expect(await s.sendPhoto!("1234567891", { channel: "telegram", ref: "x" }, "Ảnh", "reply")).toEqual({
      status: "failed",
      detail: "unsupported",
    });
  });
});
