/** Ranking on representative questions, against the real sample content. */
import { beforeAll, describe, expect, it } from "vitest";
import { readContentDir } from "../../../src/content/loader.js";
import { createSearchIndex, type SearchIndex } from "../../../src/content/search/index.js";

let index: SearchIndex;
beforeAll(() => {
  const read = readContentDir("content");
  if (!read.ok) throw new Error(read.problems.map((p) => p.message).join("\n"));
  index = createSearchIndex(read.bundle);
});

const top = (q: string) => index.search(q).hits[0]?.id;

describe("search ranking", () => {
  it.each([
    ["Làm giấy khai sinh cho con", "1.001193"],
    ["lam giay khai sinh cho con", "1.001193"],
    ["LÀM GIẤY KHAI SINH CHO CON!!! 🙏", "1.001193"],
    ["dkkh", "1.000894"],
    ["đk kết hôn", "1.000894"],
    ["muốn cưới vợ thì làm giấy gì", "1.000894"],
    ["xin giay xac nhan doc than", "1.004873"],
    ["tách khẩu", "1.010038"],
    ["photo công chứng bằng đại học", "2.000815"],
    ["vneid muc 2", "guide:vneid-muc-2"],
  ])("should rank %j first as %s", (q, id) => {
    expect(top(q)).toBe(id);
  });

  it("should tolerate a typo and run-together syllables", () => {
    expect(top("dang ky khai sihn")).toBe("1.001193");
    expect(top("dang ky kethon")).toBe("1.000894");
  });

  it("should answer the same whichever i/y spelling is typed (kí/ký)", () => {
    for (const q of ["đăng kí kết hôn cần giấy tờ gì", "đăng ký kết hôn cần giấy tờ gì", "dang ki ket hon"]) {
      const r = index.search(q);
      expect(r.hits[0]?.id, q).toBe("1.000894");
      expect(r.level, q).toBe("confident");
    }
  });

  it("should offer the closest items, not 'not found', when a question names a procedure among other words", () => {
    for (const [q, id] of [
      ["khai tu cho ong noi", "1.000656"],
      ["ông tôi vừa qua đời, gia đình cần làm giấy tờ gì", "1.000656"],
      ["sắp cưới vợ thì cần chuẩn bị hồ sơ gì", "1.000894"],
      ["dang ky ket hno", "1.000894"],
    ] as const) {
      const r = index.search(q);
      expect(r.hits[0]?.id, q).toBe(id);
      expect(r.level, q).not.toBe("none");
    }
  });

  it("should give NFD input the same answer as NFC", () => {
    const q = "đăng ký tạm trú cho người thuê nhà";
    expect(index.search(q.normalize("NFD")).hits.map((h) => h.id)).toEqual(
      index.search(q.normalize("NFC")).hits.map((h) => h.id),
    );
  });

  it("should answer a procedure code directly and confidently", () => {
    const r = index.search("cho hỏi thủ tục 2.000884");
    expect(r.hits[0]?.id).toBe("2.000884");
    expect(r.level).toBe("confident");
  });

  it("should be confident on a clear question and not on questions outside the catalogue", () => {
    expect(index.search("thủ tục đăng ký kết hôn").level).toBe("confident");
    for (const q of ["giá vàng hôm nay", "xin visa đi Mỹ", "hello", "đổi bằng lái xe máy", "ly hôn ở đâu"]) {
      expect(index.search(q).level, q).not.toBe("confident");
    }
  });

  it("should take diacritics the user typed as meant", () => {
    // "giá" (price) must not be read as "gia" (family, in "hộ gia đình").
    expect(index.search("giá vàng").level).toBe("none");
  });

  it("should return nothing for empty or symbol-only input", () => {
    expect(index.search("").hits).toEqual([]);
    expect(index.search("?!… 👍").level).toBe("none");
  });

  it("should stay fast and sane on hostile input", () => {
    const r = index.search(`${"khai sinh ".repeat(2_000)}${"x".repeat(10_000)}`);
    expect(r.hits[0]?.id).toBeDefined();
  });
});
