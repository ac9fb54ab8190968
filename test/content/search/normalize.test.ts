import { describe, expect, it } from "vitest";
import {
  accentKey,
  findCodes,
  fold,
  hasDiacritics,
  syllables,
} from "../../../src/content/search/normalize.js";

describe("fold", () => {
  it("should strip diacritics and map đ/Đ to d", () => {
    expect(fold("Đăng ký khai sinh")).toBe("dang ky khai sinh");
    expect(fold("ĐỒNG Ý")).toBe("dong y");
    expect(fold("Phường Hòa An")).toBe("phuong hoa an");
  });

  it("should give the same result for NFC and NFD input", () => {
    const nfc = "Kết hôn".normalize("NFC");
    const nfd = "Kết hôn".normalize("NFD");
    expect(nfc).not.toBe(nfd);
    expect(fold(nfd)).toBe(fold(nfc));
    expect(syllables(nfd)).toEqual(syllables(nfc));
  });
});

describe("syllables", () => {
  it("should lower-case and drop punctuation, emoji and symbols", () => {
    expect(syllables("Làm GIẤY khai-sinh??? 👶🙏 (gấp!!)")).toEqual(["làm", "giấy", "khai", "sinh", "gấp"]);
  });

  it("should drop absurdly long tokens", () => {
    expect(syllables(`a ${"x".repeat(500)} b`)).toEqual(["a", "b"]);
  });
});

describe("accentKey and hasDiacritics", () => {
  it("should treat tone-mark placement and i/y spelling as the same word", () => {
    expect(accentKey("hoà")).toBe(accentKey("hòa"));
    expect(accentKey("kí")).toBe(accentKey("ký"));
    expect(accentKey("tử")).not.toBe(accentKey("từ"));
    expect(accentKey("đi")).not.toBe(accentKey("di"));
  });

  it("should tell accented syllables from plain ones", () => {
    expect(hasDiacritics("sinh")).toBe(false);
    expect(hasDiacritics("đi")).toBe(true);
    expect(hasDiacritics("hôn")).toBe(true);
  });
});

describe("findCodes", () => {
  it("should find national procedure codes", () => {
    expect(findCodes("thủ tục 1.001193 và 2.000635?")).toEqual(["1.001193", "2.000635"]);
    expect(findCodes("số 0912.345.678")).toEqual([]);
  });
});
