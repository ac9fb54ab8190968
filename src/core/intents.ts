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

/** Chat shorthand, folded → words ("lm ntn" → "lam nhu the nao"), so patterns need list each once. */
const SHORTHAND: Record<string, string> = {
  lm: "lam",
  ntn: "nhu the nao",
  j: "gi",
  r: "roi",
  ns: "noi",
  hk: "ho khau",
  sd: "so do",
  ny: "nguoi yeu",
  vs: "voi",
  bn: "bao nhieu",
  dc: "duoc",
  ko: "khong",
  k: "khong",
  kg: "khong",
  hok: "khong",
  khg: "khong",
  e: "em",
  mk: "minh",
  ck: "chong",
  vk: "vo",
  ad: "",
  add: "",
};

/**
 * Expands chat shorthand in folded text: "mai phuong co lm viec ko ad" → "mai phuong co lam viec
 * khong"; "may h", "5h" → "may gio", "5 gio".
 */
export function expandShorthand(folded: string): string {
  return folded
    .replace(/\b(may|\d+) ?h\b/g, "$1 gio")
    .split(" ")
    .map((w) => SHORTHAND[w] ?? w)
    .filter(Boolean)
    .join(" ");
}

const GREETING =
  /^(xin chao|kinh chao|chao|chao ban|alo|hi|hello|hey|good (morning|afternoon|evening)|menu|bat dau|start)( .*)?$/;

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
export type Facet = "fee" | "time" | "online" | "documents" | "where" | "steps" | "legal_basis" | "who";

/**
 * Facets by what the question means, in priority order ("lệ phí nộp online" asks the fee). Words such
 * as "tiền", "hồ sơ", "giấy" alone decide nothing: "hỗ trợ tiền mai táng" asks for an allowance.
 */
