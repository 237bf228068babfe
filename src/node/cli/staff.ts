import { createError } from "../../core/errors.js";
import { generateStaffToken, hashStaffToken, STAFF_NAME } from "../../core/store/staff-token.js";
import type { StaffRole } from "../../core/store/types.js";
import { openSqliteStore } from "../store/open-sqlite-store.js";
import { configFromEnvironment, runCli } from "./common.js";

const USAGE = ["用法：", "  npm run staff -- add <姓名> --role editor|admin", "  npm run staff -- list", "  npm run staff -- revoke <姓名>"].join("\n");
const ROLES = new Set<StaffRole>(["editor", "admin"]);

/**
 * Staff accounts of the console and the curated-answer API, in DATA_DIR/assistant.sqlite.
 * `add` prints the new token on its last line — shown this once; only its SHA-256 is stored.
 */
runCli(async () => {
  const [command, ...rest] = process.argv.slice(2);
  const roleAt = rest.findIndex((a) => a === "--role" || a.startsWith("--role="));
  const role = roleAt < 0 ? undefined : rest[roleAt]!.includes("=") ? rest[roleAt]!.split("=")[1] : rest[roleAt + 1];
  const names = rest.filter((_, i) => roleAt < 0 || (i !== roleAt && !(i === roleAt + 1 && !rest[roleAt]!.includes("="))));

  if (command !== "add" && command !== "list" && command !== "revoke") {
    console.error(USAGE);
    return 2;
  }
  const { store } = await openSqliteStore(configFromEnvironment().DATA_DIR);
  try {
    if (command === "list") {
      const staff = await store.listStaff();
      if (!staff.length) console.log("还没有工作人员账号。用 npm run staff -- add <姓名> --role editor 添加。");
      for (const s of staff) console.log(`${s.name}\t${s.role}\t创建于 ${s.created}\t${s.revoked ? `已吊销（${s.revoked}）` : "有效"}`);
      return 0;
    }
    const name = names[0];
    if (!name || names.length > 1) {
      console.error(USAGE);
      return 2;
    }
    if (!STAFF_NAME.test(name)) throw createError("BAD_REQUEST", `姓名只能包含文字、数字、点、下划线或连字符（1–40 个字符）：${name.slice(0, 60)}`);
    if (command === "revoke") {
      if (!(await store.revokeStaff(name, new Date().toISOString()))) throw createError("NOT_FOUND", `有效的工作人员账号 ${name}`);
      console.log(`已吊销 ${name} 的令牌。`);
      return 0;
    }
    if (!role || !ROLES.has(role as StaffRole)) throw createError("BAD_REQUEST", `--role 只能是 editor 或 admin${role ? `，收到：${role.slice(0, 40)}` : ""}`);
    const token = generateStaffToken();
    await store.addStaff({ name, role: role as StaffRole, tokenHash: await hashStaffToken(token), time: new Date().toISOString() });
    console.log(`已添加 ${name}（${role}）。令牌只显示这一次，请妥善保存；登录时作为 Authorization: Bearer <令牌> 发送：`);
    console.log(token);
    return 0;
  } finally {
    await store.close();
  }
});
