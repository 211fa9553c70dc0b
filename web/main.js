// SPDX-License-Identifier: MIT
// Wiring: URL hash -> state -> engine (wasm) -> render loop, and controls -> state. No math
// here: the core computes, state.js validates and (de)serializes, render/ and charts.js draw.

import { computeLandscape, errorText, loadEngine, runRacers } from './engine.js';
import {
  MAX_RACERS,
  MAX_STEPS,
  PALETTE,
  defaultRacer,
  normalizeLab,
  normalizeMlp,
  parseHash,
  runConfig,
  serializeState,
} from './state.js';
import {
  browserLanguage,
  formatNumber,
  functionLabel,
  methodShort,
  t,
  translatePage,
} from './i18n.js';
import { attachCopyLink, createRacerList, createSurfacePanel, h } from './controls.js';
import { createCharts, defaultView, raceData, stateData, stateViews } from './charts.js';
import {
  attachShortcuts,
  createFrameLoop,
  createPlayer,
  naturalSpeed,
  sliderFromSpeed,
  speedFromSlider,
} from './playback.js';
import { panBox, saneBox, zoomBox } from './render/view.js';
import { colourBarGradient } from './render/landscape.js';
import { createFigure } from './render/figure.js';
import { attachGestures } from './render/gestures.js';
import { raceCaption, racerLines } from './render/caption.js';
import { mountLab } from './lab.js';
import { mountMlp } from './mlp.js';

/** Surfaces whose values span little: coloured linearly, not by log(1 + f - min). */
const LINEAR_COLOUR = new Set([
  'saddle',
  'rastrigin',
  'ackley',
  'six_hump_camel',
  'styblinski_tang',
]);
/** Methods a new racer takes, in order, skipping those already racing. */
const ADD_ORDER = [
  'adam',
  'sgd_momentum',
  'rmsprop',
  'adagrad',
  'sgd',
  'nag',
  'amsgrad',
  'adabound',
  'radam',
  'nadam',
  'adamw',
  'swats',
  'lookahead',
  'adamax',
  'adadelta',
];
const MAX_SEED = 4294967295;
/** Minimum time between two history.replaceState calls (browsers throttle faster ones). */
const HASH_INTERVAL_MS = 80;
/** While playing, card texts and the caption change at most this often, chart cursors too. */
const TEXT_INTERVAL_MS = 100;
const CURSOR_INTERVAL_MS = 60;

const $ = (id) => document.getElementById(id);
const clone = (x) => structuredClone(x);

function setPath(obj, path, value) {
  let o = obj;
  for (const key of path.slice(0, -1)) o = o[key];
  o[path.at(-1)] = value;
}

/** x rounded to a tenth of a pixel of a view `span` wide over `pixels`: short, exact links. */
function roundTo(x, span, pixels) {
  const decimals = Math.min(12, Math.max(0, Math.ceil(-Math.log10(span / pixels / 10))));
  return Number(x.toFixed(decimals));
}

