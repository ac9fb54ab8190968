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

/** Signs in through the login form and reads the CSRF token from the dashboard. */
export async function signIn(url: string, username: string, password = TEST_PASSWORD): Promise<Session> {
  const res = await fetch(`${url}/admin/login`, {
    method: "POST",
    body: formBody({ username, password }),
    redirect: "manual",
  });
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
