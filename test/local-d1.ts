import { Miniflare } from "miniflare";

/**
 * A D1 database in Miniflare's local mode (the SQLite engine `wrangler dev` runs), persisted under
 * `persist` as database `databaseId`, behind a Worker that does nothing: what the D1 tests read and write.
 */
export async function localD1<T>(persist: string, databaseId: string): Promise<{ db: T; dispose: () => Promise<void> }> {
  const mf = new Miniflare({ modules: true, script: "export default { fetch() { return new Response(null, { status: 204 }); } };", d1Databases: { DB: databaseId }, d1Persist: persist });
  return { db: (await mf.getD1Database("DB")) as unknown as T, dispose: () => mf.dispose() };
}
