import type { AnswerBody, DocumentBody, SearchResultBody } from "../../core/http/schemas.js";
import { splitCitations, stripSourcesLine } from "../widget/answer-text.js";
import { h } from "../widget/dom.js";
import { highlightSegments, matchedTerms } from "./highlight.js";
import { formatForReadingAloud } from "./read-aloud.js";
import { startStaffConsole } from "./staff.js";

// The hotline console (/console): staff on the phone type the caller's question and read back an
// answer with its sources. Same-origin page under the server's strict CSP: no inline anything.

// Type-only imports from the core (erased by esbuild): the console reads exactly what the API sends.
type ChatAnswer = AnswerBody;
type SearchHit = SearchResultBody;
type DocumentInfo = DocumentBody;

const PASSAGES_SHOWN = 8;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const form = $<HTMLFormElement>("search-form");
const input = $<HTMLInputElement>("q");
const yearSelect = $<HTMLSelectElement>("year");
const kindSelect = $<HTMLSelectElement>("kind");
const answerBox = $<HTMLElement>("answer");
const copyButton = $<HTMLButtonElement>("copy");
const copyStatus = $<HTMLElement>("copy-status");
const passageList = $<HTMLOListElement>("passages");
const passageCount = $<HTMLElement>("passage-count");
const statusLine = $<HTMLElement>("status");

let current: { question: string; answer: ChatAnswer } | undefined;
let answerGeneration = 0;
let searchGeneration = 0;

/** A problem response's Chinese detail, or a message for the status code. */
async function problemText(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { detail?: string };
    if (body.detail) return body.detail;
  } catch {
    // fall through
  }
  if (response.status === 429) return `查询过于频繁，请 ${response.headers.get("retry-after") ?? "稍后"} 秒后再试`;
  return `服务暂时出现问题（${response.status}），请稍后再试`;
}

async function getJson<T>(url: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch {
    throw new Error("网络连接失败，请检查网络后重试");
  }
  if (!response.ok) throw new Error(await problemText(response));
  return (await response.json()) as T;
}

async function loadFilters(): Promise<void> {
  try {
    const { documents } = await getJson<{ documents: DocumentInfo[] }>("/api/documents");
    const years = [...new Set(documents.map((d) => d.year).filter((y): y is number => typeof y === "number"))].sort((a, b) => b - a);
    const kinds = [...new Set(documents.map((d) => d.kind).filter((k): k is string => !!k))].sort();
    yearSelect.append(...years.map((y) => h("option", { value: y }, `${y}年`)));
    kindSelect.append(...kinds.map((k) => h("option", { value: k }, k)));
  } catch (error) {
    statusLine.textContent = `筛选项载入失败：${(error as Error).message}`;
  }
}

function searchUrl(q: string): string {
  const params = new URLSearchParams({ q, k: String(PASSAGES_SHOWN) });
  if (yearSelect.value) params.set("year", yearSelect.value);
  if (kindSelect.value) params.set("kind", kindSelect.value);
  return `/api/search?${params}`;
}

/** The question as typed, or undefined (with a message) when it can't be sent. */
function currentQuestion(): string | undefined {
  const question = input.value.trim();
  if (!question) {
    statusLine.textContent = "请输入来电人的问题或关键词";
    input.focus();
    return undefined;
  }
  if ([...question].length > 500) {
    statusLine.textContent = "问题过长，请控制在 500 字以内";
    return undefined;
  }
  return question;
}

function filterLabel(): string {
  const filters = [yearSelect.value && `${yearSelect.value}年`, kindSelect.value].filter(Boolean).join("、");
  return filters ? `（原文筛选：${filters}）` : "";
}

/** Asks for the answer and the ranked passages at once; a newer query makes older results moot. */
async function run(): Promise<void> {
  const question = currentQuestion();
  if (!question) return;
  const mine = ++answerGeneration;
  statusLine.textContent = "正在查询…";
  answerBox.setAttribute("aria-busy", "true");
  copyButton.disabled = true;
  copyStatus.textContent = "";
  const chat = getJson<ChatAnswer>("/api/chat", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question, channel: "console" }) }).then(
    (answer) => {
      if (mine !== answerGeneration) return;
      current = { question, answer };
      renderAnswer(answer);
      copyButton.disabled = false;
    },
    (error: unknown) => {
      if (mine !== answerGeneration) return;
      current = undefined;
      answerBox.replaceChildren(h("p", { class: "error", role: "alert" }, error instanceof Error ? error.message : "查询失败"));
    },
  );
  await Promise.all([chat, runSearch(question)]);
  if (mine !== answerGeneration) return;
  answerBox.removeAttribute("aria-busy");
  statusLine.textContent = `已完成查询${filterLabel()}`;
}

