// SPDX-License-Identifier: MIT
// Start-up: load the core, read the link into the store, draw the race figure first, then
// mount the other sections (their code is loaded only then), and keep the link in step with
// the store. The sections share `app`: the core, the store, the frame loop, the Worker pool,
// the race's runs, the playback and the alert.

import { createPool, errorText, loadEngine } from './engine.js';
import { COMMIT, createFrameLoop } from './app/frame.js';
import { createEvents } from './app/events.js';
import { functionInfo, meta } from './app/meta.js';
import { createPlayer } from './app/playback.js';
import { createRuns, warmUp } from './app/runs.js';
import { MAX_RACERS, checkState } from './app/schema.js';
import { createStore } from './app/store.js';
import { parseHash, serializeState } from './app/url.js';
import { browserLanguage, loadLanguage, t, translatePage } from './i18n.js';
import { mountPlayback } from './sections/playback/view.js';
import { mountRace } from './sections/race/view.js';
import { mountEmbed } from './sections/embed/view.js';
import { mountShell } from './sections/shell/view.js';
import { loadStyle } from './ui/dom.js';

/** Minimum time between two history.replaceState calls (browsers throttle faster ones). */
const HASH_INTERVAL_MS = 80;
const DRAG_HASH_INTERVAL_MS = 400;
/** The sections below the race mount when this close to the viewport, or once the page idles. */
const NEAR_VIEWPORT = '600px';
const IDLE_TIMEOUT_MS = 1500;
/**
 * The core's warm-up (app/runs.js warmUp) runs in tasks of this many milliseconds, one after
 * the other: frames and input go on between them, and it is done before a newcomer's first
 * drag.
 */
const WARM_SLICE_MS = 8;

/**
 * Resolves in a task of its own: start-up yields between its steps, so that the browser can
 * run what is waiting (input, a frame) instead of one long task from the core's arrival to the
 * first figure.
 */
function nextTask() {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
}

/**
 * Resolves in a task of its own once the start is not being dragged: the sections that mount
 * after the figure wait for a drag to end, so that its frames keep the pace of the pointer.
 */
async function undisturbed(app) {
  await nextTask();
  while (app.dragging?.()) {
    await new Promise((resolve) => {
      const off = app.events.on('drag-end', () => {
        off();
        resolve();
      });
    });
    await nextTask();
  }
}

