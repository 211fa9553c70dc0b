// SPDX-License-Identifier: MIT
// Tables of the benchmark harness: the machine, one markdown table per workload (median,
// min-max, ratio to the best contender that agrees with the reference, and the check), and
// the target of issue 5 under it.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { summary } from './measure.mjs';

/** CPU model, cores, Node and Chromium versions, date. */
export function machineInfo(chromiumVersion = null) {
  let cpu = 'unknown';
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpu;
  } catch {
    // not Linux: left unknown
  }
  let chromium = chromiumVersion;
  if (!chromium) {
    const r = spawnSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8' });
    chromium = /Chromium [\d.]+/.exec(r.stdout ?? '')?.[0] ?? 'not found';
  }
  return {
    cpu,
    cores: availableParallelism(),
    node: process.version,
    chromium,
    date: new Date().toISOString(),
  };
}

/**
 * A workload's table. rows: [{ contender, samples (in `unit`), ok (true | false | null for
 * not checked), check (text) }]; a contender that disagrees is never the best. Higher is better for
 * rates ("steps/s"), lower for times ("ms").
 */
export function makeTable({ id, title, unit, higherIsBetter, rows, notes = [], target = null }) {
  const full = rows.map((r) => ({ ...r, ...summary(r.samples) }));
  // A single row is a measurement, not a race: it has no ratio.
  const eligible = full.length > 1 ? full.filter((r) => r.ok !== false) : [];
  const better = (a, b) => (higherIsBetter ? a.median > b.median : a.median < b.median);
  const best = eligible.reduce((acc, r) => (!acc || better(r, acc) ? r : acc), null);
  for (const r of full) {
    r.vsBest = best ? (higherIsBetter ? best.median / r.median : r.median / best.median) : NaN;
    r.best = r === best;
  }
  return { id, title, unit, higherIsBetter, rows: full, notes, target };
}

/** Finds a row's median by contender name (undefined if absent or disagreeing). */
export function medianOf(table, contender) {
  const row = table.rows.find((r) => r.contender === contender);
  return row && row.ok !== false ? row.median : undefined;
}

function fmt(v) {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1e6) return `${(v / 1e6).toFixed(2)}M`;
  if (a >= 1e4) return `${(v / 1e3).toFixed(1)}k`;
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  return v.toPrecision(3);
}

/**
 * A target's verdict: `met` (as the caller writes it), **not met**, not measured, or "reported"
 * for a ratio kept without a target (target.reported).
 */
function verdictOf(target, met) {
  if (target.reported) return 'reported';
  return target.met === true ? met : target.met === false ? '**not met**' : 'not measured';
}

export function tableMarkdown(t) {
  const lines = [`### ${t.title}`, ''];
  lines.push(
    `| contender | median | min–max | unit | ${t.higherIsBetter ? 'best / this' : 'this / best'} | check |`,
  );
  lines.push('|---|--:|--:|---|--:|---|');
  for (const r of t.rows) {
    const ratio =
      r.ok === false || !Number.isFinite(r.vsBest)
        ? '—'
        : `${r.vsBest.toFixed(2)}x${r.best ? ' (best)' : ''}`;
    const check = r.ok === false ? `✗ ${r.check}` : r.ok ? `✓ ${r.check}` : r.check || '';
    lines.push(
      `| ${r.contender} | ${fmt(r.median)} | ${fmt(r.min)}–${fmt(r.max)} | ${t.unit} | ${ratio} | ${check} |`,
    );
  }
  lines.push('');
  for (const n of t.notes) lines.push(n, '');
  if (t.target) {
    const detail = t.target.detail ? ` (${t.target.detail})` : '';
    lines.push(
      t.target.reported
        ? `Reported, no target: ${t.target.text}${detail}.`
        : `Target: ${t.target.text} — ${verdictOf(t.target, '**met**')}${detail}.`,
    );
  }
  lines.push('');
  return lines.join('\n');
}

/** One line per table that has a target: the workload, the target and its verdict. */
export function summaryMarkdown(tables) {
  const lines = ['| workload | target | verdict |', '|---|---|---|'];
  for (const t of tables) {
    if (!t.target) continue;
    const verdict = verdictOf(t.target, 'met');
    const title = t.title.replace(/^[a-z]\) /, '');
    lines.push(
      `| ${title} | ${t.target.reported ? `none (${t.target.text})` : t.target.text} | ${verdict}${t.target.detail ? ` (${t.target.detail})` : ''} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export function machineMarkdown(m) {
  return [
    `Machine: ${m.cpu}, ${m.cores} cores; Node ${m.node}; ${m.chromium}. Date: ${m.date}.`,
    '',
  ].join('\n');
}

/**
 * Adds the row that `measure()` returns for `contender` to `rows`; if it throws, a row marked
 * as crashed instead, so that the table still shows the other contenders (and the run fails).
 */
export async function tryRow(rows, contender, measure) {
  try {
    rows.push({ contender, ...(await measure()) });
  } catch (err) {
    const message = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    rows.push({ contender, samples: [NaN], ok: false, check: `crashed: ${message}` });
  }
}
