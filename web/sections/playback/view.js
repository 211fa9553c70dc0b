// SPDX-License-Identifier: MIT
// Playback controls: play/pause, one step back or forward, back to step 0, the step scrubber
// and the speed, and their keyboard shortcuts. Playback is not in the store (app/playback.js):
// it moves every frame and no link holds it. Under prefers-reduced-motion the race is shown
// whole instead of animated.

import { naturalSpeed, sliderFromSpeed, speedFromSlider } from '../../app/playback.js';
import { t } from '../../i18n.js';
import { setText } from '../../ui/dom.js';

/**
 * Keyboard shortcuts on `target` (the document): space play/pause, arrows step, r reset,
 * ? help. Keys typed into a field, or with a modifier, are not shortcuts; space on a button
 * presses the button. actions: { toggle(), step(delta), reset(), help(), blocked() }.
 */
function attachShortcuts(target, actions) {
  target.addEventListener('keydown', (e) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || actions.blocked()) return;
    const el = e.target;
    const field = el.closest?.('input, select, textarea, [contenteditable]');
    if (e.key === '?') {
      if (field && el.type !== 'range' && el.type !== 'checkbox') return;
      e.preventDefault();
      actions.help();
      return;
    }
    if (field) return;
    if (e.key === ' ') {
      if (el.closest?.('button, summary, a')) return;
      e.preventDefault();
      actions.toggle();
    } else if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      e.preventDefault();
      actions.step(e.key === 'ArrowRight' ? 1 : -1);
    } else if (e.key === 'r' || e.key === 'R') {
      actions.reset();
    }
  });
}

/**
 * Mounts the playback controls on app.player and returns the playback API the other sections
 * use: { render(), seek(step), toggle(), restart(), showWhole(), setSteps(n) }; each shows the
 * new step on the controls at once and asks for a frame of the figure (app.stepChanged).
 */
export function mountPlayback(app) {
  const { store, player } = app;
  const $ = (id) => document.getElementById(id);
  const reduceMotion = matchMedia('(prefers-reduced-motion: reduce)');
  const lang = () => store.get().lang;
  let speedTouched = false;

  function speedLabel() {
    $('speed-value').textContent = t(lang(), 'speedValue', { n: player.speed });
  }
  function setSpeed(v) {
    player.setSpeed(v);
    $('speed').value = String(sliderFromSpeed(v));
    speedLabel();
  }
  /**
   * The controls' state: the step label, the scrubber, the play button. Only what changed is
   * written: this runs in every frame of a drag, and each write costs the page a layout.
   */
  function render() {
    const step = Math.floor(player.step);
    const steps = player.steps;
    const scrubber = $('scrubber');
    if (scrubber.max !== String(steps)) scrubber.max = String(steps);
    if (!scrubber.matches(':active') && scrubber.value !== String(step)) {
      scrubber.value = String(step);
    }
    setText($('step-label'), t(lang(), 'stepLabel', { s: step, n: steps }));
    const play = $('play');
    if (play.getAttribute('aria-pressed') !== String(player.playing)) {
      play.setAttribute('aria-pressed', String(player.playing));
    }
    setText(play.querySelector('.label'), t(lang(), player.playing ? 'pause' : 'play'));
  }

  /** The step or the playing state changed: the controls at once, the figure next frame. */
  const changed = () => {
    render();
    app.stepChanged();
  };
  const api = {
    render,
    seek(step) {
      player.seek(step);
      changed();
    },
    toggle() {
      if (player.playing) player.pause();
      else if (reduceMotion.matches) player.seek(player.steps);
      else player.play();
      changed();
    },
    /** Plays the race from step 0, or (reduced motion) shows it whole. */
    restart() {
      if (reduceMotion.matches) return api.showWhole();
      player.seek(0);
      player.play();
      changed();
    },
    showWhole() {
      player.seek(player.steps);
      changed();
    },
    /** The race has `steps` steps now. */
    setSteps(steps) {
      player.setSteps(steps);
      if (!speedTouched) setSpeed(naturalSpeed(steps));
      changed();
    },
  };

  $('play').addEventListener('click', api.toggle);
  $('reset').addEventListener('click', () => api.seek(0));
  $('step-back').addEventListener('click', () => api.seek(Math.round(player.step) - 1));
  $('step-forward').addEventListener('click', () => api.seek(Math.round(player.step) + 1));
  $('scrubber').addEventListener('input', (e) => api.seek(Number(e.target.value)));
  $('speed').addEventListener('input', (e) => {
    speedTouched = true;
    setSpeed(speedFromSlider(Number(e.target.value)));
  });
  const help = $('help');
  attachShortcuts(document, {
    toggle: api.toggle,
    step: (delta) => api.seek(Math.round(player.step) + delta),
    reset: () => api.seek(0),
    help: () => help.showModal(),
    blocked: () => help.open,
  });
  store.watch(
    (s) => s.lang,
    () => {
      speedLabel();
      render();
    },
  );
  return api;
}