const FACETS: Array<[Facet, RegExp]> = [
  [
    "who",
    /\b(ai (duoc|co the|lam|di|nop|dung ten|dung ra|dung don)|nguoi khac|(lam|di|ky|nop|dang ky|xin|dung ten|nhan) (thay|ho(?! (so|chieu|khau|tich|ngheo|can ngheo|kinh doanh|gia dinh)))|thay (cho|duoc)|uy quyen cho|nho (nguoi|ban|em|anh|chi|con|chau|vo|chong|bo|me|ong|ba)|(giup|ho) (anh|chi|em|con|chau|vo|chong|bo|me|ong|ba|nguoi nha)( \w+){0,6} (duoc|dc) (khong|ko|k|a|chu|hay)|(giup|ho) (anh|chi|em|con|chau|vo|chong|bo|me|ong|ba|nguoi nha)( \w+){0,6} (duoc|dc)$|hay (la )?phai (anh|chi|em|con|bo|me|vo|chong|ong|ba|nguoi)|tu (minh|toi|em)( \w+)? (cung )?(duoc|dc)|co phai (ky|dong y|co mat)|(1|mot) minh (em|toi|anh|chi|minh)? ?(di )?(lam|nop|dang ky|ky|di)|(lam|nop|di|ky) (mot minh|1 minh)|(khong|ko) (ve|co mat|den|ra) (duoc|dc)|(dan|dua|cho) (chau|con|be|em)( \w+)? (di cung|di theo|theo)|(phai|can) (co mat|di cung|ky het|len ky|den ky|cung di)|(phai|can)( cung| ca hai| ca 2| deu)? (len|den|ra|di) (ky|ca hai|ca 2)|(co )?can (\w+ )?(dong y|ky dong y)|(la|o) (con|vo|chong|chau|em|anh|chi|nguoi nha|hang xom)( \w+)? thi (co )?(duoc|dc|di|lam|nop|ky|xin)|who can|on behalf|someone else)\b/,
  ],
  [
    "fee",
    /\b(le phi|phi (bao nhieu|bn|nhieu|the nao|la bao nhieu|sao|gi|ra sao|het)|^phi$|^phi (1|mot|moi|cho|ca) \w+$|mat phi|ton phi|mien phi|tra phi|thu phi|chi phi|bao nhieu tien|het bao nhieu|het bn|mat bao nhieu|ton bao nhieu|mat tien|ton tien|dong tien|tra tien|nop tien|phai dong|(thi|la|het|mat|ton) bao nhieu( tien)?( a| vay| nhi| ha| the)?$|(bi )?tinh (tien|phi)|het (bao )?nhiu|nhiu tien|tinh tien (sao|the nao|ra sao)|bao nhieu (1|mot|moi) (trang|ban|to|lan|bo)|fee|fees|cost|costs|how much|is it free|free of charge|charge)\b/,
  ],
  [
    "time",
    /\b(bao lau|may ngay|bao nhieu ngay|thoi gian|thoi han|khi nao (co|lay|xong|nhan)|bao gio (co|lay|xong|nhan)|lau khong|lau ko|trong ngay|(chung nao|khi nao|bao gio) (thi )?moi (co|nhan|lay|xong|duoc)|(niem yet|cho|doi|mat)( \w+)? \d+ (ngay|thang|tuan)|lay ngay|lay luon|nhanh nhat|how long|how many days|take long)\b/,
  ],
  [
    "online",
    /\b(online|onl|truc tuyen|qua mang|tren mang|(qua|tren|bang) (app )?vneid|(nop|lam|khai|dang ky) (\w+ )?vneid|(qua|tren|bang) dien thoai|(nop|lam|gui|khai) (tai|o) nha|qua app|tren app|qua cong|tren cong dich vu cong)\b/,
  ],
  [
    "documents",
    /\b(giay to (gi|j|nao|gom|can|nhung gi)|(can|mang|chuan bi|nop|co) (nhung |cac |day du )?giay to|giay to (can|phai) (co|mang|chuan bi|nop)|^giay to( a| gi| j| sao)?$|ho so (gom|can|co nhung|gom nhung)|ho so\b.*\b(nhung gi|gom gi|can gi|nhung giay gi)\b|\bgom (nhung )?(gi|j|giay gi)\b|thanh phan ho so|can mang|mang gi|mang theo|(may|bao nhieu) nguoi lam chung|bang chung gi|(phai )?nop lai (giay|ban)|lay gi thay|khong co (giay|ban|so|to|the)\w*( \w+){0,6} thi (lam sao|sao|the nao|lam the nao|phai lam gi|lam gi)|thay (bang|the) gi|dung gi thay|(co )?(phai|can) mang|mang (ban chinh|ban goc|ban sao|giay)( \w+)? theo|chuan bi|can gi|can nhung gi|giay gi|ban goc|ban sao gi|(co )?(can|bat buoc) (phai )?(co |mang |nop |lam )?(giay|ban sao|ban chinh|to khai|so ho khau|xet nghiem|giam dinh|adn|xac nhan|chung minh|anh the|hinh the)|documents|papers|paperwork|what do (i|we) need|need to bring)\b/,
  ],
  [
    "legal_basis",
    /\b(can cu|co so phap ly|phap ly|luat nao|nghi dinh nao|van ban nao|quy dinh nao|theo luat|legal basis|which law)\b/,
  ],
  [
    "where",
    /\b(o dau|nop o dau|noi nop|cho nao|nop tai|lam tai|nop cho ai|co quan nao|o phuong hay|xa hay|hay (ubnd|uy ban|cong an|phuong|xa)|(nop|lam|xin|gui|dang ky) (o )?dau|(lam|nop|dang ky) o (phuong|xa) noi|noi (em|toi|anh|chi|minh) o hay|(phuong|xa|ubnd)( minh)? (con |co )?(lam|giai quyet|nhan)( \w+)? (duoc|dc) (khong|ko|k|hay)|hay (la )?phai (len|ra|ve|xuong|den) (tinh|huyen|quan|so|thanh pho|trung uong|que|noi thuong tru|noi cu tru|dia phuong)|(o|tai) (phuong|xa) (khac|\w+ dang o|dang o|dang song)( \w+){0,3} (duoc|dc) (khong|ko|k)|where)\b/,
  ],
  [
    "steps",
    /\b(cac buoc|may buoc|nhung buoc|buoc nao|bao nhieu buoc|trinh tu|quy trinh|lam the nao|lam nhu the nao|lam sao|the nao|cach lam|ra sao|steps|procedure steps|how do (i|we) (do|apply|file))\b/,
  ],
];

