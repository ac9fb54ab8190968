/**
 * The link checker (issue 20): every link the content shows residents is fetched with bounded
 * concurrency and a timeout, and its last status is recorded in `link_checks`, which the console's
 * verification page lists. Run daily at a quiet hour by the scheduler (`main.ts`, node-cron) and on
 * demand by `npm run content:check-links`; off in tests unless pointed at a local stand-in
 * (`LINK_CHECK_ORIGIN`).
 */
import type { Connection } from "mongoose";
import type { Logger } from "pino";
import { linkCheckModel, type LinkCheckDoc } from "../store/models/link-check.js";
import { trusted } from "../store/trusted.js";
import type { ContentBundle } from "./schemas.js";

/** One link and where the content shows it. */
export interface ContentLink {
  url: string;
  refs: string[];
}

/**
 * Every link the content shows, deduplicated: guide links, the portal and its search page, the
 * detail pages of procedures whose portal id staff entered, units' portals and survey links.
 */
export function collectLinks(bundle: ContentBundle): ContentLink[] {
  const byUrl = new Map<string, Set<string>>();
  const add = (url: string | undefined, ref: string) => {
    if (!url) return;
    const refs = byUrl.get(url) ?? new Set<string>();
    refs.add(ref);
    byUrl.set(url, refs);
  };
  add(bundle.portal.url, "portal");
  add(bundle.portal.search_url, "portal");
  for (const p of bundle.procedures)
    if (p.portal_id && p.online !== "none")
      add(
        bundle.portal.procedure_url.replace("{id}", encodeURIComponent(p.portal_id)),
        `procedures/${p.code}`,
      );
  for (const g of bundle.guides) for (const l of g.links) add(l.url, `guides/${g.slug}`);
  for (const u of bundle.units) add(u.portal, `units/${u.id}`);
  for (const s of bundle.surveys.links) add(s.url, `surveys/${s.id}`);
  return [...byUrl].map(([url, refs]) => ({ url, refs: [...refs].sort() }));
}

/** The outcome of checking one link. */
export interface LinkResult {
  url: string;
  refs: string[];
  status: number;
  ok: boolean;
  error?: string | undefined;
}

export interface LinkCheckOptions {
  /** At most this many requests at once. */
  concurrency: number;
  /** Abort a request after this many milliseconds. */
  timeoutMs: number;
  /** Send every request to this origin instead (a local stand-in for tests and rehearsals). */
  origin?: string | undefined;
  fetch?: typeof fetch;
}

/** The URL actually requested: the link itself, or its path and query on the stand-in origin. */
function target(url: string, origin: string | undefined): string {
  if (!origin) return url;
  const u = new URL(url);
  return new URL(`${u.pathname}${u.search}`, origin).toString();
}

/** Fetches one link (HEAD, then GET when HEAD is refused); redirects are followed. */
async function checkOne(link: ContentLink, opts: LinkCheckOptions): Promise<LinkResult> {
  const doFetch = opts.fetch ?? fetch;
  const url = target(link.url, opts.origin);
  const attempt = async (method: "HEAD" | "GET") => {
    const res = await doFetch(url, {
      method,
      redirect: "follow",
      signal: AbortSignal.timeout(opts.timeoutMs),
      headers: { "user-agent": "motcua-link-checker" },
    });
    await res.body?.cancel();
    return res.status;
  };
  try {
    let status = await attempt("HEAD");
    // Some servers refuse HEAD (405, 501) or answer it wrongly: the page itself is what residents open.
    if (status === 405 || status === 501 || status === 403) status = await attempt("GET");
    return { ...link, status, ok: status >= 200 && status < 400 };
  } catch (err) {
    const e = err as { name?: string; cause?: { code?: string }; message?: string };
    const error =
      e.name === "TimeoutError" || e.name === "AbortError"
        ? "timeout"
        : (e.cause?.code ?? e.message ?? "error");
    return { ...link, status: 0, ok: false, error: String(error).slice(0, 200) };
  }
}

/** Checks the links, at most `concurrency` at a time; results keep the input order. */
export async function checkLinks(links: ContentLink[], opts: LinkCheckOptions): Promise<LinkResult[]> {
  const out: LinkResult[] = new Array<LinkResult>(links.length);
  let next = 0;
  const worker = async () => {
    while (next < links.length) {
      const i = next++;
      out[i] = await checkOne(links[i]!, opts);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency, links.length)) }, worker));
  return out;
}

/** The link checker over a store: `run()` checks every content link and records the results. */
export interface LinkChecker {
  run(bundle: ContentBundle): Promise<LinkResult[]>;
  /** The last recorded check of every link, failing first. */
  list(): Promise<LinkCheckDoc[]>;
}

/** Creates the link checker, e.g. `createLinkChecker({ connection, logger, concurrency: 4, timeoutMs: 10_000 })`. */
export function createLinkChecker(
  deps: { connection: Connection; logger: Logger; now?: () => Date } & LinkCheckOptions,
): LinkChecker {
  const model = linkCheckModel(deps.connection);
  const now = deps.now ?? (() => new Date());
  return {
    async run(bundle) {
      const links = collectLinks(bundle);
      const results = await checkLinks(links, deps);
      const at = now();
      for (const r of results) {
        await model.updateOne(
          { _id: r.url },
          {
            $set: { refs: r.refs, status: r.status, ok: r.ok, error: r.error, checkedAt: at },
            ...(r.ok ? { $max: { lastOkAt: at } } : {}),
          },
          { upsert: true },
        );
      }
      // Links the content no longer shows are forgotten.
      await model.deleteMany({ _id: trusted({ $nin: links.map((l) => l.url) }) });
      const failing = results.filter((r) => !r.ok);
      deps.logger.info({ links: results.length, failing: failing.length }, "content links checked");
      for (const f of failing)
        deps.logger.warn({ url: f.url, status: f.status, error: f.error }, "link failing");
      return results;
    },
    async list() {
      return model.find({}).sort({ ok: 1, _id: 1 }).lean();
    },
  };
}
