/**
 * Staff tokens: 32 random bytes in base64url, shown once; only their SHA-256 (hex) is stored, so a
 * copy of the database does not let anyone sign in. Web Crypto only (Node 20 and Workers alike).
 */

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** A new random token (43 base64url characters). */
export function generateStaffToken(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

/** SHA-256 of the token, lower-case hex: what the store keeps and looks up. */
export async function hashStaffToken(token: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Staff names: 1–40 characters of letters (any script), digits, `.`, `_` or `-`. */
export const STAFF_NAME = /^[\p{L}\p{N}._-]{1,40}$/u;
