import type { QuestionCluster } from "../../core/store/question-clusters.js";
import { h } from "../widget/dom.js";
import { csvFileName, formatLocalTime, modeLabel, questionsFromCluster, REPORT_KINDS, reportQuery, type ReportKind } from "./curated-format.js";
import type { StaffContext } from "./staff.js";

// "待补充的问题": clusters of what people asked and did not get (or disliked), largest first, with one
// click to write a curated answer for a cluster. The choice of kind and dates lasts for the session.

interface ReportBody {
  kind: ReportKind;
  questions: number;
  clusters: QuestionCluster[];
}

const filters: { kind: ReportKind; from: string; to: string } = { kind: "unanswered", from: "", to: "" };

export async function renderReport(ctx: StaffContext): Promise<void> {
  const status = h("p", { class: "status", role: "status", "aria-live": "polite", "data-testid": "report-status" });
  const results = h("div", { class: "report-results", "aria-busy": "true" });

  const kindInputs = REPORT_KINDS.map(({ kind, label }) => {
    const id = `report-kind-${kind}`;
    const input = h("input", { type: "radio", name: "report-kind", id, value: kind, checked: filters.kind === kind });
    input.addEventListener("change", () => {
      if (!input.checked) return;
      filters.kind = kind;
      void load();
    });
    return h("span", { class: "choice" }, input, h("label", { for: id }, label));
  });
  const from = h("input", { type: "date", id: "report-from", value: filters.from });
  const to = h("input", { type: "date", id: "report-to", value: filters.to });
  const csv = h("button", { type: "button", class: "secondary", "data-testid": "report-csv" }, "下载 CSV（Excel 可直接打开）");
  const form = h(
    "form",
    { class: "report-filters", "aria-label": "报告筛选" },
    h("fieldset", { class: "kinds" }, h("legend", {}, "问题类别"), ...kindInputs),
    h("span", { class: "field" }, h("label", { for: "report-from" }, "起始日期"), from),
    h("span", { class: "field" }, h("label", { for: "report-to" }, "截止日期"), to),
    h("button", { type: "submit", class: "secondary" }, "查看"),
    csv,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    filters.from = from.value;
    filters.to = to.value;
    void load();
  });
  csv.addEventListener("click", () => void download());

  ctx.root.replaceChildren(
    h(
      "section",
      { class: "panel", "aria-labelledby": "report-heading" },
      h("h2", { id: "report-heading", tabindex: "-1" }, "待补充的问题"),
      h("p", { class: "hint" }, "市民提过、但助手没有答出或被点踩的问题，按相似问法归类，次数多的在前。可为一类问题撰写人工答案，其问法会预先填入。"),
      form,
      status,
      results,
    ),
  );

  async function load(): Promise<void> {
    results.setAttribute("aria-busy", "true");
    status.textContent = "正在载入…";
    try {
      const body = await ctx.client.json<ReportBody>("GET", `/api/report/questions?${reportQuery(filters.kind, filters.from, filters.to)}`);
      if (!ctx.current()) return;
      const label = REPORT_KINDS.find((k) => k.kind === body.kind)?.label ?? "";
      status.textContent = body.clusters.length ? `${label}的问题共 ${body.questions} 条，归为 ${body.clusters.length} 类` : `这段时间没有${label}的问题`;
      results.replaceChildren(body.clusters.length ? clusterTable(body.clusters) : "");
    } catch (error) {
      if (!ctx.current()) return;
      status.textContent = "";
      results.replaceChildren(h("p", { class: "error", role: "alert" }, error instanceof Error ? error.message : "报告载入失败"));
    } finally {
      results.removeAttribute("aria-busy");
    }
  }

  async function download(): Promise<void> {
    filters.from = from.value;
    filters.to = to.value;
    status.textContent = "正在生成 CSV…";
    try {
      const { blob, headers } = await ctx.client.blob(`/api/report/questions?${reportQuery(filters.kind, filters.from, filters.to, "csv")}`);
      const url = URL.createObjectURL(blob);
      const link = h("a", { href: url, download: csvFileName(headers.get("content-disposition"), filters.kind), class: "sr-only" }, "下载");
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      status.textContent = "CSV 已开始下载";
    } catch (error) {
      status.textContent = error instanceof Error ? `下载失败：${error.message}` : "下载失败";
    }
  }

  function clusterTable(clusters: QuestionCluster[]): HTMLTableElement {
    const rows = clusters.map((cluster, i) => {
      const write = h("button", { type: "button", class: "secondary", "data-testid": "write-answer", "aria-describedby": `cluster-${i}` }, "撰写人工答案");
      write.addEventListener("click", () => {
        ctx.setPrefill({ questions: questionsFromCluster(cluster), search: cluster.representative });
        ctx.go("#/answers/new");
      });
      const others = cluster.examples.filter((q) => q !== cluster.representative);
      return h(
        "tr",
        { "data-testid": "report-cluster" },
        h(
          "td",
          {},
          h("span", { id: `cluster-${i}`, class: "representative" }, cluster.representative),
          others.length ? h("ul", { class: "examples", "aria-label": "相似问法" }, ...others.map((q) => h("li", {}, q))) : "",
        ),
        h("td", { class: "num" }, String(cluster.count)),
        h("td", { class: "time" }, formatLocalTime(cluster.firstSeen)),
        h("td", { class: "time" }, formatLocalTime(cluster.lastSeen)),
        h("td", {}, modeLabel(cluster.lastAnswerMode)),
        h("td", {}, write),
      );
    });
    return h(
      "table",
      { class: "data-table" },
      h("caption", { class: "sr-only" }, "问题归类"),
      h(
        "thead",
        {},
        h("tr", {}, ...["代表问题与相似问法", "次数", "首次提问", "最近提问", "最近回答方式", "操作"].map((label) => h("th", { scope: "col" }, label))),
      ),
      h("tbody", {}, ...rows),
    );
  }

  await load();
}