async function main() {
  const browserLang = browserLanguage(navigator.language);
  const hashLang = new URLSearchParams(location.hash.slice(1)).get('lang');
  translatePage(document, hashLang === 'zh' || hashLang === 'en' ? hashLang : browserLang);

  const m = await loadEngine();
  const methods = m.methods();
  const schedules = m.schedules();
  const functions = m.functions();
  const ctx = {
    methods,
    schedules,
    functions,
    methodsByName: new Map(methods.map((d) => [d.name, d])),
    schedulesByName: new Map(schedules.map((d) => [d.name, d])),
    functionsByName: new Map(functions.map((d) => [d.name, d])),
    seriesInfo: m.series(),
    maxRacers: MAX_RACERS,
  };

  // --- state, what was computed from it, and the test hook -----------------------------------
  let state = null;
  let lab = null; // the sharp vs flat lab (lab.js), mounted before the first load
  let mlp = null; // the tiny neural network (mlp.js), mounted before the first load
  let info = null; // m.functionInfo(state.fn)
  let runs = []; // per racer: {result, error}
  const keys = {}; // what the last commit computed from, to recompute only what changed
  const alerts = { link: [], input: '', runtime: [] };
  const viewChoice = new Map(); // method -> state-chart view the user picked
  const timings = { runs: 0, landscape: 0, frame: 0, frames: [] };
  const hook = { ready: false, step: 0, steps: 0, racers: [], hash: '', box: null, start: null };
  Object.defineProperty(hook, 'timings', { value: timings, enumerable: false });
  window.__playground = hook;

  const player = createPlayer({ onEnd: () => playbackUi() });
  const reduceMotion = matchMedia('(prefers-reduced-motion: reduce)');
  let speedTouched = false;
  let dragging = false;

  const figure = createFigure($('landscape'), {
    landscape: (fn, box, width, height, scale) =>
      computeLandscape(m, fn, box, width, height, scale),
    onLandscape: (land, ms, scale) => {
      timings.landscape = ms;
      $('colour-min').textContent = formatNumber(land.min);
      $('colour-max').textContent = formatNumber(land.max);
      $('colour-scale').textContent = t(state.lang, scale === 'log' ? 'legendLog' : 'legendLinear');
    },
    onError: (message) => {
      alerts.runtime = [message];
      renderAlert();
    },
  });

  const charts = createCharts(
    { loss: $('chart-loss'), lr: $('chart-lr'), state: $('chart-state') },
    { onSeek: (step) => seek(step) },
  );
  let theme = readTheme();
  function readTheme() {
    const css = getComputedStyle(document.documentElement);
    return {
      text: css.getPropertyValue('--chart-text').trim() || '#666',
      grid: css.getPropertyValue('--chart-grid').trim() || 'rgba(128,128,128,0.2)',
    };
  }

  // --- the frame loop ---------------------------------------------------------------------------
  let lastWhole = -1;
  let lastText = -Infinity;
  let lastCursor = -Infinity;
  const loop = createFrameLoop((now) => {
    const t0 = performance.now();
    player.tick(now);
    const waiting = figure.draw(now, player.step, state.start, dragging);
    hook.box = figure.box && { ...figure.box };
    const whole = Math.floor(player.step);
    if (whole !== lastWhole) {
      lastWhole = whole;
      playbackUi();
      if (!player.playing || now - lastCursor > CURSOR_INTERVAL_MS) {
        charts.cursor(whole);
        lastCursor = now;
      }
      if (!player.playing || now - lastText > TEXT_INTERVAL_MS) {
        liveText(whole);
        lastText = now;
      }
    }
    if (!hook.ready && figure.box) {
      hook.ready = true;
      document.body.dataset.ready = 'true';
    }
    timings.frame = performance.now() - t0;
    timings.frames.push(timings.frame);
    if (timings.frames.length > 600) timings.frames.shift();
    return player.playing || waiting;
  });

  function liveText(step) {
    const lang = state.lang;
    const labels = state.racers.map((r) =>
      methodShort(lang, ctx.methodsByName.get(r.optimizer.name)),
    );
    racerList.status(racerLines(lang, runs, step));
    $('caption').textContent = raceCaption(lang, runs, labels, step, state.steps, info.minima);
  }

  function playbackUi() {
    const step = Math.floor(player.step);
    const scrubber = $('scrubber');
    if (scrubber.max !== String(state.steps)) scrubber.max = String(state.steps);
    if (!scrubber.matches(':active')) scrubber.value = String(step);
    $('step-label').textContent = t(state.lang, 'stepLabel', { s: step, n: state.steps });
    const play = $('play');
    play.setAttribute('aria-pressed', String(player.playing));
    play.querySelector('.label').textContent = t(state.lang, player.playing ? 'pause' : 'play');
    hook.step = step;
  }

  function renderAlert() {
    const items = [];
    if (alerts.link.length) {
      items.push(h('p', { className: 'alert-title' }, t(state?.lang ?? 'en', 'linkProblems')));
      // Line breaks between the items keep textContent readable ("a: …\nb: …").
      const lines = alerts.link.map(({ field, message }) =>
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
    for (const line of [alerts.input, ...alerts.runtime]) if (line) items.push(h('p', {}, line));
    $('alert').replaceChildren(...items.flatMap((item) => [item, '\n']));
    $('alert').hidden = items.length === 0;
    $('toast').hidden = items.length === 0;
  }

  // --- state changes ------------------------------------------------------------------------------
  /** Makes `next` the state: recomputes what depends on what changed, redraws, writes the hash. */
  function commit(next) {
    const prev = state;
    state = next;
    if (!(state.selected >= 0 && state.selected < state.racers.length)) state.selected = 0;

    const fnKey = JSON.stringify(state.fn);
    if (fnKey !== keys.fn) {
      info = m.functionInfo(state.fn);
      keys.fn = fnKey;
    }
    figure.setScene({
      fn: state.fn,
      box: state.view ?? info.domain,
      minima: info.minima,
      scale: LINEAR_COLOUR.has(state.fn.name) ? 'linear' : 'log',
    });

    const runsKey = JSON.stringify([
      state.fn,
      state.start,
      state.steps,
      state.noise,
      state.racers.map((r) => [r.optimizer, r.schedule]),
    ]);
    // Only the selected racer's state series are charted: the others record their path alone
    // ("record": "path", the same numbers without the series to copy out of wasm).
    const configOf = (racer, i) =>
      i === state.selected
        ? runConfig(state, racer)
        : { ...runConfig(state, racer), record: 'path' };
    if (runsKey !== keys.runs) {
      const t0 = performance.now();
      runs = runRacers(m, state.racers, configOf);
      timings.runs = performance.now() - t0;
      keys.runs = runsKey;
      keys.full = state.selected;
      alerts.runtime = runs.flatMap(({ error }, i) => (error ? [`r[${i}]: ${error}`] : []));
      hook.racers = runs.map(({ result }, i) => ({
        name: state.racers[i].optimizer.name,
        steps: result?.steps ?? 0,
        diverged: result?.diverged ?? false,
        finalLoss: result && result.loss.length ? result.loss[result.steps] : NaN,
      }));
      hook.steps = state.steps;
      player.setSteps(state.steps);
      if (!speedTouched) setSpeed(naturalSpeed(state.steps));
    }
    if (keys.full !== state.selected && state.racers[state.selected]) {
      // Another racer selected: run it again with its state series.
      const [rerun] = runRacers(m, [state.racers[state.selected]], (racer) =>
        runConfig(state, racer),
      );
      runs[state.selected] = rerun;
      keys.full = state.selected;
    }
    figure.setRuns(
      runs.map((r) => r.result),
      state.racers.map((r) => r.color),
      state.selected,
    );

    if (prev?.lang !== state.lang) {
      document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
      translatePage(document, state.lang);
      $('lang').value = state.lang;
      speedLabel();
    }
    hook.start = [...state.start];
    surface.render(state, state.lang, ctx);
    racerList.render(state, state.lang, ctx);
    updateCharts();
    $('landscape').setAttribute(
      'aria-label',
      t(state.lang, 'figureLabel', {
        fn: functionLabel(state.lang, ctx.functionsByName.get(state.fn.name)),
        n: state.racers.length,
      }),
    );
    renderAlert();
    lab?.update();
    mlp?.update();
    playbackUi();
    lastWhole = -1;
    scheduleHash();
    loop.request();
  }

  /** Commits a copy of the state changed by `mutate`. */
  function change(mutate) {
    const next = clone(state);
    mutate(next);
    commit(next);
  }

  function updateCharts() {
    const racer = state.racers[state.selected];
    const run = runs[state.selected];
    const views = stateViews(run?.result, state.lang, ctx.seriesInfo);
    const chosen = viewChoice.get(racer.optimizer.name);
    const view = views.some((v) => v.id === chosen)
      ? chosen
      : defaultView(racer.optimizer.name, views);
    const key = JSON.stringify([keys.runs, state.racers, state.selected, state.lang, view, theme]);
    if (key === keys.charts) return;
    keys.charts = key;

    const select = $('state-series');
    select.replaceChildren(...views.map((v) => h('option', { value: v.id }, v.label)));
    select.value = view ?? '';
    select.disabled = views.length === 0;
    $('state-racer').textContent = methodShort(
      state.lang,
      ctx.methodsByName.get(racer.optimizer.name),
    );
    $('state-racer').style.setProperty('--racer', racer.color);
    const st = stateData(run, racer, view, state.lang, ctx.seriesInfo);
    const noSwitch = racer.optimizer.name === 'swats' && !st.marks.length;
    $('state-note').textContent = [
      ...st.lines.map((l) => l.label),
      ...st.marks.map((mk) => mk.label),
      noSwitch ? t(state.lang, 'noSwitch') : '',
      views.length ? '' : t(state.lang, 'noState'),
    ]
      .filter(Boolean)
      .join(' · ');
    const race = raceData(
      runs,
      state.racers,
      ctx.methodsByName,
      info.minima,
      state.lang,
      state.steps,
    );
    $('loss-note').textContent = race.loss.label;
    $('lr-note').textContent = race.lr.label;
    charts.update(race, st, state.lang, theme);
    charts.cursor(Math.floor(player.step));
  }

  // --- the hash: replaceState (never push), at most every HASH_INTERVAL_MS ---------------------
  let hashTimer = 0;
  let lastHashWrite = -Infinity;
  let writtenHash = null;
  function writeHash() {
    clearTimeout(hashTimer);
    hashTimer = 0;
    lastHashWrite = performance.now();
    const text = `#${serializeState(state, m)}`;
    if (text !== location.hash) history.replaceState(null, '', text);
    writtenHash = location.hash;
    hook.hash = location.hash;
  }
  function scheduleHash() {
    if (hashTimer) return;
    const wait = lastHashWrite + HASH_INTERVAL_MS - performance.now();
    if (wait <= 0) writeHash();
    else hashTimer = setTimeout(writeHash, wait);
  }

  function load(hash) {
    const { state: next, errors } = parseHash(hash, m, browserLang);
    alerts.link = errors;
    alerts.input = '';
    commit(next);
    // The two lab sections keep their inputs in the DOM: the link sets them.
    lab?.setInputs(state.lab);
    mlp?.setInputs?.(state.mlp);
    writeHash();
    startRace();
  }
  window.addEventListener('hashchange', () => {
    if (location.hash !== writtenHash) load(location.hash);
  });

  // --- controls -----------------------------------------------------------------------------------
  /** Shows a control's problem in #alert and returns it (the control shows it too). */
  const fail = (message) => {
    alerts.input = message;
    renderAlert();
    return message;
  };
  const ok = () => {
    if (alerts.input) {
      alerts.input = '';
      renderAlert();
    }
    return null;
  };

  /**
   * Applies `mutate` to a copy of racer `index` if the core accepts the result. Returns the
   * core's message or null; a control shows it beside itself, else (onCard) the card does.
   */
  function editRacer(index, mutate, { onCard = false } = {}) {
    const racer = clone(state.racers[index]);
    try {
      mutate(racer);
      racer.optimizer = m.normalizeOptimizer(racer.optimizer);
      racer.schedule = racer.schedule ? m.normalizeSchedule(racer.schedule) : null;
    } catch (err) {
      const message = errorText(err);
      if (onCard) racerList.error(index, message);
      fail(`r[${index}]: ${message}`);
      return message;
    }
    racerList.error(index, '');
    change((s) => {
      s.racers[index] = racer;
    });
    return ok();
  }
  const unusedColour = (racers) =>
    PALETTE.find((c) => !racers.some((r) => r.color === c)) ??
    PALETTE[racers.length % PALETTE.length];
  const freshOptimizer = (name, i) => defaultRacer(m, name, i).optimizer;

  const racerList = createRacerList($('racers'), $('add-racer'), {
    edit: (i, path, value) => editRacer(i, (r) => setPath(r, path, value)),
    method: (i, name) =>
      editRacer(i, (r) => void (r.optimizer = freshOptimizer(name, i)), { onCard: true }),
    innerMethod: (i, path, name) =>
      editRacer(i, (r) => setPath(r, path, freshOptimizer(name, i)), { onCard: true }),
    schedule: (i, spec) => editRacer(i, (r) => void (r.schedule = spec), { onCard: true }),
    colour: (i, hex) => {
      if (/^#[0-9a-f]{6}$/i.test(hex)) change((s) => void (s.racers[i].color = hex.toLowerCase()));
    },
    duplicate: (i) => {
      if (state.racers.length >= MAX_RACERS) return;
      change((s) => {
        const copy = clone(s.racers[i]);
        copy.color = unusedColour(s.racers);
        s.racers.splice(i + 1, 0, copy);
        if (s.selected > i) s.selected += 1;
      });
    },
    remove: (i) => {
      if (state.racers.length <= 1) return;
      racerList.forget(i);
      change((s) => {
        s.racers.splice(i, 1);
        if (s.selected > i || s.selected >= s.racers.length)
          s.selected = Math.max(0, s.selected - 1);
      });
    },
    select: (i) => {
      if (i !== state.selected) change((s) => void (s.selected = i));
    },
    add: () => {
      if (state.racers.length >= MAX_RACERS) return;
      const used = new Set(state.racers.map((r) => r.optimizer.name));
      const name = ADD_ORDER.find((n) => !used.has(n)) ?? 'adam';
      change((s) => {
        const racer = defaultRacer(m, name, s.racers.length);
        racer.color = unusedColour(s.racers);
        s.racers.push(racer);
      });
    },
  });

  /** The function spec `params` would give, or the core's message. */
  const functionWith = (name, params) => {
    try {
      return { info: m.functionInfo({ name, params }) };
    } catch (err) {
      return { error: errorText(err) };
    }
  };
  /** Switches to function `name` with its default parameters, start and view. */
  function selectFunction(name) {
    const { info: next, error } = functionWith(name, {});
    if (error) return fail(error);
    change((s) => {
      s.fn = next.function;
      s.start = [...next.start];
      s.view = null;
    });
    startRace();
    return ok();
  }
  const surface = createSurfacePanel(
    {
      fn: $('function'),
      params: $('function-params'),
      expression: $('expression'),
      expressionRow: $('expression-row'),
      steps: $('steps'),
      noise: $('noise-level'),
      noiseSlider: $('noise-level-slider'),
      seed: $('noise-seed'),
      newSeed: $('new-seed'),
    },
    {
      fn: selectFunction,
      param: (key, value) => {
        const { info: next, error } = functionWith(state.fn.name, {
          ...state.fn.params,
          [key]: value,
        });
        if (error) return fail(error);
        change((s) => void (s.fn = next.function));
        return ok();
      },
      expression: (text) => {
        const params = { ...state.fn.params, expression: text };
        const { info: next, error } = functionWith(state.fn.name, params);
        // A syntax error keeps the previous surface and says where (the core gives the column).
        if (error) return fail(t(state.lang, 'expressionError', { message: error }));
        if (JSON.stringify(next.function) !== JSON.stringify(state.fn)) {
          change((s) => void (s.fn = next.function));
        }
        return ok();
      },
      steps: (n) => {
        if (!(n >= 1 && n <= MAX_STEPS)) return fail(`steps: ${n} is outside [1, ${MAX_STEPS}]`);
        change((s) => void (s.steps = n));
        return ok();
      },
      noise: ({ level, seed }) => {
        if (level !== undefined && !(level >= 0 && Number.isFinite(level))) {
          return fail(`noise: ${level} is not a number >= 0`);
        }
        if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0 && seed <= MAX_SEED)) {
          return fail(`seed: ${seed} is not an integer in [0, ${MAX_SEED}]`);
        }
        change((s) => {
          if (level !== undefined) s.noise.level = level;
          if (seed !== undefined) s.noise.seed = seed;
        });
        return ok();
      },
    },
  );

  $('lang').addEventListener('change', (e) =>
    change((s) => void (s.lang = e.target.value === 'zh' ? 'zh' : 'en')),
  );

  // --- playback -----------------------------------------------------------------------------------
  function setSpeed(v) {
    player.setSpeed(v);
    $('speed').value = String(sliderFromSpeed(v));
    speedLabel();
  }
  function speedLabel() {
    $('speed-value').textContent = t(state?.lang ?? 'en', 'speedValue', { n: player.speed });
  }
  function seek(step) {
    player.seek(step);
    playbackUi();
    loop.request();
  }
  /** Plays the race from step 0, or (reduced motion) shows it whole: jump, do not animate. */
  function startRace() {
    if (reduceMotion.matches) return seek(state.steps);
    player.seek(0);
    player.play();
    playbackUi();
    loop.request();
  }
  function togglePlay() {
    if (player.playing) player.pause();
    else if (reduceMotion.matches) player.seek(state.steps);
    else player.play();
    playbackUi();
    loop.request();
  }
  $('play').addEventListener('click', togglePlay);
  $('reset').addEventListener('click', () => seek(0));
  $('step-back').addEventListener('click', () => seek(Math.round(player.step) - 1));
  $('step-forward').addEventListener('click', () => seek(Math.round(player.step) + 1));
  $('scrubber').addEventListener('input', (e) => seek(Number(e.target.value)));
  $('speed').addEventListener('input', (e) => {
    speedTouched = true;
    setSpeed(speedFromSlider(Number(e.target.value)));
  });

  const help = $('help');
  $('help-button').addEventListener('click', () => help.showModal());
  attachShortcuts(document, {
    toggle: togglePlay,
    step: (delta) => seek(Math.round(player.step) + delta),
    reset: () => seek(0),
    help: () => help.showModal(),
    blocked: () => help.open,
  });

  // --- share and alert ----------------------------------------------------------------------------
  attachCopyLink($('copy-link'), {
    url: () => {
      writeHash();
      return location.href;
    },
    label: (key) => t(state.lang, key),
    fallback: $('share-fallback'),
    field: $('share-url'),
  });
  $('alert-close').addEventListener('click', () => {
    alerts.link = [];
    alerts.input = '';
    alerts.runtime = [];
    renderAlert();
  });

  // --- pointer on the figure ----------------------------------------------------------------------
  function setStart(px, py) {
    const { map, box } = figure;
    const span = box.xmax - box.xmin;
    const x = roundTo(map.fromX(px), span, figure.width);
    const y = roundTo(map.fromY(py), span, figure.width);
    if (x !== state.start[0] || y !== state.start[1]) change((s) => void (s.start = [x, y]));
  }
  function setView(box) {
    if (!saneBox(box, info.domain)) return;
    figure.setMoving(true);
    const r = (v) => roundTo(v, box.xmax - box.xmin, figure.width);
    change((s) => {
      s.view = { xmin: r(box.xmin), xmax: r(box.xmax), ymin: r(box.ymin), ymax: r(box.ymax) };
    });
  }
  attachGestures($('landscape'), {
    start: (px, py, phase) => {
      if (!figure.map) return;
      // Moving the start shows the whole paths at once, as they follow the pointer.
      if (phase === 'start') {
        dragging = true;
        player.seek(state.steps);
      }
      if (phase === 'end') dragging = false;
      setStart(px, py);
      if (phase === 'end') writeHash();
      loop.request();
    },
    pan: (dx, dy) => {
      const { map, box } = figure;
      setView(panBox(box, map.fromX(0) - map.fromX(dx), map.fromY(0) - map.fromY(dy)));
    },
    zoom: (factor, px, py) => {
      const { map, box } = figure;
      setView(zoomBox(box, map.fromX(px), map.fromY(py), factor));
    },
    settle: () => {
      figure.setMoving(false);
      writeHash();
      loop.request();
    },
    hover: (px, py) => {
      const out = $('readout');
      if (px === null || !figure.map) {
        out.textContent = '';
        return;
      }
      const x = figure.map.fromX(px);
      const y = figure.map.fromY(py);
      let f = NaN;
      try {
        f = m.evaluate(state.fn, x, y).value;
      } catch {
        f = NaN;
      }
      const values = { x: formatNumber(x), y: formatNumber(y), f: formatNumber(f) };
      out.textContent = t(state.lang, 'readout', values);
    },
  });
  $('reset-view').addEventListener('click', () => change((s) => void (s.view = null)));

  new ResizeObserver(() => loop.request()).observe($('landscape'));
  new ResizeObserver(() => charts.resize()).observe($('chart-loss'));
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
    theme = readTheme();
    updateCharts();
  });

  $('colour-bar').style.background = colourBarGradient();

  // --- the sharp vs flat minima lab (lab.js; its ensembles run in worker.js) -------------------
  // An edit of their inputs goes into the link once the whole section's inputs are valid (the
  // same checks as a link's: state.js, the network's by the core); until then the link keeps
  // the last valid inputs, and the section says what is wrong when it is run.
  const sameInputs = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  lab = mountLab(m, {
    getState: () => state,
    useSurface: selectFunction,
    after: document.querySelector('section.charts'),
    onChange: () => {
      const { lab: next, errors } = normalizeLab(lab.getInputs());
      if (errors.length || sameInputs(next, state.lab)) return;
      state.lab = next;
      scheduleHash();
    },
  });
  mlp = mountMlp(m, {
    getState: () => state,
    after: document.getElementById('lab'),
    onChange: () => {
      if (typeof mlp.getInputs !== 'function') return;
      const { mlp: next, errors } = normalizeMlp(m, mlp.getInputs());
      if (errors.length || sameInputs(next, state.mlp)) return;
      state.mlp = next;
      scheduleHash();
    },
  });

  load(location.hash);
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
