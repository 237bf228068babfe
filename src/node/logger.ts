import { pino } from "pino";
import type { Logger } from "../core/http/logger.js";

/** Structured JSON logs on stdout (one object per line) at the configured level. */
export function createNodeLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    { level, base: { service: "edu-policy-assistant" }, timestamp: pino.stdTimeFunctions.isoTime, formatters: { level: (label) => ({ level: label }) } },
    destination ?? pino.destination({ fd: 1, sync: false }),
  ) as unknown as Logger;
}
