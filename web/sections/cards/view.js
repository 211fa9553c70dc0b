// SPDX-License-Identifier: MIT
// The racer cards: one card per racer with its method, learning rate, colour, "More settings"
// (every other hyperparameter and a schedule), duplicate and remove; "Add racer". Built from
// the core's metadata; every edit is an action on the store, and the cards show the store's
// state (a card is rebuilt only when its structure changes, so a slider being dragged keeps
// its focus). Each card's status line reads the race: f at the current step, or divergence.

import * as actions from '../../app/actions.js';
import { methodLabel, scheduleLabel, t } from '../../i18n.js';
import { paramControls } from '../../ui/controls.js';
import { h, icon, nextId } from '../../ui/dom.js';
import { PRESETS, describeList, presetOf, schedulePreset, scheduleTemplate } from './model.js';

function structureKey(racer, lang, index, count) {
  const names = [];
  let spec = racer.optimizer;
  for (let d = 0; spec && d < 8; d++) {
    names.push(spec.name);
    spec = spec.hyperparameters?.inner;
  }
  const s = racer.schedule;
  const list = s?.params?.schedules ? JSON.stringify(s.params.schedules.map((x) => x.name)) : '';
  return [lang, index, count > 1, names.join('/'), s?.name ?? '', list].join('|');
}

/**
 * The racer list. handlers: edit(index, path, value) -> error | null (path below the racer,
 * e.g. ['optimizer', 'hyperparameters', 'lr']); method(index, name); schedule(index, spec);
 * colour(index, hex); duplicate(index); remove(index); select(index); add().
 */