async function main() {
  const browserLang = browserLanguage(navigator.language);
  const hashLang = new URLSearchParams(location.hash.slice(1)).get('lang');
  const firstLang = hashLang === 'zh' || hashLang === 'en' ? hashLang : browserLang;
  // The page's texts in the language it opens with, while the core loads.
  const texts = loadLanguage(firstLang).then(() => translatePage(document, firstLang));

  const m = await loadEngine();
  // The core's metadata, a list per task: the first call into the core runs its code cold
  // (compiled on first use, then on baseline code), and the methods alone took 30 to 60 ms
  // that way; the functions' list, read first, takes most of that first-use cost.
  const read = {};
  for (const list of ['functions', 'schedules', 'methods']) {
    await nextTask();
    read[list] = m[list]();
  }
  await nextTask();
  const M = meta(m, read);
  const frame = createFrameLoop();
  // The lecture's chapters load with the first link that names one.
  let chapterLinks = null;
  async function readLink(hash) {
    let errors = [];
    if (new URLSearchParams(hash.replace(/^#/, '')).has('ch')) {
      const [{ CHAPTERS }, link] = await Promise.all([
        import('./sections/tour/chapters.js'),
        import('./sections/tour/link.js'),
      ]);
      chapterLinks ??= link.createChapterLinks(m, CHAPTERS, browserLang);
      ({ hash, errors } = link.expandChapterLink(hash, CHAPTERS));
    }
    const read = parseHash(hash, m, browserLang);
    await loadLanguage(read.state.lang);
    return { state: read.state, errors: [...errors, ...read.errors] };
  }
  await nextTask();
  const { state: initial, errors: linkErrors } = await readLink(location.hash);
  await texts;
  await nextTask();
  const store = createStore(initial, {
    check: checkState(m),
    schedule: (flush) => frame.request('commit', COMMIT, flush),
  });
  const events = createEvents();
  const timings = { landscape: 0, frame: 0, frames: [], draws: 0 };
  const hook = { ready: false, step: 0, steps: 0, racers: [], hash: '', box: null, start: null };
  Object.defineProperty(hook, 'timings', { value: timings, enumerable: false });
  window.__playground = hook;

  const app = {
    m,
    M,
    store,
    frame,
    events,
    hook,
    pool: createPool(),
    player: createPlayer({ onEnd: () => events.emit('finished') }),
    browserLang,
    hashOf: (state) =>
      state.chapter && chapterLinks ? chapterLinks(state) : serializeState(state, m, browserLang),
    readLink,
    isChapterSetup: (state) => chapterLinks?.isSetup(state) ?? false,
    ctx: {
      methods: M.lists.methods,
      schedules: M.lists.schedules,
      functions: M.lists.functions,
      methodsByName: M.methods,
      schedulesByName: M.schedules,
      functionsByName: M.functions,
      seriesInfo: M.series,
      maxRacers: MAX_RACERS,
    },
    functionInfo: () => functionInfo(m, store.get().fn),
    url: () => {
      writeHash();
      return location.href;
    },
    writeHashSoon: () => writeHash(),
    racerLines: (lang, step) => race.lines(lang, step),
    stepChanged: () => {},
  };
  Object.defineProperty(hook, 'store', { value: store, enumerable: false });
  Object.defineProperty(hook, 'pool', { value: app.pool, enumerable: false });

  // --- the runs -----------------------------------------------------------------------------
  app.runs = createRuns({
    engine: m,
    pool: app.pool,
    view: () => app.figureView?.() ?? null,
    // The state chart waits for a drag's end: meanwhile the selected racer records its path.
    live: () => !app.dragging?.(),
    needsState: (racer, state) =>
      state.chapter !== null ||
      state.overlay === 'all' ||
      (M.methods.get(racer.optimizer.name)?.state ?? []).some(
        (s) => s === 'slow_weights' || s === 'phase' || s === 'lookahead_point',
      ),
    onChange: (runs) => {
      const state = runs.state;
      app.alerts?.runtime(
        'runs',
        runs.list.flatMap(({ error }, i) => (error ? [`r[${i}]: ${error}`] : [])),
      );
      hook.racers = runs.list.map(({ result }, i) => ({
        name: state.racers[i].optimizer.name,
        steps: result?.steps ?? 0,
        diverged: result?.diverged ?? false,
        finalLoss: result && result.loss.length ? result.loss[result.steps] : NaN,
      }));
      hook.steps = state.steps;
      hook.runsMs = runs.ms;
      if (app.player.steps !== state.steps) app.playback.setSteps(state.steps);
      events.emit('runs', runs);
    },
  });

  // --- the first figure -----------------------------------------------------------------------
  app.alerts = mountShell(app);
  app.alerts.link(linkErrors);
  app.playback = mountPlayback(app);
  // Before the figure: the embedding decides what shows and how big the figure is.
  mountEmbed(app);
  await nextTask();
  const race = mountRace(app);
  store.watch(
    (s) => [
      s.fn,
      s.start,
      s.steps,
      s.noise,
      s.racers.map((r) => [r.optimizer, r.schedule]),
      s.selected,
      s.chapter !== null || s.overlay === 'all',
    ],
    (_, __, state) => app.runs.update(state),
  );
  events.on('drag-end', () => app.runs.catchUp(store.get()));
  // Once the first figure is drawn, the core's code for these racers warms up, a few
  // milliseconds per task, before the sections below the figure mount.
  events.on('first-figure', () =>
    warmUp({
      engine: m,
      state: store.get(),
      later: (fn, ms) => (ms > 0 ? setTimeout(fn, ms) : nextTask().then(fn)),
      sliceMs: WARM_SLICE_MS,
      busy: () => app.dragging?.() ?? false,
      pool: app.pool,
      view: () => app.figureView?.() ?? null,
    }).then((runs) => {
      hook.warmed = runs;
      hook.timings.warmed = performance.now();
    }),
  );
  app.playback.setSteps(initial.steps);
  app.playback.restart();

  // --- the lecture tour: its text and questions load with the first chapter or question -----
  let tour = null;
  store.watch(
    (s) => s.chapter !== null || s.ask !== null,
    (on) => {
      if (!on || tour) return;
      tour = import('./sections/tour/view.js')
        .then(({ mountTour }) => mountTour(app))
        .catch((err) => app.alerts.runtime('tour', [errorText(err)]));
    },
  );
  const tourLink = document.getElementById('tour-link');
  const firstChapter = tourLink.getAttribute('href');
  store.watch(
    (s) => s.lang,
    (lang) => {
      tourLink.href =
        lang === browserLang ? firstChapter : firstChapter.replace('#v=1&', `#v=1&lang=${lang}&`);
    },
  );

  // --- the link -------------------------------------------------------------------------------
  let hashTimer = 0;
  let lastHashWrite = -Infinity;
  let writtenHash = null;
  function writeHash() {
    clearTimeout(hashTimer);
    hashTimer = 0;
    lastHashWrite = performance.now();
    const text = `#${app.hashOf(store.get())}`;
    if (text !== location.hash) history.replaceState(null, '', text);
    writtenHash = location.hash;
    hook.hash = location.hash;
  }
  function scheduleHash() {
    if (hashTimer) return;
    // While the start is dragged the link follows less often (each write costs the browser a
    // same-document navigation); the drag's end writes it at once.
    const interval = app.dragging?.() ? DRAG_HASH_INTERVAL_MS : HASH_INTERVAL_MS;
    const wait = lastHashWrite + interval - performance.now();
    if (wait <= 0) writeHash();
    else hashTimer = setTimeout(writeHash, wait);
  }
  store.watch((s) => s, scheduleHash);
  let navigations = 0;
  window.addEventListener('hashchange', async (event) => {
    // The hash navigated to, not location.hash: a link write due before this event was
    // dispatched may have replaced the address already, and the new link must not be lost.
    const hash = new URL(event.newURL).hash;
    if (hash === writtenHash) return;
    // Reading a chapter's link may wait for its module: only the latest navigation applies.
    const navigation = ++navigations;
    const { state, errors } = await readLink(hash);
    if (navigation !== navigations) return;
    app.alerts.link(errors);
    app.alerts.input(null);
    store.replace(state);
    app.playback.restart();
    writeHash();
  });

  // --- the rest of the page -------------------------------------------------------------------
  // The rest starts once the first figure's frame is on screen: its modules are not fetched,
  // compiled or run before that.
  events.on('first-figure', () => {
    writeHash();
    requestAnimationFrame(() => setTimeout(() => mountRest(app), 0));
  });
}

/**
 * The Embed dialog and the Export menu load when first asked for: most visits use neither.
 * The menu's items stay disabled until its module has attached them.
 */
function mountOnDemand(app) {
  const embed = document.getElementById('embed-button');
  const openEmbed = () =>
    import('./sections/embed/dialog.js').then(({ mountEmbedDialog }) => {
      mountEmbedDialog(app).open();
    });
  embed.addEventListener('click', openEmbed, { once: true });
  const menu = document.getElementById('export-menu');
  const mountMenu = () => {
    if (!menu.open) return;
    menu.removeEventListener('toggle', mountMenu);
    import('./sections/export/view.js').then(({ mountExport }) => mountExport(app));
  };
  menu.addEventListener('toggle', mountMenu);
}

/**
 * The sections after the figure: panels and charts at once (each in tasks of its own); the
 * learning-rate tools, lab, network, digits and the stream lab when near the viewport or once
 * the page idles (the stream lab's tools module only when near); none while the start is
 * dragged. body[data-mounted] is set when every section is mounted and has drawn what it shows
 * before any input (every racer's card and the network's preview included).
 */
async function mountRest(app) {
  await undisturbed(app);
  // uPlot's own styles, before its first chart is laid out.
  const styles = loadStyle('vendor/uPlot.min.css');
  // One section's module at a time, each evaluated in a task of its own: the three with uPlot
  // at once took one task of 55 to 75 ms.
  const { mountCards } = await import('./sections/cards/view.js');
  await undisturbed(app);
  const cards = mountCards(app);
  const { mountSurface } = await import('./sections/surface/view.js');
  await undisturbed(app);
  mountSurface(app);
  const [{ mountCharts }] = await Promise.all([import('./sections/charts/view.js'), styles]);
  await undisturbed(app);
  mountCharts(app);
  mountOnDemand(app);
  // [section id, its module, how to mount it]
  const later = [
    ['tools', () => import('./sections/tools/view.js'), (v) => v.mountTools(app).ready],
    ['lab', () => import('./sections/lab/view.js'), (v) => v.mountLab(app).ready],
    ['mlp', () => import('./sections/network/view.js'), (v) => v.mountNetwork(app).ready],
    ['digits', () => import('./sections/digits/view.js'), (v) => v.mountDigits(app).ready],
    ['stream', () => import('./sections/stream/view.js'), (v) => v.mountStream(app).ready],
  ];
  const mounted = later.map(
    ([id, load, mount]) =>
      new Promise((resolve) => {
        const el = document.getElementById(id);
        let started = false;
        const go = () => {
          if (started) return;
          started = true;
          observer.disconnect();
          undisturbed(app)
            .then(load)
            .then(async (view) => {
              await undisturbed(app);
              return mount(view);
            })
            .catch((err) => app.alerts.runtime(id, [errorText(err)]))
            .finally(resolve);
        };
        const observer = new IntersectionObserver(
          (entries) => {
            if (entries.some((e) => e.isIntersecting)) go();
          },
          { rootMargin: NEAR_VIEWPORT },
        );
        observer.observe(el);
        if (window.requestIdleCallback) requestIdleCallback(go, { timeout: IDLE_TIMEOUT_MS });
        else setTimeout(go, IDLE_TIMEOUT_MS);
      }),
  );
  await Promise.all([cards.ready, ...mounted]);
  document.body.dataset.mounted = 'true';
}

main().catch((err) => {
  const message = errorText(err);
  const alert = document.getElementById('alert');
  alert.textContent = t(browserLanguage(navigator.language), 'loadFailed', { message });
  alert.hidden = false;
  document.getElementById('toast').hidden = false;
  document.body.dataset.error = message;
  console.error(err);
});
