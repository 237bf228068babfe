// Colours: the bureau's deep blue on white. Every text/background pair here is ≥ 4.5:1 (WCAG AA).
const CSS = `
:host {
  all: initial !important;
  display: block !important;
  position: fixed !important;
  top: 0 !important; left: 0 !important;
  width: 0 !important; height: 0 !important;
  z-index: 2147483000 !important;
  visibility: visible !important;
  opacity: 1 !important;
  transform: none !important;
}
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
.root {
  --blue: #0b4a8f; --blue-dark: #083a70; --blue-soft: #eaf1fa; --line: #d5dde8;
  --text: #1f2933; --muted: #4a5866; --bg: #f5f7fa; --danger: #a61b1b;
  font-family: "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", system-ui, sans-serif;
  font-size: 15px; line-height: 1.65; color: var(--text); letter-spacing: 0;
  -webkit-font-smoothing: antialiased; text-align: left; direction: ltr;
}
.root:lang(zh-Hant) { font-family: "PingFang TC", "Microsoft JhengHei", "Noto Sans CJK TC", "Source Han Sans TC", system-ui, sans-serif; }
button, textarea { font: inherit; color: inherit; letter-spacing: inherit; margin: 0; }
button { cursor: pointer; }
:focus-visible { outline: 3px solid #d97706; outline-offset: 2px; }
.icon { width: 20px; height: 20px; fill: none; stroke: currentColor; stroke-width: 2; stroke-linecap: round; stroke-linejoin: round; flex: none; }
.sr-only { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }

.launcher {
  position: fixed; right: 24px; bottom: 24px;
  display: inline-flex; align-items: center; gap: 8px;
  height: 52px; padding: 0 22px 0 18px; border: 0; border-radius: 26px;
  background: var(--blue); color: #fff; font-size: 16px; font-weight: 600;
  box-shadow: 0 6px 20px rgba(11, 74, 143, .35);
}
.launcher:hover { background: var(--blue-dark); }
.launcher .icon { width: 22px; height: 22px; }

.panel {
  position: fixed; right: 24px; bottom: 24px;
  width: 400px; max-width: calc(100vw - 32px);
  height: 680px; max-height: calc(100vh - 48px);
  display: flex; flex-direction: column; overflow: hidden;
  background: #fff; border: 1px solid var(--line); border-radius: 12px;
  box-shadow: 0 16px 48px rgba(15, 30, 60, .28);
}
.header { display: flex; align-items: center; gap: 8px; padding: 12px 12px 12px 18px; background: var(--blue); color: #fff; flex: none; }
.header-text { flex: 1; min-width: 0; }
.title { margin: 0; font-size: 17px; font-weight: 700; line-height: 1.4; }
.subtitle { margin: 0; font-size: 12px; line-height: 1.4; color: #dbe7f5; }
.icon-button { display: inline-flex; align-items: center; justify-content: center; width: 40px; height: 40px; border: 0; border-radius: 8px; background: transparent; color: #fff; }
.icon-button:hover { background: rgba(255, 255, 255, .16); }

.body { flex: 1; min-height: 0; display: flex; flex-direction: column; }
.log { position: relative; flex: 1; min-height: 0; overflow-y: auto; padding: 16px; background: var(--bg); display: flex; flex-direction: column; gap: 12px; overscroll-behavior: contain; }
.welcome { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px; }
.welcome p { margin: 0; }
.examples { list-style: none; margin: 8px 0 0; padding: 0; display: grid; gap: 6px; }
.example { display: block; width: 100%; text-align: left; padding: 8px 12px; border: 1px solid #c3d3e8; border-radius: 8px; background: var(--blue-soft); color: var(--blue); font-size: 14px; line-height: 1.5; }
.example:hover { border-color: var(--blue); }

.msg { max-width: 92%; word-break: break-word; overflow-wrap: anywhere; }
.msg-user { align-self: flex-end; padding: 8px 14px; border-radius: 14px 14px 4px 14px; background: var(--blue); color: #fff; white-space: pre-wrap; }
.msg-assistant { align-self: flex-start; width: 92%; padding: 12px 14px; border: 1px solid var(--line); border-radius: 14px 14px 14px 4px; background: #fff; }
.answer-text { white-space: pre-wrap; }
.cite {
  display: inline-block; min-width: 22px; height: 20px; margin: 0 2px; padding: 0 5px;
  border: 1px solid #9fb8d9; border-radius: 5px; background: var(--blue-soft); color: var(--blue);
  font-size: 12px; font-weight: 700; line-height: 18px; text-align: center; vertical-align: 2px;
}
.cite:hover { background: var(--blue); color: #fff; }
.sources { margin-top: 10px; padding-top: 8px; border-top: 1px dashed var(--line); font-size: 13px; line-height: 1.55; color: var(--muted); }
.sources-title { margin: 0 0 4px; font-size: 13px; font-weight: 700; color: var(--muted); }
.sources ol { list-style: none; margin: 0; padding: 0; display: grid; gap: 4px; }
.source { display: block; width: 100%; padding: 2px 0; border: 0; background: none; color: var(--blue); text-align: left; text-decoration: underline; text-underline-offset: 3px; font-size: 13px; }
.source-n { font-weight: 700; margin-right: 4px; }
.actions { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; margin-top: 10px; }
.action { display: inline-flex; align-items: center; gap: 4px; height: 32px; padding: 0 10px; border: 1px solid var(--line); border-radius: 6px; background: #fff; color: var(--muted); font-size: 13px; }
.action .icon { width: 16px; height: 16px; }
.icon.flip { transform: scale(1, -1); }
.action:hover { border-color: var(--blue); color: var(--blue); }
.action[aria-pressed="true"] { border-color: var(--blue); background: var(--blue-soft); color: var(--blue); }
.action-status { font-size: 12px; color: var(--muted); }
.feedback-form { display: grid; gap: 6px; width: 100%; margin-top: 6px; }
.feedback-form textarea { width: 100%; min-height: 60px; padding: 6px 8px; border: 1px solid #8a96a3; border-radius: 6px; font-size: 13px; resize: vertical; }
.feedback-buttons { display: flex; gap: 6px; }

.typing { display: inline-flex; gap: 5px; align-items: center; height: 22px; }
.typing span { width: 7px; height: 7px; border-radius: 50%; background: #7b8794; animation: blink 1.2s infinite ease-in-out; }
.typing span:nth-child(2) { animation-delay: .2s; }
.typing span:nth-child(3) { animation-delay: .4s; }
@keyframes blink { 0%, 80%, 100% { opacity: .25; } 40% { opacity: 1; } }
.typing-label { margin-left: 8px; font-size: 13px; font-style: normal; color: var(--muted); }

.notice { align-self: stretch; display: flex; align-items: center; justify-content: space-between; gap: 10px; padding: 10px 12px; border: 1px solid #f0b8b0; border-radius: 8px; background: #fff5f3; color: var(--danger); font-size: 14px; }
.notice button { flex: none; height: 32px; padding: 0 14px; border: 1px solid var(--danger); border-radius: 6px; background: #fff; color: var(--danger); font-weight: 600; }
.notice button:disabled { opacity: .6; cursor: default; }

.composer { flex: none; padding: 10px 12px 8px; border-top: 1px solid var(--line); background: #fff; }
.composer-row { display: flex; align-items: flex-end; gap: 8px; }
.input {
  flex: 1; min-width: 0; min-height: 44px; max-height: 140px; field-sizing: content;
  padding: 10px 12px; border: 1px solid #8a96a3; border-radius: 8px; background: #fff;
  font-size: 15px; line-height: 1.5; resize: none;
}
.input:focus { border-color: var(--blue); outline: 2px solid var(--blue); outline-offset: -1px; }
.input[aria-invalid="true"] { border-color: var(--danger); }
.send { display: inline-flex; align-items: center; gap: 4px; height: 44px; padding: 0 14px; border: 0; border-radius: 8px; background: var(--blue); color: #fff; font-weight: 600; }
.send:hover { background: var(--blue-dark); }
.send:disabled { background: #c1c9d2; color: #3e4c59; cursor: default; }
.composer-meta { display: flex; justify-content: space-between; gap: 8px; margin-top: 4px; font-size: 12px; line-height: 1.5; color: var(--muted); }
.hint { color: var(--danger); }
.counter { flex: none; font-variant-numeric: tabular-nums; }
.counter.over { color: var(--danger); font-weight: 700; }

.passage { flex: 1; min-height: 0; display: flex; flex-direction: column; background: #fff; }
.passage-bar { display: flex; align-items: center; gap: 6px; padding: 8px 12px; border-bottom: 1px solid var(--line); flex: none; }
.passage-back { display: inline-flex; align-items: center; gap: 2px; height: 36px; padding: 0 10px 0 4px; border: 0; border-radius: 6px; background: none; color: var(--blue); font-weight: 600; }
.passage-back:hover { background: var(--blue-soft); }
.passage-label { margin-left: auto; font-size: 13px; color: var(--muted); }
.passage-scroll { flex: 1; overflow-y: auto; padding: 14px 18px 20px; }
.passage-title { margin: 0; font-size: 16px; font-weight: 700; line-height: 1.5; }
.passage-title:focus { outline: none; }
.passage-meta { margin: 4px 0 12px; font-size: 13px; color: var(--muted); }
.passage-text { margin: 0; white-space: pre-wrap; line-height: 1.8; }
.passage-note { margin: 0 0 8px; font-size: 13px; color: var(--muted); }
mark { background: #ffe58f; color: inherit; padding: 1px 0; border-radius: 2px; }

@media (max-width: 520px) {
  .launcher { right: 16px; bottom: 16px; }
  .panel { top: 0; right: 0; bottom: 0; left: 0; width: 100%; max-width: none; height: 100%; max-height: none; border: 0; border-radius: 0; }
  .input { font-size: 16px; }
}
@media (prefers-reduced-motion: reduce) {
  .typing span { animation: none; opacity: .6; }
}
@media (forced-colors: active) {
  .launcher, .send, .cite, .example, .action { border: 1px solid ButtonText; }
}
`;

/**
 * Applies the widget's styles to its shadow root through a constructable stylesheet, which a strict
 * host CSP (style-src without 'unsafe-inline') does not block, unlike a <style> element.
 */
export function applyStyles(root: ShadowRoot): void {
  if ("adoptedStyleSheets" in root && typeof CSSStyleSheet === "function" && "replaceSync" in CSSStyleSheet.prototype) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
    return;
  }
  // Old engines: a <style> element (works wherever the host CSP allows inline styles).
  const style = document.createElement("style");
  style.textContent = CSS;
  root.append(style);
}
