import { describe, expect, it } from "vitest";
import { detectFacet, expandShorthand, foldText, wantsPerson } from "../../src/core/intents.js";

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

describe("facets by what the question means", () => {
  it.each([
    ["em la con gai thi di lam dc ko hay phai anh trai em", "who"],
    ["tu minh dich cung dc a", "who"],
    ["con cai lam ho cho ba dc ko", "who"],
    ["xin ban sao giup anh trai dang o nuoc ngoai dc ko", "who"],
    ["chau co phai ky dong y ko", "who"],
    ["phuong con lam dc ko hay phai len tinh", "where"],
    ["ban sao 2 mat in 1 trang thi bao nhieu", "fee"],
    ["mat bao nhieu ngay", "time"],
    ["co can xet nghiem adn ko", "documents"],
    ["co phai mang ban chinh theo khong", "documents"],
    ["nop ho so online dc ko", "online"],
  ])("should read %j as a question about %s", (text, facet) => {
    expect(detectFacet(foldText(text))).toBe(facet);
  });

  it.each([
    // An allowance is not a fee; a passport is not "doing it on someone's behalf" (làm hộ).
    "gia dinh lo mai tang co dc ho tro chi phi ko",
    "lam ho chieu cho con duoc khong",
    // Which paperwork to do is which procedure, answered by its card.
    "bo em mat hom qua, gio em phai lam giay to gi a",
    "muon lam giay to chia dat cho tung nguoi",
  ])("should find no facet in %j", (text) => {
    expect(detectFacet(foldText(text))).toBeUndefined();
  });
});

describe("chat shorthand", () => {
  it.each([
    ["mai phuong co lm viec ko ad", "mai phuong co lam viec khong"],
    ["chieu nay lm den may h", "chieu nay lam den may gio"],
    ["dong cua luc 5h", "dong cua luc 5 gio"],
    ["sang ten sđ cho e gai thi lm o dau", "sang ten so do cho em gai thi lam o dau"],
  ])("should read %j as %j", (text, expanded) => {
    expect(expandShorthand(foldText(text))).toBe(expanded);
  });
});
