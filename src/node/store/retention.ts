import { DEFAULT_RETENTION_DAYS, purgeExpired, type AssistantStore, type PurgeResult } from "../../core/store/types.js";

const DAY_MS = 86_400_000;

/**
 * Enforces the retention of the question log and feedback: purges at once, then every day. The
 * timer does not keep the process alive; the returned function stops it (call it before closing
 * the store). Errors are reported to `onError`, never thrown out of the timer.
 */
export function scheduleRetention(
  store: AssistantStore,
  options: { retentionDays?: number; onPurged?: (result: PurgeResult) => void; onError?: (error: unknown) => void; intervalMs?: number } = {},
): () => void {
  const days = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
  const run = () =>
    purgeExpired(store, new Date(), days).then(
      (result) => options.onPurged?.(result),
      (error: unknown) => options.onError?.(error),
    );
  void run();
  const timer = setInterval(() => void run(), options.intervalMs ?? DAY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
