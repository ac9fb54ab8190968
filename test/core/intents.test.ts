import { describe, expect, it } from "vitest";
import { foldText, wantsPerson } from "../../src/core/intents.js";

describe("asking for a person", () => {
  it.each([
    "cho tôi gặp cán bộ",
    "cho toi gap nguoi",
    "nói chuyện với cán bộ",
    "noi chuyen voi nhan vien",
    "tôi muốn gặp người thật",
    "can tu van truc tiep",
    "talk to a human",
    "Kết nối với cán bộ tư vấn",
  ])("should recognise %j", (text) => {
    expect(wantsPerson(foldText(text))).toBe(true);
  });

  it.each([
    "làm giấy khai sinh cần gì",
    "số điện thoại cán bộ tư vấn",
    "hotline tổ tư vấn",
    "đăng ký kết hôn cần người làm chứng không",
    "gặp khó khăn khi nộp hồ sơ trực tuyến",
  ])("should leave %j to search", (text) => {
    expect(wantsPerson(foldText(text))).toBe(false);
  });
});
