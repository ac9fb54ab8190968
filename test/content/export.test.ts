/** Writing content back to files: what `content:export` writes reads back as the same content. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { writeContentDir } from "../../src/content/export.js";
import { readContentDir } from "../../src/content/loader.js";

describe("content export", () => {
  it("should write files that load back to the same bundle", () => {
    const read = readContentDir("content");
    if (!read.ok) throw new Error("sample content invalid");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-export-"));
    try {
      const edited = {
        ...read.bundle,
        procedures: read.bundle.procedures.map((p) =>
          p.code === "1.000656"
            ? { ...p, fee: 'Phí: sửa trong bảng điều khiển: "có ngoặc" và #dấu thăng' }
            : p,
        ),
      };
      const files = writeContentDir(edited, dir);
      expect(files).toContain("procedures/1.000656.yaml");
      expect(files).toContain("guides/vneid-muc-2.md");
      const back = readContentDir(dir);
      if (!back.ok) throw new Error(back.problems.map((p) => `${p.file} ${p.path} ${p.message}`).join("\n"));
      expect(back.bundle).toEqual(edited);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
