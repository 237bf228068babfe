import { h } from "../widget/dom.js";
import { renderAnswerList } from "./answer-list-view.js";
import { renderEditor, type EditorPrefill } from "./editor-view.js";
import { renderReport } from "./report-view.js";
import { ApiError, staffClient, storedToken, storeToken, type StaffClient } from "./staff-api.js";

// The staff half of the console: sign-in with a staff token, and the views behind it — the report
// of questions people asked ("待补充的问题"), the list of curated answers and their editor. Views
// are addressed by the URL hash (#/report, #/answers, #/answers/new, #/answers/<id>), so the back
// button and a reload work. Signed out, none of the write controls exist in the page at all.

/** What a staff view gets: the signed-in client, its container, navigation and a status line. */
export interface StaffContext {
  client: StaffClient;
  root: HTMLElement;
  go(route: string): void;
  /** The draft the report hands to a new answer (consumed once). */
  takePrefill(): EditorPrefill | undefined;
  setPrefill(prefill: EditorPrefill): void;
  /** True while this render is still the current one (a later navigation makes it stale). */
  current(): boolean;
}

type Route = { view: "search" } | { view: "signin" } | { view: "report" } | { view: "answers" } | { view: "editor"; id?: string };

/** The view a location hash names. */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, "");
  if (path === "signin") return { view: "signin" };
  if (path === "report") return { view: "report" };
  if (path === "answers") return { view: "answers" };
  if (path === "answers/new") return { view: "editor" };
  const edit = /^answers\/(ca-[a-z0-9]{12})$/.exec(path);
  if (edit) return { view: "editor", id: edit[1]! };
  return { view: "search" };
}

export function startStaffConsole(): void {
  const bar = document.getElementById("staff-bar") as HTMLElement;
  const searchView = document.getElementById("view-search") as HTMLElement;
  const staffView = document.getElementById("view-staff") as HTMLElement;
  const saved = storedToken();
  let client: StaffClient | undefined;
  let prefill: EditorPrefill | undefined;
  let renderGeneration = 0;
  let firstRender = true;
  let notice = "";

  const signOut = (message = "") => {
    client = undefined;
    storeToken(undefined);
    notice = message;
    renderBar();
    if (parseRoute(location.hash).view !== "search") go("#/signin");
    else void render();
  };
  const makeClient = (t: string) => staffClient(t, () => signOut("登录已失效（令牌无效或已被吊销），请重新登录"));
  if (saved) client = makeClient(saved);

  function go(route: string): void {
    if (location.hash === route) void render();
    else location.hash = route;
  }

  function renderBar(): void {
    const route = parseRoute(location.hash).view;
    const link = (href: string, label: string, active: boolean) => h("a", { href, class: "nav-link", ...(active ? { "aria-current": "page" } : {}) }, label);
    if (!client) {
      bar.replaceChildren(link("#/", "政策查询", route === "search"), link("#/signin", "工作人员登录", route === "signin"));
      return;
    }
    const out = h("button", { type: "button", class: "nav-button", "data-testid": "sign-out" }, "退出登录");
    out.addEventListener("click", () => signOut("已退出登录"));
    bar.replaceChildren(
      link("#/", "政策查询", route === "search"),
      link("#/report", "待补充的问题", route === "report"),
      link("#/answers", "人工答案", route === "answers" || route === "editor"),
      out,
    );
  }

  function showSearch(): void {
    staffView.hidden = true;
    staffView.replaceChildren();
    searchView.hidden = false;
    if (!firstRender) (document.getElementById("q") as HTMLInputElement | null)?.focus();
  }

  function showStaff(...nodes: Node[]): HTMLElement {
    searchView.hidden = true;
    staffView.hidden = false;
    staffView.replaceChildren(...nodes);
    return staffView;
  }

  function renderSignIn(): void {
    const input = h("input", { id: "staff-token", name: "token", type: "password", autocomplete: "off", spellcheck: "false", required: true, "aria-describedby": "staff-token-hint" });
    const error = h("p", { id: "signin-error", class: "error", role: "alert" });
    const submit = h("button", { type: "submit", class: "primary" }, "登录");
    const form = h(
      "form",
      { class: "panel signin", "aria-labelledby": "signin-heading" },
      h("h2", { id: "signin-heading", tabindex: "-1" }, "工作人员登录"),
      notice ? h("p", { class: "notice", role: "status" }, notice) : "",
      h("label", { for: "staff-token" }, "工作人员令牌"),
      input,
      h("p", { id: "staff-token-hint", class: "hint" }, "令牌由管理员用 npm run staff -- add 生成。登录状态只保存在本浏览器标签页会话中，关闭浏览器即失效。"),
      error,
      submit,
    );
    notice = "";
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const typed = input.value.trim();
      if (!typed) {
        error.textContent = "请输入工作人员令牌";
        input.focus();
        return;
      }
      submit.disabled = true;
      error.textContent = "";
      // The token is checked with a read every editor may do; nothing is stored until it passes.
      const candidate = staffClient(typed, () => undefined);
      candidate.json("GET", "/api/curated").then(
        () => {
          storeToken(typed);
          client = makeClient(typed);
          // A staff link opened while signed out (#/answers/ca-…) is where the editor wanted to go.
          const wanted = parseRoute(location.hash).view;
          go(wanted === "signin" || wanted === "search" ? "#/report" : location.hash);
        },
        (failure: unknown) => {
          submit.disabled = false;
          error.textContent = failure instanceof ApiError && failure.status === 401 ? "令牌无效或已被吊销，请核对后重试" : failure instanceof Error ? failure.message : "登录失败";
          input.select();
          input.focus();
        },
      );
    });
    showStaff(form);
    input.focus();
  }

  async function render(): Promise<void> {
    const mine = ++renderGeneration;
    const route = parseRoute(location.hash);
    renderBar();
    if (route.view === "search") {
      showSearch();
      firstRender = false;
      return;
    }
    firstRender = false;
    if (!client || route.view === "signin") {
      if (client && route.view === "signin") return go("#/report");
      if (route.view !== "signin" && !notice) notice = "请先登录";
      renderSignIn();
      return;
    }
    const context: StaffContext = {
      client,
      root: showStaff(),
      go,
      takePrefill: () => {
        const p = prefill;
        prefill = undefined;
        return p;
      },
      setPrefill: (p) => (prefill = p),
      current: () => mine === renderGeneration,
    };
    if (route.view === "report") await renderReport(context);
    else if (route.view === "answers") await renderAnswerList(context);
    else await renderEditor(context, route.id);
    // Move focus to the new view's heading so keyboard and screen-reader users start there.
    if (mine === renderGeneration) staffView.querySelector<HTMLElement>("h2[tabindex]")?.focus();
  }

  window.addEventListener("hashchange", () => void render());
  void render();
}
