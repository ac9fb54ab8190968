/** Property: any sequence of messages and button payloads gets replies, never an exception. */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildConversation, type TestConversation } from "../helpers/conversation.js";

let c: TestConversation;
beforeAll(async () => {
  c = await buildConversation();
});
afterAll(async () => {
  await c.close();
});

const known = [
  "menu",
  "m:proc",
  "m:guide",
  "m:hot",
  "m:survey",
  "m:sub",
  "m:lang",
  "m:unit",
  "m:privacy",
  "m:fb",
  "m:tk",
  "p:1.001193",
  "ps:1.000894",
  "pr:1.001193",
  "g:vneid-muc-2",
  "q:bo-phan-mot-cua-la-gi",
  "f:ho-tich:0",
  "f:ho-tich:9",
  "u:phuong-hoa-an",
  "l:en",
  "l:vi",
  "sub:on",
  "sub:off",
  "t:khao-sat",
  "del:ask",
  "del:yes",
  "del:no",
  "fb:c:khac",
  "fb:nophoto",
  "fb:contact:yes",
  "fb:contact:no",
  "fb:send:pub",
  "fb:cancel",
  "rt:p:1.001193",
  "rs:p:1.001193:5",
  "rs:s::3",
  "sp:start",
  "sp:2:4",
  "rc:skip",
  "tk:PA-2026-000001",
];
const texts = [
  "/start",
  "xin chào",
  "1",
  "2",
  "có",
  "không",
  "phí bao nhiêu?",
  "dang ky ket hon",
  "0912345678",
  "/xoadulieu",
  "/tracuu PA-2026-000001",
  "Nguyễn Văn A",
  "nội dung phản ánh đủ dài để nhận",
];

const step = fc.oneof(
  fc.constantFrom(...known).map((payload) => ({ payload })),
  fc.string({ maxLength: 70 }).map((payload) => ({ payload })),
  fc.constantFrom(...texts).map((text) => ({ text })),
  fc.string({ unit: "binary", maxLength: 300 }).map((text) => ({ text })),
  fc.constant({ photo: "AgACAgQAAxkBAAI" }),
  fc.constant({}),
);

describe("engine robustness", () => {
  it("should answer every message of any sequence with at least one reply", async () => {
    let chatSeq = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        const chatId = `prop-${chatSeq++}`;
        for (const s of steps) {
          const replies = await c.engine.handle({ channel: "zalo-bot", chatId, ...s });
          expect(replies.length).toBeGreaterThan(0);
          for (const r of replies) expect(typeof r.text).toBe("string");
        }
      }),
      { numRuns: 120 },
    );
  }, 120_000);
});
