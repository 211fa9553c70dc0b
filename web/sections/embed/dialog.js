// SPDX-License-Identifier: MIT
// The "Embed" dialog: the iframe snippet of the current state for a course page, with size
// presets, the parts to show and read-only as options, and a live preview of exactly that.

import { EMBED_PARTS } from '../../app/schema.js';
import { t } from '../../i18n.js';
import { h } from '../../ui/dom.js';

/** Frame sizes offered: [width, height] in CSS pixels; width null means the column's width. */
export const SIZES = Object.freeze([
  [640, 400],
  [800, 500],
  [960, 600],
  [null, 500],
]);

/** The snippet for `url` at `size`: text only, every attribute value escaped. */
export function snippet(url, [width, height], title) {
  const attr = (v) =>
    String(v).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const w = width === null ? '100%' : String(width);
  return (
    `<iframe src="${attr(url)}" width="${w}" height="${height}" title="${attr(title)}" ` +
    `style="border: 0; max-width: 100%;" loading="lazy"></iframe>`
  );
}

/** Mounts the dialog behind #embed-button; open() shows it (the first click loads this). */
export function mountEmbedDialog(app) {
  const { store } = app;
  const lang = () => store.get().lang;
  const options = { size: 1, hide: [], lock: false };

  const title = h('h2', { id: 'embed-title' });
  const sizeSelect = h(
    'select',
    { id: 'embed-size' },
    SIZES.map(([w, hh], i) => h('option', { value: String(i) }, `${w ?? '100%'} × ${hh}`)),
  );
  const sizeLabel = h('span');
  const showLabel = h('legend');
  const boxes = EMBED_PARTS.map((part) => {
    const box = h('input', { type: 'checkbox', checked: true, dataset: { part } });
    const text = h('span');
    return { part, box, text, label: h('label', { className: 'embed-part' }, box, ' ', text) };
  });
  const lockBox = h('input', { type: 'checkbox', id: 'embed-lock' });
  const lockText = h('span');
  const code = h('textarea', {
    id: 'embed-snippet',
    readOnly: true,
    rows: 4,
    spellcheck: false,
  });
  const copy = h('button', { id: 'embed-copy', type: 'button', className: 'primary' });
  const previewTitle = h('h3');
  const preview = h('iframe', { id: 'embed-preview', title: 'preview' });
  const close = h('button', { type: 'button', id: 'embed-close' });
  const dialog = h(
    'dialog',
    { id: 'embed-dialog', className: 'embed-dialog', attrs: { 'aria-labelledby': 'embed-title' } },
    title,
    h('label', { className: 'field', htmlFor: 'embed-size' }, sizeLabel, sizeSelect),
    h(
      'fieldset',
      { className: 'embed-parts' },
      showLabel,
      boxes.map((b) => b.label),
    ),
    h('label', { className: 'embed-part' }, lockBox, ' ', lockText),
    code,
    h('div', { className: 'embed-actions' }, copy, close),
    previewTitle,
    h('div', { className: 'embed-preview-box' }, preview),
  );
  document.body.append(dialog);

  const url = () => {
    const state = store.get();
    const embedded = { ...state, embed: { on: true, hide: [...options.hide], lock: options.lock } };
    return `${location.href.split('#')[0]}#${app.hashOf(embedded)}`;
  };
  let shown = '';
  function render() {
    const l = lang();
    title.textContent = t(l, 'embedTitle');
    sizeLabel.textContent = t(l, 'embedSize');
    showLabel.textContent = t(l, 'embedShow');
    for (const b of boxes) b.text.textContent = t(l, `part_${b.part}`);
    lockText.textContent = t(l, 'embedLock');
    copy.textContent = t(l, 'embedCopy');
    close.textContent = t(l, 'helpClose');
    previewTitle.textContent = t(l, 'embedPreview');
    const size = SIZES[options.size];
    const src = url();
    code.value = snippet(src, size, t(l, 'embedFrameTitle'));
    // The preview loads only when what it shows changed (a new page each time).
    if (dialog.open && src !== shown) {
      shown = src;
      preview.src = src;
    }
    preview.style.width = size[0] === null ? '100%' : `${size[0]}px`;
    preview.style.height = `${size[1]}px`;
  }
  sizeSelect.value = String(options.size);
  sizeSelect.addEventListener('change', () => {
    options.size = Number(sizeSelect.value);
    render();
  });
  for (const b of boxes) {
    b.box.addEventListener('change', () => {
      options.hide = boxes.filter((x) => !x.box.checked).map((x) => x.part);
      render();
    });
  }
  lockBox.addEventListener('change', () => {
    options.lock = lockBox.checked;
    render();
  });
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(code.value);
      copy.textContent = t(lang(), 'copied');
    } catch {
      code.focus();
      code.select();
      copy.textContent = t(lang(), 'copyManual');
    }
  });
  close.addEventListener('click', () => dialog.close());
  const open = () => {
    dialog.showModal();
    render();
  };
  document.getElementById('embed-button').addEventListener('click', open);
  store.watch(
    (s) => s,
    () => dialog.open && render(),
  );
  return { dialog, url, open };
}
