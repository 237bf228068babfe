import { z } from "zod";
import {
  answerResponseSchema,
  chatRequestSchema,
  documentResponseSchema,
  documentsResponseSchema,
  feedbackRequestSchema,
  openAIChatRequestSchema,
  passageResponseSchema,
  problemSchema,
  searchQuerySchema,
  searchResponseSchema,
} from "./schemas.js";

type Schema = z.ZodType;
const input = (s: Schema) => z.toJSONSchema(s, { io: "input", unrepresentable: "any", target: "openapi-3.0" });
const output = (s: Schema) => z.toJSONSchema(s, { io: "output", unrepresentable: "any", target: "openapi-3.0" });

const json = (s: Schema) => ({ "application/json": { schema: output(s) } });
const problems = (...codes: number[]) =>
  Object.fromEntries(codes.map((code) => [String(code), { description: "错误（problem+json，detail 为中文说明）", content: { "application/problem+json": { schema: output(problemSchema) } } }]));

/** Query parameters described from the zod object that validates them. */
function queryParameters(schema: z.ZodObject) {
  const shape = input(schema) as { properties?: Record<string, object>; required?: string[] };
  return Object.entries(shape.properties ?? {}).map(([name, s]) => ({ name, in: "query", required: shape.required?.includes(name) ?? false, schema: s }));
}

/** The OpenAPI 3.0 description of the public API, generated from the same zod schemas the routes validate with. */
export function buildOpenApiDocument(serverUrl?: string): object {
  const answerEndpointErrors = problems(400, 413, 415, 429, 503);
  return {
    openapi: "3.0.3",
    info: {
      title: "教育政策问答助手 API",
      version: "1.0.0",
      description:
        "根据教育局公开文件回答政策问题：每个回答都引用原文段落，数字均可在来源中找到。错误一律为 application/problem+json，detail 为中文。回答类接口按客户端 IP 限流（429 + Retry-After）。",
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    paths: {
      "/api/chat": {
        post: {
          summary: "提问（JSON 或 Server-Sent Events 流式）",
          description:
            '请求体加 "stream": true 或请求头 Accept: text/event-stream 时返回 SSE：先 event: meta（answerId、citations、mode、script、grounded），再若干 event: delta（{"text"}，按顺序拼接即为回答），最后 event: done；流开始后的错误以 event: error 发送 problem 对象。',
          requestBody: { required: true, content: { "application/json": { schema: input(chatRequestSchema) } } },
          responses: {
            "200": { description: "回答", content: { ...json(answerResponseSchema), "text/event-stream": { schema: { type: "string" } } } },
            ...answerEndpointErrors,
          },
        },
      },
      "/api/search": {
        get: {
          summary: "检索段落（热线坐席用）",
          parameters: queryParameters(searchQuerySchema),
          responses: { "200": { description: "按相关度排序的段落", content: json(searchResponseSchema) }, ...problems(400, 503) },
        },
      },
      "/api/passages/{id}": {
        get: {
          summary: "取一个段落的完整原文（已清洗）",
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" }, example: "2021-work-summary#p012" }],
          responses: { "200": { description: "段落", content: json(passageResponseSchema) }, ...problems(404, 503) },
        },
      },
      "/api/documents": {
        get: { summary: "文件列表（元数据与段落数）", responses: { "200": { description: "文件", content: json(documentsResponseSchema) }, ...problems(503) } },
      },
      "/api/documents/{id}": {
        get: {
          summary: "一个文件的元数据",
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          responses: { "200": { description: "文件", content: json(documentResponseSchema) }, ...problems(404, 503) },
        },
      },
      "/api/feedback": {
        post: {
          summary: "对一个回答点赞或点踩（持久保存）",
          requestBody: { required: true, content: { "application/json": { schema: input(feedbackRequestSchema) } } },
          responses: { "201": { description: "已保存", content: json(z.object({ ok: z.literal(true) })) }, ...problems(400, 413, 415, 429) },
        },
      },
      "/v1/chat/completions": {
        post: {
          summary: "OpenAI 兼容的对话接口（普通与 stream: true）",
          description:
            "最后一条 user 消息为问题，之前的 user/assistant 消息为对话历史（取最近 10 轮）；system/developer 消息不改变回答规则。回答正文末尾带“来源”行；另在响应顶层（流式时在第一个数据块）附加扩展字段 citations，结构同 /api/chat。",
          requestBody: { required: true, content: { "application/json": { schema: input(openAIChatRequestSchema) } } },
          responses: { "200": { description: "chat.completion 对象，或 chat.completion.chunk 的 SSE 流（以 data: [DONE] 结束）" }, ...answerEndpointErrors },
        },
      },
      "/v1/models": {
        get: { summary: "OpenAI 兼容的模型列表（只有本助手一个模型）", responses: { "200": { description: "model 列表对象" } } },
      },
      "/openapi.json": { get: { summary: "本接口说明（OpenAPI 3）", responses: { "200": { description: "OpenAPI 文档" } } } },
      "/healthz": { get: { summary: "存活检查", responses: { "200": { description: "进程存活" } } } },
      "/readyz": { get: { summary: "就绪检查（索引已加载）", responses: { "200": { description: "就绪" }, ...problems(503) } } },
      "/metrics": { get: { summary: "Prometheus 指标", responses: { "200": { description: "text/plain; version=0.0.4" } } } },
      "/admin/reload": {
        post: {
          summary: "重新加载索引（npm run ingest 之后；需 Authorization: Bearer ADMIN_TOKEN）",
          security: [{ adminToken: [] }],
          responses: { "200": { description: "已切换到新索引" }, ...problems(401, 404, 503) },
        },
      },
    },
    components: { securitySchemes: { adminToken: { type: "http", scheme: "bearer" } } },
  };
}
