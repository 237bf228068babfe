import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { hashStaffToken } from "../../src/core/store/staff-token.js";
import { openSqliteStore } from "../../src/node/store/open-sqlite-store.js";

const run = promisify(execFile);
const root = mkdtempSync(join(tmpdir(), "edu-staff-cli-"));
const dataDir = join(root, "data");
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** `npm run staff -- …` as a process (tsx, as the npm script runs it); never throws, returns the exit code. */
async function staff(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "src/node/cli/staff.ts", ...args], { env: { ...process.env, DATA_DIR: dataDir } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("npm run staff", () => {
  it("add prints a one-time token on its last line that signs in as that member; list shows roles; revoke ends it", async () => {
    const added = await staff("add", "王老师", "--role", "editor");
    expect(added.code).toBe(0);
    const lines = added.stdout.trim().split("\n");
    const token = lines.at(-1)!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(lines[0]).toContain("只显示这一次");
    expect((await staff("add", "admin-li", "--role=admin")).code).toBe(0);

    const { store } = await openSqliteStore(dataDir);
    expect(await store.staffByTokenHash(await hashStaffToken(token))).toMatchObject({ name: "王老师", role: "editor" });
    await store.close();
    // Only the hash is stored, in a file only the service's user can read.
    expect(statSync(join(dataDir, "assistant.sqlite")).mode & 0o077).toBe(0);

    const list = await staff("list");
    expect(list.stdout).toMatch(/admin-li\tadmin\t.*有效/);
    expect(list.stdout).toMatch(/王老师\teditor\t.*有效/);
    expect(list.stdout).not.toContain(token);

    expect(await staff("add", "王老师", "--role", "admin")).toMatchObject({ code: 1, stderr: expect.stringContaining("工作人员已存在：王老师") });
    expect(await staff("add", "张老师", "--role", "boss")).toMatchObject({ code: 1, stderr: expect.stringContaining("--role 只能是 editor 或 admin") });
    expect(await staff("add", "张老师")).toMatchObject({ code: 1 });
    expect(await staff("add", "a b", "--role", "editor")).toMatchObject({ code: 1, stderr: expect.stringContaining("姓名只能包含") });
    expect(await staff("add", "--role", "editor")).toMatchObject({ code: 2, stderr: expect.stringContaining("用法") });
    expect(await staff("remove", "王老师")).toMatchObject({ code: 2, stderr: expect.stringContaining("用法") });

    expect(await staff("revoke", "王老师")).toMatchObject({ code: 0, stdout: expect.stringContaining("已吊销") });
    expect(await staff("revoke", "王老师")).toMatchObject({ code: 1, stderr: expect.stringContaining("王老师") });
    expect((await staff("list")).stdout).toMatch(/王老师\teditor\t.*已吊销/);
    const after = await openSqliteStore(dataDir);
    expect(await after.store.staffByTokenHash(await hashStaffToken(token))).toBeUndefined();
    await after.store.close();
  });
});
