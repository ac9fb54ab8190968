/** The office itself (src/core/office.ts): address, hours, days and phones from the unit record. */
import { describe } from "vitest";
import { dialogue, dialogueCases } from "../helpers/dialogues.js";

describe("office info", () => {
  dialogueCases([
    dialogue("address-and-sunday", [
      { say: "tru so ubnd phuong o cho nao", expect: { intent: "unit_info", text_has: ["hoa an"] } },
      {
        say: "chu nhat co mo cua khong",
        expect: { intent: "unit_info", text_has: ["chu nhat: khong lam viec"] },
      },
    ]),
    dialogue(
      "saturday-morning-in-a-commune",
      [
        {
          say: "sang thu bay xa co lam viec ko",
          expect: { intent: "unit_info", text_has: ["thu bay: co lam viec"] },
        },
      ],
      { unit: "xa-tan-loc" },
    ),
    dialogue("coming-to-file-this-afternoon-asks-the-hours", [
      { say: "chieu nay len nop ho so dc ko", expect: { intent: "unit_info" } },
    ]),
    dialogue(
      "evening-says-when-it-opens",
      [{ say: "bay gio phuong con mo cua khong", expect: { intent: "unit_info", text_has: ["mo cua lai"] } }],
      { at: "2026-12-01T19:30:00+07:00" },
    ),
    dialogue(
      "which-office-without-a-unit",
      [{ say: "so dien thoai uy ban", expect: { intent: "menu", lacks_card: true } }],
      { unit: undefined },
    ),
    dialogue("result-time-is-not-office-hours", [
      { say: "dang ky tam tru", expect: { card: "1.004194" } },
      { say: "may ngay lam viec thi co ket qua", expect: { facet: "time", about: "1.004194" } },
    ]),
    dialogue(
      "the-office-asked-in-english",
      [
        { say: "what time does the office open?", expect: { intent: "unit_info", text_has: ["hoa an"] } },
        { say: "do you work on saturday", expect: { intent: "unit_info", text_has: ["saturday"] } },
        { say: "what about sunday", expect: { intent: "unit_info", text_has: ["sunday: closed"] } },
        { say: "and the address?", expect: { intent: "unit_info" } },
      ],
      { lang: "en" },
    ),
    dialogue(
      "a-shops-own-address-is-not-the-office",
      [{ say: "change the address of my household business", expect: { card: "2.000720" } }],
      { lang: "en" },
    ),
  ]);
});

describe("office: weekday shorthand and a number to call", () => {
  dialogueCases([
    dialogue("t7-and-cn-are-weekdays", [
      { say: "t7 phuong co nhan ho so ko", expect: { intent: "unit_info", text_has: ["thu bay"] } },
      { say: "cn co tiep dan khong ad", expect: { intent: "unit_info", text_has: ["chu nhat"] } },
      { say: "phuong co nhan ho so t3 ko", expect: { intent: "unit_info", text_has: ["thu ba"] } },
      { say: "thu 7 co mo ko", expect: { intent: "unit_info", text_has: ["thu bay"] } },
    ]),
    dialogue("asking-for-a-number-is-asking-for-the-number", [
      { say: "cho so to tu van de toi goi hoi", expect: { intent: ["hotlines", "unit_info"] } },
      { say: "xin cai so de lien he voi phuong", expect: { intent: ["hotlines", "unit_info"] } },
      { say: "so phuong la bao nhieu", expect: { intent: ["hotlines", "unit_info"] } },
      { say: "co so zalo cua phuong ko", expect: { intent: ["hotlines", "unit_info"] } },
    ]),
    dialogue("a-funeral-or-a-fee-is-not-a-day", [
      { say: "mai tang phi co phuong nhan ho so ho tro khong", expect: { card: "1.001731" } },
    ]),
    dialogue("a-fee-is-not-a-holiday", [
      { say: "nhan ho so dang ky ket hon le phi bao nhieu", expect: { facet: "fee", about: "1.000894" } },
    ]),
    dialogue("a-household-book-is-not-a-number", [
      { say: "cho toi hoi so ho khau giay con dung duoc khong", expect: { card: "faq:so-ho-khau-giay" } },
    ]),
  ]);
});
