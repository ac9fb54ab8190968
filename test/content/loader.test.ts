/** Validation of content files: every problem in every file, reported at once. */
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { formatProblems, readContentDir } from "../../src/content/loader.js";
import { tempDir } from "../helpers/store.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function copyContent(): string {
  const d = tempDir("motcua-content-");
  dirs.push(d);
  fs.cpSync("content", d, { recursive: true });
  return d;
}

describe("readContentDir", () => {
  it("should accept the sample content with every procedure of the facts sheet", () => {
    const r = readContentDir("content");
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const codes = new Set(r.bundle.procedures.map((p) => p.code));
    const facts = fs.readFileSync(path.resolve("../shared/content-facts.md"), "utf8");
    const tableCodes = [...facts.matchAll(/^\| (\d\.\d{6}) \|/gm)].map((m) => m[1]!);
    const mentioned = [...facts.matchAll(/\b(\d\.\d{6})\b/g)].map((m) => m[1]!);
    expect(tableCodes.length).toBeGreaterThan(25);
    for (const c of new Set([...tableCodes, ...mentioned]))
      expect(codes.has(c), `procedure ${c} missing`).toBe(true);
    for (const g of [
      "vneid-muc-2",
      "nop-ho-so-truc-tuyen",
      "tra-cuu-ho-so",
      "buu-chinh-cong-ich",
      "thanh-toan-truc-tuyen",
    ]) {
      expect(
        r.bundle.guides.some((x) => x.slug === g),
        g,
      ).toBe(true);
    }
  });

  it("should mark every placeholder phone number as a sample", () => {
    const r = readContentDir("content");
    if (!r.ok) throw new Error("content invalid");
    for (const h of r.bundle.hotlines.filter((x) => x.phone.includes("x"))) expect(h.sample, h.id).toBe(true);
  });

  it("should report every bad file and field at once", () => {
    const d = copyContent();
    const proc = path.join(d, "procedures", "1.001193.yaml");
    fs.writeFileSync(proc, fs.readFileSync(proc, "utf8").replace(/^fee: .*$/m, ""));
    const other = path.join(d, "procedures", "1.000656.yaml");
    fs.writeFileSync(other, fs.readFileSync(other, "utf8").replace("field: ho-tich", "field: khong-co"));
    fs.writeFileSync(path.join(d, "procedures", "9.999999.yaml"), "code: 1.000656\nname: [broken\n");
    const hot = path.join(d, "hotlines.yaml");
    fs.writeFileSync(
      hot,
      fs
        .readFileSync(hot, "utf8")
        .replace("phone: 0xx-xxx-0101\n    sample: true", "phone: 0xx-xxx-0101\n    sample: false"),
    );
    fs.rmSync(path.join(d, "portal.yaml"));
    const r = readContentDir(d);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const text = formatProblems(r.problems);
    expect(text).toContain("procedures/1.001193.yaml: fee:");
    expect(text).toContain('procedures/1.000656.yaml: field: unknown field "khong-co"');
    expect(text).toMatch(/procedures\/9\.999999\.yaml: YAML/);
    expect(text).toContain(
      "hotlines.yaml: hotlines.2.sample: a placeholder number (with x) must be marked sample: true",
    );
    expect(text).toContain("portal.yaml: file is missing");
  });

  it("should require verified: false exactly when facts are listed as unverified", () => {
    const d = copyContent();
    const proc = path.join(d, "procedures", "1.004222.yaml");
    fs.writeFileSync(proc, fs.readFileSync(proc, "utf8").replace("verified: false", "verified: true"));
    const r = readContentDir(d);
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(formatProblems(r.problems)).toContain(
        "procedures/1.004222.yaml: verified: verified must be false",
      );
  });

  it("should reject a procedure whose file name and code differ", () => {
    const d = copyContent();
    fs.renameSync(path.join(d, "procedures", "1.010038.yaml"), path.join(d, "procedures", "1.010039.yaml"));
    const r = readContentDir(d);
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(formatProblems(r.problems)).toContain(
        "procedures/1.010039.yaml: code: must match the file name",
      );
  });
});