/** The facets asked in English words the list above lacks, in the same priority order. */
const FACETS_EN: Array<[Facet, RegExp]> = [
  ["fee", /\b(price|prices|pay|paid|payment|charged|free|per (page|copy|sheet))\b/],
  [
    "time",
    /\b(how soon|how quickly|same day|processing time|waiting time|when (will|can|do|would) (i|we) (get|receive|collect|pick up|have))\b/,
  ],
  [
    "online",
    /\b(internet|website|web|portal|from home|remotely|electronically|on the app|in the app|by app)\b/,
  ],
  [
    "documents",
    /\b(what (should|must|do|shall) (i|we) (bring|prepare|submit|take)|(do|will|would|must) (i|we) (need|have to bring|have to show|bring) (my|our|any)|(need|have) to (bring|show)|bring|required|requirements|which papers|forms? (do|should|must))\b/,
  ],
  [
    "legal_basis",
    /\b((which|what|the) (law|laws|decree|decrees|regulation|regulations)|legal (grounds|reference|source)|based on (which|what))\b/,
  ],
  ["where", /\b(which office|what office|which agency|in person)\b/],
  [
    "steps",
    /\b(what (is|are) the (process|steps)|whats the process|step by step|how does it work|what (should|do) (i|we) do (next|first|now))\b/,
  ],
  [
    "who",
    /\b(can|could|may) (my|our|a|the) (\w+ )?(wife|husband|son|daughter|sister|brother|father|mother|dad|mom|mum|parent|parents|grandma|grandpa|grandmother|grandfather|relative|friend|neighbour|neighbor|child|children|family member|representative|lawyer|agent)( \w+)? (do|file|submit|register|apply|collect|pick|sign|go|come|make)\b|\b(do|file|submit|register|apply|collect|pick (it |them )?up|sign|go)( it| this| that| them)? (for (me|us|him|her|them)|instead)\b|\b(instead of me|in my place|on my behalf|authori[sz]e|power of attorney|(go|come|be there) (myself|in person)|who (should|must|has to|needs to|is allowed to|may))\b/,
  ],
];

/** "Làm ở phường được không": where, when it is said of the item in discussion. */
export const AT_THE_OFFICE = /\b(o|tai) (phuong|xa|ubnd|uy ban)( minh| nay)? (duoc|dc) (khong|ko|k)\b/;

/**
 * Facts the first card shows; a question asking two of them is answered by the card. Not "online":
 * it often only describes ("lệ phí nộp online" asks the fee).
 */
const CARD_FACTS: readonly Facet[] = ["time", "fee", "where"];

