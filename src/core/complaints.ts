/**
 * What residents type when they complain, suggest or judge an answer rather than ask: "rác đầu hẻm 1
 * tuần không ai dọn", "cán bộ thái độ cọc cằn", "đề nghị xã lắp thêm đèn", "thông tin sơ sài quá".
 * All functions take text folded by `foldText` (lower case, no diacritics), so they read the way
 * residents type on a phone; words that fold alike ("ở đầu hẻm" and "ở đâu") are told apart here.
 */

import { foldText } from "./intents.js";
import { smallTalkOf } from "./small-talk.js";

/** "ở đâu" (where?), but not "ở đầu hẻm / đầu ngõ" (at the head of the alley), which folds the same. */
const WHERE =
  /\b(o|tai) dau\b(?! (hem|ngo|ngach|kiet|duong|pho|cau|kenh|thon|xom|lang|ap|khu|to|cho|cong|day|nha|doc|lang|xa|phuong)\b)/;

/** Asking how, where, what, how much, how long: a question to the catalogue, never a complaint. */
const ASKS_CATALOGUE = new RegExp(
  `${WHERE.source}|\\b(the nao|lam sao|ra sao|nhu nao|nhu the nao|bao nhieu|bao lau|may ngay|can gi|can nhung gi|gom nhung gi|gom gi|la gi|tra cuu|cach nao|cach lam|mau don|xin hoi|cho (toi|em|minh|tui|chau) hoi|hoi (luon|them|chut|xiu|cai)|(bao|trinh bao|to cao|phan anh|khieu nai|lien he|goi|gap|tim) (cho |voi |len )?(ai|o dau|dau|noi nao|co quan nao|cho nao|so nao)|how (do|can|much|long|to)|where (do|can|is|to|should)|what (do|documents|papers)|which office|who (do|should) i)\\b`,
);

/** Any question: the catalogue's, a question mark, or a yes/no question ("được không", "… chưa"). */
const ASKS =
  /\b(duoc khong|dc khong|duoc ko|dc ko|duoc k|dc k|co duoc|co phai|co can|thi sao|phai khong|phai ko|hay khong|hay ko|khi nao|bao gio|may gio|luc nao|hom nao(?! cung)|ngay nao(?! cung)|thu may|so nao|nen lam gi|lam gi bay gio|quyen gi|duoc gi)\b|^(can|could|do|does|is|are|should|will|what|when|who|how|where)\b|\b[a-z0-9]+ [a-z0-9]+ (khong|ko|k|chua|nhi|hong|ha)$|\b[a-z0-9]+ gi( (vay|the|a|nhi|ha|day))?$/;

/** True when the message asks something (and so is not only a complaint, a remark or an answer). */
export function asksQuestion(text: string, folded: string): boolean {
  // "Đọc không hiểu gì", "chưa làm gì cả": "gì" after a negation means "nothing", not "what?".
  const said = folded.replace(/\b(khong|chua|chang) ([a-z0-9]+ ){0,3}gi( ca| het)?\b/g, " ").trim();
  return text.includes("?") || ASKS_CATALOGUE.test(said) || ASKS.test(said);
}

/** True when the message asks the catalogue how, where, what or how much. */
export function asksCatalogue(folded: string): boolean {
  return ASKS_CATALOGUE.test(folded);
}

// === Complaints

/** Public things residents report (lights, roads, drains, rubbish, noise) ... */
const THINGS =
  "rac|rac thai|bai rac|thung rac|xe rac|den|bong den|cot den|cot dien|day dien|duong|hem|ngo|ngach|kiet|cong|cong ranh|ranh|muong|kenh|ong nuoc|nuoc sach|nuoc thai|ho ga|nap cong|cay|cay xanh|via he|le duong|loa|loa keo|karaoke|nhac|tieng on|khoi|bui|mui|xuong|quan nhau|cong trinh|cong truong|xe tai|xe ben|hang xom|nha ben canh|bai xe|cong vien|nha van hoa|cho tha|street ?lights?|lamps?|garbage|rubbish|trash|road|street|alley|drains?|sewers?|water pipe|noise|music";
