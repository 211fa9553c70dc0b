// SPDX-License-Identifier: MIT
// The page inside a course page's iframe: embed=1 lets the figure fill the frame and hides the
// page's chrome, hide= leaves parts out, lock=1 makes it read-only (playback still works), and
// "Open in the playground" carries the state to the full page. The hosting page drives it with
// messages (model.js): only messages from the embedding window are read, each is checked like
// a link, and replies go to the sender's origin.

import { defaultEmbed } from '../../app/schema.js';
import { t } from '../../i18n.js';
import { error, event, readRequest, result, resultsOf } from './model.js';

/** Problems of a setState hash listed in its error reply, at most. */
const MAX_LISTED = 5;

/**
 * Mounts the embedding: the mode's attributes on <body> (CSS does the rest), the lock, the
 * "Open in the playground" link and the message API. `app.hashOf(state)` gives a state's link
 * hash, `app.browserLang` the language links are read with.
 */
export function mountEmbed(app) {
  const { store } = app;
  const body = document.body;
  const open = document.getElementById('open-full');
  const locked = () => store.get().embed.lock;
  app.locked = locked;

  store.watch(
    (s) => [s.embed, s.lang],
    ([embed, lang]) => {
      if (embed.on) body.dataset.embed = '1';
      else delete body.dataset.embed;
      body.dataset.hide = embed.hide.join(' ');
      if (embed.lock) body.dataset.lock = '1';
      else delete body.dataset.lock;
      // A locked page takes no edits: its inputs are inert; the figure's gestures check locked().
      for (const el of document.querySelectorAll('[data-editable]')) el.inert = embed.lock;
      open.hidden = !embed.on;
      open.textContent = t(lang, 'openFull');
    },
  );
  // The full page's link: this state without the embedding's fields (shown only when embedded).
  store.watch(
    (s) => s,
    (state) => {
      if (!state.embed.on) return;
      const base = location.href.split('#')[0];
      open.href = `${base}#${app.hashOf({ ...state, embed: defaultEmbed() })}`;
    },
  );

  // --- messages from the hosting page --------------------------------------------------------
  const host = window.parent !== window ? window.parent : null;
  /** Where events go: the origin of the last valid request, until then any (they hold only a link). */
  let hostOrigin = '*';
  const send = (message, origin = hostOrigin) => host?.postMessage(message, origin);

  async function answer(request) {
    const { id, type } = request;
    const state = store.get();
    switch (type) {
      case 'getState':
        return result(id, type, { hash: app.hashOf(state) });
      case 'setState': {
        // Read as a link is: a chapter's short link opens its set-up.
        const { state: next, errors } = await app.readLink(request.hash);
        // A message is checked like a link, but a bad one changes nothing.
        if (errors.length) {
          const listed = errors.slice(0, MAX_LISTED).map((e) => e.message);
          const more =
            errors.length > MAX_LISTED ? ` (and ${errors.length - MAX_LISTED} more)` : '';
          return error(id, `setState: ${listed.join('; ')}${more}`);
        }
        store.replace(next);
        app.playback.restart();
        return result(id, type, { hash: app.hashOf(next) });
      }
      case 'play':
        if (!app.player.playing) app.playback.toggle();
        return result(id, type, { step: Math.floor(app.player.step) });
      case 'pause':
        if (app.player.playing) app.playback.toggle();
        return result(id, type, { step: Math.floor(app.player.step) });
      case 'step':
        app.playback.seek(Math.round(app.player.step) + request.delta);
        return result(id, type, { step: Math.floor(app.player.step) });
      case 'seek': {
        if (request.step > state.steps) {
          return error(id, `seek: step ${request.step} is beyond the race's ${state.steps} steps`);
        }
        app.playback.seek(request.step);
        return result(id, type, { step: Math.floor(app.player.step) });
      }
      case 'getResults': {
        const runs = app.runs.current;
        if (runs.pending || runs.list.length !== state.racers.length) {
          return error(
            id,
            'getResults: the race is still being computed; ask again after the next state event',
          );
        }
        return result(id, type, { steps: state.steps, racers: resultsOf(state, runs) });
      }
      default:
        return error(id, `unknown type ${type}`);
    }
  }

  let replies = Promise.resolve();
  window.addEventListener('message', (e) => {
    // Only the window that embeds this page may drive it; anything else is not answered.
    if (!host || e.source !== host) return;
    let read;
    try {
      read = readRequest(e.data);
    } catch {
      read = { id: null, error: 'the message could not be read' };
    }
    if (!read) return;
    const origin = e.origin === 'null' ? '*' : e.origin;
    if (read.error) {
      send(error(read.id, read.error), origin);
      return;
    }
    hostOrigin = origin;
    // One request at a time, in the order they came: a setState that loads the tour's
    // chapters is answered before the getState sent after it.
    replies = replies
      .then(() => answer(read.request))
      .catch((err) => error(read.request.id, err instanceof Error ? err.message : String(err)))
      .then((reply) => send(reply, origin));
  });

  if (host) {
    // Ready as soon as it can answer: a figure below the fold draws only once scrolled to (a
    // browser does not run the frames of an iframe out of view), but it answers at once.
    send(event('ready', { hash: app.hashOf(store.get()) }));
    app.events.on('finished', () => send(event('finished', { step: Math.floor(app.player.step) })));
    store.watch(
      (s) => s,
      (state, previous) => {
        if (previous !== undefined) send(event('state', { hash: app.hashOf(state) }));
      },
    );
  }
  return { locked };
}
