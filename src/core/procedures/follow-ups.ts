/**
 * A typed question about the catalogue: which item it is about (the topic in discussion, or another
 * one it names clearly) and which facet it asks for ("phí bao nhiêu" → the fee of the procedure in
 * discussion). This is where "phí bao nhiêu", "các bước", "căn cứ", "hết mấy ngày" are answered.
 */
import { action, type Kit, type Turn } from "../feature.js";
import {
  AT_THE_OFFICE,
  detectFacet,
  expandShorthand,
  foldText,
  isGreeting,
  scrubQuery,
  withoutFacet,
  type Facet,
} from "../intents.js";
import { carriesGrief, distressed } from "../small-talk.js";
import type { SearchAnswer } from "../ports.js";
import type { Reply } from "../types.js";
import type { Catalogue } from "./index.js";

/** Words that name nothing by themselves in a follow-up ("thủ tục này thì sao ạ"). */
const FILLER = new Set(
  (
    "a ah a oi vay the thi nhi nhe nha ko khong k kg co duoc dc cho hoi em toi minh con cai nay do luon nua roi ma la " +
    "nhung cac " +
    "gi nao sao can phai neu con thu tuc viec lam nop xin lay nhan mat het moi xong di den ve tu trong ngoai voi va " +
    "hay hoac cua o tai cung chi bao nhieu may anh chi ba ong chau be ban chung toi chung em bo me vo chong nguoi " +
    "xa phuong ubnd uy ban cong an truc tiep khac nhau giong ket qua ngay thang tuan nam lan nhanh cham " +
    "dang ky it is it do i we can the a an of for to my our please also and or what how this that"
  ).split(" "),
);

/** Question words and particles that say nothing about which item is meant. */
const PARTICLES = new Set(
  "a ah a oi vay the thi nhi nhe nha ko khong k co duoc dc cho hoi gi nao sao the nao ra sao la ma roi".split(
    " ",
  ),
);

/** The words of a question that could name an item (not fillers, not facet words). */
function contentWords(folded: string): string[] {
  return withoutFacet(folded)
    .replace(/\b(ho so|giay to|giay|thu tuc)\b/g, " ")
    .split(" ")
    .filter((w) => w && !FILLER.has(w) && !/^\d+$/.test(w));
}

type Hit = SearchAnswer["hits"][number];

/** The sentences and clauses of a long message that say something beyond a greeting (two or more). */
export function sentences(text: string): string[] {
  const split = (by: RegExp) =>
    text
      .split(by)
      .map((x) => x.trim())
      .filter((x) => x.split(/\s+/).length >= 2 && !isGreeting(foldText(x)));
  const parts = split(/[.?!;\n]+/);
  if (parts.length >= 2) return parts;
  // One long sentence tells its story in clauses ("em lấy chồng Đài Loan, về nước sinh em bé, giờ
  // muốn làm giấy khai sinh cho con thì làm sao ạ?").
  const clauses = text.split(/\s+/).length >= LONG_SENTENCE ? split(/[,.?!;\n]+/) : [];
  return clauses.length >= 2 ? clauses : [];
}

/** A sentence this long (in words) is read clause by clause. */
const LONG_SENTENCE = 18;

/** The question of a long message: its sentences that ask (end with "?"), else its last one. */
function questionOf(text: string): string {
  const parts = sentences(text);
  if (!parts.length) return text;
  const asking = text
    .split(/(?<=[.?!;\n])/)
    .map((x) => x.trim())
    .filter((x) => x.endsWith("?"));
  return asking.length ? asking.join(" ") : parts.at(-1)!;
}

/**
 * Whether the question names the other item only by words the topic's own name has ("… mang ra xã
 * chứng thực thay được không" while on Chứng thực chữ ký): it is still about the topic.
 */
function sameFamily(kit: Kit, topic: string, other: Hit, words: string[]): boolean {
  const p = kit.ports.content.view().procedures.find((x) => x.code === topic);
  if (!p) return false;
  const mine = new Set(foldText(p.name).split(" "));
  const theirs = new Set(foldText(other.title).split(" "));
  const naming = words.filter((w) => theirs.has(w));
  return naming.length > 0 && naming.every((w) => mine.has(w));
}

/**
 * The alternative an item's summary names for another case ("Nếu Sổ hộ tịch còn lưu thì chỉ cần xin
 * bản sao trích lục (thủ tục 2.000635)"), when the question tells a paper lost and does not speak of
 * that case (its first word, "sổ"); undefined otherwise.
 */
