/**
 * Residents judged by whole conversations: the dialogue development set must keep its figure (a floor),
 * and the examples of issue 17 each hold turn by turn.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  check,
  createDialogueHarness,
  readDialogues,
  summarise,
  type Dialogue,
  type DialogueHarness,
  type TurnResult,
} from "../../scripts/dialogue/run.js";

/** Turn pass rate the development set must keep (issue 17: ≥ 0.95; measured 0.990 when raised). */
const DEV_FLOOR = 0.95;

/**
 * The project's hold-outs, each a floor a little under its figure when the floor was set, so a change
 * that loses conversations fails here. Sets 3–9 were written by testers who read neither src/ nor the
 * other sets and were first run unseen (turns 0.620, 0.623, 0.657, 0.736, 0.712, 0.857, 0.950, each
 * on the code of its day; see README); all but the last have been worked on since, so they are guards
 * now, not measures of unseen dialogues.
 */
const HOLDOUT_FLOORS: Array<[string, number]> = [
  ["test/fixtures/dialogue-holdout.jsonl", 0.95],
  ["test/fixtures/dialogue-holdout-2.jsonl", 0.95],
  ["test/fixtures/dialogue-holdout-3.jsonl", 0.8],
  ["test/fixtures/dialogue-holdout-4.jsonl", 0.75],
  ["test/fixtures/dialogue-holdout-5.jsonl", 0.75],
  ["test/fixtures/dialogue-holdout-6.jsonl", 0.9],
  ["test/fixtures/dialogue-holdout-7.jsonl", 0.85],
  ["test/fixtures/dialogue-holdout-8.jsonl", 0.9],
  ["test/fixtures/dialogue-holdout-9.jsonl", 0.9],
];

let h: DialogueHarness;
beforeAll(async () => {
  h = await createDialogueHarness();
}, 60_000);
afterAll(async () => {
  await h.close();
});

const failures = (rs: TurnResult[]) =>
  rs.filter((r) => !r.pass).map((r) => `${r.dialogue} #${r.n} ${r.sent} -> ${r.got}`);

describe("text expectations folded as the spec says", () => {
  it("should keep punctuation, so a time or a code must really be in the reply", () => {
    const reply = {
      text: "Giờ làm việc: sáng 7:30–11:30,\nchiều **13:30**–17:00",
      meta: { kind: "unit_info" as const },
    };
    expect(check([reply], { text_has: ["chieu 13:30"] })).toBeUndefined();
    expect(check([reply], { text_has: ["13 30"] })).toBeDefined();
    expect(check([reply], { text_lacks: ["1.001022"] })).toBeUndefined();
    expect(check([{ ...reply, text: "xem thủ tục 1.001022" }], { text_lacks: ["1.001022"] })).toBeDefined();
  });
});

describe("dialogue evaluation", () => {
  it("should pass at least the floor of turns on the shared development set", async () => {
    const results: TurnResult[] = [];
    for (const d of readDialogues("../shared/dialogue-dev-set.jsonl")) results.push(...(await h.run(d)));
    const s = summarise(results);
    expect(s.rate, failures(results).join("\n")).toBeGreaterThanOrEqual(DEV_FLOOR);
  }, 300_000);

  it.each(HOLDOUT_FLOORS)(
    "should keep the floor of turns on %s (%s)",
    async (file, floor) => {
      const results: TurnResult[] = [];
      for (const d of readDialogues(file)) results.push(...(await h.run(d)));
      expect(summarise(results).rate, failures(results).join("\n")).toBeGreaterThanOrEqual(floor);
    },
    120_000,
  );
});

