/**
 * Everyday phrasing found in the hold-out dialogues, one behaviour per case: the same meaning typed
 * another way must reach the same feature (office, small talk, privacy, subscriptions, referral,
 * search), not the catalogue's look-alikes.
 */
import { describe } from "vitest";
import { dialogue, dialogueCases } from "../helpers/dialogues.js";

describe("everyday phrasing", () => {
  dialogueCases([
    dialogue("the-office-by-street-and-by-clock", [
      { say: "tru so phuong nam o duong nao", expect: { intent: "unit_info", text_has: ["hoa an"] } },
      { say: "12h trua ghe nop ho so dc ko", expect: { intent: "unit_info" } },
      { say: "mai phuong co lm viec ko ad", expect: { intent: "unit_info" } },
    ]),
    dialogue("a-contract-is-not-the-office-closing", [
      {
        say: "ho so chung thuc hop dong cua toi tre hen 1 tuan roi, nguoi dan duoc quyen gi",
        expect: { lacks_card: false },
      },
    ]),
    dialogue("a-lottery-number-is-not-a-phone-number", [
      { say: "xo so mien nam hom nay ve so may", expect: { intent: "not_found" } },
    ]),
    dialogue("greeting-insult-distress", [
      { say: "chao chau", expect: { intent: "small_talk" } },
      { say: "may tra loi nhu cc, toan sai bet", expect: { intent: "small_talk" } },
      { say: "xin loi nha, tai hom nay toi buc qua", expect: { intent: "small_talk" } },
    ]),
    dialogue("grief-and-distress-with-nothing-to-look-up", [
      {
        say: "nha toi vua bi chay, mat sach, toi chan qua khong biet bam viu vao dau",
        expect: { intent: "small_talk", text_lacks: ["chua tim duoc"] },
      },
      {
        say: "me toi moi mat tuan truoc, toi buon qua",
        expect: { intent: "small_talk", text_has: ["chia buon"], text_lacks: ["chuc mung"] },
      },
    ]),
    dialogue("hours-asked-the-other-way-round", [
      { say: "chieu nay lm den may h", expect: { intent: "unit_info" } },
    ]),
    dialogue("showing-the-e-id-is-not-filing-online", [
      { say: "dang ky khai sinh", expect: { card: "1.001193" } },
      {
        say: "quen mang can cuoc thi xuat trinh tren vneid dc ko",
        expect: { card: "faq:giay-to-can-cuoc-dien-tu" },
      },
    ]),
    // A story around an item's name: its title core ("khai tử", "khai sinh") is enough for its card.
    dialogue("an-item-named-inside-a-story", [
      {
        say: "ong ngoai em mat duoc hon thang roi ma nha chua ai di khai tu, gio lam con kip ko",
        expect: { card: "1.000656" },
      },
      { say: "co bi phat hay mat le phi gi ko", expect: { facet: "fee", about: "1.000656" } },
      { say: "nop dau", expect: { facet: "where", about: "1.000656" } },
    ]),
    dialogue("two-card-facts-asked-get-the-card", [
      {
        say: "Chào phường, nhà tôi cấp 4 xuống cấp rồi, định đập ra xây 3 tầng. Cho hỏi xin giấy phép ở đâu, mất bao lâu?",
        expect: { card: "1.013225" },
      },
    ]),
    dialogue("divorced-asking-a-single-status-paper", [
      { say: "toi ly hon roi, gio mua dat ho bao can giay xac nhan doc than", expect: { card: "1.004873" } },
      { say: "co phai mang ban an ly hon theo ko", expect: { facet: "documents", about: "1.004873" } },
    ]),
    dialogue("a-copy-for-a-land-matter-is-the-communes", [
      { say: "xin ban sao giay chung tu cua ong noi de lam thu tuc so do", expect: { card: "2.000635" } },
    ]),
    dialogue("papers-words-that-ask-nothing", [
      { say: "chung thuc ban sao tu ban chinh", expect: { card: "2.000815" } },
      {
        say: "photo cong chung can cuoc de nop ho so xin viec thi lam o phuong dc ko",
        expect: { intent: ["card", "facet"] },
      },
      { say: "ho so xin phep gom gi", expect: { facet: "documents" } },
    ]),
    dialogue("the-same-card-again-answers-nothing-new", [
      { say: "dang ky thuong tru", expect: { card: "1.004222" } },
      { say: "so ho khau cu mat tu lau roi co sao ko", expect: { card: "faq:so-ho-khau-giay" } },
    ]),
    dialogue("a-neighbour-of-the-topic-named-in-a-story", [
      { say: "thanh lap ho kinh doanh", expect: { card: "1.001612" } },
      { say: "thang sau em di de, muon tam nghi 3 thang", expect: { card: "1.001570" } },
    ]),
    // Re-registering is for when the register is lost too (content-facts): a lost paper alone is offered
    // both ways; said with the register gone, it is the re-registration.
    dialogue("a-lost-paper-is-offered-copy-or-re-registration", [
      {
        say: "giay chung tu cua bo toi bi mat, lam lai the nao",
        expect: { choices: ["1.005461", "2.000635"] },
      },
      { press: "lai khai tu", expect: { card: "1.005461" } },
    ]),
    dialogue("a-lost-paper-named-while-another-item-is-in-discussion", [
      { say: "dang ky khai tu", expect: { card: "1.000656" } },
      {
        say: "giay khai sinh cua con toi bi rach, lam lai the nao",
        expect: { choices: ["1.004884", "2.000635"] },
      },
    ]),
    dialogue("a-lost-paper-and-register-is-re-registration", [
      {
        say: "giay khai sinh cua toi bi chay, so ho tich o xa cung khong con",
        expect: { card: "1.004884" },
      },
    ]),
    dialogue("online-asked-outright-or-wished", [
      { say: "tam tru lam online duoc khong", expect: { facet: "online", about: "1.004194" } },
    ]),
    dialogue("online-wished-gets-the-card-first", [
      {
        say: "be nha em moi sinh, em muon lam khai sinh voi the bhyt cho be 1 lan tren vneid luon",
        expect: { card: "3.000722" },
      },
    ]),
    dialogue("follow-ups-in-more-words", [
      { say: "dang ky khai sinh", expect: { card: "1.001193" } },
      { say: "qua 60 ngay roi co bi tinh tien ko", expect: { facet: "fee", about: "1.001193" } },
      { say: "can may nguoi lam chung", expect: { facet: "documents", about: "1.001193" } },
      { say: "nop roi thi chung nao moi co giay", expect: { facet: "time", about: "1.001193" } },
      {
        say: "lam tren dien thoai dc ko hay phai len phuong",
        expect: { facet: "online", about: "1.001193" },
      },
      { say: "em di nop mot minh duoc khong", expect: { facet: "who", about: "1.001193" } },
    ]),
    dialogue("the-office-on-a-saturday-and-a-shop-closing", [
      { say: "thu 7 phuong co dang ky ket hon ko", expect: { intent: "unit_info" } },
      {
        say: "quan an cua toi la ho kinh doanh, thang toi sua nha nen dong cua 2 thang, co phai bao phuong ko",
        expect: { intent: ["card", "choices"] },
      },
    ]),
    dialogue("news-privacy-and-deletion-in-words", [
      { say: "co tin cat nuoc hay tiem phong gi thi bao toi voi", expect: { intent: "subscribe" } },
      { say: "thoi dung gui tin cho toi nua", expect: { intent: "unsubscribe" } },
      { say: "chat o day co ai doc duoc tin nhan cua toi ko", expect: { intent: "privacy" } },
      { say: "toi ko muon bot giu ten voi so cua toi, xoa giup", expect: { intent: "erase" } },
    ]),
    dialogue("more-phrasings-from-unseen-dialogues", [
      { say: "chung thuc ban sao", expect: { card: "2.000815" } },
      { say: "vay sang thu 7 e qua, cam on nha", expect: { intent: "small_talk" } },
      { say: "so duong day nong phan anh cua tinh la gi", expect: { intent: ["hotlines", "unit_info"] } },
      { say: "dang ky nhan tin thong bao cua phuong", expect: { intent: "subscribe" } },
    ]),
    dialogue("a-yes-no-about-the-topic-stays-on-it", [
      { say: "xet ho ngheo phat sinh giua nam", expect: { card: "1.011607" } },
      { say: "ai dung ra lam ho so", expect: { facet: "who", about: "1.011607" } },
    ]),
    dialogue("a-japanese-father-is-a-foreign-parent", [
      {
        say: "chong toi quoc tich nhat, be sinh o benh vien tinh, lam khai sinh cho be the nao",
        expect: { card: "2.000528" },
      },
    ]),
    dialogue("unsubscribe-in-a-sentence", [
      { say: "Thôi, tôi không muốn nhận thông báo nữa.", expect: { intent: "unsubscribe" } },
    ]),
    dialogue("erase-confirmed-in-words", [
      { command: "/xoadulieu", expect: { intent: "erase" } },
      { say: "đồng ý xóa", expect: { intent: "erase" } },
    ]),
    dialogue("a-new-id-card-is-the-polices", [
      { say: "doi the can cuoc moi o dau", expect: { intent: "refer", agency: "cong-an" } },
    ]),
    dialogue("a-whole-title-inside-a-story-is-its-card", [
      { say: "tui voi ban gai tinh thang sau di dang ky ket hon", expect: { card: "1.000894" } },
      { say: "1 minh em di lam thoi dc ko, co ay ban di lam", expect: { facet: "who", about: "1.000894" } },
      { say: "dang ky khai sanh cho dua thu 2 nha toi", expect: { card: "1.001193" } },
      {
        say: "vo toi de o nha, khong co giay chung sinh thi lay gi thay",
        expect: { facet: "documents", about: "1.001193" },
      },
      { say: "thu tuc gom may buoc", expect: { facet: "steps", about: "1.001193" } },
    ]),
    dialogue("a-family-word-stays-on-the-topic", [
      { say: "chung thuc chu ky tren giay uy quyen", expect: { card: "2.000884" } },
      {
        say: "vo toi ky roi mang ra xa chung thuc thay duoc ko",
        expect: { facet: "who", about: "2.000884" },
      },
    ]),
  ]);
});
