/** Recognising what a typed message asks for: greetings, commands, follow-up facets, yes/no. */

/** Folds Vietnamese text for pattern matching: lower case, no diacritics, đ → d, single spaces. */
export function foldText(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}/]+/gu, " ")
    .trim();
}

const GREETING = /^(xin chao|chao|chao ban|alo|hi|hello|hey|menu|bat dau|start)( .*)?$/;

/** True for "xin chào", "hi", "menu"… (a greeting alone, not a question that starts politely). */
export function isGreeting(folded: string): boolean {
  return GREETING.test(folded) && folded.split(" ").length <= 4;
}

/** A command such as "/start" or "/tracuu abc": its name (lower case) and the rest. */
export function parseCommand(text: string): { name: string; arg: string } | undefined {
  const m = /^\/([a-z_]+)(?:@\w+)?(?:\s+([\s\S]*))?$/i.exec(text.trim());
  return m ? { name: m[1]!.toLowerCase(), arg: (m[2] ?? "").trim() } : undefined;
}

/** Parts of a procedure a follow-up question can ask about. */
export type Facet = "fee" | "time" | "online" | "documents" | "where" | "steps" | "legal";

const FACETS: Array<[Facet, RegExp]> = [
  ["fee", /\b(bao nhieu tien|het bao nhieu|gia bao nhieu|mat tien|le phi|tien|cost|phi|fee)\b/],
  ["time", /\b(bao nhieu ngay|khi nao co|thoi gian|lau khong|may ngay|thoi han|how long|bao lau)\b/],
  ["online", /\b(qua dien thoai|truc tuyen|tren mang|qua mang|online|vneid|onl)\b/],
  [
    "documents",
    /\b(can nhung gi|mang theo|documents|chuan bi|giay to|mang gi|giay gi|can gi|papers|ho so)\b/,
  ],
  ["where", /\b(nop o dau|noi nop|cho nao|o dau|where)\b/],
  ["steps", /\b(lam the nao|nhu the nao|quy trinh|cac buoc|trinh tu|cach lam|steps)\b/],
  ["legal", /\b(can cu phap ly|co so phap ly|legal basis|nghi dinh|luat nao|phap ly|can cu)\b/],
];

/** The facet a short follow-up asks about ("phí bao nhiêu?" → fee), if any. */
export function detectFacet(folded: string): Facet | undefined {
  for (const [facet, re] of FACETS) if (re.test(folded)) return facet;
  return undefined;
}

/** The text without the words that name the facet ("lệ phí kết hôn" → "kết hôn"). */
export function withoutFacet(folded: string): string {
  let out = folded;
  for (const [, re] of FACETS) out = out.replace(new RegExp(re.source, "g"), " ");
  return out.replace(/\s+/g, " ").trim();
}

const YES = /^(co|c|dong y|ok|oke|yes|y|xoa|chac chan|uh|u)$/;
const NO = /^(khong|k|ko|no|n|huy|thoi|giu lai)$/;

/** Reads a yes/no answer; undefined when it is neither. */
export function yesNo(folded: string): boolean | undefined {
  if (YES.test(folded)) return true;
  if (NO.test(folded)) return false;
  return undefined;
}

/**
 * Masks what could identify a person before a question is stored: runs of digits (phone, ID
 * numbers), e-mail addresses and links. Procedure codes such as 1.001193 are kept.
 */
export function scrubQuery(text: string): string {
  return text
    .normalize("NFC")
    .replace(/\b\d\.\d{6}\b|\d[\d .-]{4,}\d/g, (m) => (/^\d\.\d{6}$/.test(m) ? m : "#"))
    .replace(/[\w.+-]+@[\w-]+\.[\w.-]+/g, "@")
    .replace(/https?:\/\/\S+/g, "<link>")
    .slice(0, 200);
}

const PERSON =
  /\b(gap|noi chuyen (voi|cung)|chat voi|ket noi (voi)?|lien he truc tiep (voi)?|muon gap|cho (toi|em|minh) gap) ?(mot )?(nguoi that|nguoi|can bo|nhan vien|tu van vien|chuyen vien|ai do)\b|\b(tu van truc tiep|ho tro truc tiep|nguoi that|talk to (a |an )?(human|person|agent|staff|someone|officer)|real person|live (agent|chat))\b/;

/** True when the citizen asks for a person ("cho tôi gặp cán bộ", "nói chuyện với người thật"). */
export function wantsPerson(folded: string): boolean {
  return PERSON.test(folded) && !/\b(so dien thoai|sdt|hotline|duong day nong)\b/.test(folded);
}
