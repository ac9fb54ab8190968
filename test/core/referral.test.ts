/** Matters that are not the commune's (src/core/referral.ts, content/referrals.yaml). */
import { describe } from "vitest";
import { dialogue, dialogueCases } from "../helpers/dialogues.js";

describe("referral to other agencies", () => {
  dialogueCases([
    dialogue("police-court-tax-school", [
      { say: "gia han visa cho chong nguoi nuoc ngoai", expect: { intent: "refer", agency: "cong-an" } },
      {
        say: "muon don phuong ly hon",
        expect: { intent: "refer", agency: "toa-an", text_has: ["khong giai quyet"] },
      },
      { say: "quyet toan thue thu nhap ca nhan o dau", expect: { intent: "refer", agency: "thue" } },
      { say: "mat bang tot nghiep cap 3 xin cap lai", expect: { intent: "refer", agency: "co-so-giao-duc" } },
    ]),
    dialogue("the-wards-own-look-alikes-stay-here", [
      { say: "chung thuc ban sao can cuoc", expect: { card: "2.000815" } },
      { say: "thue tro thi dang ky tam tru sao", expect: { card: "1.004194" } },
      { say: "hang xom lan chiem dat nha toi", expect: { card: "1.012812" } },
    ]),
    dialogue(
      "english-matters-of-other-agencies",
      [
        { say: "and my driving license too", expect: { intent: "refer", agency: "cong-an" } },
        { say: "how do I get my pension", expect: { intent: "refer", agency: "bhxh" } },
        { say: "where do I pay taxes for my shop", expect: { intent: "refer", agency: "thue" } },
      ],
      { lang: "en" },
    ),
    dialogue(
      "a-passport-to-bring-is-a-paper-of-the-topic",
      [
        { say: "my wife is Japanese, how do we register our baby's birth", expect: { card: "2.000528" } },
        {
          say: "do I need my passport?",
          expect: { facet: "documents", about: "2.000528", text_has: ["foreign parent's passport"] },
        },
        { say: "and how do I renew my passport", expect: { intent: "refer", agency: "cong-an" } },
      ],
      { lang: "en" },
    ),
  ]);
});

describe("referral: renewing an ID card", () => {
  dialogueCases([
    dialogue("an-expired-id-card-is-renewed-by-the-police", [
      { say: "doi cccd het han o dau", expect: { intent: "refer", agency: "cong-an" } },
      { say: "can cuoc het han roi phai lam gi", expect: { intent: "refer", agency: "cong-an" } },
      { say: "cccd sap het han thi lam o dau", expect: { intent: "refer", agency: "cong-an" } },
      { say: "muon doi chung minh nhan dan sang can cuoc", expect: { intent: "refer", agency: "cong-an" } },
    ]),
    dialogue("a-certified-copy-of-the-id-card-stays-at-the-ward", [
      { say: "chung thuc ban sao cccd o phuong", expect: { card: "2.000815" } },
    ]),
    dialogue("an-expired-id-card-in-another-question-is-not-a-referral", [
      { say: "cccd het han thi lam khai sinh cho con duoc khong", expect: { card: "1.001193" } },
    ]),
  ]);
});
