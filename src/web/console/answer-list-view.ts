import type { CuratedVersion } from "../../core/store/types.js";
import { h } from "../widget/dom.js";
import { answerStateLabel, formatLocalTime } from "./curated-format.js";
import type { StaffContext } from "./staff.js";

// Every curated answer at its latest version, newest first; the ones past their review date are
// flagged 待复核 (the chat no longer serves them until an editor saves them with a new date).

/** GET /api/curated: the latest version of each answer, with whether it is past its review date. */
export interface CuratedListBody {
  today: string;
  answers: (CuratedVersion & { needsReview: boolean })[];
}

export async function renderAnswerList(ctx: StaffContext): Promise<void> {
  const status = h("p", { class: "status", role: "status", "aria-live": "polite" }, "正在载入…");
  const results = h("div", { "aria-busy": "true" });
  const create = h("a", { href: "#/answers/new", class: "button-link primary-link", "data-testid": "new-answer" }, "新建人工答案");
  ctx.root.replaceChildren(
    h(
      "section",
      { class: "panel", "aria-labelledby": "answers-heading" },
      h("div", { class: "panel-head" }, h("h2", { id: "answers-heading", tabindex: "-1" }, "人工答案"), create),
      h("p", { class: "hint" }, "市民的问题与下列任一问法相符或意思相近时，直接以人工答案回复，并注明审核日期。超过复核日期的答案暂停使用，需重新审核后保存。"),
      status,
      results,
    ),
  );
  try {
    const body = await ctx.client.json<CuratedListBody>("GET", "/api/curated");
    if (!ctx.current()) return;
    const due = body.answers.filter((a) => a.needsReview).length;
    status.textContent = body.answers.length ? `共 ${body.answers.length} 条人工答案${due ? `，其中 ${due} 条待复核` : ""}` : "还没有人工答案。可在“待补充的问题”中为一类问题撰写，或点击“新建人工答案”。";
    results.replaceChildren(body.answers.length ? answerTable(body) : "");
  } catch (error) {
    if (!ctx.current()) return;
    status.textContent = "";
    results.replaceChildren(h("p", { class: "error", role: "alert" }, error instanceof Error ? error.message : "载入失败"));
  } finally {
    results.removeAttribute("aria-busy");
  }
}

function answerTable(body: CuratedListBody): HTMLTableElement {
  const rows = body.answers.map((answer) => {
    const state = answerStateLabel(answer);
    const first = answer.questions[0] ?? answer.id;
    return h(
      "tr",
      { "data-testid": "answer-row", "data-answer-id": answer.id, class: state.tone === "warn" ? "row-warn" : "" },
      h(
        "td",
        {},
        h("a", { href: `#/answers/${answer.id}`, class: "answer-link" }, first),
        answer.questions.length > 1 ? h("span", { class: "muted" }, ` 等 ${answer.questions.length} 种问法`) : "",
        h("p", { class: "answer-excerpt" }, answer.answer.length > 80 ? `${answer.answer.slice(0, 80)}…` : answer.answer),
      ),
      h("td", {}, h("span", { class: `badge badge-${state.tone}`, "data-testid": "answer-state" }, state.label)),
      h("td", { class: "num" }, `第 ${answer.version} 版`),
      h("td", { class: "time" }, answer.reviewBy ?? "未设"),
      h("td", { class: "time" }, `${answer.author} · ${formatLocalTime(answer.time)}`),
    );
  });
  return h(
    "table",
    { class: "data-table" },
    h("caption", { class: "sr-only" }, `人工答案列表（今天 ${body.today}）`),
    h("thead", {}, h("tr", {}, ...["问题", "状态", "版本", "复核日期", "最后修改"].map((label) => h("th", { scope: "col" }, label)))),
    h("tbody", {}, ...rows),
  );
}