/** The facet a question asks about ("phí bao nhiêu?" → fee), if any. */
export function detectFacet(folded: string): Facet | undefined {
  // "Có được hỗ trợ chi phí mai táng không" asks for an allowance (who is eligible), not a fee.
  // "Mất bao nhiêu ngày" asks the time, not a sum.
  const asked = folded
    .replace(/\b(ho tro|tro cap|chi tra|huong)( \w+)? (chi phi|tien|kinh phi)\b/g, " ")
    .replace(/\b(mat|het|ton|trong)? ?bao nhieu (ngay|thang|tuan|buoi)\b/g, " bao lau ")
    // "Phải làm giấy tờ gì" asks which procedure to do, not which papers to bring; asked with a facet
    // ("phải làm thủ tục gì và nộp ở đâu"), the card answers both.
    .replace(/\b(phai |can )?lam (nhung |cac )?(giay to|giay|thu tuc|viec)( (gi|j|nao))?\b/g, " thu tuc ");
  if (/\b(phai |can )?lam (nhung |cac )?(giay to|giay|thu tuc) (gi|nao)\b.*\b(va|voi|roi|,)\b/.test(folded))
    return undefined;
  // "Còn chứng thực chữ ký … thì sao" moves to another matter; it asks no facet by itself.
  if (/^(con|vay con|the con|con neu) .{12,} thi sao( a| vay| nhi)?$/.test(folded)) return undefined;
  // Showing the e-ID in VNeID ("xuất trình trên VNeID") is not filing online.
  const filing = /\b(xuat trinh|dua|mo|show)\b.*\bvneid\b/.test(asked)
    ? asked.replace(/\bvneid\b/g, " ")
    : asked;
  const found = FACETS.filter(([, re]) => re.test(filing)).map(([facet]) => facet);
  // "Xin giấy phép ở đâu, mất bao lâu?": two of the card's own facts asked at once — the card answers.
  if (
    found.filter((f) => CARD_FACTS.includes(f)).length >= 2 &&
    !/\b(va|voi)\b.*\b(giay to|ho so)\b/.test(asked)
  )
    return undefined;
  // "Nộp online rồi thì có cần đến ký không": whether it can be done online, not who.
  if (found[0] === "who" && found.includes("online") && /\b(online|truc tuyen|onl)\b/.test(asked))
    return "online";
  // "Bán đồ ăn online thì đăng ký ở đâu": "where" asked outright wins over a word that only describes.
  if (found.includes("where") && found.includes("online") && /\b(o dau|cho nao|noi nao)\b/.test(asked))
    return "where";
  return found[0] ?? FACETS_EN.find(([, re]) => re.test(asked))?.[0];
  return undefined;
}

/** The text without the words that name any facet ("lệ phí kết hôn" → "kết hôn"). */
export function withoutFacet(folded: string): string {
  let out = folded;
  for (const [, re] of FACETS) out = out.replace(new RegExp(re.source, "g"), " ");
  return out.replace(/\s+/g, " ").trim();
}

const YES =
  /^(co|c|dong y|ok|oke|yes|y|xoa|chac chan|uh|u|vang|da)( (dong y|xoa|xoa di|xoa het|xoa luon|di|nhe|a|luon|chac chan))*$/;
const NO =
  /^(khong|k|ko|no|n|huy|thoi|giu lai|de sau)( (khong|xoa|xoa nua|nua|giu lai|thoi|huy|a|nhe|can|dong y))*$/;

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

const STAFF = String.raw`(nguoi that|nguoi truc|nguoi tu van|can bo|nhan vien|tu van vien|chuyen vien|cong chuc|admin|ai do)`;
const PERSON = new RegExp(
  String.raw`\b(gap|noi chuyen|chat|nhan tin|trao doi|lien he|ket noi|muon gap|cho (toi|em|minh) gap)( truc tiep)?( giup| cho)?( toi| em| minh)?( voi| cung)?( mot)?( anh chi| anh| chi| ban)? ${STAFF}\b` +
    // "Nói chuyện trực tiếp", "chuyển sang người thật", "muốn hỏi cán bộ".
    String.raw`|\b(noi chuyen|chat|nhan tin|trao doi) (voi|cung) (mot )?nguoi$|\b(tu van|ho tro|hoi|gap|noi chuyen|trao doi) truc tiep\b|\bchuyen (cho|sang|qua|toi) ${STAFF}\b|\b(muon|can|cho (toi|em|minh)) hoi ${STAFF}\b` +
    // "Còn ai trực không?", "có cán bộ nào online không": is anybody on duty (not "trực tuyến", online).
    String.raw`|\b(co|con) (ai|can bo|nguoi|nhan vien)( nao)? (dang )?(truc|online|o do|o day)\b(?! (tuyen|tiep))|\bai (dang )?truc\b(?! (tuyen|tiep))|\bgap (mot )?nguoi\b(?! (nha|than|quen|yeu|khac|dai dien|giam ho|thua ke))` +
    String.raw`|\b(nguoi that|(talk|speak|chat) (to|with) (a |an |the )?(real )?(human|person|agent|staff|someone|somebody|officer|official|advisor|adviser|employee)|real person|live (agent|chat)|(is|are) (there )?(anyone|anybody|someone|somebody) (there|available|on duty|around))\b`,
);

