/** Signing in to the staff console from tests: accounts, session cookies and CSRF tokens. */
import type { App } from "../../src/app.js";
import type { StaffRole } from "../../src/store/models/staff.js";

export const TEST_PASSWORD = "mat-khau-thu-nghiem-01";

/** A signed-in session: the cookie header and the CSRF token of its pages. */
export interface Session {
  cookie: string;
  csrf: string;
  get(path: string): Promise<Response>;
  /** A form post with the CSRF field added (unless `csrf: false`). */
  post(path: string, form: Record<string, string | string[]>, opts?: { csrf?: boolean }): Promise<Response>;
}

/** Creates an account, e.g. `await createStaff(app, "editor", ["phuong-hoa-an"])`; returns its username. */
export async function createStaff(
  app: App,
  role: StaffRole,
  units: string[] = [],
  username?: string,
): Promise<string> {
  const name = username ?? `${role}-${units.join("-") || "all"}`.slice(0, 32);
  await app.staff.create({
    username: name,
    displayName: `Test ${role}`,
    role,
    units,
    password: TEST_PASSWORD,
  });
  return name;
}

export function formBody(form: Record<string, string | string[]>): URLSearchParams {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
  return body;
}

/**
 * Posts the sign-in form as a browser does: opens the login page first for its token and cookie
 * (login CSRF), then posts with them. Returns the response (303 on success).
 */
export async function postLogin(
  url: string,
  form: Record<string, string>,
  opts: { headers?: Record<string, string> } = {},
): Promise<Response> {
  const page = await fetch(`${url}/admin/login`);
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? "";
  const cookie = (page.headers.get("set-cookie") ?? "").split(";")[0]!;
  return fetch(`${url}/admin/login`, {
    method: "POST",
    headers: { cookie, ...opts.headers },
    body: formBody({ _csrf: token, ...form }),
    redirect: "manual",
  });
}

/** Signs in through the login form and reads the CSRF token from the dashboard. */
export async function signIn(url: string, username: string, password = TEST_PASSWORD): Promise<Session> {
  const res = await postLogin(url, { username, password });
  if (res.status !== 303) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0]!;
  const page = await (await fetch(`${url}/admin/password`, { headers: { cookie } })).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
  if (!csrf) throw new Error("no CSRF token on the page");
  return {
    cookie,
    csrf,
    get: (path) => fetch(`${url}${path}`, { headers: { cookie }, redirect: "manual" }),
    post: (path, form, opts = {}) =>
      fetch(`${url}${path}`, {
        method: "POST",
        headers: { cookie },
        body: formBody(opts.csrf === false ? form : { ...form, _csrf: csrf }),
        redirect: "manual",
      }),
  };
}

/** Undoes the HTML escaping of a text or an attribute value. */
export const unescapeHtml = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

const attrsOf = (s: string): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const m of s.matchAll(/([\w-]+)(?:="([^"]*)")?/g)) out[m[1]!] = unescapeHtml(m[2] ?? "");
  return out;
};

/**
 * The fields a browser would submit from the form posting to `action` on a page, unchanged: text
 * inputs and text areas as shown, the selected option, checked boxes; disabled controls left out.
 * Buttons are not included (add `action` yourself).
 */
export function formFields(page: string, action: string): Record<string, string[]> {
  const start = page.indexOf(`action="${action}"`);
  if (start < 0) throw new Error(`no form posting to ${action}`);
  const end = page.indexOf("</form>", start);
  const form = page.slice(start, end);
  const fields: Record<string, string[]> = {};
  const add = (name: string | undefined, value: string) => {
    if (name) (fields[name] ??= []).push(value);
  };
  for (const m of form.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea\s*>/g)) {
    const a = attrsOf(m[1]!);
    // A browser drops the one newline right after <textarea>.
    if (!("disabled" in a)) add(a.name, unescapeHtml(m[2]!.replace(/^\r?\n/, "")));
  }
  for (const m of form.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select\s*>/g)) {
    const a = attrsOf(m[1]!);
    if ("disabled" in a) continue;
    const options = [...m[2]!.matchAll(/<option\b([^>]*)>/g)].map((o) => attrsOf(o[1]!));
    const chosen = options.find((o) => "selected" in o) ?? options[0];
    if (chosen) add(a.name, chosen.value ?? "");
  }
  const withoutAreas = form.replace(/<textarea\b[\s\S]*?<\/textarea\s*>/g, "");
  for (const m of withoutAreas.matchAll(/<input\b([^>]*)>/g)) {
    const a = attrsOf(m[1]!.replace(/\/$/, ""));
    if ("disabled" in a) continue;
    const type = a.type ?? "text";
    if (type === "submit" || type === "button" || type === "file") continue;
    if ((type === "checkbox" || type === "radio") && !("checked" in a)) continue;
    add(a.name, a.value ?? (type === "checkbox" ? "on" : ""));
  }
  return fields;
}
