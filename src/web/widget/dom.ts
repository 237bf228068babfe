type Child = Node | string | false | null | undefined;
type AttrValue = string | number | boolean | undefined;

/**
 * Creates an element with attributes and children. Text always goes in as text nodes (never HTML),
 * and there is deliberately no way to set a `style` attribute: a strict host CSP would block it.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, AttrValue> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (name === "class") el.className = String(value);
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  el.append(...children.filter((c): c is Node | string => c !== false && c !== null && c !== undefined));
  return el;
}

const SVG = "http://www.w3.org/2000/svg";

/** Icon paths (24×24, stroked), drawn with currentColor. */
const ICONS = {
  chat: "M4 5h16v11H9l-5 4z M8 9.5h8 M8 12.5h5",
  close: "M6 6l12 12 M18 6L6 18",
  send: "M4 12l16-8-6 16-2.5-6.5z M11.5 13.5L20 4",
  clear: "M5 7h14 M10 7V4.5h4V7 M7 7l1 13h8l1-13",
  back: "M15 5l-7 7 7 7",
  copy: "M8 8h11v12H8z M5 16V4h11",
  thumb: "M7 11v9H4v-9z M7 11l4-7c1.4 0 2.5 1.1 2.5 2.5V10h4.8a2 2 0 0 1 2 2.4l-1.3 6A2 2 0 0 1 17 20H7",
};

/** A decorative inline SVG icon (hidden from assistive technology; the button carries the label). */
export function icon(name: keyof typeof ICONS, extraClass = ""): SVGSVGElement {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  svg.setAttribute("class", extraClass ? `icon ${extraClass}` : "icon");
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", ICONS[name]);
  svg.append(path);
  return svg;
}