/** ... and what is wrong with them. Each word here is one that does not fold into a common other word. */
const STATES =
  "hong|hu|hu hong|chap chon|khong sang|tat (ca|het|ngum|suot|may|lau|tu)|toi om|toi thui|ngap|ngap nuoc|ngap ung|(bi|dang|da|lai|thi) tac|tac (nghen|lau|het|roi|cung)|ro ri|sut lun|lun|o ga|boc mui|hoi thoi|o nhiem|on ao|inh oi|xa rac|vut rac|do rac|do trom|khong ai (don|thu gom|sua|don dep|quan tam|xu ly|giai quyet)|khong (duoc )?(thu gom|don dep|sua chua)|chiem dung|trai phep|mat ve sinh|mat trat tu|nguy hiem|chan duong|lan duong|tha rong|dua xe|xa thai|bui bam|cup dien|cup nuoc|mat dien|mat nuoc|hat (den|toi|suot|ca dem|khuya)|mo nhac|broken|not working|flooded|flooding|blocked|clogged|smells?|stinks?|not (been )?collected|overflowing|leaking|too loud";
const THING_WRONG = new RegExp(
  `\\b(${THINGS})\\b( [a-z0-9]+){0,10} (${STATES})\\b|\\b(o ga|mat nap|cup dien|mat dien|cup nuoc|mat nuoc|on ao|tieng on|xa rac|do rac|vut rac|potholes?|lan chiem (via he|long duong|le duong|hanh lang|duong|hem|ngo|kenh|muong)|chiem dung via he|xay (dung )?trai phep|loa keo|chay no|ngap lut|ngap ung|boc mui|hoi thoi|o nhiem|xa thai|cho sua (ca dem|suot|dem|khuya|inh oi|om soi|ca ngay))\\b`,
);

/** Staff conduct, indignation and being sent back again and again: a complaint even around a question. */
const STRONG =
  /\b(thai do|coc can|hach dich|hach sach|quat thao|quat nat|mat day|vo le|vo van hoa|gat gong|to tieng|xuc pham|nhung nhieu|doi tien|doi boi duong|an tien|vo trach nhiem|thieu trach nhiem|tac trach|lam an kieu gi|lam viec kieu gi|lam an nhu vay|lam viec nhu vay|buc xuc|buc minh|qua dang|that vong|khong chap nhan duoc|hen di hen lai|hen lan hen lua|hen (\d+|hai|ba|bon|nam|nhieu|may) lan|(di|chay|len|ve) lai (\d+|hai|ba|bon|nhieu|may) lan|(bat|phai|bi bat)( [a-z]+){0,3} (sua|bo sung|lam|nop) lai( [a-z]+){0,3} (\d+|hai|ba|bon|nhieu|may) lan|(\d+|hai|ba|bon|nhieu|may) lan (roi )?(ma van|ma|van) (chua|khong)|lam mat ho so|that lac ho so|ngam ho so|khong ai (tiep|nghe may|tra loi|huong dan)|khong (nghe may|huong dan gi|tiep dan)|cho (ca buoi|ca ngay|ca sang|ca chieu|ca tieng|\d+ tieng|hai tieng|may tieng|mai ma)|rude|impolite|(shouted|yelled) at|bribe|unprofessional|kept (me|us) waiting|sent (me|us) (back|away)|(three|four|five|several|many|\d+) times|waited (all day|for hours|\d+ hours))\b/;

/** Lateness and slowness: a complaint when nothing is asked ("hồ sơ trễ hạn 2 tuần rồi", "chậm quá"). */
const SLOW =
  /\b((tre|qua) (han|hen)( \d+ (ngay|tuan|thang))?( roi| ma| van| chua| lau| ca| hon| nhieu| may)|cham (qua|the|vay|chap|tre|lam)|lau (qua|the|vay|lam roi)|lau lac|mai (ma )?(van )?(chua|khong) (xong|co|tra|giai quyet|xu ly)|too slow|so slow|very slow|overdue|still not (done|ready|processed))\b/;

/** Suggestions to the commune ("đề nghị xã lắp đèn", "phường nên mở cửa sáng thứ 7"). */
const SUGGESTS =
  /(^|\b(toi|em|minh|chung toi|kinh|xin) )(de nghi|de xuat|kien nghi|mong|mong muon|hy vong|kinh de nghi|xin de nghi) (xa|phuong|ubnd|uy ban|chinh quyen|lanh dao|cac cap|can bo|bo phan|nha nuoc|dia phuong|thi tran|ban quan ly)\b|\b(xa|phuong|ubnd|uy ban|chinh quyen|bo phan mot cua) nen (lam|mo|lap|bo tri|co|tang|them|sua|xay|to chuc|cho|quan tam|xem xet|kiem tra|giam|bot|cai thien|bo sung|huong dan)\b|^(i|we) (suggest|propose)\b|\bthe (ward|commune) should\b|^please (install|fix|repair|add|open|clean)\b|(?<!(to khai|giay|don|mau|phieu|van ban) )\b(de nghi|de xuat|kien nghi) (giam|bot|tang|them|bo|cai thien|xem xet|kiem tra|xu ly|nao vet|thu gom|thay|sua chua|khac phuc|lap dat|bo tri)\b|^(de nghi|de xuat) (kiem tra|xu ly|xem xet|sua|lap|giai quyet|nao vet|thu gom|bo tri|tang cuong|mo them)\b/;

