/**
 * Asking for a person in the words residents use ("nói chuyện trực tiếp với cán bộ tư pháp", "còn ai
 * trực không?"), with someone on duty and without; and words that only look alike ("ai trực tiếp đi
 * nộp", "gặp người thân") stay questions.
 */
import { describe } from "vitest";
import { dialogue, dialogueCases } from "../helpers/dialogues.js";

describe("handoff: asking for a person", () => {
  dialogueCases([
    dialogue(
      "a-person-asked-in-many-words",
      [
        { say: "cho toi noi chuyen truc tiep voi can bo tu phap", expect: { intent: "handoff" } },
        { command: "/menu", expect: { intent: "menu" } },
        { say: "chuyen sang nguoi that giup em", expect: { intent: "handoff" } },
        { command: "/menu", expect: { intent: "menu" } },
        { say: "co can bo nao online khong a", expect: { intent: "handoff" } },
        { command: "/menu", expect: { intent: "menu" } },
        { say: "toi muon hoi can bo mot chut", expect: { intent: "handoff" } },
        { command: "/menu", expect: { intent: "menu" } },
        { say: "toi can noi chuyen voi nguoi", expect: { intent: "handoff" } },
      ],
      { unit: "phuong-dong-hai", handoff: "staffed" },
    ),
    dialogue(
      "nobody-on-duty-at-night-says-so",
      [
        {
          say: "con ai truc ko, toi can hoi gap",
          expect: { intent: "handoff", text_lacks: ["vi tri so"] },
        },
      ],
      { unit: "phuong-dong-hai", handoff: "unstaffed", at: "2026-12-03T21:00:00+07:00" },
    ),
    dialogue(
      "look-alike-words-are-not-a-person",
      [
        { say: "dang ky khai sinh", expect: { card: "1.001193" } },
        { say: "co phai ai truc tiep di nop khong", expect: { text_lacks: ["hang cho", "can bo truc"] } },
        { say: "lam khai sinh truc tuyen the nao", expect: { facet: "online" } },
      ],
      { unit: "phuong-dong-hai", handoff: "staffed" },
    ),
  ]);
});
