// SPDX-License-Identifier: MIT
// Small DOM helpers: elements built with properties and text children (never HTML parsed from
// text), and the page's inline icons.

let uid = 0;
/** A fresh element id with this prefix. */
export const nextId = (prefix) => `${prefix}-${++uid}`;

/** document.createElement with properties, attributes ({attrs}) and children; text only. */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  const { attrs, dataset, ...rest } = props;
  Object.assign(el, rest);
  for (const [k, v] of Object.entries(attrs ?? {})) el.setAttribute(k, v);
  Object.assign(el.dataset, dataset ?? {});
  for (const c of children.flat()) {
    if (c !== null && c !== undefined && c !== false) {
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
  }
  return el;
}

/** Sets el's text when it differs (an unchanged text is not written: no layout follows). */
export function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

/** Small inline icons (SVG built with DOM calls; nothing parsed from text). */
export function icon(name) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '14');
  svg.setAttribute('height', '14');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute(
    'd',
    name === 'remove' ? 'M4 4l8 8M12 4l-8 8' : 'M5.5 5.5h7v7h-7zM3.5 10.5v-7h7',
  );
  path.setAttribute('fill', 'none');
  path.setAttribute('stroke', 'currentColor');
  path.setAttribute('stroke-width', '1.6');
  path.setAttribute('stroke-linecap', 'round');
  path.setAttribute('stroke-linejoin', 'round');
  svg.append(path);
  return svg;
}

/** Adds a stylesheet link (once) and resolves when it has loaded (or failed: then with false). */
export function loadStyle(href) {
  // The single-file build has its styles inline already.
  if (globalThis.__optimEmbedded?.styles?.includes(href)) return Promise.resolve(true);
  const url = new URL(href, document.baseURI).href;
  const found = [...document.querySelectorAll('link[rel=stylesheet]')].find((l) => l.href === url);
  if (found) return Promise.resolve(true);
  return new Promise((resolve) => {
    const link = h('link', { rel: 'stylesheet', href });
    link.addEventListener('load', () => resolve(true));
    link.addEventListener('error', () => resolve(false));
    document.head.append(link);
  });
}

/** Saves `data` (a Blob, or text with `type`) as a file called `name`. */
export function download(name, data, type = 'text/plain') {
  const blob = data instanceof Blob ? data : new Blob([data], { type });
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The charts' colours from the page's CSS (light or dark): text, grid lines and the accent. */
export function chartTheme() {
  const css = getComputedStyle(document.documentElement);
  return {
    text: css.getPropertyValue('--chart-text').trim() || '#666',
    grid: css.getPropertyValue('--chart-grid').trim() || 'rgba(128,128,128,0.2)',
    accent: css.getPropertyValue('--accent').trim() || '#3451d1',
  };
}

/** A uPlot axis in the charts' style, from chartTheme(). */
export function axisStyle(theme) {
  return {
    stroke: theme.text,
    grid: { stroke: theme.grid, width: 1 },
    ticks: { stroke: theme.grid, width: 1 },
    font: '11px system-ui, sans-serif',
    labelFont: '11px system-ui, sans-serif',
  };
}
