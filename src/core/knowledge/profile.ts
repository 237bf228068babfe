import { z } from "zod";
import { createError } from "../errors.js";

const note = z.string().min(1, "每一项都要注明来源（note）");

/**
 * The bureau profile: what makes this deployment a given city's bureau. One versioned JSON data
 * file (corpus/profile.json by default); another city's bureau changes this file, never the code.
 * Every entry carries a note saying where it comes from.
 */
export const bureauProfileSchema = z.object({
  version: z.number().int().positive(),
  /** The city the bureau serves: its GB/T 2260 code finds its districts in the division data. */
  city: z.object({ name: z.string().min(2), divisionCode: z.string().regex(/^\d{6}$/), note }),
  bureau: z.object({ name: z.string().min(2), note }),
  /** Where a citizen is sent when the documents do not state the detail. */
  hotline: z.object({ number: z.string().min(3), label: z.string().min(2), note }),
  /** Names of places in the city that the division data does not carry (new areas, common names). */
  localPlaces: z.array(z.object({ name: z.string().min(2), note })).default([]),
  /** Local terms: words of this bureau's documents with the everyday words citizens use for them. */
  glossary: z
    .array(z.object({ term: z.string().min(2), aliases: z.array(z.string().min(1)).default([]), note }))
    .default([]),
});

export type BureauProfile = z.infer<typeof bureauProfileSchema>;

/** Parses and validates a profile file's text; a bad profile stops ingest and start-up with the field named. */
export function parseProfile(json: string, source: string): BureauProfile {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (cause) {
    throw createError("CONFIG_INVALID", `${source}：不是合法的 JSON`, { cause });
  }
  const parsed = bureauProfileSchema.safeParse(data);
  if (!parsed.success) throw createError("CONFIG_INVALID", `${source}：${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("；")}`);
  return parsed.data;
}
