/* Building the forms' markup: elements, text, links and focus, with no HTML strings. */

let counter = 0;

/* An id unique on the page: "portal-<prefix>-<n>". */
export function uid(prefix) {
  counter += 1;
  return `portal-${prefix}-${counter}`;
}

/* Append children: a node, a string or number (as text), an array of them; null is skipped. */
export function append(node, children) {
  if (children === null || children === undefined || children === false) {
    return node;
  }
  if (Array.isArray(children)) {
    children.forEach((child) => append(node, child));
  } else if (typeof children === "string" || typeof children === "number") {
    node.appendChild(document.createTextNode(String(children)));
  } else {
    node.appendChild(children);
  }
  return node;
}

/* h("p", {className: "x", text: "…", onclick: fn, "aria-live": "polite"}, children) */
export function h(tag, attrs, children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name === "text") {
      node.textContent = value;
    } else if (name === "className") {
      node.className = value;
    } else if (name.startsWith("on") && typeof value === "function") {
      node.addEventListener(name.slice(2), value);
    } else {
      node.setAttribute(name, value === true ? "" : String(value));
    }
  }
  return append(node, children);
}

/* The polite, atomic region where a form or app announces errors and results. */
export function liveAlert(prefix) {
  return h("div", {
    className: "portal-alert",
    id: uid(prefix),
    "aria-live": "polite",
    "aria-atomic": "true",
  });
}

export function clear(node) {
  while (node.firstChild) {
    node.removeChild(node.firstChild);
  }
  return node;
}

/* Move the focus to a heading, so screen readers announce the new step or view. */
export function focusHeading(heading) {
  if (heading) {
    heading.setAttribute("tabindex", "-1");
    heading.focus();
  }
}

export function link(href, text) {
  return h("a", { href, text });
}

/* An address in running text, without the punctuation that ends its sentence. */
const ADDRESS = /(https?:\/\/[^\s<>"]+[^\s<>".,;:!?)])/;

/* Plain text with line breaks → paragraphs; http(s) addresses become links. */
export function richText(text) {
  const fragment = document.createDocumentFragment();
  for (const block of String(text || "").split(/\n{2,}/)) {
    const paragraph = h("p");
    block.split("\n").forEach((line, index) => {
      if (index > 0) {
        paragraph.appendChild(h("br"));
      }
      line.split(ADDRESS).forEach((piece, part) => {
        if (part % 2 === 1) {
          paragraph.appendChild(h("a", { href: piece, rel: "noopener noreferrer", text: piece }));
        } else if (piece) {
          paragraph.appendChild(document.createTextNode(piece));
        }
      });
    });
    fragment.appendChild(paragraph);
  }
  return fragment;
}