/** The ten examples of issue 17, as dialogues. */
const EXAMPLES: Dialogue[] = [
  {
    id: "rating-then-question",
    unit: "phuong-hoa-an",
    lang: "vi",
    turns: [
      { say: "nhap ho khau cho con", expect: { card: "1.004222" } },
      { press: "danh gia", expect: { lacks_card: true } },
      { press: "rat hai long", expect: { intent: "rating_recorded" } },
      { say: "the con nhap khau cho vo thi sao", expect: { intent: ["card", "facet", "choices"] } },
    ],
  },
  {
    id: "photo-in-form",
    unit: "phuong-hoa-an",
    lang: "vi",
    turns: [
      { say: "toi muon phan anh duong ngap nuoc", expect: { intent: "feedback_form" } },
      { say: "noi dung khac", expect: { intent: "feedback_form" } },
      {
        say: "Duong truoc nha so 12 ngap nuoc moi khi mua, xe may chet may.",
        expect: { intent: "feedback_form" },
      },
      { photo: true, expect: { intent: "feedback_form", text_lacks: ["chi doc duoc tin nhan chu"] } },
    ],
  },
  {
    id: "office-questions",
    unit: "phuong-hoa-an",
    lang: "vi",
    turns: [
      { say: "so dien thoai phuong", expect: { intent: ["unit_info", "hotlines"] } },
      { say: "phuong lam viec may gio", expect: { intent: "unit_info" } },
      { say: "thu 7 co lam viec ko", expect: { intent: "unit_info" } },
    ],
  },
  {
    id: "follow-ups-bind-to-the-topic",
    unit: "phuong-hoa-an",
    lang: "vi",
    turns: [
      { say: "dang ky khai sinh", expect: { card: "1.001193" } },
      { say: "cac buoc", expect: { facet: "steps", about: "1.001193" } },
      { say: "can cu phap ly", expect: { facet: "legal_basis", about: "1.001193" } },
      { say: "het may ngay", expect: { facet: "time", about: "1.001193" } },
    ],
  },
  {
    id: "money-is-not-a-fee",
    unit: "phuong-hoa-an",
    lang: "vi",
    turns: [{ say: "co duoc ho tro tien mai tang ko", expect: { card: "1.001731" } }],
  },
  {
    id: "complaints-and-unsubscribe",
    unit: "phuong-hoa-an",
    lang: "vi",
    turns: [
      { say: "gop y the nao", expect: { intent: "feedback_form" } },
      { say: "huy nhan thong bao", expect: { intent: "unsubscribe" } },
    ],
  },
  {
    id: "question-inside-the-form",
    unit: "phuong-hoa-an",
    lang: "vi",
    turns: [
      { say: "toi muon gop y", expect: { intent: "feedback_form" } },
      { say: "thu tuc hanh chinh", expect: { intent: "feedback_form" } },
      { say: "à thôi, cho hỏi làm khai sinh online thế nào", expect: { facet: "online", about: "1.001193" } },
      { say: "tiep tuc", expect: { intent: "feedback_form" } },
    ],
  },
  {
    id: "english",
    unit: "phuong-hoa-an",
    lang: "en",
    turns: [
      { say: "how do I register a birth?", expect: { card: "1.001193" } },
      { say: "birth registration", expect: { card: "1.001193" } },
    ],
  },
  {
    id: "not-the-wards-matters",
    unit: "phuong-hoa-an",
    lang: "vi",
    turns: [
      { say: "lam ho chieu o dau", expect: { intent: "refer", agency: "cong-an" } },
      // A first certificate for a household is filed at the commune since 1 July 2025 (content-facts):
      // the guide says so; transferring a title is the land registration office's.
      { say: "lam so do lan dau", expect: { card: "guide:cap-giay-chung-nhan-dat-lan-dau" } },
      { say: "sang ten so do cho con", expect: { intent: "refer", agency: "van-phong-dang-ky-dat-dai" } },
    ],
  },
  {
    id: "small-talk-and-grief",
    unit: "phuong-hoa-an",
    lang: "vi",
    turns: [
      { say: "Cảm ơn", expect: { intent: "small_talk" } },
      { say: "🙏", expect: { intent: "small_talk" } },
      { say: "bot ngu qua", expect: { intent: "small_talk" } },
      { say: "mẹ tôi vừa mất, giờ làm gì", expect: { card: "1.000656", text_has: ["chia buon"] } },
    ],
  },
  {
    id: "nobody-on-duty",
    unit: "phuong-hoa-an",
    lang: "vi",
    handoff: "unstaffed",
    turns: [{ say: "cho toi gap can bo", expect: { intent: "handoff", text_lacks: ["phut"] } }],
  },
];

describe("the examples of issue 17", () => {
  it.each(EXAMPLES.map((d) => [d.id, d] as const))("should hold in every turn: %s", async (_id, d) => {
    const results = await h.run(d);
    expect(failures(results)).toEqual([]);
  });
});
