// SPDX-License-Identifier: MIT
// The page's frame around the sections: the language picker, "Copy link", the keyboard help
// and the alert that names every problem (of a link, of a typed value, of a run). The alert's
// lines are text, never HTML.

import * as actions from '../../app/actions.js';
import { errorText } from '../../engine.js';
import { loadLanguage, t, translatePage } from '../../i18n.js';
import { h } from '../../ui/dom.js';

/**
 * The "Copy link" button: copies url() with the Clipboard API; without permission it shows
 * the link selected in a read-only field (and tries the older copy command). label(key)
 * gives the button's text for 'copyLink', 'copied' or 'copyManual'.
 */
function attachCopyLink(button, { url, label, fallback, field }) {
  let timer = 0;
  const text = button.querySelector('.label');
  const show = (key) => {
    text.textContent = label(key);
    button.classList.toggle('done', key === 'copied');
    clearTimeout(timer);
    timer = setTimeout(() => {
      text.textContent = label('copyLink');
      button.classList.remove('done');
    }, 2000);
  };
  button.addEventListener('click', async () => {
    const href = url();
    try {
      await navigator.clipboard.writeText(href);
      fallback.hidden = true;
      show('copied');
    } catch {
      fallback.hidden = false;
      field.value = href;
      field.focus();
      field.select();
      let copied = false;
      try {
        copied = document.execCommand('copy');
      } catch {
        copied = false;
      }
      show(copied ? 'copied' : 'copyManual');
    }
  });
}

/**
 * The alert model and its view (#alert in #toast): link problems ([{ field, message }]), the
 * latest problem of a typed value, and what went wrong at run time, by source (the runs, the
 * figure, a section). Each part is replaced whole.
 */
function createAlerts(lang) {
  // runtime: lines by source ('runs', 'figure', 'sections'), each source replaced whole.
  const parts = { link: [], input: '', runtime: {} };
  const render = () => {
    const items = [];
    if (parts.link.length) {
      items.push(h('p', { className: 'alert-title' }, t(lang(), 'linkProblems')));
      // Line breaks between the items keep textContent readable ("a: …\nb: …").
      const lines = parts.link.map(({ field, message }) =>
        h('li', {}, message.startsWith(field) ? message : `${field}: ${message}`),
      );
      items.push(
        h(
          'ul',
          {},
          lines.flatMap((li) => ['\n', li]),
        ),
      );
    }
    for (const line of [parts.input, ...Object.values(parts.runtime).flat()]) {
      if (line) items.push(h('p', {}, line));
    }
    const alert = document.getElementById('alert');
    alert.replaceChildren(...items.flatMap((item) => [item, '\n']));
    alert.hidden = items.length === 0;
    document.getElementById('toast').hidden = items.length === 0;
  };
  return {
    render,
    link(errors) {
      parts.link = errors;
      render();
    },
    /** The latest typed value's problem ('' or null clears it); returns it. */
    input(message) {
      if ((message ?? '') !== parts.input) {
        parts.input = message ?? '';
        render();
      }
      return message ?? null;
    },
    /** The problems `source` reports now ([] clears them). */
    runtime(source, lines) {
      if (lines.join('\n') === (parts.runtime[source] ?? []).join('\n')) return;
      parts.runtime[source] = lines;
      render();
    },
    clear() {
      parts.link = [];
      parts.input = '';
      parts.runtime = {};
      render();
    },
  };
}

/**
 * Mounts the top bar and the alert. `app.url()` gives the share link of the current state.
 * Returns the alerts ({ link, input, runtime, clear }).
 */
export function mountShell(app) {
  const { store } = app;
  const $ = (id) => document.getElementById(id);
  const lang = () => store.get().lang;
  const alerts = createAlerts(lang);
  $('alert-close').addEventListener('click', () => alerts.clear());
  $('lang').addEventListener('change', (e) => {
    const next = e.target.value;
    loadLanguage(next).then(
      () => store.update((s) => actions.setLang(s, next)),
      (err) => alerts.runtime('lang', [errorText(err)]),
    );
  });
  attachCopyLink($('copy-link'), {
    url: () => app.url(),
    label: (key) => t(lang(), key),
    fallback: $('share-fallback'),
    field: $('share-url'),
  });
  const help = $('help');
  $('help-button').addEventListener('click', () => help.showModal());
  store.watch(
    (s) => s.lang,
    (l) => {
      document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
      translatePage(document, l);
      $('lang').value = l;
      alerts.render();
    },
  );
  return alerts;
}