/** "Sao … mãi không ai sửa vậy?", "đến bao giờ mới dọn?": a question that is a complaint. */
const RHETORICAL =
  /^(sao|tai sao|vi sao|why)\b|\b(tai sao|vi sao|sao (lai|ma|mai|van|chua|khong ai|cu)|den bao gio|bao gio moi|kieu gi|the nay ma|nhu the nay)\b/;
/** A public thing and a repair asked for ("đến bao giờ mới sửa đèn đường hẻm 5"). */
const FIXABLE =
  "rac|den duong|bong den|cot den|den chieu sang|duong|mat duong|hem|ngo|cong thoat nuoc|cong ranh|ranh|muong|ong nuoc|ho ga|o ga|cay xanh|via he";
const THING_FIX = new RegExp(
  `\\b(${FIXABLE})\\b.*\\b(sua|don|thu gom|xu ly|giai quyet|thay|nao vet)\\b|\\b(sua|don|thu gom|xu ly|giai quyet|thay|nao vet)\\b.*\\b(${FIXABLE})\\b`,
);

/** "Xin lỗi, tôi gõ chậm quá": an apology for oneself ("xin lỗi nhưng…" goes on to criticise). */
function apologises(text: string, folded: string): boolean {
  return smallTalkOf(text, folded) === "sorry" || /^(xin loi|sorry)\b(?!.*\b(nhung|ma|but)\b)/.test(folded);
}

/** A quarrel over land between neighbours is mediated by the commune (a procedure), not a complaint. */
const LAND_DISPUTE = /\b(tranh chap|lan (sang |chiem )?dat|dat (nha )?(toi|em|minh)|ranh gioi|hoa giai)\b/;

/** The same problems told in English ("the street light in my alley is broken", "rude staff"). */
const EN_PROBLEM =
  /\b(broken|not working|doesn t work|don t work|noise|noisy|loud music|karaoke|garbage|rubbish|trash|litter|flooded|flooding|pothole|potholes|blocked (drain|drains|sewer)|sewage|illegal (construction|building|parking|dumping)|rude|impolite|bribe|bribes|corruption|asked (me )?for (money|a bribe)|nobody (collects|answers|came|fixed|cleans)|not (collected|cleaned|fixed|repaired))\b/;

/** An English question to the catalogue ("can I get a new copy", "how do I…"). */
const EN_ASKS =
  /\b(can i|could i|can we|how (do|can|to)|where (do|can|is)|what (do|is|are)|do i|should i|is it)\b/;
/** Papers, whose damage is a matter for a procedure, not a complaint. */
const EN_PAPER = /\b(certificate|card|passport|book|paper|papers|document|documents|licen[cs]e|id)\b/;

/** Complaints at the bot itself are small talk (an insult), not a ticket for the commune. */
const AT_THE_BOT =
  /^(bot|may|ad|admin|chatbot|tra loi)\b|\b(bot|chatbot) (nay )?(te|ngu|do|kem|vo dung|tra loi)/;

/**
 * Whether a message reports a problem or makes a suggestion in words, without "phản ánh" or "góp ý":
 * "rác đầu hẻm 1 tuần không ai dọn, xã làm ăn kiểu gì vậy", "cán bộ hẹn đi hẹn lại 3 lần", "đề nghị
 * xã lắp đèn đường". A question to the catalogue ("hồ sơ trễ hạn thì tra cứu ở đâu") is not one.
 */
export function isComplaint(text: string, folded: string): boolean {
  if (AT_THE_BOT.test(folded) || asksCatalogue(folded) || LAND_DISPUTE.test(folded)) return false;
  // "Xin lỗi, tôi gõ chậm quá" apologises; it complains of nothing.
  if (apologises(text, folded)) return false;
  if (STRONG.test(folded) || SUGGESTS.test(folded)) return true;
  // In English, a problem told rather than asked about, and not a damaged paper ("my certificate is torn").
  if (EN_PROBLEM.test(folded) && !EN_ASKS.test(folded) && !EN_PAPER.test(folded)) return true;
  if (RHETORICAL.test(folded) && THING_FIX.test(folded)) return true;
  return (
    (THING_WRONG.test(folded) || SLOW.test(folded)) &&
    (!asksQuestion(text, folded) || RHETORICAL.test(folded))
  );
}

