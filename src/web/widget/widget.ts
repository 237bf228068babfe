import { askStreaming, ChatError, fetchPassage, sendFeedback, type ChatMeta, type ChatTurn, type Citation } from "./api.js";
import { splitCitations, stripSourcesLine } from "./answer-text.js";
import { h, icon } from "./dom.js";
import { EXAMPLES, stringsFor, type Strings } from "./i18n.js";
import { detectScript, scriptFromAnswer, type UiScript } from "./script-detect.js";
import { ConversationStore, type AssistantMessage, type Message } from "./store.js";
import { applyStyles } from "./styles.js";

/** Same bounds as the server's request schema. */
export const QUESTION_MAX = 500;
const HISTORY_ITEMS_MAX = 10;
const HISTORY_ITEM_CHARS_MAX = 2000;
/** The counter appears once a question is this close to the limit. */
const COUNTER_FROM = 400;

const FOCUSABLE = 'button:not([disabled]), textarea:not([disabled]), [href], [tabindex]:not([tabindex="-1"])';

interface PendingAnswer {
  question: string;
  controller: AbortController;
  element: HTMLElement;
  text: string;
  meta?: ChatMeta;
}

/** The chat widget: a launcher button and a dialog, rendered inside an open shadow root on `host`. */
export class ChatWidget {
  private readonly root: ShadowRoot;
  private readonly store: ConversationStore;
  private script: UiScript;
  private t: Strings;
  private messages: Message[] = [];
  private pending: PendingAnswer | undefined;
  private notice: HTMLElement | undefined;
  /** The element to give focus back to when the passage view closes. */
  private passageTrigger: HTMLElement | undefined;
  private passageRequest: AbortController | undefined;
  /** Where the conversation was scrolled to when the passage view replaced it. */
  private logScroll = 0;

  private readonly container: HTMLElement;
  private readonly launcher: HTMLButtonElement;
  private readonly launcherText: HTMLSpanElement;
  private readonly panel: HTMLElement;
  private readonly titleEl: HTMLHeadingElement;
  private readonly subtitleEl: HTMLParagraphElement;
  private readonly clearButton: HTMLButtonElement;
  private readonly closeButton: HTMLButtonElement;
  private readonly log: HTMLElement;
  private readonly composer: HTMLElement;
  private readonly input: HTMLTextAreaElement;
  private readonly inputLabel: HTMLLabelElement;
  private readonly sendButton: HTMLButtonElement;
  private readonly sendText: HTMLSpanElement;
  private readonly hint: HTMLElement;
  private readonly counter: HTMLElement;
  private readonly disclaimer: HTMLElement;
  private readonly passage: HTMLElement;
  private readonly announcer: HTMLElement;

