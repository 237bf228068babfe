/**
 * The one error catalog. Every error the system raises on purpose has a code, an HTTP status and a
 * Chinese message template that carries the offending value. Nothing else (stack, path, config) is
 * ever shown to a client.
 */

const namesCommand = (value: string) => /npm run |按 README/.test(value);

const catalog = {
  // Ingest / documents
  UNSUPPORTED_FORMAT: { status: 415, message: (v: string) => `不支持的文件格式：${v}` },
  EMPTY_DOCUMENT: { status: 422, message: (v: string) => `文件没有可用的正文：${v}` },
  BINARY_DOCUMENT: { status: 422, message: (v: string) => `文件不是文本，无法读取：${v}` },
  BROKEN_DOCUMENT: { status: 422, message: (v: string) => `文件已损坏，无法解析：${v}` },
  UNKNOWN_ENCODING: { status: 422, message: (v: string) => `无法识别文件编码：${v}` },
  // A scanned PDF (no text items) or a text export holding nothing but page markers.
  NO_TEXT_LAYER: {
    status: 422,
    message: (v: string) => (/\.pdf$/i.test(v) ? `无文字层，需要OCR：${v}` : `无文字内容（只有分页标记），需要重新导出或OCR：${v}`),
  },
  NOTHING_INDEXED: { status: 500, message: (v: string) => `没有任何文件被成功索引：${v}` },
  // Index
  // The fix is `npm run ingest` on Node; a value that names its own command (the Worker's
  // build:worker-index, upload:vectorize) replaces that advice instead of contradicting it.
  INDEX_MISSING: { status: 503, message: (v: string) => (namesCommand(v) ? `索引不存在：${v}` : `索引不存在（${v}），请先运行 npm run ingest`) },
  INDEX_VERSION_MISMATCH: { status: 503, message: (v: string) => (namesCommand(v) ? `索引版本不匹配：${v}` : `索引版本不匹配（${v}），请运行 npm run ingest 重建索引`) },
  INDEX_CORRUPT: { status: 503, message: (v: string) => (namesCommand(v) ? `索引文件已损坏：${v}` : `索引文件已损坏（${v}），请运行 npm run ingest 重建索引`) },
  // Requests
  QUESTION_EMPTY: { status: 400, message: (_v: string) => `问题不能为空` },
  QUESTION_TOO_LONG: { status: 400, message: (v: string) => `问题过长（${v} 字），请控制在 500 字以内` },
  BAD_REQUEST: { status: 400, message: (v: string) => `请求格式不正确：${v}` },
  NOT_FOUND: { status: 404, message: (v: string) => `未找到：${v}` },
  MALFORMED_JSON: { status: 400, message: (_v: string) => `请求体不是合法的 JSON` },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: (v: string) => `请求须为 JSON（Content-Type: application/json），收到：${v || "无"}` },
  PAYLOAD_TOO_LARGE: { status: 413, message: (v: string) => `请求内容过大（上限 ${v}）` },
  UNAUTHORIZED: { status: 401, message: (_v: string) => `未授权：缺少或错误的管理令牌` },
  RATE_LIMITED: { status: 429, message: (v: string) => `提问太频繁了，请 ${v} 秒后再试` },
  BUSY: { status: 503, message: (_v: string) => `当前咨询人数较多，请稍后再试` },
  TIMEOUT: { status: 503, message: (v: string) => `回答超时（超过 ${v} 秒），请稍后再试` },
  NOT_READY: { status: 503, message: (v: string) => `服务正在加载索引，请稍后再试${v ? `（${v}）` : ""}` },
  SHUTTING_DOWN: { status: 503, message: (_v: string) => `服务正在重启，请稍后再试` },
  // Staff, curated answers, the question store
  STAFF_UNAUTHORIZED: { status: 401, message: (v: string) => `未授权：${v}` },
  FORBIDDEN: { status: 403, message: (v: string) => `权限不足：此操作需要${v}角色` },
  VERSION_CONFLICT: { status: 409, message: (v: string) => `版本冲突：${v}` },
  STAFF_EXISTS: { status: 409, message: (v: string) => `工作人员已存在：${v}` },
  FIGURE_UNSUPPORTED: { status: 422, message: (v: string) => `答案中的数字“${v}”不在任何引用的段落中，请核对或补充引用` },
  CITATION_UNKNOWN: { status: 422, message: (v: string) => `引用的段落不存在：${v}` },
  STORE_BUSY: { status: 503, message: (_v: string) => `数据库繁忙，请稍后再试` },
  // Services
  EMBEDDINGS_FAILED: { status: 502, message: (v: string) => `向量服务调用失败：${v}` },
  LLM_FAILED: { status: 502, message: (v: string) => `大模型服务调用失败：${v}` },
  CONFIG_INVALID: { status: 500, message: (v: string) => `配置有误：${v}` },
} as const;

export type ErrorCode = keyof typeof catalog;

/**
 * Marks an AppError across copies of this module: a reader imported on first use after a module
 * registry reset, or a second bundle, has its own AppError class, and `instanceof` alone would
 * take its catalog errors for crashes.
 */
const APP_ERROR = Symbol.for("edu-policy-assistant.AppError");

/** An expected failure with a catalog code; `detail` is safe to show to users. */
export class AppError extends Error {
  readonly [APP_ERROR] = true;
  readonly code: ErrorCode;
  readonly status: number;
  readonly detail: string;

  constructor(code: ErrorCode, value = "", options?: { cause?: unknown }) {
    const entry = catalog[code];
    const detail = entry.message(value);
    super(`${code}: ${detail}`, options);
    this.name = "AppError";
    this.code = code;
    this.status = entry.status;
    this.detail = detail;
  }
}

/** Shorthand used across the code base: `throw createError("INDEX_MISSING", dir)`. */
export function createError(code: ErrorCode, value = "", options?: { cause?: unknown }): AppError {
  return new AppError(code, value, options);
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError || (error instanceof Error && (error as Error & { [APP_ERROR]?: boolean })[APP_ERROR] === true);
}
