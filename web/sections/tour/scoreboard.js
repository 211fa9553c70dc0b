// SPDX-License-Identifier: MIT
// The summary's scoreboard: every chapter's race run again as it is set up, and for each team
// of the lecture's summary slide its racer that ended lowest. Chapters where both teams race
// are the only head-to-heads; the tally counts those alone. Runs on the page's thread (the
// tour's races are short). No DOM.

import { racerLabels } from '../../app/labels.js';
import { meta } from '../../app/meta.js';
import { runConfig } from '../../app/schema.js';
import { parseHash } from '../../app/url.js';
import { chapterLink } from './link.js';
import { finalLoss } from './model.js';

/** The lecture's two teams ("New Optimizers for Deep Learning", its summary slide). */
const TEAMS = {
  sgd: new Set(['sgd', 'sgd_momentum', 'momentum_classic', 'nag', 'sgdw']),
  adam: new Set([
    'adagrad',
    'rmsprop',
    'adadelta',
    'adam',
    'adamax',
    'amsgrad',
    'adabound',
    'amsbound',
    'radam',
    'nadam',
    'nadam_dozat',
    'adamw',
  ]),
};

/** Final losses this close (relative) are a tie: rounding, not a result. */
const TIE = 1e-6;

/**
 * The team of an optimizer spec: 'sgd', 'adam', or null for SWATS (Adam turning into SGD) and
 * an unknown method. Lookahead plays for the team of the method it wraps.
 */
export function teamOf(optimizer) {
  if (!optimizer) return null;
  if (optimizer.name === 'lookahead') return teamOf(optimizer.hyperparameters?.inner);
  for (const [team, names] of Object.entries(TEAMS)) if (names.has(optimizer.name)) return team;
  return null;
}

/**
 * One chapter's score from its racers [{ label, optimizer, result }]: for each team its racer
 * that ended lowest ({ label, f }), or the first of its racers if all diverged ({ label,
 * diverged: true }), or null when the team did not race. winner: 'sgd', 'adam', 'tie' or null
 * (not a head-to-head, or no team finished).
 */
export function scoreRow(racers) {
  const best = {};
  for (const team of Object.keys(TEAMS)) {
    const mine = racers.filter((r) => teamOf(r.optimizer) === team && r.result);
    if (!mine.length) {
      best[team] = null;
      continue;
    }
    const alive = mine
      .filter((r) => !r.result.diverged && Number.isFinite(finalLoss(r.result)))
      .sort((a, b) => finalLoss(a.result) - finalLoss(b.result));
    best[team] = alive.length
      ? { label: alive[0].label, f: finalLoss(alive[0].result) }
      : { label: mine[0].label, diverged: true };
  }
  const { sgd, adam } = best;
  let winner = null;
  if (sgd && adam) {
    if (sgd.diverged && adam.diverged) winner = null;
    else if (sgd.diverged) winner = 'adam';
    else if (adam.diverged) winner = 'sgd';
    else if (Math.abs(sgd.f - adam.f) <= TIE * Math.max(Math.abs(sgd.f), Math.abs(adam.f)))
      winner = 'tie';
    else winner = sgd.f < adam.f ? 'sgd' : 'adam';
  }
  return { sgd, adam, winner };
}

/** One chapter's row: its race run as it is set up. { id, title, sgd, adam, winner }. */
export function scoreChapter(chapter, engine, lang) {
  const { state } = parseHash(chapterLink(chapter), engine, lang);
  const labels = racerLabels(lang, state.racers, meta(engine).methods);
  const racers = state.racers.map((racer, i) => {
    let result = null;
    try {
      result = engine.run({ ...runConfig(state, racer), record: 'path' });
    } catch {
      // A racer that cannot run scores nothing.
    }
    return { label: labels[i], optimizer: racer.optimizer, result };
  });
  return { id: chapter.id, title: chapter.title[lang], ...scoreRow(racers) };
}

/** The tally { sgd, adam, tie, headToHead } over the rows where both teams raced. */
export function tallyOf(rows) {
  const tally = { sgd: 0, adam: 0, tie: 0, headToHead: 0 };
  for (const row of rows) {
    if (!row.sgd || !row.adam) continue;
    tally.headToHead += 1;
    if (row.winner) tally[row.winner] += 1;
  }
  return tally;
}

/**
 * The chapters a scoreboard scores: all but the ones that show it, the gradient-stream
 * chapters (their race is a backdrop; their runs are Adam against AMSGrad, one team) and the
 * range test's (one racer, a measurement, not a race).
 */
export const scored = (chapters) => chapters.filter((c) => !c.scoreboard && !c.stream && !c.range);

/** The scoreboard of `chapters`: { rows, tally } (scoreChapter of each, tallyOf the rows). */
export function scoreboard(chapters, engine, lang) {
  const rows = scored(chapters).map((c) => scoreChapter(c, engine, lang));
  return { rows, tally: tallyOf(rows) };
}