export function createRacerList(list, addButton, handlers) {
  const open = new Set();
  let cards = [];
  addButton.addEventListener('click', () => handlers.add());

  function card(racer, index, count, lang, ctx, steps) {
    const methodMeta = ctx.methodsByName.get(racer.optimizer.name);
    const edit = (path, value) => {
      const full = ['optimizer', 'hyperparameters', ...path];
      if (path.at(-1) === 'inner' && value?.replace)
        return handlers.innerMethod(index, full, value.replace);
      return handlers.edit(index, full, value);
    };
    const methodId = nextId('method');
    const method = h(
      'select',
      { id: methodId, className: 'method', attrs: { 'aria-label': t(lang, 'method') } },
      ctx.methods.map((d) => h('option', { value: d.name }, methodLabel(lang, d))),
    );
    method.value = racer.optimizer.name;
    method.addEventListener('change', () => handlers.method(index, method.value));

    const colour = h('input', {
      type: 'color',
      className: 'swatch',
      value: racer.color,
      attrs: { 'aria-label': t(lang, 'colour') },
    });
    colour.addEventListener('input', () => handlers.colour(index, colour.value));

    const duplicate = h('button', {
      type: 'button',
      className: 'duplicate icon',
      title: t(lang, 'duplicate'),
      disabled: count >= ctx.maxRacers,
      attrs: { 'aria-label': t(lang, 'duplicate') },
    });
    duplicate.append(icon('duplicate'));
    duplicate.addEventListener('click', () => handlers.duplicate(index));
    const remove = h('button', {
      type: 'button',
      className: 'remove icon',
      title: t(lang, 'remove'),
      disabled: count <= 1,
      attrs: { 'aria-label': t(lang, 'remove') },
    });
    remove.append(icon('remove'));
    remove.addEventListener('click', () => handlers.remove(index));

    const params = paramControls({
      owner: racer.optimizer.name,
      params: methodMeta?.params ?? [],
      values: racer.optimizer.hyperparameters,
      edit,
      lang,
      ctx,
    });

    // Schedule: a select, then the schedule's own parameters.
    const scheduleId = nextId('schedule');
    const scheduleSelect = h(
      'select',
      { id: scheduleId, className: 'schedule' },
      h('option', { value: '' }, t(lang, 'scheduleNone')),
      ctx.schedules.map((d) => h('option', { value: d.name }, scheduleLabel(lang, d))),
    );
    scheduleSelect.value = racer.schedule?.name ?? '';
    const lr =
      racer.optimizer.hyperparameters.lr ??
      racer.optimizer.hyperparameters.inner?.hyperparameters?.lr ??
      0.01;
    scheduleSelect.addEventListener('change', () =>
      handlers.schedule(
        index,
        scheduleSelect.value ? scheduleTemplate(scheduleSelect.value, steps, lr) : null,
      ),
    );
    const scheduleParts = [
      h(
        'div',
        { className: 'param choice' },
        h('label', { htmlFor: scheduleId }, t(lang, 'schedule')),
        scheduleSelect,
      ),
    ];
    let scheduleSync = () => {};
    const s = racer.schedule;
    const sMeta = s && ctx.schedulesByName.get(s.name);
    if (s && sMeta) {
      const simple = sMeta.params.filter((p) => p.type !== 'schedule list');
      const sp = paramControls({
        owner: s.name,
        params: simple,
        values: s.params,
        edit: (path, v) => handlers.edit(index, ['schedule', 'params', ...path], v),
        lang,
        ctx,
        depth: 1,
      });
      if (sMeta.params.some((p) => p.type === 'schedule list')) {
        scheduleParts.push(listEditor(s, index, lang, ctx, steps, handlers));
      }
      scheduleParts.push(...sp.more);
      scheduleSync = (sch) => sp.sync(sch?.params);
    }

    const status = h('p', { className: 'racer-status' });
    const error = h('p', { className: 'racer-error', attrs: { 'aria-live': 'polite' } });
    const details = h(
      'details',
      { className: 'more', open: open.has(index) },
      h('summary', {}, t(lang, 'moreSettings')),
      h('div', { className: 'more-body' }, params.more, scheduleParts),
    );
    details.addEventListener('toggle', () => {
      if (details.open) open.add(index);
      else open.delete(index);
    });

    const li = h(
      'li',
      { className: 'racer', tabIndex: 0 },
      // The method's name has the head's whole width (long names in Chinese too).
      h('div', { className: 'racer-head' }, colour, method),
      h('div', { className: 'racer-status-row' }, status, duplicate, remove),
      h('div', { className: 'racer-params' }, params.primary),
      details,
      error,
    );
    li.addEventListener('click', (e) => {
      if (!e.target.closest('input, select, button, summary, label, details[open] .more-body')) {
        handlers.select(index);
      }
    });
    li.addEventListener('keydown', (e) => {
      if (e.target === li && (e.key === 'Enter' || e.key === ' ')) {
        e.preventDefault();
        handlers.select(index);
      }
    });
    li.sync = (r) => {
      params.sync(r.optimizer.hyperparameters);
      scheduleSync(r.schedule);
      if (document.activeElement !== colour) colour.value = r.color;
      li.style.setProperty('--racer', r.color);
    };
    li.status = status;
    li.error = error;
    li.sync(racer);
    return li;
  }

  function listEditor(schedule, index, lang, ctx, steps, handlers) {
    const id = nextId('preset');
    const presets = PRESETS[schedule.name] ?? [];
    const current = presetOf(schedule, steps);
    const select = h(
      'select',
      { id },
      current ? null : h('option', { value: '' }, t(lang, 'presetKeep')),
      presets.map(([value, key]) => h('option', { value }, t(lang, key))),
    );
    select.value = current ?? '';
    select.addEventListener('change', () => {
      if (select.value) handlers.schedule(index, schedulePreset(select.value, steps));
    });
    return h(
      'div',
      { className: 'param choice preset' },
      h('label', { htmlFor: id }, t(lang, 'preset')),
      select,
      h('p', { className: 'list-summary' }, describeList(schedule, lang, ctx.schedulesByName)),
    );
  }

  return {
    /**
     * Shows the racers of `state`; ctx: {methods, methodsByName, schedules, schedulesByName,
     * maxRacers}. Cards whose structure is unchanged are kept; new ones are built in order
     * until `deadline` (a performance.now() time; at least one per call), the list showing the
     * racers built so far. Returns whether every racer's card is shown.
     */
    render(state, lang, ctx, deadline = Infinity) {
      const count = state.racers.length;
      const next = [];
      let built = 0;
      for (const [i, racer] of state.racers.entries()) {
        const key =
          structureKey(racer, lang, i, count) + `|${count >= ctx.maxRacers}|${state.steps}`;
        const old = cards[i];
        if (old && old.dataset.key === key) {
          old.sync(racer);
          next.push(old);
          continue;
        }
        if (built > 0 && performance.now() > deadline) break;
        const el = card(racer, i, count, lang, ctx, state.steps);
        el.dataset.key = key;
        next.push(el);
        built += 1;
      }
      next.forEach((el, i) => {
        if (list.children[i] !== el) list.insertBefore(el, list.children[i] ?? null);
        el.classList.toggle('selected', i === state.selected);
        if (i === state.selected) el.setAttribute('aria-current', 'true');
        else el.removeAttribute('aria-current');
      });
      while (list.children.length > next.length) list.lastElementChild.remove();
      cards = next;
      addButton.disabled = count >= ctx.maxRacers;
      return next.length === count;
    },
    /** Status lines: [{text, diverged}] per racer. */
    status(lines) {
      lines.forEach((line, i) => {
        const el = cards[i]?.status;
        if (el && el.textContent !== line.text) el.textContent = line.text;
        cards[i]?.classList.toggle('diverged', !!line.diverged);
      });
    },
    /** An error message on racer `index`'s card ('' clears it). */
    error(index, message) {
      const el = cards[index]?.error;
      if (el) el.textContent = message ?? '';
    },
    /** Racer `index` is being removed: the open "More settings" of later cards move up. */
    forget(index) {
      const kept = [...open].filter((i) => i !== index).map((i) => (i > index ? i - 1 : i));
      open.clear();
      kept.forEach((i) => open.add(i));
    },
  };
}

