import { existsSync } from "node:fs";
import { loadConfig, type Config } from "../../core/config.js";
import { isAppError } from "../../core/errors.js";

/** Reads .env (if present) and the environment once, validated. */
export function configFromEnvironment(overrides: Partial<Config> = {}): Config {
  if (existsSync(".env")) process.loadEnvFile(".env");
  return loadConfig(process.env, overrides);
}

/** Runs a CLI main function; expected errors print their Chinese detail, others a short line. */
export function runCli(main: () => Promise<number | void>): void {
  main().then(
    (code) => {
      process.exitCode = code ?? 0;
    },
    (error: unknown) => {
      if (isAppError(error)) console.error(`错误 [${error.code}]：${error.detail}`);
      else console.error(`错误：${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}

/** Splits argv into flags (--json, --file X, --k=5) and positional words. */
export function parseArgs(argv: string[]): { flags: Map<string, string | true>; positional: string[] } {
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith("--")) {
      const [name, value] = arg.slice(2).split("=", 2) as [string, string | undefined];
      if (value !== undefined) flags.set(name, value);
      else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith("--") && VALUE_FLAGS.has(name)) flags.set(name, argv[++i]!);
      else flags.set(name, true);
    } else positional.push(arg);
  }
  return { flags, positional };
}

const VALUE_FLAGS = new Set(["file", "k", "year", "kind", "sizes", "out", "ablate", "amount", "connections", "distinct", "client", "modes", "rounds", "warm-up"]);
