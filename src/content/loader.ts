/**
 * Reads `content/` into a validated {@link ContentBundle}. Every bad file and field is reported at
 * once; nothing is half-loaded.
 */
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import type { z } from "zod";
import {
  articleMetaSchema,
  dictionarySchema,
  faqSchema,
  fieldsFileSchema,
  guideMetaSchema,
  hotlinesFileSchema,
  referralsFileSchema,
  portalSchema,
  procedureSchema,
  surveysFileSchema,
  unitSchema,
  type ContentBundle,
} from "./schemas.js";

/** One problem in one content file. */
export interface ContentProblem {
  file: string;
  path: string;
  message: string;
}

/** The result of reading a content directory: a bundle only when there were no problems. */
export type ReadResult = { ok: true; bundle: ContentBundle } | { ok: false; problems: ContentProblem[] };

/** Formats problems one per line: `procedures/1.001193.yaml: fee: Required`. */
export function formatProblems(problems: ContentProblem[]): string {
  return problems.map((p) => `${p.file}: ${p.path ? `${p.path}: ` : ""}${p.message}`).join("\n");
}

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/;

/** Reads and validates every content file under `dir`, e.g. `readContentDir("./content")`. */
export function readContentDir(dir: string): ReadResult {
  const problems: ContentProblem[] = [];
  const rel = (f: string) => path.relative(dir, f) || f;

  function parseYaml(file: string): unknown {
    try {
      const doc = YAML.parseDocument(fs.readFileSync(file, "utf8"), { uniqueKeys: true });
      if (doc.errors.length) {
        for (const e of doc.errors)
          problems.push({ file: rel(file), path: "", message: `YAML: ${e.message.split("\n")[0]}` });
        return undefined;
      }
      return doc.toJS() as unknown;
    } catch (err) {
      problems.push({ file: rel(file), path: "", message: (err as Error).message });
      return undefined;
    }
  }

  function validate<S extends z.ZodType>(
    schema: S,
    value: unknown,
    file: string,
    prefix = "",
  ): z.infer<S> | undefined {
    if (value === undefined) return undefined;
    const r = schema.safeParse(value);
    if (r.success) return r.data;
    for (const issue of r.error.issues) {
      const p = [prefix, ...issue.path.map(String)].filter(Boolean).join(".");
      problems.push({ file: rel(file), path: p, message: issue.message });
    }
    return undefined;
  }

  function listFiles(sub: string, exts: string[]): string[] {
    const d = path.join(dir, sub);
    if (!fs.existsSync(d)) {
      problems.push({ file: sub, path: "", message: "folder is missing" });
      return [];
    }
    return fs
      .readdirSync(d)
      .filter((f) => exts.some((e) => f.endsWith(e)))
      .sort()
      .map((f) => path.join(d, f));
  }

  function readFile(name: string): string | undefined {
    const f = path.join(dir, name);
    if (!fs.existsSync(f)) {
      problems.push({ file: name, path: "", message: "file is missing" });
      return undefined;
    }
    return f;
  }

  function markdown<S extends z.ZodType>(
    schema: S,
    file: string,
  ): (z.infer<S> & { body: string }) | undefined {
    const raw = fs.readFileSync(file, "utf8");
    const m = FRONT_MATTER.exec(raw);
    if (!m) {
      problems.push({
        file: rel(file),
        path: "",
        message: "must start with YAML front matter between --- lines",
      });
      return undefined;
    }
    let meta: unknown;
    try {
      meta = YAML.parse(m[1]!, { uniqueKeys: true });
    } catch (err) {
      problems.push({ file: rel(file), path: "", message: `YAML: ${(err as Error).message.split("\n")[0]}` });
      return undefined;
    }
    const data = validate(schema, meta, file);
    const body = m[2]!.trim();
    if (data && !body) problems.push({ file: rel(file), path: "body", message: "is empty" });
    return data ? ({ ...(data as object), body } as z.infer<S> & { body: string }) : undefined;
  }

  // === Files
  const units = listFiles("units", [".yaml", ".yml"]).flatMap((f) => {
    const u = validate(unitSchema, parseYaml(f), f);
    if (u && path.basename(f).replace(/\.ya?ml$/, "") !== u.id)
      problems.push({ file: rel(f), path: "id", message: `must match the file name (${u.id}.yaml)` });
    return u ? [u] : [];
  });
  const hotlinesFile = readFile("hotlines.yaml");
  const hotlines = hotlinesFile
    ? (validate(hotlinesFileSchema, parseYaml(hotlinesFile), hotlinesFile)?.hotlines ?? [])
    : [];
  const fieldsFile = readFile("fields.yaml");
  const fields = fieldsFile
    ? (validate(fieldsFileSchema, parseYaml(fieldsFile), fieldsFile)?.fields ?? [])
    : [];
  const procedures = listFiles("procedures", [".yaml", ".yml"]).flatMap((f) => {
    const p = validate(procedureSchema, parseYaml(f), f);
    if (p && path.basename(f).replace(/\.ya?ml$/, "") !== p.code)
      problems.push({ file: rel(f), path: "code", message: `must match the file name (${p.code}.yaml)` });
    return p ? [p] : [];
  });
  const guides = listFiles("guides", [".md"]).flatMap((f) => {
    const g = markdown(guideMetaSchema, f);
    if (g && path.basename(f, ".md") !== g.slug)
      problems.push({ file: rel(f), path: "slug", message: `must match the file name (${g.slug}.md)` });
    return g ? [g] : [];
  });
  const faqs = listFiles("faqs", [".yaml", ".yml"]).flatMap((f) => {
    const raw = parseYaml(f);
    if (raw === undefined) return [];
    if (!Array.isArray(raw)) {
      problems.push({ file: rel(f), path: "", message: "must be a list of questions" });
      return [];
    }
    return raw.flatMap((item, i) => {
      const q = validate(faqSchema, item, f, String(i));
      return q ? [q] : [];
    });
  });
  const articles = listFiles("articles", [".md"]).flatMap((f) => {
    const a = markdown(articleMetaSchema, f);
    return a ? [a] : [];
  });
  // Optional: a deployment without a referral table simply refers nothing.
  const referralsFile = fs.existsSync(path.join(dir, "referrals.yaml"))
    ? readFile("referrals.yaml")
    : undefined;
  const referrals = referralsFile
    ? (validate(referralsFileSchema, parseYaml(referralsFile), referralsFile)?.referrals ?? [])
    : [];
  const surveysFile = readFile("surveys.yaml");
  const surveys = surveysFile ? validate(surveysFileSchema, parseYaml(surveysFile), surveysFile) : undefined;
  const dictFile = readFile("dictionary.yaml");
  const dictionary = dictFile ? validate(dictionarySchema, parseYaml(dictFile), dictFile) : undefined;
  const portalFile = readFile("portal.yaml");
  const portal = portalFile ? validate(portalSchema, parseYaml(portalFile), portalFile) : undefined;

  // === Cross-references
  const dupes = (kind: string, file: string, keys: string[]) => {
    const seen = new Set<string>();
    for (const k of keys) {
      if (seen.has(k)) problems.push({ file, path: "", message: `duplicate ${kind} "${k}"` });
      seen.add(k);
    }
  };
  dupes(
    "unit id",
    "units",
    units.map((u) => u.id),
  );
  dupes(
    "hotline id",
    "hotlines.yaml",
    hotlines.map((h) => h.id),
  );
  dupes(
    "FAQ slug",
    "faqs",
    faqs.map((q) => q.slug),
  );
  dupes(
    "article slug",
    "articles",
    articles.map((a) => a.slug),
  );
  const unitIds = new Set(units.map((u) => u.id));
  const fieldIds = new Set(fields.map((f) => f.id));
  const codes = new Set(procedures.map((p) => p.code));
  const guideSlugs = new Set(guides.map((g) => g.slug));
  for (const u of units) {
    if (u.parent && !unitIds.has(u.parent))
      problems.push({ file: `units/${u.id}.yaml`, path: "parent", message: `unknown unit "${u.parent}"` });
  }
  if (units.length && !units.some((u) => u.kind !== "province")) {
    problems.push({
      file: "units",
      path: "",
      message: "at least one commune, ward or special zone is needed",
    });
  }
  hotlines.forEach((h, i) => {
    if (h.unit && !unitIds.has(h.unit))
      problems.push({
        file: "hotlines.yaml",
        path: `hotlines.${i}.unit`,
        message: `unknown unit "${h.unit}"`,
      });
  });
  for (const p of procedures) {
    if (!fieldIds.has(p.field))
      problems.push({
        file: `procedures/${p.code}.yaml`,
        path: "field",
        message: `unknown field "${p.field}" (see fields.yaml)`,
      });
    p.related.forEach((c, i) => {
      if (!codes.has(c))
        problems.push({
          file: `procedures/${p.code}.yaml`,
          path: `related.${i}`,
          message: `unknown procedure "${c}"`,
        });
    });
  }
  faqs.forEach((q) => {
    for (const r of q.related) {
      const ok = r.startsWith("guide:") ? guideSlugs.has(r.slice(6)) : codes.has(r);
      if (!ok) problems.push({ file: "faqs", path: `${q.slug}.related`, message: `unknown item "${r}"` });
    }
    if (q.unit && !unitIds.has(q.unit))
      problems.push({ file: "faqs", path: `${q.slug}.unit`, message: `unknown unit "${q.unit}"` });
  });
  for (const a of articles) {
    if (a.unit && !unitIds.has(a.unit))
      problems.push({ file: `articles/${a.slug}.md`, path: "unit", message: `unknown unit "${a.unit}"` });
  }
  surveys?.links.forEach((l, i) => {
    if (l.unit && !unitIds.has(l.unit))
      problems.push({ file: "surveys.yaml", path: `links.${i}.unit`, message: `unknown unit "${l.unit}"` });
  });

  if (problems.length || !surveys || !dictionary || !portal) {
    return { ok: false, problems };
  }
  return {
    ok: true,
    bundle: {
      units,
      hotlines,
      referrals,
      fields,
      procedures,
      guides,
      faqs,
      articles,
      surveys,
      dictionary,
      portal,
    },
  };
}
