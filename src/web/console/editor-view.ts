import type { CuratedRef, CuratedVersion } from "../../core/store/types.js";
import { h } from "../widget/dom.js";
import {
  ANSWER_MAX,
  answerStateLabel,
  CITATIONS_MAX,
  describeFigureCheck,
  draftProblem,
  formatLocalTime,
  parseQuestionLines,
  QUESTIONS_MAX,
  type CuratedDraft,
  type FigureCheckResult,
} from "./curated-format.js";
import { ApiError, publicJson } from "./staff-api.js";
import type { StaffContext } from "./staff.js";
import { diffList, diffText, hasChanges, type DiffSegment } from "./text-diff.js";

// The editor of one curated answer: question variants, the answer text, the passages it cites
// (picked from a search), a review date, the figure check before saving, and the history with a
// readable diff between versions, revert and retire. Everything a person typed is shown as text.

/** What the report hands to a new answer: the cluster's questions and a first passage search. */
export interface EditorPrefill {
  questions: string[];
  search: string;
}

interface PassageInfo {
  passageId: string;
  title: string;
  year: number | null;
  section: string;
  text: string;
}

type LatestVersion = CuratedVersion & { needsReview: boolean };

const PICKER_RESULTS = 8;

/** A message to show once after the next render (a save or a revert navigates, then reports). */
let flash: { text: string; tone: "ok" | "error" } | undefined;
/** What an editor had typed when a save met a newer version, shown beside the reloaded answer. */
let conflictDraft: CuratedDraft | undefined;

function bureauToday(): string {
  return formatLocalTime(new Date().toISOString()).slice(0, 10);
}

function passageLabel(p: PassageInfo): string {
  return `《${p.title}》${p.year ? ` ${p.year}年` : ""}${p.section ? ` · ${p.section}` : ""}`;
}

