// Staff requests from the console: the token lives in sessionStorage (gone when the browser session
// ends) and travels only as `Authorization: Bearer …` — never a cookie, so another site cannot make
// the browser act for a signed-in operator.

const TOKEN_KEY = "edu-console-staff-token";

/** The signed-in operator's token, or undefined. */
export function storedToken(): string | undefined {
  try {
    return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export function storeToken(token: string | undefined): void {
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // Storage refused (private mode): the session lasts until the page is left.
  }
}

/** A failed request: the HTTP status (0 for a network failure), the problem's code and its Chinese detail. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code = "",
  ) {
    super(message);
  }
}

async function toApiError(response: Response): Promise<ApiError> {
  let detail = "";
  let code = "";
  try {
    const body = (await response.json()) as { detail?: unknown; title?: unknown };
    if (typeof body.detail === "string") detail = body.detail;
    if (typeof body.title === "string") code = body.title;
  } catch {
    // not a problem body
  }
  if (!detail) {
    if (response.status === 401) detail = "登录已失效，请重新输入工作人员令牌";
    else if (response.status === 429) detail = `操作过于频繁，请 ${response.headers.get("retry-after") ?? "稍后"} 秒后再试`;
    else detail = `服务暂时出现问题（${response.status}），请稍后再试`;
  }
  return new ApiError(response.status, detail, code);
}

export interface StaffClient {
  json<T>(method: "GET" | "POST" | "PUT" | "DELETE", path: string, body?: unknown): Promise<T>;
  /** A file download: the body and its response headers. */
  blob(path: string): Promise<{ blob: Blob; headers: Headers }>;
}

/**
 * Requests with the token. A 401 (token revoked, or signed out elsewhere) calls `onUnauthorized`
 * before the error is thrown, so the console can return to the sign-in form.
 */
export function staffClient(token: string, onUnauthorized: () => void): StaffClient {
  const send = async (method: string, path: string, body?: unknown): Promise<Response> => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers["content-type"] = "application/json";
    let response: Response;
    try {
      response = await fetch(path, { method, headers, credentials: "omit", ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    } catch {
      throw new ApiError(0, "网络连接失败，请检查网络后重试");
    }
    if (!response.ok) {
      const error = await toApiError(response);
      if (response.status === 401) onUnauthorized();
      throw error;
    }
    return response;
  };
  return {
    async json<T>(method: "GET" | "POST" | "PUT" | "DELETE", path: string, body?: unknown) {
      return (await (await send(method, path, body)).json()) as T;
    },
    async blob(path: string) {
      const response = await send("GET", path);
      return { blob: await response.blob(), headers: response.headers };
    },
  };
}

/** Public (unauthenticated) JSON, e.g. /api/search and /api/passages/:id. */
export async function publicJson<T>(path: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path);
  } catch {
    throw new ApiError(0, "网络连接失败，请检查网络后重试");
  }
  if (!response.ok) throw await toApiError(response);
  return (await response.json()) as T;
}
