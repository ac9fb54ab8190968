/**
 * Reading the office files the reports produce: a minimal ZIP reader (node:zlib) for the .docx's
 * XML, and the paragraphs and table rows of a Word document as plain text.
 */
import zlib from "node:zlib";
import ExcelJS from "exceljs";

/** The bytes of one file inside a ZIP archive (stored or deflated), or undefined. */
export function zipEntry(bytes: Uint8Array, name: string): Buffer | undefined {
  const zip = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65_557); i--)
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  if (eocd < 0) throw new Error("not a ZIP archive");
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error("broken ZIP central directory");
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLen = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const entry = zip.subarray(at + 46, at + 46 + nameLen).toString("utf8");
    if (entry === name) {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + size);
      return method === 8 ? zlib.inflateRawSync(data) : Buffer.from(data);
    }
    at += 46 + nameLen + extra + comment;
  }
  return undefined;
}

const unxml = (s: string) =>
  s
    .replace(/<w:tab\/>/g, "\t")
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");

/** The text of every paragraph of a .docx body, in order (table cells included). */
export function docxParagraphs(docx: Uint8Array): string[] {
  const xml = zipEntry(docx, "word/document.xml")?.toString("utf8") ?? "";
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((m) => unxml(m[0]));
}

/** The rows of every table of a .docx body, each row as its cells' text. */
export function docxTableRows(docx: Uint8Array): string[][] {
  const xml = zipEntry(docx, "word/document.xml")?.toString("utf8") ?? "";
  return [...xml.matchAll(/<w:tr[ >][\s\S]*?<\/w:tr>/g)].map((row) =>
    [...row[0].matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map((c) => unxml(c[0]).trim()),
  );
}

/** An .xlsx file opened with exceljs. */
export async function openXlsx(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  // exceljs types its input as its own Buffer alias; any Node Buffer is accepted at run time.
  await wb.xlsx.load(Buffer.from(bytes) as unknown as Parameters<typeof wb.xlsx.load>[0]);
  return wb;
}