/** The form's category a complaint most likely belongs to (see feedback.ts CATEGORIES). */
export function categoryOf(folded: string): "thu-tuc" | "thai-do" | "dich-vu-cong" | "de-xuat" | "khac" {
  if (
    /\b(can bo|cong chuc|nhan vien|chuyen vien|thai do|tac phong|coc can|hach dich|nhung nhieu|quat)\b/.test(
      folded,
    )
  )
    return "thai-do";
  if (
    /\b(dich vu cong|cong dich vu|truc tuyen|online|vneid|thanh toan|nop mang|tren mang|website|ung dung)\b/.test(
      folded,
    )
  )
    return "dich-vu-cong";
  if (THING_WRONG.test(folded))
    return SUGGESTS.test(folded) && !/\b(rac|ngap|on ao)\b/.test(folded) ? "de-xuat" : "khac";
  if (/\b(ho so|thu tuc|giay to|giay|chung thuc|dang ky|ket qua|tre han|qua han|tre hen|hen)\b/.test(folded))
    return "thu-tuc";
  if (SUGGESTS.test(folded)) return "de-xuat";
  return "khac";
}

// === Remarks on an answer (rating comments)

const CRITICISM =
  /\b(sai (roi|qua|het|be bet|bet|nhieu|ca|tum lum|thong tin)|(noi|tra loi|huong dan|bot) sai|thong tin (sai|thieu) (qua|roi|het|nhieu)|thieu (qua|nhieu|thong tin|sot|ro rang)|nham (roi|lan|qua)|so sai|chung chung|mo ho|kho hieu|khong (ro|ro rang|du|day du|dung|chinh xac|noi ro|ghi ro|huu ich|giup duoc|giup gi|hieu|lien quan|can thiet|tra loi dung|dung y|cap nhat)|chua (ro|ro rang|du|day du|dung|chinh xac|noi ro|ghi ro|cap nhat)|dai (qua|dong|the)|dai lam(?! gi)|qua dai|ngan qua|lan man|lung tung|lung cung|cu qua|loi thoi|te qua|qua te|kem qua|vo ich|vo dung|roi rac|cham qua|lau qua|not (clear|helpful|useful|enough)|unclear|wrong|confusing|useless|too long|outdated|missing|incomplete)\b/;
const PRAISE =
  /\b(hay (qua|lam|that|ghe)|rat hay|tot (qua|lam|that)|rat tot|de hieu|ro rang|chi tiet|day du|huu ich|nhanh (qua|that|gon)|tien (qua|loi)|tuyet voi|xuat sac|chinh xac|chuan (qua|roi|xac)|rat chuan|on (ap|roi|lam)|great|good|helpful|clear|useful|excellent|perfect)\b/;

/** "Không nói rõ …", "chưa ghi …": what follows is what was missing, not a question. */
const INDIRECT =
  /\b(khong|chua|ko) (noi|ghi|neu|de|huong dan|giai thich|chi|bao|cho biet|nhac)( ro| cu the)?\b.*$/;

/**
 * Whether a message judges the answer it follows ("thông tin sơ sài quá, không nói rõ phải mang giấy
 * gì", "hướng dẫn rõ ràng, dễ hiểu") rather than asking something new or asking to complain.
 */
export function isRemark(text: string, folded: string): boolean {
  // Asking to complain, or to do something ("sửa thông tin sai trên giấy khai sinh"), is not a remark.
  if (
    /\b(phan anh|khieu nai|to cao|kien nghi)\b|^(sua|lam|xin (?!loi)|dang ky|cap|nop|doi|thay doi|cai chinh|bo sung)\b/.test(
      folded,
    ) ||
    apologises(text, folded)
  )
    return false;
  // What the answer "did not say" is reported, not asked ("không nói rõ bao nhiêu ngày"), clause by clause.
  const asked = text.split(/(?<=[,.;!?\n])/).some((clause) => {
    const f = foldText(clause);
    return !INDIRECT.test(f) && asksQuestion(clause, f);
  });
  return (CRITICISM.test(folded) || PRAISE.test(folded)) && !asked;
}
