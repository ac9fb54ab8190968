/**
 * Personal data (Law 91/2025): the privacy notice and deleting the chat's data on request. Owns
 * payloads `m:privacy`, `del:*`, the commands /privacy, /baomat, /xoadulieu and the session's
 * `awaiting: "delete-confirm"`.
 */
import { action, type Feature, type Kit, type Turn } from "./feature.js";
import { CONTACT_RETENTION_NOTICE_DAYS } from "./feedback.js";
import { foldText, isCancel, yesNo } from "./intents.js";
import type { Reply } from "./types.js";

/**
 * The answer to "delete everything?" in words: "thôi không xóa nữa", "để sau", "giữ lại" keep the data;
 * "có", "xóa đi", "đồng ý xóa" delete it; anything else is a new question (undefined).
 */
function confirmation(folded: string): boolean | undefined {
  if (
    isCancel(folded) ||
    /^(khong|ko|k|kg|hok|dung|chua|thoi|giu|no|dont)\b.*\b(xoa|giu|nua|lai|delete)\b/.test(folded)
  )
    return false;
  if (/^(giu lai|giu nguyen|giu)( .*)?$|^keep\b/.test(folded)) return false;
  const yes = yesNo(folded);
  if (yes !== undefined) return yes;
  if (
    /^((co|ok|oke|dong y|chac chan|vang|u|yes|y) )*(xoa|delete|erase)( (di|het|luon|nhe|het di|toan bo|du lieu|data|it|all|a|nha|giup|toi))*$/.test(
      folded,
    )
  )
    return true;
  if (/^(co|ok|oke|dong y|chac chan|vang|yes)( (a|nhe|nha|roi|di|xoa|chac chan))*$/.test(folded)) return true;
  return undefined;
}

/** Creates the privacy feature. */
export function createPrivacyFeature(kit: Kit): Feature {
  const { t, ports } = kit;

  function privacy(turn: Turn): Reply[] {
    const L = turn.lang;
    return [
      {
        text: t(L, "privacy.text", { days: CONTACT_RETENTION_NOTICE_DAYS }),
        buttons: [[action(t(L, "privacy.delete"), "del:ask")], [action(t(L, "menu.back"), "menu")]],
        meta: { kind: "privacy" },
      },
    ];
  }

  function askDelete(turn: Turn): Reply[] {
    const L = turn.lang;
    turn.session.awaiting = "delete-confirm";
    return [
      {
        text: t(L, "privacy.confirm"),
        buttons: [[action(t(L, "privacy.yes"), "del:yes"), action(t(L, "privacy.no"), "del:no")]],
        meta: { kind: "erase" },
      },
    ];
  }

  async function confirmDelete(turn: Turn, yes: boolean): Promise<Reply[]> {
    const L = turn.lang;
    delete turn.session.awaiting;
    if (!yes) return [{ ...kit.menu(turn, t(L, "privacy.kept")), meta: { kind: "erase" } }];
    await ports.privacy.deleteChatData(turn.msg.channel, turn.msg.chatId);
    turn.forget = true;
    return [
      {
        text: t(L, "privacy.deleted"),
        buttons: [[action(t(L, "menu.restart"), "menu")]],
        meta: { kind: "erase" },
      },
    ];
  }

  return {
    name: "privacy",
    payloads: {
      "m:privacy": privacy,
      del: (turn, [a]) =>
        a === "ask"
          ? askDelete(turn)
          : a === "yes" || a === "no"
            ? confirmDelete(turn, a === "yes")
            : kit.stale(turn),
    },
    commands: { privacy, baomat: privacy, xoadulieu: askDelete },
    text(turn, _text, folded) {
      // "Tôi không muốn bot giữ tên với số của tôi, xóa giúp": the deletion flow.
      if (
        /\b(khong muon|dung|thoi) (\w+ ){0,3}(giu|luu)\b.*\b(ten|so|thong tin|du lieu)\b/.test(folded) &&
        /\bxoa\b/.test(folded)
      )
        return askDelete(turn);
      if (
        /\b(xoa|huy|delete|erase)\b.*\b(du lieu|thong tin|data)\b.*\b(toi|minh|em|cua toi|my)?\b/.test(
          folded,
        ) &&
        /\b(xoa|delete|erase)\b/.test(folded)
      )
        return askDelete(turn);
      if (
        /\b(luu|thu thap|giu|dung|bao mat)\b.*\b(thong tin|du lieu)\b|\bco ai (doc|xem) (duoc )?tin nhan\b|\b(du lieu ca nhan|quyen rieng tu|privacy|personal data)\b|\b(luu|thu thap|giu|ghi lai)( lai)? (sdt|so dien thoai|so dt|dien thoai|tin nhan|cau hoi|cuoc tro chuyen)\b/.test(
          folded,
        ) &&
        // The portal's personal data store ("kho dữ liệu cá nhân trên Cổng") is a guide, not this notice.
        !/\b(kho du lieu|cong dich vu cong)\b/.test(folded)
      )
        return privacy(turn);
      return undefined;
    },
    form: {
      open: (turn) => turn.session.awaiting === "delete-confirm",
      async input(turn, text) {
        const yes = text === undefined ? undefined : confirmation(foldText(text));
        if (yes !== undefined) return confirmDelete(turn, yes);
        delete turn.session.awaiting;
        return undefined;
      },
    },
  };
}