function forkOf(kit: Kit, hit: Hit, folded: string): Hit | undefined {
  if (hit.kind !== "procedure" || !LOST.test(folded)) return undefined;
  const all = kit.ports.content.view().procedures;
  const p = all.find((x) => x.code === hit.id);
  const m = p && /\bNếu ([^,.;]+?) thì [^.]*?\b(\d\.\d{6})\b/u.exec(p.summary);
  const alt = m && all.find((x) => x.code === m[2] && x.code !== hit.id);
  if (!m || !alt) return undefined;
  const subject = foldText(m[1]!).split(" ")[0]!;
  if (new RegExp(`\\b${subject}\\b`).test(folded)) return undefined;
  return { id: alt.code, kind: "procedure", title: alt.name, score: 0 };
}

/** A paper told lost, burnt, torn or gone. */
const LOST = /\b(mat|that lac|chay|rach|hong|khong con|lost|burnt|torn)\b/;

/** A hit in the topic's field, not the topic, one of whose names (two words or more) the question says. */
function neighbourNamed(kit: Kit, topic: string, folded: string, hits: Hit[]): Hit | undefined {
  const all = kit.ports.content.view().procedures;
  const field = all.find((p) => p.code === topic)?.field;
  return hits.find((h) => {
    const p = all.find((x) => x.code === h.id);
    if (!p || p.code === topic || p.field !== field) return false;
    return [p.name, ...(p.aliases ?? []), ...(p.keywords ?? [])]
      .map(foldText)
      .some((name) => name.split(" ").length >= 2 && ` ${folded} `.includes(` ${name} `));
  });
}

/** Whether the item is one of the papers the topic asks for (its name appears in the topic's documents). */
function paperOf(kit: Kit, topic: string, hit: Hit | undefined): boolean {
  if (!hit) return false;
  const p = kit.ports.content.view().procedures.find((x) => x.code === topic);
  const name = foldText(hit.title).replace(/^(dang ky|cap|thu tuc) /, "");
  return !!p && name.split(" ").length >= 2 && p.documents.some((d) => foldText(d).includes(name));
}

/** Whether item `a`'s title holds every word of item `b`'s: "khai sinh có yếu tố nước ngoài" ⊇ "khai sinh". */
function narrows(a: Hit, b: Hit): boolean {
  const words = new Set(foldText(a.title).split(" "));
  return (
    a.id !== b.id &&
    foldText(b.title)
      .split(" ")
      .every((w) => words.has(w))
  );
}

/** How far the best item leads the runner-up, as a share of its score. */
function lead(r: SearchAnswer): number {
  const [a, b] = r.hits;
  return a && a.score > 0 ? (a.score - (b?.score ?? 0)) / a.score : 0;
}

/**
 * A narrower form of `chosen` ranked clearly above it over the whole story (scores of different
 * queries do not compare, so ranks within the whole do): by a tenth at least, since "khai sinh kết
 * hợp nhận cha" barely above "nhận cha, mẹ, con" is no evidence the story asks the narrower one.
 */
function narrowerIn(whole: SearchAnswer, chosen: Hit): Hit | undefined {
  const rank = whole.hits.findIndex((h) => h.id === chosen.id);
  const above = rank < 0 ? whole.hits.slice(0, 1) : whole.hits.slice(0, rank);
  const chosenScore = rank < 0 ? 0 : whole.hits[rank]!.score;
  return above.find((h) => narrows(h, chosen) && h.score >= chosenScore * NARROWER_LEAD);
}

/** How far above the item a sentence names its narrower form must rank over the whole story. */
const NARROWER_LEAD = 1.1;

/** A lead this wide over the runner-up, over the whole story, counts when a sentence agrees. */
const STORY_LEAD = 0.35;

/**
 * A long message read as a story around its question: each sentence is searched, the question
 * (usually last) first. A sentence that clearly names an item decides, unless the whole story points
 * to a narrower form of it ("I'm American… how do we get a birth certificate" is a birth with a
 * foreign parent). Else the whole story's clear favourite is taken when a sentence agrees with it
 * ("Bố mẹ tôi đã mất, để lại mảnh đất… muốn chia cho từng người": the estate, not a death).
 */
