// SPDX-License-Identifier: MIT
// A course page driving embedded playground figures through their message API (see the
// playground's README, "Embedding", and web/embed.d.ts): requests with an id get one reply
// each; ready, state and finished arrive as events. Messages are accepted only from the
// figure's own window and the playground's origin.

const API = 'optimizer-playground';
const VERSION = 1;

/** One embedded figure: request(type, fields) -> Promise of the reply; on(type, fn) for events. */
export class Figure {
  constructor(iframe, playground) {
    this.iframe = iframe;
    this.origin = new URL(playground).origin;
    this.nextId = 1;
    this.pending = new Map();
    this.listeners = new Map();
    window.addEventListener('message', (e) => {
      if (e.source !== iframe.contentWindow || e.origin !== this.origin) return;
      const msg = e.data;
      if (!msg || msg.api !== API) return;
      if (msg.id !== undefined && this.pending.has(msg.id)) {
        const { resolve, reject } = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        if (msg.type === 'error') reject(new Error(msg.message));
        else resolve(msg);
      } else if (msg.id === undefined) {
        for (const fn of this.listeners.get(msg.type) ?? []) fn(msg);
      }
    });
    iframe.src = `${playground}#${iframe.dataset.hash}`;
  }

  request(type, fields = {}) {
    const id = `r${this.nextId++}`;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.iframe.contentWindow.postMessage(
        { api: API, version: VERSION, id, type, ...fields },
        this.origin,
      );
    });
  }

  on(type, fn) {
    if (!this.listeners.has(type)) this.listeners.set(type, []);
    this.listeners.get(type).push(fn);
  }
}

const playground =
  new URLSearchParams(location.search).get('playground') ?? 'http://127.0.0.1:8080/';
const figures = {};
window.figures = figures;

for (const section of document.querySelectorAll('[data-figure]')) {
  const figure = new Figure(section.querySelector('iframe'), playground);
  figures[section.dataset.figure] = figure;
  const log = section.querySelector('.log');
  const say = (line) => {
    log.textContent = `${line}\n${log.textContent}`.slice(0, 4000);
  };
  for (const type of ['ready', 'state', 'finished']) {
    figure.on(type, (msg) => say(`event ${type}${msg.hash ? `: ${msg.hash}` : ''}`));
  }
  const actions = {
    play: () => figure.request('play'),
    pause: () => figure.request('pause'),
    step: () => figure.request('step', { delta: 1 }),
    seek: (button) => figure.request('seek', { step: Number(button.dataset.step) }),
    results: async () => {
      const r = await figure.request('getResults');
      return {
        ...r,
        text: r.racers
          .map(
            (x) =>
              `${x.method}: f = ${x.finalLoss} after ${x.steps} steps${x.diverged ? ' (diverged)' : ''}`,
          )
          .join('; '),
      };
    },
    noise: async () => {
      const { hash } = await figure.request('getState');
      const params = new URLSearchParams(hash.replace(/^#/, '').replaceAll('+', '%2B'));
      params.set('noise', '0.5');
      // URLSearchParams writes a space as '+', which a playground link reads as a plus sign.
      return figure.request('setState', { hash: params.toString().replaceAll('+', '%20') });
    },
  };
  for (const button of section.querySelectorAll('[data-do]')) {
    button.addEventListener('click', async () => {
      try {
        const reply = await actions[button.dataset.do](button);
        say(`${button.dataset.do}: ${reply.text ?? JSON.stringify(reply)}`);
      } catch (err) {
        say(`${button.dataset.do} failed: ${err.message}`);
      }
    });
  }
}
