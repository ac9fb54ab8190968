/**
 * Writing content back to reviewable files in the layout of `content/` (what `content:load` reads), so
 * edits made in the console can be reviewed and committed.
 */
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import type { ContentBundle } from "./schemas.js";

const yaml = (value: unknown) => YAML.stringify(value, { lineWidth: 0 });

/** A markdown file with YAML front matter (guides, articles). */
function markdown(item: { body: string } & Record<string, unknown>): string {
  const { body, ...meta } = item;
  return `---\n${yaml(meta)}---\n\n${body.trim()}\n`;
}

/** The files of one item: `[relative path, text]`; e.g. a procedure → `procedures/1.000656.yaml`. */
export function procedureFile(p: ContentBundle["procedures"][number]): [string, string] {
  return [`procedures/${p.code}.yaml`, yaml(p)];
}

/** Every file of a bundle as `[relative path, text]` pairs. */
export function contentFiles(bundle: ContentBundle): Array<[string, string]> {
  return [
    ...bundle.units.map((u): [string, string] => [`units/${u.id}.yaml`, yaml(u)]),
    ["hotlines.yaml", yaml({ hotlines: bundle.hotlines })],
    ["referrals.yaml", yaml({ referrals: bundle.referrals })],
    ["fields.yaml", yaml({ fields: bundle.fields })],
    ...bundle.procedures.map(procedureFile),
    ...bundle.guides.map((g): [string, string] => [`guides/${g.slug}.md`, markdown(g)]),
    ["faqs/hoi-dap.yaml", yaml(bundle.faqs)],
    ...bundle.articles.map((a): [string, string] => [`articles/${a.slug}.md`, markdown(a)]),
    ["surveys.yaml", yaml(bundle.surveys)],
    ["dictionary.yaml", yaml(bundle.dictionary)],
    ["portal.yaml", yaml(bundle.portal)],
  ];
}

/** Writes the bundle under `dir` (created if missing); returns the files written. */
export function writeContentDir(bundle: ContentBundle, dir: string): string[] {
  const files = contentFiles(bundle);
  for (const [rel, text] of files) {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  return files.map(([rel]) => rel);
}
