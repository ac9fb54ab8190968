/** UI strings through i18next: Vietnamese first, English complete; loaded from `locales/`. */
import fs from "node:fs";
import path from "node:path";
import i18next, { type i18n as I18n } from "i18next";
import type { Lang } from "./core/types.js";

/** Namespaces (one JSON file each under `locales/<lang>/`). */
export const NAMESPACES = ["bot", "console"] as const;

/** Translates `key` (in the `bot` namespace unless prefixed `ns:`) for `lang`. */
export type Translator = (lang: Lang, key: string, vars?: Record<string, unknown>) => string;

/** Loads the locale files synchronously and returns a translator, e.g. `createTranslator("locales")`. */
export function createTranslator(localesDir: string): Translator {
  const resources: Record<string, Record<string, unknown>> = {};
  for (const lang of ["vi", "en"]) {
    resources[lang] = {};
    for (const ns of NAMESPACES) {
      resources[lang][ns] = JSON.parse(
        fs.readFileSync(path.join(localesDir, lang, `${ns}.json`), "utf8"),
      ) as unknown;
    }
  }
  const instance: I18n = i18next.createInstance();
  void instance.init({
    resources: resources as never,
    lng: "vi",
    fallbackLng: "vi",
    ns: [...NAMESPACES],
    defaultNS: "bot",
    initImmediate: false,
    interpolation: { escapeValue: false },
    returnNull: false,
    showSupportNotice: false,
  });
  const fixed = { vi: instance.getFixedT("vi"), en: instance.getFixedT("en") };
  // The resources never change after loading: a text without variables is translated once.
  const plain = { vi: new Map<string, string>(), en: new Map<string, string>() };
  return (lang, key, vars) => {
    if (vars) return fixed[lang](key, vars);
    let text = plain[lang].get(key);
    if (text === undefined) {
      text = fixed[lang](key, {});
      plain[lang].set(key, text);
    }
    return text;
  };
}