/** Only the passages: the filters narrow the sources shown, not the answer. */
async function runSearch(question: string): Promise<void> {
  const mine = ++searchGeneration;
  passageList.setAttribute("aria-busy", "true");
  try {
    const { results } = await getJson<{ results: SearchHit[] }>(searchUrl(question));
    if (mine === searchGeneration) renderPassages(question, results);
  } catch (error) {
    if (mine === searchGeneration) passageList.replaceChildren(h("li", { class: "error" }, error instanceof Error ? error.message : "检索失败"));
  } finally {
    if (mine === searchGeneration) passageList.removeAttribute("aria-busy");
  }
}

async function refilter(): Promise<void> {
  const question = input.value.trim();
  if (!question || !current) return;
  await runSearch(question);
  statusLine.textContent = `原文已更新${filterLabel()}`;
}

function renderAnswer(answer: ChatAnswer): void {
  const byNumber = new Map(answer.citations.map((c) => [c.n, c]));
  const text = h("p", { class: "answer-text", "data-testid": "console-answer" });
  for (const piece of splitCitations(stripSourcesLine(answer.answer), new Set(byNumber.keys()))) {
    if (piece.kind === "text") text.append(piece.text);
    else text.append(h("sup", { class: "cite" }, `[${piece.n}]`));
  }
  const nodes: Node[] = [];
  if (!answer.grounded) nodes.push(h("p", { class: "badge warn" }, "未在文件中找到明确依据，请转人工核实"));
  nodes.push(text);
  if (answer.citations.length) {
    const list = h("ol", { class: "sources" });
    for (const c of answer.citations) {
      list.append(
        h(
          "li",
          {},
          h("span", { class: "source-n" }, `[${c.n}]`),
          h("span", { class: "source-title" }, `《${c.title}》`),
          c.year ? h("span", { class: "source-year" }, `${c.year}年`) : "",
          c.section ? h("span", { class: "source-section" }, c.section) : "",
          h("q", { class: "source-quote" }, c.quote),
        ),
      );
    }
    nodes.push(h("h3", { class: "sources-title" }, "来源"), list);
  }
  answerBox.replaceChildren(...nodes);
}

function renderPassages(question: string, results: SearchHit[]): void {
  passageCount.textContent = results.length ? `（${results.length} 条）` : "";
  if (!results.length) {
    passageList.replaceChildren(h("li", { class: "empty" }, "没有找到符合条件的原文，可调整年份或文件类型筛选"));
    return;
  }
  passageList.replaceChildren(
    ...results.map((hit, i) => {
      const body = h("p", { class: "passage-text" });
      for (const segment of highlightSegments(hit.text, matchedTerms(question, hit.text))) body.append(segment.hit ? h("mark", {}, segment.text) : segment.text);
      return h(
        "li",
        { class: "passage", "data-testid": "console-passage", "data-passage-id": hit.passageId },
        h(
          "div",
          { class: "passage-head" },
          h("span", { class: "rank", "aria-hidden": "true" }, String(i + 1)),
          h("span", { class: "sr-only" }, `第 ${i + 1} 条：`),
          h("span", { class: "passage-title" }, `《${hit.title}》`),
          hit.year ? h("span", { class: "tag" }, `${hit.year}年`) : "",
          h("span", { class: "score", title: "相关度得分" }, `相关度 ${hit.score.toFixed(3)}`),
        ),
        hit.section ? h("p", { class: "passage-section" }, hit.section) : "",
        body,
      );
    }),
  );
}

async function copyForReading(): Promise<void> {
  if (!current) return;
  const text = formatForReadingAloud(current.question, current.answer.answer, current.answer.citations);
  try {
    await navigator.clipboard.writeText(text);
    copyStatus.textContent = "已复制，可直接朗读";
  } catch {
    copyStatus.textContent = "复制失败，请手动选择文字复制";
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  void run();
});
for (const select of [yearSelect, kindSelect]) select.addEventListener("change", () => void refilter());
copyButton.addEventListener("click", () => void copyForReading());
document.addEventListener("keydown", (event) => {
  // The shortcuts belong to the query view; the staff views (#view-staff) have their own fields.
  if (document.getElementById("view-search")?.hidden) return;
  const target = event.target as HTMLElement;
  const typing = target.closest("input, textarea, select, [contenteditable]");
  if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
    event.preventDefault();
    input.focus();
    input.select();
  } else if (event.key.toLowerCase() === "c" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey && !copyButton.disabled) {
    event.preventDefault();
    void copyForReading();
  } else if (event.key === "Escape" && target === input) {
    input.value = "";
  }
});

input.focus();
void loadFilters();
startStaffConsole();