export async function renderEditor(ctx: StaffContext, id?: string): Promise<void> {
  const passages = new Map<string, PassageInfo>();
  let latest: LatestVersion | undefined;
  let history: CuratedVersion[] = [];
  const prefill = id ? undefined : ctx.takePrefill();

  const heading = h("h2", { id: "editor-heading", tabindex: "-1" }, id ? "编辑人工答案" : "新建人工答案");
  const meta = h("p", { class: "meta" });
  const message = h("div", { class: "editor-message", role: "status", "aria-live": "polite", "data-testid": "editor-message" });
  const panel = h("section", { class: "panel", "aria-labelledby": "editor-heading" }, heading, meta, message);
  ctx.root.replaceChildren(panel);

  if (id) {
    try {
      const [current, versions] = await Promise.all([
        ctx.client.json<LatestVersion>("GET", `/api/curated/${id}`),
        ctx.client.json<{ versions: CuratedVersion[] }>("GET", `/api/curated/${id}/history`),
      ]);
      latest = current;
      history = versions.versions;
      const cited = new Set([...history.flatMap((v) => v.citations)]);
      await Promise.all(
        [...cited].map(async (pid) => {
          const p = await loadPassage(pid);
          if (p) passages.set(pid, p);
        }),
      );
    } catch (error) {
      if (!ctx.current()) return;
      panel.append(h("p", { class: "error", role: "alert" }, error instanceof Error ? error.message : "载入失败"), h("p", {}, h("a", { href: "#/answers" }, "返回人工答案列表")));
      return;
    }
    if (!ctx.current()) return;
  }

  // ---- header ----
  if (latest) {
    const state = answerStateLabel(latest);
    meta.append(
      `编号 ${latest.id} · 第 ${latest.version} 版 · `,
      h("span", { class: `badge badge-${state.tone}`, "data-testid": "editor-state" }, state.label),
      ` · ${latest.author} 于 ${formatLocalTime(latest.time)} 修改`,
    );
  } else meta.append("新答案保存后即用于回答市民提问（至复核日期为止）。");
  if (flash) {
    message.append(h("p", { class: flash.tone === "ok" ? "success" : "error" }, flash.text));
    flash = undefined;
  }
  if (conflictDraft && latest) {
    const draft = conflictDraft;
    conflictDraft = undefined;
    message.append(
      h(
        "details",
        { class: "conflict-draft", open: true },
        h("summary", {}, "您未保存的修改（供对照，已载入他人保存的最新版本）"),
        h("p", { class: "hint" }, "问法："),
        h("pre", {}, draft.questions.join("\n")),
        h("p", { class: "hint" }, "答案："),
        h("pre", {}, draft.answer),
      ),
    );
  }

  // ---- the form ----
  const questions = h("textarea", { id: "curated-questions", rows: 4, "aria-describedby": "curated-questions-hint", "data-testid": "curated-questions" });
  questions.value = (latest?.questions ?? prefill?.questions ?? []).join("\n");
  const answer = h("textarea", { id: "curated-answer", rows: 8, maxlength: ANSWER_MAX, "aria-describedby": "curated-answer-hint curated-answer-count", "data-testid": "curated-answer" });
  answer.value = latest?.answer ?? "";
  const answerCount = h("span", { id: "curated-answer-count", class: "counter" });
  const reviewBy = h("input", { id: "curated-review-by", type: "date", min: bureauToday(), "aria-describedby": "curated-review-hint", "data-testid": "curated-review-by" });
  reviewBy.value = latest?.reviewBy ?? "";
  const citations: string[] = [...(latest?.citations ?? [])];
  const citationList = h("ol", { class: "citations", "data-testid": "curated-citations" });
  const citationLegend = h("legend", {});
  const checkBox = h("div", { class: "figure-check", role: "status", "aria-live": "polite", "data-testid": "figure-check" });
  const checkButton = h("button", { type: "button", class: "secondary", "data-testid": "figure-check-button" }, "核对数字");
  const saveButton = h("button", { type: "submit", class: "primary", "data-testid": "save-answer" }, latest?.status === "retired" ? "保存并重新启用" : "保存");
  const actions = h("div", { class: "actions" }, checkButton, saveButton);
  if (latest?.status === "live") {
    const retire = h("button", { type: "button", class: "danger", "data-testid": "retire-answer" }, "停用此答案");
    retire.addEventListener("click", () => void retireAnswer());
    actions.append(retire);
  }
  actions.append(h("a", { href: "#/answers", class: "button-link" }, "返回列表"));

  const reviewHint = latest?.needsReview
    ? `已过复核日期（${latest.reviewBy}），目前暂停使用。请核对内容，填写新的复核日期后保存，即重新启用。`
    : "到期后答案暂停使用，直到重新审核保存。可不填。";
  const form = h(
    "form",
    { class: "curated-form", "aria-labelledby": "editor-heading", novalidate: true },
    h("label", { for: "curated-questions" }, "问题问法"),
    questions,
    h("p", { id: "curated-questions-hint", class: "hint" }, `每行一个问法，最多 ${QUESTIONS_MAX} 个。市民的问题与任一问法相同或意思相近时使用此答案。`),
    h("label", { for: "curated-answer" }, "答案"),
    answer,
    h("p", { class: "hint" }, h("span", { id: "curated-answer-hint" }, "纯文本，可用 [1]、[2] 标注下方引用段落的序号。答案中的每个数字都须能在引用段落中找到。"), " ", answerCount),
    h("fieldset", { class: "citation-set" }, citationLegend, citationList),
    h("label", { for: "curated-review-by" }, "复核日期"),
    reviewBy,
    h("p", { id: "curated-review-hint", class: latest?.needsReview ? "hint warn-text" : "hint" }, reviewHint),
    checkBox,
    actions,
  );

  // ---- the passage picker ----
  const pickerInput = h("input", { id: "picker-q", type: "search", autocomplete: "off", maxlength: 200, "data-testid": "picker-q" });
  pickerInput.value = prefill?.search ?? "";
  const pickerStatus = h("p", { class: "status", role: "status", "aria-live": "polite" });
  const pickerResults = h("ul", { class: "picker-results", "aria-labelledby": "picker-heading", "data-testid": "picker-results" });
  const pickerForm = h(
    "form",
    { role: "search", class: "picker-search", "aria-label": "检索要引用的原文" },
    h("label", { for: "picker-q" }, "检索原文"),
    h("div", { class: "search-row" }, pickerInput, h("button", { type: "submit", class: "secondary" }, "检索")),
  );
  const picker = h(
    "section",
    { class: "picker", "aria-labelledby": "picker-heading" },
    h("h3", { id: "picker-heading" }, "选择引用段落"),
    h("p", { class: "hint" }, `勾选要引用的段落（最多 ${CITATIONS_MAX} 个），勾选顺序即引用序号。`),
    pickerForm,
    pickerStatus,
    pickerResults,
  );
  panel.append(h("div", { class: "editor-columns" }, form, picker));
  if (latest) panel.append(renderHistory());

  let lastCheck: { key: string; result: FigureCheckResult } | undefined;
  const draftKey = () => JSON.stringify([answer.value.trim(), citations]);
  const contentChanged = () => {
    if (lastCheck && lastCheck.key !== draftKey()) {
      lastCheck = undefined;
      checkBox.replaceChildren(h("p", { class: "hint" }, "内容已修改，保存前会重新核对数字。"));
    }
  };
  const updateCount = () => (answerCount.textContent = `${[...answer.value].length}/${ANSWER_MAX} 字`);
  answer.addEventListener("input", () => {
    updateCount();
    contentChanged();
  });
  updateCount();
  renderCitations();

  function readDraft(): CuratedDraft {
    return { questions: parseQuestionLines(questions.value), answer: answer.value.trim(), citations: [...citations], reviewBy: reviewBy.value };
  }

  function renderCitations(): void {
    citationLegend.textContent = `引用段落（已选 ${citations.length} 个）`;
    if (!citations.length) {
      citationList.replaceChildren(h("li", { class: "empty" }, "尚未选择。请在右侧检索原文并勾选。"));
    } else {
      citationList.replaceChildren(
        ...citations.map((pid, i) => {
          const p = passages.get(pid);
          const remove = h("button", { type: "button", class: "link-button", "aria-label": `移除引用 [${i + 1}]` }, "移除");
          remove.addEventListener("click", () => {
            toggleCitation(pid, false);
            (citationList.querySelector("button") ?? pickerInput).focus();
          });
          return h(
            "li",
            { class: "citation", "data-passage-id": pid },
            h("span", { class: "source-n" }, `[${i + 1}]`),
            h("span", { class: "source-title" }, p ? passageLabel(p) : pid),
            remove,
            p ? h("p", { class: "citation-text" }, p.text) : h("p", { class: "error" }, "该段落已不在当前资料中，请移除后重新选择"),
          );
        }),
      );
    }
    for (const box of pickerResults.querySelectorAll<HTMLInputElement>("input[type=checkbox]")) box.checked = citations.includes(box.value);
  }

  function toggleCitation(pid: string, on: boolean): boolean {
    const at = citations.indexOf(pid);
    if (on && at < 0) {
      if (citations.length >= CITATIONS_MAX) {
        pickerStatus.textContent = `引用最多 ${CITATIONS_MAX} 个段落`;
        renderCitations();
        return false;
      }
      citations.push(pid);
    } else if (!on && at >= 0) citations.splice(at, 1);
    renderCitations();
    contentChanged();
    return true;
  }

  async function search(): Promise<void> {
    const q = pickerInput.value.trim();
    if (!q) {
      pickerStatus.textContent = "请输入检索词";
      pickerInput.focus();
      return;
    }
    pickerStatus.textContent = "正在检索…";
    pickerResults.setAttribute("aria-busy", "true");
    try {
      const { results } = await publicJson<{ results: PassageInfo[] }>(`/api/search?${new URLSearchParams({ q, k: String(PICKER_RESULTS) })}`);
      if (!ctx.current()) return;
      pickerStatus.textContent = results.length ? `找到 ${results.length} 条原文` : "没有找到相关原文，请换个说法";
      pickerResults.replaceChildren(
        ...results.map((p, i) => {
          passages.set(p.passageId, { passageId: p.passageId, title: p.title, year: p.year, section: p.section, text: p.text });
          const boxId = `pick-${i}`;
          const box = h("input", { type: "checkbox", id: boxId, value: p.passageId, checked: citations.includes(p.passageId), "aria-describedby": `${boxId}-text` });
          box.addEventListener("change", () => {
            if (!toggleCitation(p.passageId, box.checked)) box.checked = false;
          });
          return h(
            "li",
            { class: "pick", "data-testid": "picker-result", "data-passage-id": p.passageId },
            h("div", { class: "pick-head" }, box, h("label", { for: boxId }, passageLabel(p))),
            h("p", { id: `${boxId}-text`, class: "pick-text" }, p.text),
          );
        }),
      );
    } catch (error) {
      if (ctx.current()) pickerStatus.textContent = error instanceof Error ? error.message : "检索失败";
    } finally {
      pickerResults.removeAttribute("aria-busy");
    }
  }

  /** Runs the server's figure check on the draft and shows its result; true when it passes. */
  async function runCheck(draft: CuratedDraft): Promise<boolean> {
    checkBox.replaceChildren(h("p", { class: "hint" }, "正在核对数字…"));
    const result = await ctx.client.json<FigureCheckResult>("POST", "/api/curated/check", { answer: draft.answer, citations: draft.citations });
    lastCheck = { key: draftKey(), result };
    const described = describeFigureCheck(result);
    checkBox.replaceChildren(h("p", { class: described.ok ? "success" : "error", "data-ok": String(described.ok) }, described.text));
    return described.ok;
  }

  function showError(text: string): void {
    message.replaceChildren(h("p", { class: "error", role: "alert" }, text));
  }

  async function check(): Promise<void> {
    const draft = readDraft();
    if (!draft.answer || !draft.citations.length) {
      checkBox.replaceChildren(h("p", { class: "error" }, !draft.answer ? "请先填写答案" : "请先勾选引用段落"));
      return;
    }
    try {
      await runCheck(draft);
    } catch (error) {
      checkBox.replaceChildren(h("p", { class: "error" }, error instanceof Error ? error.message : "核对失败"));
    }
  }

  let saving = false;
  async function save(): Promise<void> {
    if (saving) return;
    const draft = readDraft();
    const problem = draftProblem(draft, reviewBy.value && reviewBy.value !== latest?.reviewBy ? bureauToday() : undefined);
    if (problem) {
      showError(problem);
      return;
    }
    saving = true;
    saveButton.disabled = true;
    message.replaceChildren();
    try {
      // The figure check is shown before anything is written; a failing draft is not sent.
      if (!(await runCheck(draft))) {
        checkBox.querySelector("p")?.setAttribute("tabindex", "-1");
        checkBox.querySelector<HTMLElement>("p")?.focus();
        return;
      }
      const content = { questions: draft.questions, answer: draft.answer, citations: draft.citations };
      if (!latest) {
        const ref = await ctx.client.json<CuratedRef>("POST", "/api/curated", { ...content, ...(draft.reviewBy ? { reviewBy: draft.reviewBy } : {}) });
        flash = { text: `已保存（第 ${ref.version} 版），市民提问时即可使用。`, tone: "ok" };
        ctx.go(`#/answers/${ref.id}`);
      } else {
        const ref = await ctx.client.json<CuratedRef>("PUT", `/api/curated/${latest.id}`, { version: latest.version, ...content, reviewBy: draft.reviewBy || null });
        flash = { text: `已保存（第 ${ref.version} 版）。`, tone: "ok" };
        ctx.go(`#/answers/${ref.id}`);
      }
    } catch (error) {
      if (error instanceof ApiError && error.status === 409 && latest) {
        conflictDraft = draft;
        flash = { text: "已被他人修改：已载入最新版本，请在此基础上重新修改后保存。", tone: "error" };
        ctx.go(`#/answers/${latest.id}`);
      } else showError(error instanceof Error ? error.message : "保存失败");
    } finally {
      saving = false;
      saveButton.disabled = false;
    }
  }

  async function retireAnswer(): Promise<void> {
    if (!latest) return;
    if (!window.confirm("停用后，此答案不再用于回答市民提问（历史版本保留，可随时恢复）。确定停用吗？")) return;
    try {
      const ref = await ctx.client.json<CuratedRef>("DELETE", `/api/curated/${latest.id}`);
      flash = { text: `已停用（第 ${ref.version} 版）。保存或恢复任一版本即重新启用。`, tone: "ok" };
    } catch (error) {
      flash = { text: error instanceof ApiError && error.status === 409 ? "已被他人修改：已载入最新版本。" : error instanceof Error ? error.message : "停用失败", tone: "error" };
    }
    ctx.go(`#/answers/${latest.id}`);
  }

  async function revert(version: number): Promise<void> {
    if (!latest) return;
    try {
      const ref = await ctx.client.json<CuratedRef>("POST", `/api/curated/${latest.id}/revert`, { version });
      flash = { text: `已恢复为第 ${version} 版的内容（现为第 ${ref.version} 版）。`, tone: "ok" };
    } catch (error) {
      flash = { text: error instanceof ApiError && error.status === 409 ? "已被他人修改：已载入最新版本。" : error instanceof Error ? `恢复失败：${error.message}` : "恢复失败", tone: "error" };
    }
    ctx.go(`#/answers/${latest.id}`);
  }

  function renderHistory(): HTMLElement {
    const newestFirst = [...history].reverse();
    const items = newestFirst.map((v) => {
      const index = history.indexOf(v);
      const before = index > 0 ? history[index - 1] : undefined;
      const same = history.slice(0, index).find((o) => sameContent(o, v) && o.status === v.status);
      const state = answerStateLabel(v);
      const head = h(
        "div",
        { class: "version-head" },
        h("h4", {}, `第 ${v.version} 版`),
        h("span", { class: `badge badge-${state.tone}` }, state.label),
        h("span", { class: "muted" }, `${v.author} · ${formatLocalTime(v.time)}`),
        same && before && !sameContent(before, v) ? h("span", { class: "muted" }, `（内容与第 ${same.version} 版相同）`) : "",
      );
      if (latest && v.version !== latest.version) {
        const button = h("button", { type: "button", class: "secondary", "data-testid": "revert-version", "data-version": v.version }, `恢复为第 ${v.version} 版`);
        button.addEventListener("click", () => void revert(v.version));
        head.append(button);
      }
      return h(
        "li",
        { class: "version", "data-testid": "history-version", "data-version": v.version },
        head,
        before ? versionChanges(before, v) : h("p", { class: "muted" }, "首次创建"),
        h("details", {}, h("summary", {}, "此版全文"), versionBody(v)),
      );
    });
    return h("section", { class: "history", "aria-labelledby": "history-heading" }, h("h3", { id: "history-heading" }, `修改历史（共 ${history.length} 版）`), h("ol", { class: "versions", reversed: true }, ...items));
  }

  function citationName(pid: string): string {
    const p = passages.get(pid);
    return p ? passageLabel(p) : pid;
  }

  function versionChanges(before: CuratedVersion, after: CuratedVersion): HTMLElement {
    const rows: Node[] = [];
    if (before.status !== after.status) rows.push(h("li", {}, after.status === "retired" ? "停用" : "重新启用"));
    const answerDiff = diffText(before.answer, after.answer);
    if (hasChanges(answerDiff)) rows.push(h("li", {}, "答案：", diffView(answerDiff)));
    const q = diffList(before.questions, after.questions);
    if (q.added.length) rows.push(h("li", {}, "新增问法：", h("ins", {}, q.added.join("；"))));
    if (q.removed.length) rows.push(h("li", {}, "删去问法：", h("del", {}, q.removed.join("；"))));
    const c = diffList(before.citations, after.citations);
    if (c.added.length) rows.push(h("li", {}, "新增引用：", h("ins", {}, c.added.map(citationName).join("；"))));
    if (c.removed.length) rows.push(h("li", {}, "删去引用：", h("del", {}, c.removed.map(citationName).join("；"))));
    if (!c.added.length && !c.removed.length && before.citations.join() !== after.citations.join()) rows.push(h("li", {}, "调整了引用顺序"));
    if ((before.reviewBy ?? "") !== (after.reviewBy ?? "")) rows.push(h("li", {}, `复核日期：${before.reviewBy ?? "未设"} → ${after.reviewBy ?? "未设"}`));
    if (!rows.length) rows.push(h("li", {}, "内容无变化"));
    return h("ul", { class: "changes", "aria-label": `第 ${after.version} 版相对第 ${before.version} 版的修改` }, ...rows);
  }

  function versionBody(v: CuratedVersion): HTMLElement {
    return h(
      "div",
      { class: "version-body" },
      h("p", { class: "hint" }, "问法："),
      h("ul", {}, ...v.questions.map((q) => h("li", {}, q))),
      h("p", { class: "hint" }, "答案："),
      h("p", { class: "answer-text" }, v.answer),
      h("p", { class: "hint" }, "引用："),
      h("ol", {}, ...v.citations.map((pid) => h("li", {}, citationName(pid)))),
      h("p", { class: "hint" }, `复核日期：${v.reviewBy ?? "未设"}`),
    );
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void save();
  });
  form.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
      event.preventDefault();
      void save();
    }
  });
  checkButton.addEventListener("click", () => void check());
  pickerForm.addEventListener("submit", (event) => {
    event.preventDefault();
    void search();
  });
  if (pickerInput.value) void search();
}

function sameContent(a: CuratedVersion, b: CuratedVersion): boolean {
  return a.answer === b.answer && a.questions.join("\n") === b.questions.join("\n") && a.citations.join() === b.citations.join() && (a.reviewBy ?? "") === (b.reviewBy ?? "");
}

/** A diff as inline text with <del>/<ins>; the sr-only words say which is which when read aloud. */
function diffView(segments: DiffSegment[]): HTMLElement {
  return h(
    "span",
    { class: "diff" },
    ...segments.map((s) =>
      s.kind === "same" ? s.text : s.kind === "removed" ? h("del", {}, h("span", { class: "sr-only" }, "〔删去〕"), s.text) : h("ins", {}, h("span", { class: "sr-only" }, "〔新增〕"), s.text),
    ),
  );
}

/** A cited passage from the loaded index, or undefined when it is gone (the editor says so). */
async function loadPassage(pid: string): Promise<PassageInfo | undefined> {
  try {
    return await publicJson<PassageInfo>(`/api/passages/${encodeURIComponent(pid)}`);
  } catch {
    return undefined;
  }
}
