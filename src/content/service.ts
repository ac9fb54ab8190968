/** The content service: content in the store, the search index over it, and the query log. */
import type { Connection } from "mongoose";
import type { Logger } from "../logger.js";
import { contentModels, type ContentModels } from "../store/models/content.js";
import { createBatchWriter } from "../store/batch.js";
import { queryLogModel, scrubQuery, type QueryLogDoc } from "../store/models/query-log.js";
import { formatProblems, readContentDir } from "./loader.js";
import type { ContentBundle } from "./schemas.js";
import { createSearchIndex, type SearchIndex, type SearchResponse } from "./search/index.js";
import { isContentEmpty, readContentFromStore, syncContent, type SyncReport } from "./store.js";

/** Where a search came from, for the query log (never who). */
export interface SearchContext {
  channel: string;
  unit?: string;
  /** The item a follow-up question is about (answered from it, whatever the search found). */
  followUp?: string;
}

/** Content and search for the rest of the app. */
export interface ContentService {
  /** Loads `content/` into an empty store, then builds the index from the store. */
  start(): Promise<void>;
  /** Rebuilds the index from the store (after an edit). */
  reload(): Promise<void>;
  /** Validates `content/` and upserts it; see {@link syncContent}. */
  syncFromFiles(opts?: { dryRun?: boolean }): Promise<SyncReport>;
  bundle(): ContentBundle;
  /** Writes the buffered query log now (it is written in batches every quarter second). */
  flushLog(): Promise<void>;
  /** Searches and logs the query (scrubbed of personal data). */
  search(query: string, ctx: SearchContext): Promise<SearchResponse>;
  readonly models: ContentModels;
}

/** Thrown when the content files are invalid; `message` lists every problem. */
export class ContentInvalidError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ContentInvalidError";
  }
}

/** Creates the content service, e.g. `createContentService({ connection, logger, contentDir })`. */
export function createContentService(deps: {
  connection: Connection;
  logger: Logger;
  contentDir: string;
  now?: () => Date;
}): ContentService {
  const models = contentModels(deps.connection);
  const queries = queryLogModel(deps.connection);
  const queryLog = createBatchWriter<QueryLogDoc>({
    write: (docs) => queries.insertMany(docs, { ordered: false }),
    onError: (err, lost) => deps.logger.warn({ err, lost }, "query log write failed"),
  });
  const now = deps.now ?? (() => new Date());
  let state: { bundle: ContentBundle; index: SearchIndex } | undefined;

  async function reload(): Promise<void> {
    const { bundle, problems } = await readContentFromStore(models);
    if (problems.length) deps.logger.warn({ problems }, "invalid content items in the store were skipped");
    if (!bundle)
      throw new ContentInvalidError("the store holds no complete content (surveys, dictionary, portal)");
    state = { bundle, index: createSearchIndex(bundle) };
    deps.logger.info(
      { procedures: bundle.procedures.length, guides: bundle.guides.length, faqs: bundle.faqs.length },
      "content index built",
    );
  }

  async function syncFromFiles(opts: { dryRun?: boolean } = {}): Promise<SyncReport> {
    const read = readContentDir(deps.contentDir);
    if (!read.ok) throw new ContentInvalidError(formatProblems(read.problems));
    return syncContent(read.bundle, models, opts);
  }

  return {
    models,
    async start() {
      await Promise.all([...Object.values(models), queries].map((m) => m.init()));
      if (await isContentEmpty(models)) {
        const report = await syncFromFiles();
        deps.logger.info(
          { created: report.created.length, dir: deps.contentDir },
          "sample content loaded into an empty store",
        );
      }
      await reload();
    },
    reload,
    syncFromFiles,
    flushLog: () => queryLog.flush(),
    bundle() {
      if (!state) throw new Error("content service not started");
      return state.bundle;
    },
    search(query, ctx) {
      if (!state) return Promise.reject(new Error("content service not started"));
      const res = state.index.search(query);
      queryLog.add({
        q: scrubQuery(query),
        channel: ctx.channel,
        unit: ctx.unit,
        ...(ctx.followUp ? { followUp: ctx.followUp } : {}),
        hits: res.hits.slice(0, 3).map((h) => ({ id: h.id, score: h.score })),
        confidence: res.confidence,
        level: res.level,
        at: now(),
      });
      return Promise.resolve(res);
    },
  };
}
