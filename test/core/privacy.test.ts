/**
 * Deleting a chat's data (src/core/privacy.ts): the confirmation understands answers in words, and
 * "thôi không xóa nữa" keeps the data without a card.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildConversation, chat, textOf, type TestConversation } from "../helpers/conversation.js";
import { dialogue, dialogueCases } from "../helpers/dialogues.js";

describe("the deletion confirmation in words", () => {
  dialogueCases(
    ["thoi khong xoa nua", "để sau", "thôi, giữ lại", "khong xoa", "huy"].map((say, i) =>
      dialogue(`keep-${i + 1}`, [
        { say: "xoa toan bo thong tin toi da gui cho bot", expect: { intent: "erase" } },
        { say, expect: { intent: "erase", lacks_card: true, text_has: ["giu nguyen"] } },
      ]),
    ),
  );

  let c: TestConversation;
  beforeAll(async () => {
    c = await buildConversation();
  });
  afterAll(async () => {
    await c.close();
  });

  it("should keep the chat's data on 'thôi không xóa nữa' and delete it on 'ừ xóa đi'", async () => {
    const u = chat(c.engine);
    await u.press("u:xa-tan-loc");
    await u.say("/xoadulieu");
    await u.say("thoi khong xoa nua");
    const stored = () =>
      c.store.connection.collection("sessions").countDocuments({ _id: `${u.channel}:${u.chatId}` } as never);
    expect(await stored()).toBe(1);
    await u.say("/xoadulieu");
    expect(textOf(await u.say("ừ xóa đi"))).toContain(c.t("vi", "privacy.deleted"));
    expect(await stored()).toBe(0);
  });
});
