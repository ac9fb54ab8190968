/**
 * Staff actions on content (issue 16 point 1): save (create or edit), retire and restore. Each one
 * checks the role and the unit scope of both the stored and the submitted item, acts, rebuilds the
 * bot's index and writes the audit entry, so every caller (console pages, future API routes) gets the
 * same rules.
 */
import type { ContentService } from "../content/service.js";
import { ContentEditError, getStored, keyField, keyOf, saveItem, setRetired } from "../content/store.js";
import { AppError } from "../errors.js";
import type { ContentKind } from "../store/models/content.js";
import { can, type Actor, type AuditLog } from "./auth.js";

/** Kinds whose items staff may retire and restore (units and the singletons stay). */
export const RETIRABLE: readonly ContentKind[] = ["procedures", "hotlines", "faqs", "guides", "articles"];

/** Kinds that belong to one unit through their `unit` field (no unit = every unit of the province). */
const UNIT_OWNED: readonly ContentKind[] = ["hotlines", "faqs", "articles"];

/**
 * Whether the actor may edit this item of `kind`: all-unit editors edit everything; a unit's editors
 * edit their unit's own record, hotlines, FAQs and articles. Shared content (procedures, guides, the
 * dictionary…) is edited at province level.
 */
export function mayEditContent(actor: Actor, kind: ContentKind, item: unknown): boolean {
  if (!can(actor, "content.edit")) return false;
  if (!actor.units.length) return true;
  const data = (item ?? {}) as { id?: unknown; unit?: unknown };
  const own = (u: unknown) => typeof u === "string" && actor.units.includes(u);
  if (kind === "units") return own(data.id);
  return UNIT_OWNED.includes(kind) && own(data.unit);
}

/** Whether the actor may add items of `kind` at all (in some unit of theirs). */
export function mayCreateContent(actor: Actor, kind: ContentKind): boolean {
  if (!can(actor, "content.edit") || kind === "units") return false;
  return !actor.units.length || UNIT_OWNED.includes(kind);
}

const outOfScope = () =>
  new AppError("OUT_OF_SCOPE", 403, "errors:http.forbidden", "This content item is not in your units");

export interface ContentActions {
  /**
   * Validates and stores an item: `key` undefined creates a new one (its key read from the item).
   * Throws {@link ContentEditError} for invalid fields, including a unit outside the actor's scope.
   */
  save(
    actor: Actor,
    kind: ContentKind,
    key: string | undefined,
    data: unknown,
  ): Promise<{ key: string; changed: boolean }>;
  /** Retires (`retired` true) or restores an item; false when it already was. */
  setRetired(actor: Actor, kind: ContentKind, key: string, retired: boolean): Promise<boolean>;
}

/** Creates the content actions, e.g. `createContentActions({ content, audit })`. */
export function createContentActions(deps: { content: ContentService; audit: AuditLog }): ContentActions {
  const models = deps.content.models;
  return {
    async save(actor, kind, key, data) {
      const creating = key === undefined;
      if (creating && !mayCreateContent(actor, kind)) throw outOfScope();
      const stored = key === undefined ? undefined : await getStored(models, kind, key);
      if (key !== undefined && !stored)
        throw new AppError("NOT_FOUND", 404, "errors:http.notFound", "No such content item");
      if (stored && !mayEditContent(actor, kind, stored.data)) throw outOfScope();
      // The submitted item must stay within the actor's units too: no moving a hotline to another
      // unit, no making it province-wide by leaving the unit empty (issue 15 point 8).
      if (!mayEditContent(actor, kind, data))
        throw new ContentEditError([
          { path: kind === "units" ? "id" : "unit", message: "outside your units", code: "out_of_scope" },
        ]);
      const itemKey =
        key ?? keyOf(kind, data && typeof data === "object" ? (data as Record<string, unknown>) : {});
      if (!itemKey || itemKey === "undefined")
        throw new ContentEditError([{ path: keyField(kind), message: "missing", code: "too_small" }]);
      const r = await saveItem(models, kind, itemKey, data, { create: creating });
      if (r.changed) {
        await deps.content.reload();
        await deps.audit.record(
          actor,
          creating ? "content.create" : "content.update",
          `${kind}/${itemKey}`,
          r.before,
          r.after,
        );
      }
      return { key: itemKey, changed: r.changed };
    },
    async setRetired(actor, kind, key, retired) {
      if (!RETIRABLE.includes(kind)) throw outOfScope();
      const stored = await getStored(models, kind, key);
      if (!stored) throw new AppError("NOT_FOUND", 404, "errors:http.notFound", "No such content item");
      if (!mayEditContent(actor, kind, stored.data)) throw outOfScope();
      const changed = await setRetired(models, kind, key, retired);
      if (changed) {
        await deps.content.reload();
        await deps.audit.record(
          actor,
          retired ? "content.retire" : "content.restore",
          `${kind}/${key}`,
          { retired: !retired },
          { retired },
        );
      }
      return changed === true;
    },
  };
}
