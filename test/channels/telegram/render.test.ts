import { describe, expect, it } from "vitest";
import { escapeHtml, renderTelegram, splitText, toHtml } from "../../../src/channels/telegram/render.js";

describe("Telegram rendering", () => {
  it("should escape <, > and & and turn **bold** into <b>", () => {
    expect(escapeHtml("a < b && c > d")).toBe("a &lt; b &amp;&amp; c &gt; d");
    expect(toHtml("**Đăng ký** <script>")).toBe("<b>Đăng ký</b> &lt;script&gt;");
  });

  it("should split long text at paragraph boundaries under the limit", () => {
    const para = "x".repeat(900);
    const text = Array.from({ length: 10 }, () => para).join("\n\n");
    const parts = splitText(text, 3496);
    expect(parts.length).toBeGreaterThan(2);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(3496);
    expect(parts.join("\n\n")).toBe(text);
  });

  it("should cut text without any break hard, and keep every character", () => {
    const text = "y".repeat(10_000);
    const parts = splitText(text, 3000);
    expect(parts.map((p) => p.length)).toEqual([3000, 3000, 3000, 1000]);
  });

  it("should put the keyboard under the last part only, and phone numbers in the text", () => {
    const msgs = renderTelegram({
      text: "z".repeat(9000),
      buttons: [
        [
          { kind: "action", label: "Menu", payload: "menu" },
          { kind: "url", label: "Cổng", url: "https://dichvucong.gov.vn" },
        ],
        [{ kind: "phone", label: "Tổng đài", phone: "1022" }],
      ],
    });
    expect(msgs.length).toBeGreaterThan(1);
    for (const m of msgs) expect(m.text.length).toBeLessThanOrEqual(4096);
    expect(msgs.slice(0, -1).every((m) => m.reply_markup === undefined)).toBe(true);
    expect(msgs.at(-1)?.reply_markup?.inline_keyboard).toEqual([
      [
        { text: "Menu", callback_data: "menu" },
        { text: "Cổng", url: "https://dichvucong.gov.vn" },
      ],
    ]);
    expect(msgs.at(-1)?.text).toContain("☎️ Tổng đài: <b>1022</b>");
  });

  it("should degrade a payload over Telegram's 64 bytes to a numbered line and keep the other buttons", () => {
    const msgs = renderTelegram({
      text: "Chọn:",
      buttons: [
        [{ kind: "action", label: "Ngắn", payload: "m:fb" }],
        [{ kind: "action", label: "Đường dây nóng xã", payload: `p:${"đ".repeat(40)}` }],
      ],
    });
    expect(msgs).toHaveLength(1);
    expect(msgs[0]?.text).toContain("2. Đường dây nóng xã");
    expect(msgs[0]?.reply_markup?.inline_keyboard).toEqual([[{ text: "Ngắn", callback_data: "m:fb" }]]);
    for (const row of msgs[0]?.reply_markup?.inline_keyboard ?? [])
      for (const b of row)
        if ("callback_data" in b) expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(64);
  });
});
