// SPDX-License-Identifier: MIT
// A small event hub for what is not state: the race's runs arrived, the playback step moved.
// Sections listen to what they show; nothing here is kept.

export function createEvents() {
  const listeners = new Map();
  return {
    /** Calls fn(...args) on every emit(name, ...args); returns off(). */
    on(name, fn) {
      if (!listeners.has(name)) listeners.set(name, new Set());
      listeners.get(name).add(fn);
      return () => listeners.get(name)?.delete(fn);
    },
    emit(name, ...args) {
      for (const fn of [...(listeners.get(name) ?? [])]) fn(...args);
    },
  };
}