async function searchStory(
  text: string,
  whole: SearchAnswer,
  search: (q: string) => Promise<SearchAnswer>,
): Promise<SearchAnswer> {
  const parts = sentences(text).reverse();
  if (!parts.length) return whole;
  const found = await Promise.all(parts.map((part) => search(part)));
  const best = whole.hits[0];
  // Found with confidence over the whole story, it stands unless the question itself (the last
  // sentence) names an item whose narrower form the story points to ("em lấy chồng Hàn Quốc, … muốn
  // làm giấy khai sinh cho con": a birth with a foreign parent, not a marriage).
  const question = found[0]!;
  const pick = (r: SearchAnswer, h: Hit) => ({ ...r, hits: [h, ...r.hits.filter((x) => x.id !== h.id)] });
  if (whole.level === "confident") {
    const asked = question.level === "confident" && question.named ? question.hits[0] : undefined;
    if (!asked || asked.id === best?.id) return whole;
    const narrower = narrowerIn(whole, asked);
    if (narrower) return pick(question, narrower);
    // The whole story hardly tells the two apart: the question decides.
    const close = whole.hits.find((h) => h.id === asked.id && best && h.score * NARROWER_LEAD >= best.score);
    return close ? question : whole;
  }
  const named = found.find((r) => r.level === "confident" && r.named);
  if (named) {
    const narrower = narrowerIn(whole, named.hits[0]!);
    return narrower ? pick(named, narrower) : named;
  }
  const agrees = found.some((r) => r.level !== "none" && r.hits[0]?.id === best?.id);
  return best && agrees && lead(whole) >= STORY_LEAD ? { ...whole, level: "confident" } : whole;
}

/** Answers typed text from the catalogue: a card, a facet of the topic, choices, or not found. */
export async function answerQuestion(kit: Kit, cat: Catalogue, turn: Turn, text: string): Promise<Reply[]> {
  // Kept (scrubbed) for staff, should the citizen ask for a person next (only where one can be reached).
  if (kit.handoffOffered(turn) || kit.ports.feedback)
    turn.session.recent = [...(turn.session.recent ?? []), scrubQuery(text)].slice(-3);
  const replies = await answer(kit, cat, turn, text);
  const first = replies[0];
  const folded = foldText(text);
  // Grief or distress with nothing to look up ("nhà tôi vừa bị cháy, chán quá, không biết bám víu vào
  // đâu") is met as a person, not with "not found": a kind word and the ways on.
  if (first?.meta?.kind === "not_found" && (carriesGrief(folded) || distressed(folded))) {
    const L = turn.lang;
    const kind = carriesGrief(folded)
      ? `${kit.t(L, "talk.condolence")} ${kit.t(L, "talk.distress")}`
      : kit.t(L, "talk.distress");
    return [{ text: kind, buttons: first.buttons, meta: { kind: "small_talk" } }];
  }
  // Grief typed with a question ("mẹ tôi vừa mất, giờ làm gì") is met with a condolence first.
  if (first && carriesGrief(folded))
    replies[0] = { ...first, text: `${kit.t(turn.lang, "talk.condolence")}\n\n${first.text}` };
  return replies;
}

