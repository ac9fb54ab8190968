/** Vietnamese text normalisation: NFC, case, diacritics, đ/Đ, and syllable tokenisation. */
import { englishStem } from "./english.js";

const COMBINING = /[\u0300-\u036f]/g;

/** NFC and lower case; the form in which accented syllables are compared. */
export function normalize(text: string): string {
  return text.normalize("NFC").toLocaleLowerCase("vi");
}

/** Removes diacritics and maps đ to d: "Đăng ký" → "dang ky". Accepts NFC or NFD input. */
export function fold(text: string): string {
  return text
    .normalize("NFD")
    .replace(COMBINING, "")
    .replace(/\u0111/g, "d")
    .replace(/\u0110/g, "D")
    .normalize("NFC")
    .toLowerCase();
}

/** True when the syllable carries a Vietnamese diacritic or đ. */
export function hasDiacritics(syllable: string): boolean {
  return fold(syllable) !== syllable.toLowerCase();
}

/**
 * A key that compares accented syllables regardless of where the tone mark sits ("hoà" = "hòa") and of
 * i/y spelling ("kí" = "ký"): base letters folded, marks sorted.
 */
export function accentKey(syllable: string): string {
  const nfd = syllable.normalize("NFD").toLowerCase();
  const marks = [...nfd.matchAll(/[\u0300-\u036f]/g)]
    .map((m) => m[0])
    .sort()
    .join("");
  const base = fold(syllable).replace(/y/g, "i");
  return `${base}${/\u0111/i.test(syllable.toLowerCase()) ? "/d" : ""}:${marks}`;
}

const PROCEDURE_CODE = /\b\d\.\d{6}\b/g;

/** Procedure codes typed in the text ("1.001193"). */
export function findCodes(text: string): string[] {
  return [...text.matchAll(PROCEDURE_CODE)].map((m) => m[0]);
}

/**
 * Splits text into lower-case NFC syllables (letters and digits), dropping punctuation, emoji and
 * symbols: "Làm giấy khai sinh???" → ["làm", "giấy", "khai", "sinh"]. English words come as their
 * stems ("certified copies" → ["certifi", "copi"]), on the index's side and the question's alike.
 */
export function syllables(text: string): string[] {
  return normalize(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0 && t.length <= 40)
    .map((t) => englishStem(iySpelling(t)));
}

/** Final i → y, tone kept (escapes: i í ì ỉ ĩ ị → y ý ỳ ỷ ỹ ỵ). */
const I_TO_Y: Record<string, string> = {
  i: "y",
  "\u00ed": "\u00fd",
  "\u00ec": "\u1ef3",
  "\u1ec9": "\u1ef7",
  "\u0129": "\u1ef9",
  "\u1ecb": "\u1ef5",
};

/**
 * One spelling for the syllables written with either final i or y ("kí"/"ký", "lí hôn"/"ly hôn",
 * "sĩ"/"sỹ", "hi sinh"/"hy sinh"), so both find the same words.
 */
function iySpelling(syllable: string): string {
  const m = /^([klmsth])([i\u00ed\u00ec\u1ec9\u0129\u1ecb])$/u.exec(syllable);
  return m ? `${m[1]}${I_TO_Y[m[2]!]}` : syllable;
}
