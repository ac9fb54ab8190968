/**
 * Who is calling the console and the staff API, and whether they may: a session cookie (console) or
 * the bearer API token (scripts), CSRF on every write by a session, a permission on every route.
 */
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { sameSecret } from "../channels/secret.js";
import { AppError } from "../errors.js";
import { can, type Actor, type Permission, type StaffService } from "./auth.js";

export const SESSION_COOKIE = "motcua_sid";
/** The sign-in form's CSRF cookie (double submit: before a session exists there is no session token). */
export const LOGIN_COOKIE = "motcua_login";
export const LANG_COOKIE = "motcua_lang";

/** One registered route and the permission it needs (the route × role test walks this list). */
export interface RouteSpec {
  method: "get" | "post" | "delete";
  path: string;
  permission: Permission | "public" | "signed-in";
}

/** Reads one cookie from the request header (no parser needed for two cookies). */
export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.get("cookie") ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i > 0 && part.slice(0, i).trim() === name) {
      try {
        return decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * Whether a browser's `Origin` (sent with every form post) is this site: the address the request came
 * to (through a trusted proxy, its forwarded host and scheme), or the configured public URL. A request
 * without `Origin` (a script) passes here and is held to the CSRF token alone.
 */
export function sameOrigin(req: Request, publicUrl?: string): boolean {
  const origin = req.get("origin");
  if (origin === undefined) return true;
  if (origin === `${req.protocol}://${req.get("host") ?? ""}`) return true;
  try {
    return publicUrl !== undefined && new URL(publicUrl).origin === origin;
  } catch {
    return false;
  }
}

/** The actor of a request, once {@link createGuard}'s `identify` ran. */
export function actorOf(res: Response): Actor | undefined {
  return (res.locals as { actor?: Actor }).actor;
}

/** Creates the guard, e.g. `createGuard({ staff, apiToken })`. */
export function createGuard(deps: {
  staff: StaffService;
  apiToken?: string | undefined;
  publicUrl?: string | undefined;
}) {
  /** Sets `res.locals.actor` from the bearer token or the session cookie (neither → undefined). */
  const identify: RequestHandler = (req, res, next) => {
    const bearer = /^Bearer (.+)$/.exec(req.get("authorization") ?? "")?.[1];
    if (bearer !== undefined) {
      if (deps.apiToken && sameSecret(bearer, deps.apiToken)) {
        res.locals.actor = {
          username: "api",
          displayName: "API",
          role: "admin",
          units: [],
          via: "token",
        } satisfies Actor;
        next();
        return;
      }
      next(new AppError("UNAUTHORIZED", 401, "errors:http.unauthorized", "Missing or wrong API token"));
      return;
    }
    const sid = readCookie(req, SESSION_COOKIE);
    if (!sid) {
      next();
      return;
    }
    deps.staff
      .resolve(sid)
      .then((actor) => {
        if (actor) res.locals.actor = actor;
        next();
      })
      .catch(next);
  };

  /** Whether a write carries the session's CSRF token (header `x-csrf-token` or form field `_csrf`). */
  function csrfOk(req: Request, actor: Actor): boolean {
    if (actor.via === "token" || req.method === "GET" || req.method === "HEAD") return true;
    if (!sameOrigin(req, deps.publicUrl)) return false;
    const body = req.body as Record<string, unknown> | undefined;
    const given = req.get("x-csrf-token") ?? (typeof body?._csrf === "string" ? body._csrf : "");
    return Boolean(actor.csrf) && sameSecret(given, actor.csrf!);
  }

  /**
   * Allows the request when the actor holds `permission`. `onMissing` decides what an anonymous
   * caller gets (the console redirects to its login page; the API answers 401).
   */
  function allow(
    permission: RouteSpec["permission"],
    onMissing: (req: Request, res: Response, next: NextFunction) => void,
  ): RequestHandler {
    return (req, res, next) => {
      if (permission === "public") {
        next();
        return;
      }
      const actor = actorOf(res);
      if (!actor) {
        onMissing(req, res, next);
        return;
      }
      if (!csrfOk(req, actor)) {
        next(new AppError("CSRF", 403, "errors:http.csrf", "Missing or wrong CSRF token"));
        return;
      }
      if (actor.mustChangePassword && permission !== "signed-in") {
        next(
          new AppError(
            "PASSWORD_CHANGE_REQUIRED",
            403,
            "errors:http.forbidden",
            "Choose your own password first (the password page)",
          ),
        );
        return;
      }
      if (permission !== "signed-in" && !can(actor, permission)) {
        next(
          new AppError(
            "FORBIDDEN",
            403,
            "errors:http.forbidden",
            `Your role may not do this (${permission})`,
          ),
        );
        return;
      }
      next();
    };
  }

  return { identify, allow };
}