  constructor(
    host: HTMLElement,
    private readonly api: string,
    initialScript: UiScript,
  ) {
    this.root = host.attachShadow({ mode: "open" });
    applyStyles(this.root);
    this.store = new ConversationStore(api);
    const saved = this.store.load();
    this.script = saved?.script ?? initialScript;
    this.t = stringsFor(this.script);

    this.launcherText = h("span");
    this.launcher = h("button", { type: "button", class: "launcher", "data-testid": "widget-launcher", "aria-haspopup": "dialog", "aria-expanded": "false" }, icon("chat"), this.launcherText);

    this.titleEl = h("h2", { class: "title", id: "qd-title" });
    this.subtitleEl = h("p", { class: "subtitle" });
    this.clearButton = h("button", { type: "button", class: "icon-button", "data-testid": "widget-clear" }, icon("clear"));
    this.closeButton = h("button", { type: "button", class: "icon-button", "data-testid": "widget-close" }, icon("close"));

    this.log = h("div", { class: "log", role: "log", "aria-live": "polite", "aria-relevant": "additions", "aria-labelledby": "qd-title", tabindex: "0" });
    this.inputLabel = h("label", { class: "sr-only", for: "qd-input" });
    this.input = h("textarea", { class: "input", id: "qd-input", rows: 1, "data-testid": "widget-input", "aria-describedby": "qd-hint qd-counter", enterkeyhint: "send" });
    this.sendText = h("span");
    this.sendButton = h("button", { type: "button", class: "send", "data-testid": "widget-send" }, icon("send"), this.sendText);
    this.hint = h("span", { id: "qd-hint", class: "hint", role: "status" });
    this.counter = h("span", { id: "qd-counter", class: "counter", hidden: true });
    this.disclaimer = h("span");
    this.composer = h(
      "div",
      { class: "composer" },
      this.inputLabel,
      h("div", { class: "composer-row" }, this.input, this.sendButton),
      h("div", { class: "composer-meta" }, h("span", {}, this.hint, this.disclaimer), this.counter),
    );
    this.passage = h("section", { class: "passage", "data-testid": "widget-passage", hidden: true, "aria-labelledby": "qd-passage-title" });
    this.announcer = h("div", { class: "sr-only", role: "status", "aria-live": "polite" });

    this.panel = h(
      "div",
      { class: "panel", id: "qd-panel", role: "dialog", "aria-modal": "true", "aria-labelledby": "qd-title", hidden: true, "data-testid": "widget-panel" },
      h("div", { class: "header" }, h("div", { class: "header-text" }, this.titleEl, this.subtitleEl), this.clearButton, this.closeButton),
      h("div", { class: "body" }, this.log, this.passage),
      this.composer,
      this.announcer,
    );
    this.container = h("div", { class: "root" }, this.launcher, this.panel);
    this.root.append(this.container);

    this.bindEvents();
    if (saved) {
      this.messages = saved.messages;
      this.input.value = saved.draft;
    }
    this.applyStrings();
    this.renderLog();
    this.updateCounter();
    const last = this.messages[this.messages.length - 1];
    if (last?.role === "user") this.showNotice(this.t.interrupted, last.text);
    if (saved?.open) this.open(false);
  }

  // ——— Opening, closing, focus ———

  open(focus = true): void {
    this.panel.hidden = false;
    this.launcher.hidden = true;
    this.launcher.setAttribute("aria-expanded", "true");
    this.scrollToEnd();
    if (focus) this.input.focus();
    this.persist();
  }

  close(): void {
    this.closePassage(false);
    this.panel.hidden = true;
    this.launcher.hidden = false;
    this.launcher.setAttribute("aria-expanded", "false");
    this.launcher.focus();
    this.persist();
  }