/** True when the citizen asks for a person ("cho tôi gặp cán bộ", "nói chuyện với người thật"). */
export function wantsPerson(folded: string): boolean {
  return PERSON.test(folded) && !/\b(so dien thoai|sdt|hotline|duong day nong)\b/.test(folded);
}

const NEGATION = /\b(khong|ko|k|kg|hok|chua|dung (gui|dang|lam)|no|not|dont|without)\b/;
const LABEL_FILLER = /\b(di|nhe|nha|a|oi|luon|thi|la|cho|toi|em|minh|vay|roi)\b/g;

/**
 * Which of the last reply's buttons a typed answer names ("không đăng công khai" → the button "Gửi
 * (không đăng công khai)"), by shared words with the same negation; undefined when none or several fit.
 */
export function matchLabel(folded: string, labels: string[]): number | undefined {
  const words = (s: string) =>
    s
      .replace(/\bko\b|\bk\b|\bkg\b|\bhok\b/g, "khong")
      .replace(LABEL_FILLER, " ")
      .split(" ")
      .filter(Boolean);
  const said = words(folded);
  if (!said.length) return undefined;
  const negated = NEGATION.test(folded);
  let best: number | undefined;
  let bestScore = 0;
  let tie = false;
  const same = labels.map((label) => NEGATION.test(foldText(label)) === negated);
  // "không" answers the one negative button there is ("Không, gửi không kèm liên hệ").
  if (negated && said.length <= 4 && same.filter(Boolean).length === 1) return same.indexOf(true);
  labels.forEach((label, i) => {
    const l = foldText(label);
    if (!same[i]) return;
    const have = new Set(words(l));
    const shared = said.filter((w) => have.has(w)).length;
    const score = shared / said.length;
    if (score > bestScore) {
      best = i;
      bestScore = score;
      tie = false;
    } else if (score === bestScore && score > 0) tie = true;
  });
  return best !== undefined && !tie && bestScore >= 0.5 ? best : undefined;
}

/** A phrase that gives up what is open ("hủy", "thôi khỏi", "không gửi nữa", "để sau", "never mind"). */
const CANCEL =
  /\b(huy( bo)?|thoi|khoi|bo di|dung lai|thoat|de (sau|luc khac|khi khac|hom khac|bua khac|mai)|khong (muon |can )?(gui|lam|phan anh|gop y|xoa|tiep tuc|dang ky|nhan|can|muon|cho|doi|gap|hoi)( [a-z]+)? nua|khong muon (gui|lam|phan anh|gop y|xoa|tiep tuc|cho|doi|gap)|bo qua phan anh|cancel|stop|exit|quit|never ?mind|forget it|not now|later)\b/g;
/** Words around a cancel phrase that add nothing to it ("thôi hủy giúp tôi nhé", "thôi cảm ơn"). */
const CANCEL_FILLER =
  /\b(a|ah|oi|nhe|nha|di|giup|ho|toi|em|minh|tui|vay|roi|thi|la|ma|ok|oke|vang|da|nua|dau|phieu|form|nay|cai nay|viec nay|bot|cam on|thanks?|please|it|this|the|for|now|thoi)\b/g;

/** Words, and only words, that end an open form or question ("hủy", "thôi huỷ, không gửi nữa"). */
export function isCancel(folded: string): boolean {
  const said = folded.replace(/\b(ko|k|kg|hok|hong)\b/g, "khong");
  if (!said.match(CANCEL)) return false;
  return said.replace(CANCEL, " ").replace(CANCEL_FILLER, " ").trim() === "";
}

/** Words that resume a paused form ("tiếp tục"). */
export function isResume(folded: string): boolean {
  return /^(tiep tuc|tiep|tiep tuc gui|gui tiep|continue|resume|quay lai form|quay lai phieu)( .*)?$/.test(
    folded,
  );
}
