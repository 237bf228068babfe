import { scriptFromLang } from "./script-detect.js";
import { ChatWidget } from "./widget.js";

// Entry of widget.js, embedded as <script src="https://HOST/widget.js" data-api="https://HOST" async>.
// Bundled as an IIFE: nothing is added to the host page's globals, and everything visible lives in a
// shadow root on one <qd-edu-assistant> element.

const HOST_TAG = "qd-edu-assistant";

/** The API base: the tag's data-api, else the origin widget.js was loaded from. */
function apiBase(script: HTMLOrSVGScriptElement | null): string {
  const declared = script?.getAttribute("data-api")?.trim();
  const src = script instanceof HTMLScriptElement && script.src ? script.src : document.baseURI;
  return new URL(declared || "/", src).href.replace(/\/+$/, "");
}

// currentScript is null when a tag manager or bundler runs the file another way: find the tag instead.
const api = apiBase(document.currentScript ?? document.querySelector<HTMLScriptElement>('script[src*="widget.js"]'));

function mount(): void {
  // The tag pasted twice must not give two widgets.
  if (document.querySelector(HOST_TAG)) return;
  const host = document.createElement(HOST_TAG);
  document.body.append(host);
  new ChatWidget(host, api, scriptFromLang(document.documentElement.lang) ?? "simplified");
}

if (document.body) mount();
else document.addEventListener("DOMContentLoaded", mount, { once: true });