  private bindEvents(): void {
    this.launcher.addEventListener("click", () => this.open());
    this.closeButton.addEventListener("click", () => this.close());
    this.clearButton.addEventListener("click", () => this.clear());
    this.sendButton.addEventListener("click", () => this.submit());
    this.input.addEventListener("keydown", (event) => {
      // Enter sends; Shift+Enter is a new line; Enter that confirms an IME candidate (pinyin input) is not a send.
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
        event.preventDefault();
        this.submit();
      }
    });
    this.input.addEventListener("input", () => {
      this.updateCounter();
      this.persist();
    });
    this.panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        if (!this.passage.hidden) this.closePassage(true);
        else this.close();
      } else if (event.key === "Tab") this.trapFocus(event);
    });
  }

  /** Keeps Tab and Shift+Tab cycling inside the open panel (it is a modal dialog). */
  private trapFocus(event: KeyboardEvent): void {
    const focusable = [...this.panel.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => !el.closest("[hidden], [inert]") && el.getClientRects().length > 0);
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (!first || !last) return;
    const active = this.root.activeElement;
    if (event.shiftKey && (active === first || !this.panel.contains(active))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (active === last || !this.panel.contains(active))) {
      event.preventDefault();
      first.focus();
    }
  }

  // ——— Interface text in the user's script ———

  private setScript(script: UiScript): void {
    if (script === this.script) return;
    this.script = script;
    this.t = stringsFor(script);
    this.applyStrings();
    this.renderLog();
  }

  private applyStrings(): void {
    const t = this.t;
    this.container.lang = this.script === "traditional" ? "zh-Hant" : "zh-Hans";
    this.launcherText.textContent = t.launcher;
    this.launcher.setAttribute("aria-label", t.launcherLabel);
    this.titleEl.textContent = t.title;
    this.subtitleEl.textContent = t.subtitle;
    this.clearButton.setAttribute("aria-label", t.clear);
    this.clearButton.title = t.clear;
    this.closeButton.setAttribute("aria-label", t.close);
    this.closeButton.title = t.close;
    this.inputLabel.textContent = t.inputLabel;
    this.input.placeholder = t.placeholder;
    this.sendText.textContent = t.send;
    this.disclaimer.textContent = this.hint.textContent ? "" : t.disclaimer;
  }

  // ——— Asking ———

  private submit(): void {
    if (this.pending) return;
    const question = this.input.value.trim();
    if (!question) return this.setHint(this.t.empty);
    if ([...question].length > QUESTION_MAX) {
      this.setHint(this.t.tooLong(QUESTION_MAX));
      this.input.setAttribute("aria-invalid", "true");
      return;
    }
    this.setHint("");
    this.setScript(detectScript(question) ?? this.script);
    this.messages.push({ role: "user", text: question });
    this.log.append(this.renderUser(question));
    this.input.value = "";
    this.updateCounter();
    this.persist();
    this.ask(question);
  }

  /** Sends a question already shown in the log (first try or retry). */
  private ask(question: string): void {
    this.removeNotice();
    const history = this.historyBefore(question);
    const controller = new AbortController();
    const element = h("article", { class: "msg msg-assistant", "data-testid": "widget-answer", "aria-busy": "true" });
    element.append(this.renderTyping());
    const pending: PendingAnswer = { question, controller, element, text: "" };
    this.pending = pending;
    this.sendButton.disabled = true;
    this.log.append(element);
    this.scrollToEnd();

    askStreaming(
      this.api,
      question,
      history,
      {
        onMeta: (meta) => {
          pending.meta = meta;
          const script = scriptFromAnswer(meta.script);
          if (script) this.setScript(script);
        },
        onDelta: (text) => {
          pending.text += text;
          this.renderStreaming(pending);
        },
      },
      controller.signal,
    ).then(
      () => this.finish(pending),
      (error: unknown) => this.fail(pending, error),
    );
  }

  private finish(pending: PendingAnswer): void {
    if (this.pending !== pending) return;
    this.pending = undefined;
    this.sendButton.disabled = false;
    const meta = pending.meta;
    const message: AssistantMessage = {
      role: "assistant",
      answerId: meta?.answerId ?? "",
      text: pending.text,
      citations: meta?.citations ?? [],
      grounded: meta?.grounded ?? false,
      script: scriptFromAnswer(meta?.script) ?? this.script,
    };
    this.messages.push(message);
    const element = this.renderAssistant(message);
    pending.element.replaceWith(element);
    // Show the finished answer from its first line (a long one would otherwise be seen from its end);
    // .log is positioned, so offsetTop is measured within its scrolled content.
    this.log.scrollTop = element.offsetTop - 12;
    this.persist();
  }

  private fail(pending: PendingAnswer, error: unknown): void {
    if (this.pending !== pending) return;
    this.pending = undefined;
    this.sendButton.disabled = false;
    pending.element.remove();
    const failure = error instanceof ChatError ? error : new ChatError("network");
    const t = this.t;
    if (failure.kind === "too-long") {
      // Give the question back for editing instead of leaving an unanswerable turn in the log.
      this.dropLastUserMessage(pending.question);
      this.setHint(failure.detail ?? t.tooLong(QUESTION_MAX));
      return;
    }
    const text =
      failure.kind === "rate-limited"
        ? t.rateLimited(failure.retryAfter)
        : failure.kind === "network"
          ? t.network
          : failure.kind === "timeout"
            ? t.timeout
            : failure.kind === "interrupted"
              ? t.interrupted
              : (failure.detail ?? t.serverError);
    this.showNotice(text, pending.question, failure.kind === "rate-limited" ? (failure.retryAfter ?? 5) : 0);
  }

  private dropLastUserMessage(question: string): void {
    const last = this.messages[this.messages.length - 1];
    if (last?.role === "user" && last.text === question) this.messages.pop();
    this.renderLog();
    if (!this.input.value.trim()) this.input.value = question;
    this.updateCounter();
    this.persist();
    this.input.focus();
  }

  /** The turns before the question being asked, newest last, within the server's bounds. */
  private historyBefore(question: string): ChatTurn[] {
    const turns = this.messages.map((m): ChatTurn => ({ role: m.role, content: m.text.slice(0, HISTORY_ITEM_CHARS_MAX) }));
    const last = turns[turns.length - 1];
    if (last?.role === "user" && last.content === question.slice(0, HISTORY_ITEM_CHARS_MAX)) turns.pop();
    return turns.slice(-HISTORY_ITEMS_MAX);
  }

  /** An error line with a retry button; the question stays in the log and the input keeps any new draft. */
  private showNotice(text: string, question: string, waitSeconds = 0): void {
    this.removeNotice();
    const retry = h("button", { type: "button", "data-testid": "widget-retry" }, this.t.retry);
    retry.addEventListener("click", () => this.ask(question));
    if (waitSeconds > 0) {
      retry.disabled = true;
      setTimeout(() => (retry.disabled = false), waitSeconds * 1000);
    }
    this.notice = h("div", { class: "notice", role: "alert", "data-testid": "widget-error" }, h("span", {}, text), retry);
    this.log.append(this.notice);
    this.scrollToEnd();
  }

  private removeNotice(): void {
    this.notice?.remove();
    this.notice = undefined;
  }

  private clear(): void {
    this.pending?.controller.abort();
    this.pending = undefined;
    this.sendButton.disabled = false;
    this.messages = [];
    this.removeNotice();
    this.closePassage(false);
    this.store.clear();
    this.renderLog();
    this.persist();
    this.announce(this.t.cleared);
    this.input.focus();
  }

  private setHint(text: string): void {
    this.hint.textContent = text;
    this.disclaimer.textContent = text ? "" : this.t.disclaimer;
    if (!text) this.input.removeAttribute("aria-invalid");
  }

  private updateCounter(): void {
    const length = [...this.input.value].length;
    this.counter.hidden = length < COUNTER_FROM;
    this.counter.textContent = this.t.counter(length, QUESTION_MAX);
    const over = length > QUESTION_MAX;
    this.counter.classList.toggle("over", over);
    if (over) this.input.setAttribute("aria-invalid", "true");
    else if (this.input.getAttribute("aria-invalid")) this.setHint("");
  }

  private persist(): void {
    this.store.save({
      messages: this.messages,
      draft: this.input.value,
      open: !this.panel.hidden,
      script: this.script,
    });
  }

  private announce(text: string): void {
    this.announcer.textContent = "";
    // A fresh text node after a tick makes screen readers announce repeated messages too.
    setTimeout(() => (this.announcer.textContent = text), 50);
  }

  private scrollToEnd(): void {
    this.log.scrollTop = this.log.scrollHeight;
  }

  // ——— Rendering ———

  private renderLog(): void {
    const nodes: Node[] = [this.renderWelcome()];
    for (const message of this.messages) nodes.push(message.role === "user" ? this.renderUser(message.text) : this.renderAssistant(message));
    if (this.pending) nodes.push(this.pending.element);
    if (this.notice) nodes.push(this.notice);
    this.log.replaceChildren(...nodes);
    this.scrollToEnd();
  }

  private renderWelcome(): HTMLElement {
    const list = h("ul", { class: "examples" });
    for (const example of EXAMPLES[this.script]) {
      const button = h("button", { type: "button", class: "example", "data-testid": "widget-example" }, example);
      button.addEventListener("click", () => {
        if (this.pending) return;
        this.input.value = example;
        this.submit();
      });
      list.append(h("li", {}, button));
    }
    return h("div", { class: "welcome" }, h("p", {}, this.t.welcome), list);
  }

  private renderUser(text: string): HTMLElement {
    return h("div", { class: "msg msg-user" }, h("span", { class: "sr-only" }, `${this.t.you}：`), text);
  }

  private renderTyping(): HTMLElement {
    return h("div", { class: "typing", "data-testid": "widget-typing" }, h("span", { "aria-hidden": "true" }), h("span", { "aria-hidden": "true" }), h("span", { "aria-hidden": "true" }), h("em", { class: "typing-label" }, this.t.typing));
  }

  private renderStreaming(pending: PendingAnswer): void {
    const body = stripSourcesLine(pending.text, true);
    if (!body) return;
    const citations = pending.meta?.citations ?? [];
    pending.element.replaceChildren(h("span", { class: "sr-only" }, `${this.t.assistant}：`), this.renderAnswerText(body, citations));
    this.scrollToEnd();
  }

  private renderAnswerText(body: string, citations: Citation[]): HTMLElement {
    const byNumber = new Map(citations.map((c) => [c.n, c]));
    const container = h("div", { class: "answer-text" });
    for (const piece of splitCitations(body, new Set(byNumber.keys()))) {
      if (piece.kind === "text") {
        container.append(piece.text);
        continue;
      }
      const citation = byNumber.get(piece.n)!;
      const marker = h("button", { type: "button", class: "cite", "data-testid": "widget-citation", "data-n": piece.n, "aria-label": this.t.citation(piece.n, citation.title) }, `${piece.n}`);
      marker.addEventListener("click", () => this.openPassage(citation, marker));
      container.append(marker);
    }
    return container;
  }

  private renderAssistant(message: AssistantMessage): HTMLElement {
    const t = this.t;
    const article = h("article", { class: "msg msg-assistant", "data-testid": "widget-answer", "data-answer-id": message.answerId, lang: message.script === "traditional" ? "zh-Hant" : "zh-Hans" });
    article.append(h("span", { class: "sr-only" }, `${t.assistant}：`), this.renderAnswerText(stripSourcesLine(message.text), message.citations));

    if (message.citations.length) {
      const list = h("ol");
      for (const citation of message.citations) {
        const button = h(
          "button",
          { type: "button", class: "source", "data-testid": "widget-source" },
          h("span", { class: "source-n" }, `[${citation.n}]`),
          `《${citation.title}》${citation.year ? ` ${t.year(citation.year)}` : ""}${citation.section ? ` · ${citation.section}` : ""}`,
        );
        button.addEventListener("click", () => this.openPassage(citation, button));
        list.append(h("li", {}, button));
      }
      article.append(h("div", { class: "sources" }, h("h3", { class: "sources-title" }, t.sources), list));
    }
    article.append(this.renderActions(message));
    return article;
  }

  private renderActions(message: AssistantMessage): HTMLElement {
    const t = this.t;
    const status = h("span", { class: "action-status", role: "status" });
    const copy = h("button", { type: "button", class: "action", "data-testid": "widget-copy" }, icon("copy"), t.copy);
    copy.addEventListener("click", () => {
      copyText(message.text, this.root).then(
        () => (status.textContent = t.copied),
        () => (status.textContent = t.copyFailed),
      );
    });
    const actions = h("div", { class: "actions" }, copy);
    if (!message.answerId) return actions;

    const up = h("button", { type: "button", class: "action", "aria-label": t.helpful, title: t.helpful, "aria-pressed": String(message.rating === "up"), "data-testid": "widget-feedback-up" }, icon("thumb"));
    const down = h("button", { type: "button", class: "action", "aria-label": t.notHelpful, title: t.notHelpful, "aria-pressed": String(message.rating === "down"), "data-testid": "widget-feedback-down" }, icon("thumb", "flip"));
    const rate = (rating: "up" | "down", comment?: string) => {
      message.rating = rating;
      up.setAttribute("aria-pressed", String(rating === "up"));
      down.setAttribute("aria-pressed", String(rating === "down"));
      this.persist();
      sendFeedback(this.api, message.answerId, rating, comment).then(
        () => (status.textContent = t.feedbackThanks),
        () => (status.textContent = t.feedbackFailed),
      );
    };
    up.addEventListener("click", () => {
      form?.remove();
      if (message.rating !== "up") rate("up");
    });
    let form: HTMLElement | undefined;
    down.addEventListener("click", () => {
      if (message.rating === "down" || form) return;
      // Ask (optionally) what was wrong before posting, so one 👎 is one feedback record.
      const comment = h("textarea", { "aria-label": t.feedbackPrompt, placeholder: t.feedbackPrompt, maxlength: 1000, "data-testid": "widget-feedback-comment" });
      const submit = h("button", { type: "button", class: "action" }, t.feedbackSubmit);
      const skip = h("button", { type: "button", class: "action" }, t.feedbackSkip);
      const done = (text?: string) => {
        form?.remove();
        form = undefined;
        rate("down", text);
        down.focus();
      };
      submit.addEventListener("click", () => done(comment.value.trim() || undefined));
      skip.addEventListener("click", () => done());
      form = h("div", { class: "feedback-form" }, comment, h("div", { class: "feedback-buttons" }, submit, skip));
      actions.append(form);
      comment.focus();
    });
    actions.append(up, down, status);
    return actions;
  }

  // ——— The quoted passage ———

  private openPassage(citation: Citation, trigger: HTMLElement): void {
    const t = this.t;
    this.passageTrigger = trigger;
    this.passageRequest?.abort();
    const request = new AbortController();
    this.passageRequest = request;

    const back = h("button", { type: "button", class: "passage-back", "data-testid": "widget-passage-back" }, icon("back"), t.passageBack);
    back.addEventListener("click", () => this.closePassage(true));
    const heading = h("h3", { class: "passage-title", id: "qd-passage-title", tabindex: "-1" }, `《${citation.title}》`);
    const meta = h("p", { class: "passage-meta" }, [citation.year ? t.year(citation.year) : "", citation.section].filter(Boolean).join(" · "));
    const text = h("div", { class: "passage-body", "aria-busy": "true" }, h("p", { class: "passage-note" }, t.passageLoading), h("blockquote", { class: "passage-text" }, h("mark", {}, citation.quote)));
    this.passage.replaceChildren(
      h("div", { class: "passage-bar" }, back, h("span", { class: "passage-label" }, t.passageTitle)),
      h("div", { class: "passage-scroll" }, heading, meta, text),
    );
    this.logScroll = this.log.scrollTop;
    this.log.hidden = true;
    this.composer.inert = true;
    this.passage.hidden = false;
    heading.focus();

    fetchPassage(this.api, citation.passageId, request.signal).then(
      (passage) => {
        if (request.signal.aborted) return;
        text.replaceChildren(h("p", { class: "passage-text" }, ...highlightQuote(passage.text, citation.quote)));
        text.removeAttribute("aria-busy");
      },
      () => {
        if (request.signal.aborted) return;
        text.firstElementChild!.textContent = t.passageFailed;
        text.removeAttribute("aria-busy");
      },
    );
  }

  private closePassage(restoreFocus: boolean): void {
    if (this.passage.hidden) return;
    this.passageRequest?.abort();
    this.passage.hidden = true;
    this.passage.replaceChildren();
    this.log.hidden = false;
    this.log.scrollTop = this.logScroll;
    this.composer.inert = false;
    if (restoreFocus && this.passageTrigger?.isConnected) this.passageTrigger.focus();
    else if (restoreFocus) this.input.focus();
    this.passageTrigger = undefined;
  }
}

/** The passage text with the quoted sentence(s) marked; the whole text when the quote isn't found verbatim. */
function highlightQuote(text: string, quote: string): Node[] {
  const at = quote ? text.indexOf(quote) : -1;
  if (at < 0) return [document.createTextNode(text)];
  return [document.createTextNode(text.slice(0, at)), h("mark", {}, quote), document.createTextNode(text.slice(at + quote.length))];
}

/** Copies text: the async Clipboard API where allowed, else a hidden textarea and execCommand (plain-http hosts). */
async function copyText(text: string, root: ShadowRoot): Promise<void> {
  if (navigator.clipboard?.writeText && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return;
    } catch {
      // Permission refused: fall through to the legacy path.
    }
  }
  const area = h("textarea", { class: "sr-only", readonly: true, "aria-hidden": "true" });
  area.value = text;
  root.append(area);
  area.select();
  const ok = document.execCommand("copy");
  area.remove();
  if (!ok) throw new Error("copy refused");
}