async function answer(kit: Kit, cat: Catalogue, turn: Turn, text: string): Promise<Reply[]> {
  const { ports } = kit;
  const folded = expandShorthand(foldText(text));
  // In a story the question says what is asked ("…chưa có giấy tờ gì. Làm khai sinh thế nào ạ?").
  const asked = expandShorthand(foldText(questionOf(text)));
  const topic = turn.session.lastProcedure;
  // "Sửa ở phường được không" asks where of the topic; said of another item, it asks for that item.
  const atOffice = !detectFacet(asked) && !!topic && AT_THE_OFFICE.test(asked);
  const facet = detectFacet(asked) ?? (atOffice ? "where" : undefined);
  const search = (q: string, followUp?: string) =>
    ports.content.search(q, { channel: turn.msg.channel, unit: turn.session.unit, followUp });
  const show = (hit: Hit, f: Facet | undefined) =>
    f && hit.kind === "procedure" ? cat.showFacet(turn, hit.id, f) : cat.showHit(turn, hit);
  // "Còn chấm dứt giám hộ thì làm thế nào?" moves to another item: its card first, then the steps.
  // A lost paper named while another item is in discussion is offered both ways too (see forkOf).
  const switchTo = (hit: Hit, f: Facet | undefined): Reply[] => {
    const alternative = !f || f === "steps" ? forkOf(kit, hit, folded) : undefined;
    if (alternative) return choices(kit, cat, turn, [hit, alternative]);
    return f === "steps" && hit.kind === "procedure"
      ? [...cat.showProcedure(turn, hit.id), ...cat.showFacet(turn, hit.id, f)]
      : show(hit, f);
  };

  // A follow-up about the topic in discussion, unless what remains once the facet words are gone
  // clearly names another item.
  if (facet && topic) {
    const words = contentWords(folded);
    // Logged with the question: a follow-up answered from the topic counts as answered.
    const other = await search(text, topic);
    if (words.length < 2) return cat.showFacet(turn, topic, facet);
    const top = other.hits[0];
    // Another item takes the topic over only when the message names it clearly (one of its names
    // whole, not "80 tuổi" or "tỉnh khác"), and not when it is one of the topic's own papers ("có cần
    // giấy xác nhận độc thân không" while asking about a marriage). A guide must be named even without
    // the facet words: one that shares words ("lệ phí", "online") is not what a follow-up means.
    const paper = facet === "documents" && paperOf(kit, topic, top);
    if (
      other.level === "confident" &&
      other.named &&
      top &&
      top.id !== topic &&
      !paper &&
      !sameFamily(kit, topic, top, words)
    ) {
      const asked = atOffice ? undefined : facet;
      if (top.kind === "procedure") return switchTo(top, asked);
      const rest = await search(withoutFacet(folded));
      if (rest.level === "confident" && rest.named && rest.hits[0]?.id === top.id) return show(top, asked);
    }
    // The facet words can drown a short name ("còn tách hộ thì lệ phí bao nhiêu"): try without them.
    if (other.level !== "confident") {
      const rest = await search(withoutFacet(folded));
      const named = rest.hits[0];
      if (
        rest.level === "confident" &&
        rest.named &&
        named?.kind === "procedure" &&
        named.id !== topic &&
        !(facet === "documents" && paperOf(kit, topic, named))
      )
        return switchTo(named, atOffice ? undefined : facet);
    }
    return cat.showFacet(turn, topic, facet);
  }
  const guide = turn.session.lastGuide;
  let found = await search(text);
  // A long message tells a story around its question ("Chào cán bộ, cháu tôi sinh được 3 tháng… Xin
  // hỏi làm khai sinh cần thủ tục gì ạ?"): the story's words dilute the whole, so each sentence is
  // searched too, the question (usually last) first; the first that clearly names an item is taken.
  found = await searchStory(text, found, search);
  // A general word shared by several procedures' names ("chứng thực", "liên thông", "hộ nghèo") asks
  // which of them: the list, unless one of them is that word itself ("khai sinh" is Đăng ký khai sinh).
  const family = !facet ? namesakes(kit, folded) : [];
  if (family.length >= 2) {
    const rank = (id: string) => {
      const i = found.hits.findIndex((h) => h.id === id);
      return i < 0 ? found.hits.length : i;
    };
    const items = [...family].sort((a, b) => rank(a.code) - rank(b.code)).slice(0, FAMILY_MAX);
    return choices(
      kit,
      cat,
      turn,
      items.map((p) => ({ id: p.code, kind: "procedure" as const, title: p.name, score: 0 })),
    );
  }
  // The same card again answers nothing new: a question whose best match is the topic just shown,
  // with a guide or FAQ close behind ("sổ hộ khẩu cũ mất rồi có sao không" while on Đăng ký thường
  // trú), gets that other item.
  const again = found.hits[0]?.id === topic && !facet ? found.hits[1] : undefined;
  if (again && again.kind !== "procedure" && again.score * NARROWER_LEAD >= found.hits[0]!.score)
    found = { ...found, hits: [again, ...found.hits.filter((h) => h.id !== again.id)] };
  // Weakly found, and the best match is the topic itself ("xét giữa năm được không" on that very
  // procedure): it is still the topic.
  if (found.level === "unsure" && topic && found.hits[0]?.id === topic)
    found = { ...found, level: "confident" };
  // Weakly found, but one of the topic's neighbours (same field) is named in the question ("tháng sau
  // em đi đẻ, muốn tạm nghỉ 3 tháng" while on a household business): that neighbour is meant.
  if (found.level !== "confident" && topic) {
    const near = neighbourNamed(kit, topic, folded, found.hits.slice(0, 3));
    if (near)
      found = { ...found, level: "confident", hits: [near, ...found.hits.filter((h) => h.id !== near.id)] };
  }
  const top = found.hits[0];
  // A facet asked with nothing in discussion and no item named ("hết bao lâu ạ?", "cần mang những
  // giấy tờ gì") asks which procedure, rather than an item that only shares the facet words.
  if (facet && !guide && !contentWords(folded).length && !(found.level === "confident" && found.named))
    return [
      {
        text: kit.t(turn.lang, "search.whichProcedure"),
        buttons: [
          [
            action(kit.t(turn.lang, "menu.procedures"), "m:proc"),
            action(kit.t(turn.lang, "menu.back"), "menu"),
          ],
        ],
        meta: { kind: "ask" },
      },
    ];
  // A follow-up about the guide in discussion gets the guide again (it holds where, who and what),
  // unless the message clearly names another item.
  if (facet && guide && !(found.level === "confident" && found.named && top?.id !== `guide:${guide}`))
    return cat.showHit(turn, { id: `guide:${guide}`, kind: "guide", title: guide, score: 1 });
  // "Giấy chứng tử của ba tôi bị mất": re-registering is only for when the register is gone too. An
  // item whose summary says "Nếu <condition> thì … (thủ tục C)" is offered beside C when the question
  // does not speak of that condition.
  const alternative =
    found.level === "confident" && top && (!facet || facet === "steps")
      ? forkOf(kit, top, folded)
      : undefined;
  if (alternative) return choices(kit, cat, turn, [top!, alternative]);
  if (found.level === "confident" && top) {
    // A first question that asks how to do it ("làm khai sinh thế nào") or what it takes ("làm giấy
    // khai sinh cần gì") gets the short card, then the steps or papers; one that names the papers
    // ("tách hộ cần những giấy tờ gì") gets the papers, the card a tap away.
    const broad =
      facet === "steps" ||
      (facet === "online" && !CAN_IT.test(asked)) ||
      (facet === "documents" && !PAPERS.test(asked));
    if (broad && top.kind === "procedure")
      return [...cat.showProcedure(turn, top.id), ...cat.showFacet(turn, top.id, facet)];
    return show(top, facet);
  }
  // Choices only when the question says something beyond question words ("đăng ký" does; "sao ạ" does not).
  if (found.level === "unsure" && found.hits.length && folded.split(" ").some((w) => !PARTICLES.has(w)))
    return choices(kit, cat, turn, found.hits.slice(0, 3));
  return cat.notFound(turn);
}

