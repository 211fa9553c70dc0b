// SPDX-License-Identifier: MIT
// A chapter's link. `#v=1&ch=ID` alone (with at most the language, a question and the
// embedding's keys) opens the chapter as it is set up; a link that also sets the experiment
// (`#v=1&ch=ID&fn=...`) is that experiment with the chapter's text beside it. A state still
// equal to its chapter's set-up is written back in the short form. Pure: no DOM.

import { parseHash, serializeState } from '../../app/url.js';
import { same } from '../../app/store.js';

/** Keys that do not set the experiment: a link made of these only opens a chapter's set-up. */
const FRAME_KEYS = new Set(['v', 'ch', 'lang', 'ask', 'embed', 'hide', 'lock']);
/** The state's parts a chapter sets up (the rest: language, chapter, question, embedding). */
const EXPERIMENT = [
  'fn',
  'view',
  'start',
  'steps',
  'noise',
  'racers',
  'selected',
  'series',
  'lrScale',
  'overlay',
  'lab',
  'mlp',
];

/** A link's key=value parts, in order ('+' stays a plus sign, as parseHash reads it). */
function parts(hash) {
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  return text === '' ? [] : text.split('&');
}
const keyOf = (part) => {
  const i = part.indexOf('=');
  try {
    return decodeURIComponent(i < 0 ? part : part.slice(0, i));
  } catch {
    return part;
  }
};

/** The chapter named by a link's `ch=` (the first one), or undefined. */
export function chapterId(hash) {
  const part = parts(hash).find((p) => keyOf(p) === 'ch');
  return part === undefined ? undefined : part.slice(part.indexOf('=') + 1);
}

/** A chapter's own link: its experiment and its question, after `v=1`. */
export function chapterLink(chapter) {
  return `v=1&ch=${chapter.id}&${chapter.link}${chapter.ask ? `&ask=${chapter.ask}` : ''}`;
}

/**
 * A link read with `chapters`: { hash, errors }. A link that names a known chapter and sets
 * nothing else of the experiment becomes the chapter's set-up (its own keys, such as `lang` or
 * `ask`, win); an unknown chapter is dropped with an error; any other link is returned as it is.
 */
export function expandChapterLink(hash, chapters) {
  const id = chapterId(hash);
  if (id === undefined) return { hash, errors: [] };
  const list = parts(hash);
  const chapter = chapters.find((c) => c.id === id);
  if (!chapter) {
    const shown = id.length > 40 ? `${id.slice(0, 40)}…` : id;
    return {
      hash: list.filter((p) => keyOf(p) !== 'ch').join('&'),
      errors: [
        { field: 'ch', message: `there is no chapter "${shown}"; the link opened without one` },
      ],
    };
  }
  if (!list.every((p) => FRAME_KEYS.has(keyOf(p)))) return { hash, errors: [] };
  const own = new Set(list.map(keyOf));
  const extra = parts(chapterLink(chapter)).filter((p) => !own.has(keyOf(p)));
  return { hash: [...list, ...extra].join('&'), errors: [] };
}

/**
 * createChapterLinks(engine, chapters, browserLang) -> hashOf(state): the link of a state,
 * short (`v=1&ch=ID`, and the language, question or embedding when they differ) while the
 * state is still its chapter's set-up, else the whole experiment with `ch=ID` (never only
 * frame keys, which would open the set-up again).
 */
export function createChapterLinks(engine, chapters, browserLang) {
  const setups = new Map();
  function setup(chapter) {
    let s = setups.get(chapter.id);
    if (!s) {
      s = parseHash(chapterLink(chapter), engine, browserLang).state;
      setups.set(chapter.id, s);
    }
    return s;
  }
  /** Whether the state's experiment is its chapter's set-up. */
  function isSetup(state, chapter) {
    const s = setup(chapter);
    return EXPERIMENT.every((k) => same(state[k], s[k]));
  }
  function hashOf(state) {
    const full = serializeState(state, engine, browserLang);
    const chapter = state.chapter && chapters.find((c) => c.id === state.chapter);
    if (!chapter) return full;
    const list = parts(full);
    const frame = list.filter((p) => FRAME_KEYS.has(keyOf(p)) && keyOf(p) !== 'ask');
    if (isSetup(state, chapter)) {
      const ask = state.ask ?? null;
      // After ch=, as in a whole link (before the embedding's keys).
      const after = frame.findIndex((p) => keyOf(p) === 'ch') + 1;
      if (ask !== (chapter.ask ?? null)) frame.splice(after, 0, `ask=${ask ?? 'none'}`);
      return frame.join('&');
    }
    if (list.every((p) => FRAME_KEYS.has(keyOf(p)))) list.push(`steps=${state.steps}`);
    return list.join('&');
  }
  /** Whether a state is still its chapter's set-up (false without a known chapter). */
  hashOf.isSetup = (state) => {
    const chapter = state.chapter && chapters.find((c) => c.id === state.chapter);
    return chapter ? isSetup(state, chapter) : false;
  };
  return hashOf;
}
