// SPDX-License-Identifier: Apache-2.0
// Highlighted JSON built from DOM text nodes (never HTML strings: the document is hostile input).

const TOKEN = /("(?:[^"\\]|\\.)*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;

function span(cls: string, text: string): HTMLSpanElement {
  const s = document.createElement('span');
  s.className = cls;
  s.textContent = text;
  return s;
}

/** Fill `pre` with `value` pretty-printed and highlighted (keys, strings, numbers, literals). */
export function renderJson(pre: HTMLElement, value: unknown): void {
  pre.replaceChildren();
  if (value === undefined) return;
  const text = JSON.stringify(value, null, 2);
  let last = 0;
  for (const m of text.matchAll(TOKEN)) {
    const at = m.index ?? 0;
    if (at > last) pre.append(text.slice(last, at));
    if (m[1] !== undefined) {
      pre.append(span(m[2] === undefined ? 's' : 'k', m[1]));
      if (m[2] !== undefined) pre.append(m[2]);
    } else if (m[3] !== undefined) pre.append(span('b', m[3]));
    else pre.append(span('n', m[0]));
    last = at + m[0].length;
  }
  pre.append(text.slice(last));
}
