// SPDX-License-Identifier: MIT
// Pointer gestures on the figure, reported in CSS pixels of the element: press or drag moves
// the start point, Shift/middle drag pans, the wheel zooms, and on touch one finger moves the
// start while two fingers pinch-zoom and pan.

/**
 * Attaches the listeners to `el`. Handlers (all optional):
 * start(x, y, phase)  phase 'start' | 'move' | 'end'
 * pan(dx, dy)         the content should move by (dx, dy) pixels
 * zoom(factor, x, y)  factor > 1 zooms out, around (x, y)
 * hover(x, y)         pointer position without a button, or (null, null) when it leaves
 * settle()            a pan or zoom gesture ended
 * Returns a function that removes the listeners.
 */
export function attachGestures(el, handlers) {
  const on = (name, ...args) => handlers[name]?.(...args);
  const pointers = new Map();
  let mode = null; // 'start' | 'pan' | 'pinch' | 'touch' (one finger, not yet a drag)
  let pinch = null;
  let touchAt = null; // where a finger went down, until it moves or lifts
  let wheelTimer = 0;

  const local = (e) => {
    const r = el.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  };
  const centroid = () => {
    const ps = [...pointers.values()];
    const x = (ps[0][0] + ps[1][0]) / 2;
    const y = (ps[0][1] + ps[1][1]) / 2;
    const d = Math.hypot(ps[0][0] - ps[1][0], ps[0][1] - ps[1][1]);
    return { x, y, d };
  };

  function down(e) {
    if (e.pointerType === 'mouse' && e.button !== 0 && e.button !== 1) return;
    const p = local(e);
    pointers.set(e.pointerId, p);
    el.setPointerCapture?.(e.pointerId);
    e.preventDefault();
    if (pointers.size === 2) {
      if (mode === 'start') on('start', p[0], p[1], 'end');
      mode = 'pinch';
      pinch = centroid();
    } else if (pointers.size === 1) {
      if (e.button === 1 || e.shiftKey) {
        mode = 'pan';
      } else if (e.pointerType === 'touch') {
        // A second finger may follow (a pinch): the start moves only once this one moves
        // alone, or lifts (a tap).
        mode = 'touch';
        touchAt = p;
      } else {
        mode = 'start';
        on('start', p[0], p[1], 'start');
      }
    }
  }

  function move(e) {
    const p = local(e);
    if (!pointers.has(e.pointerId)) {
      if (e.pointerType === 'mouse') on('hover', p[0], p[1]);
      return;
    }
    const prev = pointers.get(e.pointerId);
    pointers.set(e.pointerId, p);
    if (mode === 'touch' && Math.hypot(p[0] - touchAt[0], p[1] - touchAt[1]) > 4) {
      mode = 'start';
      on('start', touchAt[0], touchAt[1], 'start');
    }
    if (mode === 'start') on('start', p[0], p[1], 'move');
    else if (mode === 'pan') on('pan', p[0] - prev[0], p[1] - prev[1]);
    else if (mode === 'pinch' && pointers.size === 2) {
      const now = centroid();
      on('pan', now.x - pinch.x, now.y - pinch.y);
      if (pinch.d > 0 && now.d > 0) on('zoom', pinch.d / now.d, now.x, now.y);
      pinch = now;
    }
  }

  function up(e) {
    if (!pointers.has(e.pointerId)) return;
    const p = local(e);
    pointers.delete(e.pointerId);
    if (mode === 'touch') on('start', touchAt[0], touchAt[1], 'start');
    if (mode === 'start' || mode === 'touch') on('start', p[0], p[1], 'end');
    if (mode === 'pan' || mode === 'pinch') on('settle');
    // Lifting one finger of a pinch ends the gesture; the other finger does nothing more.
    mode = pointers.size === 0 ? null : 'idle';
  }

  function wheel(e) {
    e.preventDefault();
    const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? 400 : 1;
    const delta = Math.max(-300, Math.min(300, e.deltaY * unit));
    const [x, y] = local(e);
    on('zoom', Math.exp(delta * 0.0015), x, y);
    clearTimeout(wheelTimer);
    wheelTimer = setTimeout(() => on('settle'), 200);
  }

  const leave = () => on('hover', null, null);
  const noMenu = (e) => mode === 'pan' && e.preventDefault();
  // Middle-button autoscroll would fight the pan, and Shift+press would extend the page's
  // text selection.
  const noMouseDefault = (e) => e.preventDefault();

  el.addEventListener('pointerdown', down);
  el.addEventListener('pointermove', move);
  el.addEventListener('pointerup', up);
  el.addEventListener('pointercancel', up);
  el.addEventListener('pointerleave', leave);
  el.addEventListener('wheel', wheel, { passive: false });
  el.addEventListener('contextmenu', noMenu);
  el.addEventListener('mousedown', noMouseDefault);
  return () => {
    el.removeEventListener('pointerdown', down);
    el.removeEventListener('pointermove', move);
    el.removeEventListener('pointerup', up);
    el.removeEventListener('pointercancel', up);
    el.removeEventListener('pointerleave', leave);
    el.removeEventListener('wheel', wheel);
    el.removeEventListener('contextmenu', noMenu);
    el.removeEventListener('mousedown', noMouseDefault);
  };
}