/**
 * "… online được không": whether it can be done online, asked outright (the online answer); said as
 * a wish ("muốn làm khai sinh … trên VNeID luôn") it gets the card first.
 */
const CAN_IT =
  /\b(duoc|dc) (khong|ko|k|chu|ha|a|nhi)\b|\bco (the )?(lam|nop)\b.*\b(khong|ko)\b|\bcan (i|we)\b|\b(online|truc tuyen|vneid)\b.*\b(the nao|lam sao|ra sao|nhu the nao|how)\b/;

/** Words that ask for the papers themselves, not for what a procedure takes in general. */
const PAPERS = /\b(giay to|giay gi|ho so|mang|chuan bi|ban sao|ban chinh|documents|papers|paperwork)\b/;

/** The most procedures offered for a general word. */
const FAMILY_MAX = 5;

/** Words that ask nothing by themselves in a general question ("cho hỏi về", "xét", "các thủ tục"). */
const GENERAL = new Set(
  (
    "cho hoi ve xet cac nhung thu tuc lam muon can biet tim hieu thong tin dang ky a a oi nhe nha voi " +
    "em toi minh anh chi xin gi nao sao the vay di"
  ).split(" "),
);

/**
 * The procedures whose names hold the question's few content words in a row, when none of them is
 * just those words: "chứng thực" → the five chứng thực procedures; "khai sinh" → none (Đăng ký khai
 * sinh is named so).
 */
function namesakes(kit: Kit, folded: string) {
  const words = folded.split(" ").filter((w) => w && !GENERAL.has(w));
  if (!words.length || words.length > 3) return [];
  const phrase = ` ${words.join(" ")} `;
  const procedures = kit.ports.content.view().procedures;
  const named = (name: string) => ` ${foldText(name)} `;
  const family = procedures.filter((p) => named(p.name).includes(phrase));
  const itself = family.some((p) => named(p.name).replace(/^ (dang ky|cap|thu tuc) /, " ") === phrase);
  return itself ? [] : family;
}

/** "Có phải Anh/Chị muốn hỏi về…": the items as buttons, with a person and the hotline as ways on. */
function choices(kit: Kit, cat: Catalogue, turn: Turn, hits: Hit[]): Reply[] {
  const L = turn.lang;
  return [
    {
      text: kit.t(L, "search.unsure"),
      buttons: [
        ...hits.map((h) => [action(h.title, cat.hitPayload(h))]),
        ...kit.personRow(turn),
        [action(kit.t(L, "search.noneOfThese"), "m:hot"), action(kit.t(L, "menu.back"), "menu")],
      ],
      meta: { kind: "choices", items: hits.map((h) => h.id) },
    },
  ];
}
