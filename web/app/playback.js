// SPDX-License-Identifier: MIT
// Playback: where the race is (a fractional step, so paths grow smoothly), play/pause and
// speed. Not part of the store: it changes every frame and no link holds it. Pure: no DOM.

/** Speed slider positions 0..100 map to 1..5000 steps per second, logarithmically. */
export const SPEED_MAX = 5000;
export function speedFromSlider(p) {
  const v = Math.pow(SPEED_MAX, Math.min(Math.max(p, 0), 100) / 100);
  return v < 20 ? Math.round(v) : Number(v.toPrecision(2));
}
export function sliderFromSpeed(speed) {
  return Math.round((Math.log(Math.max(speed, 1)) / Math.log(SPEED_MAX)) * 100);
}

/** A speed that shows a race of `steps` steps in about five seconds. */
export function naturalSpeed(steps) {
  return speedFromSlider(sliderFromSpeed(Math.min(Math.max(steps / 5, 10), 2000)));
}

/**
 * The playback model. step is a float in [0, steps]; tick(now) advances it while playing.
 * `onEnd` runs when a play reaches the last step.
 */
export function createPlayer({ steps = 300, speed = 60, onEnd = () => {} } = {}) {
  let step = 0;
  let playing = false;
  let last = null;
  return {
    get step() {
      return step;
    },
    get steps() {
      return steps;
    },
    get speed() {
      return speed;
    },
    get playing() {
      return playing;
    },
    play() {
      if (step >= steps) step = 0;
      playing = true;
      last = null;
    },
    pause() {
      playing = false;
    },
    seek(s) {
      step = Math.min(Math.max(Math.round(s), 0), steps);
      playing = false;
    },
    stepBy(delta) {
      this.seek(Math.round(step) + delta);
    },
    setSteps(n) {
      steps = n;
      if (step > n) step = n;
    },
    setSpeed(v) {
      speed = v;
    },
    /** Advances to time `now` (ms); true when the step changed. */
    tick(now) {
      if (!playing) return false;
      if (last === null) last = now;
      // A stalled tab must not make the race jump: at most a tenth of a second per frame.
      const dt = Math.min(now - last, 100) / 1000;
      last = now;
      step = Math.min(step + speed * dt, steps);
      if (step >= steps) {
        playing = false;
        onEnd();
      }
      return true;
    },
  };
}
