import type { MiddlewareHandler } from "hono";
import { createError } from "../../errors.js";
import { hashStaffToken } from "../../store/staff-token.js";
import type { AssistantStore, StaffMember, StaffRole } from "../../store/types.js";
import { problemFromError } from "../problem.js";

/** Context variables of routes behind staffAuth (`body` is set by the main app's body limit). */
export type StaffEnv = { Variables: { staff: StaffMember; body?: Uint8Array } };

const ROLE_RANK: Record<StaffRole, number> = { editor: 1, admin: 2 };
const ROLE_NAMES: Record<StaffRole, string> = { editor: "编辑（editor）", admin: "管理员（admin）" };

// base64url tokens are 43 characters; anything much longer is not ours and is not hashed.
const BEARER = /^Bearer\s+([A-Za-z0-9._~+/=-]{1,200})\s*$/i;

/**
 * Staff sign-in for a route: `Authorization: Bearer <token>` → the active member holding that token,
 * set as `c.var.staff`. No token, an unknown or a revoked one → 401; a role below `role` → 403 (an
 * admin may do everything an editor may). The token travels only in this header — no cookie — so
 * a cross-site form cannot act on a signed-in operator's behalf.
 */
export function staffAuth(store: AssistantStore, role: StaffRole = "editor"): MiddlewareHandler<StaffEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization");
    const token = header ? BEARER.exec(header)?.[1] : undefined;
    const staff = token ? await store.staffByTokenHash(await hashStaffToken(token)) : undefined;
    if (!staff) {
      c.header("WWW-Authenticate", 'Bearer realm="staff"');
      return problemFromError(c, createError("STAFF_UNAUTHORIZED", header ? "令牌无效或已被吊销" : "请提供工作人员令牌（Authorization: Bearer …）"));
    }
    if (ROLE_RANK[staff.role] < ROLE_RANK[role]) return problemFromError(c, createError("FORBIDDEN", ROLE_NAMES[role]));
    c.set("staff", staff);
    await next();
  };
}