/** Time per task for building the cards as the section mounts. */
const MOUNT_SLICE_MS = 8;

/**
 * Mounts the racer list in #racers with #add-racer. The cards render from the store; each edit
 * is an action the store checks (a rejected one shows the core's message beside the control
 * and in #alert, and changes nothing); the status lines follow the race and the step.
 * Returns { ready }, a promise resolved once every racer's card is shown.
 */
export function mountCards(app) {
  const { m, store, ctx } = app;
  /** Applies an action; returns the first problem's message (shown by the control) or null. */
  const apply = (index, action) => {
    const errors = store.update(action);
    const message = errors.length ? errors[0].message : null;
    app.alerts.input(message);
    list.error(index, message ?? '');
    return message;
  };
  const list = createRacerList(
    document.getElementById('racers'),
    document.getElementById('add-racer'),
    {
      edit: (i, path, value) => apply(i, (s) => actions.setRacerValue(s, i, path, value)),
      method: (i, name) => apply(i, (s) => actions.setRacerMethod(s, m, i, name)),
      innerMethod: (i, path, name) =>
        apply(i, (s) => actions.setRacerInnerMethod(s, m, i, path, name)),
      schedule: (i, spec) => apply(i, (s) => actions.setRacerSchedule(s, i, spec)),
      colour: (i, hex) => apply(i, (s) => actions.setRacerColour(s, i, hex)),
      duplicate: (i) => apply(i, (s) => actions.duplicateRacer(s, i)),
      remove: (i) => {
        list.forget(i);
        apply(i, (s) => actions.removeRacer(s, i));
      },
      select: (i) => apply(i, (s) => actions.selectRacer(s, i)),
      add: () => apply(-1, (s) => actions.addRacer(s, m)),
    },
  );
  // The first cards are built a slice at a time, in tasks of their own (twelve racers take
  // some 50 ms); every later change renders at once.
  let mounting = true;
  let shown = null; // the committed state the cards show
  const show = () =>
    list.render(shown, shown.lang, ctx, mounting ? performance.now() + MOUNT_SLICE_MS : Infinity);
  store.watch(
    (s) => [s.racers, s.selected, s.steps, s.lang],
    (_, __, state) => {
      shown = state;
      if (show()) mounting = false;
    },
  );
  const status = () => {
    const state = store.get();
    list.status(app.racerLines(state.lang, Math.floor(app.player.step)));
  };
  // While the start is dragged the lines wait for the race's next caption ('step').
  app.events.on('runs', () => {
    if (!app.dragging?.()) status();
  });
  app.events.on('step', status);
  status();
  const ready = new Promise((resolve) => {
    const more = () => {
      if (mounting && !show()) {
        setTimeout(more, 0);
        return;
      }
      mounting = false;
      status();
      resolve();
    };
    setTimeout(more, 0);
  });
  return { ready };
}
