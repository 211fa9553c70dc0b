// SPDX-License-Identifier: MIT
// The lecture tour beside the race: the chapter's title, its place in the lecture (previous,
// next, the list: real links), the update rules typeset by KaTeX (loaded with the first
// chapter), the explanation, what to look at, one thing to try, and a caption read from the
// runs on the screen. A question (`ask=`) holds the race at its start until the student has
// predicted; the answer is computed from the run.

import { racerLabels } from '../../app/labels.js';
import { methodLabel } from '../../i18n.js';
import { same } from '../../app/store.js';
import { rangeKey } from '../tools/model.js';
import { h, loadStyle } from '../../ui/dom.js';
import { CHAPTERS } from './chapters.js';
import { answerOf, distance, endPoint, finalLoss, formatNumber, pointAt } from './model.js';
import { scoreChapter, scored, tallyOf } from './scoreboard.js';

const KATEX_MODULE = 'vendor/katex/katex.mjs';
const KATEX_STYLE = 'vendor/katex/katex.min.css';

const UI = {
  en: {
    lecture: 'Lecture',
    count: 'Chapter {k} of {n}',
    previous: '← Previous',
    next: 'Next →',
    chapters: 'All chapters',
    close: 'Leave the lecture',
    look: 'Look at',
    try: 'Try',
    changed: 'You changed this chapter’s set-up: the caption reads your run.',
    reset: 'Back to the chapter’s set-up',
    askLowest: 'Predict: which racer ends lowest?',
    askFarthest: 'Predict: which racer ends farthest from the start?',
    askHint: 'The race plays once you have chosen.',
    lowest: '{a} ends lowest, at f = {f}.',
    farthest: '{a} ends farthest from the start, {d} away.',
    right: 'You predicted {p}: right.',
    wrong: 'You predicted {p}; the run says otherwise.',
    noAnswer: 'No racer finished with a loss to compare.',
    computing: 'Computing the runs…',
    toStream: 'Show the gradient-stream lab',
    captionFailed: 'This chapter could not read the run: {message}',
    board:
      'Scoreboard: every chapter’s race as it is set up, and the racer of each team that ended lowest (training loss only; flatness and generalization are measured in the lab and the network).',
    boardChapter: 'Chapter',
    boardSgd: 'Team SGD',
    boardAdam: 'Team Adam',
    boardDiverged: '{a}: diverged',
    boardTally:
      'Both teams raced in {n} chapters: Team SGD ended lower in {sgd}, Team Adam in {adam}, tied in {tie}. The others compare racers of one team.',
  },
  zh: {
    lecture: '课程导览',
    count: '第 {k} 章，共 {n} 章',
    previous: '← 上一章',
    next: '下一章 →',
    chapters: '全部章节',
    close: '离开导览',
    look: '看这里',
    try: '试一试',
    changed: '你改动了本章的设置：下面的说明读的是你的这次运行。',
    reset: '恢复本章设置',
    askLowest: '先预测：哪个优化器最后的损失最低？',
    askFarthest: '先预测：哪个优化器最后离起点最远？',
    askHint: '选好之后比赛才开始。',
    lowest: '{a} 最后最低，f = {f}。',
    farthest: '{a} 最后离起点最远，距离 {d}。',
    right: '你预测的是 {p}：答对了。',
    wrong: '你预测的是 {p}；这次运行的结果不是它。',
    noAnswer: '没有哪个优化器留下可比较的损失。',
    computing: '正在计算……',
    toStream: '查看梯度序列实验',
    captionFailed: '本章无法读取这次运行：{message}',
    board:
      '记分板：每一章按其设置的比赛，以及每队最后 loss 最低的优化器（只看训练 loss；平坦程度和泛化能力在实验区和神经网络里测量）。',
    boardChapter: '章节',
    boardSgd: 'SGD 队',
    boardAdam: 'Adam 队',
    boardDiverged: '{a}：发散',
    boardTally:
      '两队同场比赛的有 {n} 章：SGD 队更低 {sgd} 章，Adam 队更低 {adam} 章，平手 {tie} 章。其余各章比较的是同一队的优化器。',
  },
};

function say(lang, key, vars = {}) {
  const text = UI[lang]?.[key] ?? UI.en[key];
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

/** A chapter's short link in `lang` (the language is written only when it is not the browser's). */
export function chapterHref(id, lang, browserLang) {
  return `#v=1${lang !== browserLang ? `&lang=${lang}` : ''}&ch=${id}`;
}

/** The TeX of a chapter's formula entry: a string, or the core's formula of a method/schedule. */
export function texOf(entry, M) {
  if (typeof entry === 'string') return entry;
  if (entry?.method) return M.methods.get(entry.method)?.formula ?? null;
  if (entry?.schedule) return M.schedules.get(entry.schedule)?.formula ?? null;
  return null;
}

let katexLoad = null;
/** KaTeX's render function, loaded once (null when it cannot load, as in the single file). */
function loadKatex() {
  katexLoad ??= Promise.all([
    import(new URL(KATEX_MODULE, document.baseURI).href),
    loadStyle(KATEX_STYLE),
  ]).then(
    ([mod]) => mod.default ?? mod,
    () => null,
  );
  return katexLoad;
}

export function mountTour(app) {
  const { store, events, M } = app;
  const root = document.getElementById('tour');
  const el = {
    count: h('span', { className: 'tour-count' }),
    previous: h('a', { className: 'tour-previous' }),
    next: h('a', { className: 'tour-next' }),
    listTitle: h('summary'),
    list: h('ol', { className: 'tour-chapters' }),
    close: h('button', { type: 'button', className: 'small tour-close' }),
    title: h('h2', { id: 'tour-title', className: 'tour-title' }),
    tex: h('div', { className: 'tour-tex' }),
    text: h('p', { className: 'tour-text' }),
    lookTitle: h('strong'),
    look: h('span'),
    tryTitle: h('strong'),
    try: h('span'),
    question: h('div', { className: 'tour-question', hidden: true }),
    ask: h('p', { className: 'tour-ask' }),
    answers: h('div', { className: 'tour-answers', attrs: { role: 'group' } }),
    verdict: h('p', { className: 'tour-verdict', attrs: { 'aria-live': 'polite' } }),
    caption: h('p', { className: 'tour-caption', attrs: { 'aria-live': 'polite' } }),
    toStream: h('button', { type: 'button', className: 'small tour-to-stream', hidden: true }),
    changed: h('p', { className: 'tour-changed', hidden: true }),
    board: h('div', { className: 'tour-board', hidden: true }),
    changedText: h('span'),
    reset: h('a'),
  };
  el.question.append(el.ask, el.answers, el.verdict);
  el.changed.append(el.changedText, ' ', el.reset);
  const chapterPart = h(
    'div',
    { className: 'tour-chapter' },
    h(
      'nav',
      { className: 'tour-nav' },
      el.previous,
      el.count,
      el.next,
      h('details', { className: 'tour-list' }, el.listTitle, el.list),
      el.close,
    ),
    el.title,
    el.tex,
    el.text,
    h('p', { className: 'tour-look' }, el.lookTitle, ' ', el.look),
    h('p', { className: 'tour-try' }, el.tryTitle, ' ', el.try),
    el.toStream,
  );
  el.toStream.addEventListener('click', () =>
    document.getElementById('stream')?.scrollIntoView({ behavior: 'smooth', block: 'start' }),
  );
  root.replaceChildren(chapterPart, el.question, el.caption, el.board, el.changed);
  root.setAttribute('aria-labelledby', 'tour-title');

  el.close.addEventListener('click', () => {
    store.update((s) => {
      s.chapter = null;
      s.ask = null;
    });
  });

  // The prediction: which question it answers, and the racer chosen.
  let answered = null;
  const questionKey = (s) =>
    JSON.stringify([s.chapter, s.ask, s.fn, s.start, s.steps, s.noise, s.racers]);
  // A question hidden by the embedding (hide=tour) holds nothing back.
  const asking = (s) =>
    s.ask !== null && !s.embed.hide.includes('tour') && answered?.key !== questionKey(s);

  let texShown = null;
  function showTex(chapter) {
    const key = chapter?.id ?? null;
    if (texShown === key) return;
    texShown = key;
    const sources = (chapter?.tex ?? []).map((e) => texOf(e, M)).filter(Boolean);
    const boxes = sources.map((tex) => h('div', { className: 'tour-formula' }, h('code', {}, tex)));
    el.tex.replaceChildren(...boxes);
    if (!sources.length) return;
    loadKatex().then((katex) => {
      if (!katex || texShown !== key) return;
      sources.forEach((tex, i) => {
        try {
          katex.render(tex, boxes[i], { displayMode: true, throwOnError: false });
        } catch {
          // The TeX source stays shown.
        }
      });
    });
  }

  function chapterOf(s) {
    return s.chapter ? (CHAPTERS.find((c) => c.id === s.chapter) ?? null) : null;
  }

  function render(s) {
    const chapter = chapterOf(s);
    // A chapter that reads the range test has the learning-rate tools run it.
    if (!!chapter?.range !== !!app.wantRange) {
      app.wantRange = !!chapter?.range;
      if (app.wantRange) events.emit('range-wanted');
    }
    root.hidden = !chapter && s.ask === null;
    if (asking(s)) document.body.dataset.asking = 'true';
    else delete document.body.dataset.asking;
    if (root.hidden) return;
    const lang = s.lang;
    const href = (id) => chapterHref(id, lang, app.browserLang);
    chapterPart.hidden = !chapter;
    if (chapter) {
      const k = CHAPTERS.indexOf(chapter);
      el.count.textContent = say(lang, 'count', { k: k + 1, n: CHAPTERS.length });
      for (const [a, other, key] of [
        [el.previous, CHAPTERS[k - 1], 'previous'],
        [el.next, CHAPTERS[k + 1], 'next'],
      ]) {
        a.textContent = say(lang, key);
        a.hidden = !other;
        if (other) {
          a.href = href(other.id);
          a.title = other.title[lang];
        }
      }
      el.listTitle.textContent = say(lang, 'chapters');
      el.list.replaceChildren(
        ...CHAPTERS.map((c) =>
          h(
            'li',
            {},
            h(
              'a',
              { href: href(c.id), attrs: c === chapter ? { 'aria-current': 'page' } : {} },
              c.title[lang],
            ),
          ),
        ),
      );
      el.close.textContent = say(lang, 'close');
      el.title.textContent = chapter.title[lang];
      el.text.textContent = chapter.text[lang];
      el.lookTitle.textContent = say(lang, 'look');
      el.look.textContent = chapter.look[lang];
      el.tryTitle.textContent = say(lang, 'try');
      el.try.textContent = chapter.try[lang];
      el.toStream.hidden = !chapter.stream;
      el.toStream.textContent = say(lang, 'toStream');
      if (chapter.stream && !app.wantStream) {
        // The gradient-stream lab loads its tools for this chapter now, not when scrolled to.
        app.wantStream = true;
        events.emit('stream-wanted');
      }

      el.changed.hidden = app.isChapterSetup(s);
      el.changedText.textContent = say(lang, 'changed');
      el.reset.textContent = say(lang, 'reset');
      el.reset.href = href(chapter.id);
    } else el.changed.hidden = true;
    showTex(chapter);
    renderQuestion(s, chapter);
    renderCaption(s, chapter);
    renderBoard(s, chapter);
  }

  // The summary's scoreboard: computed once per language, after the chapter has shown.
  let board = null;
  function renderBoard(s, chapter) {
    el.board.hidden = !chapter?.scoreboard || asking(s);
    if (el.board.hidden) return;
    const lang = s.lang;
    if (board?.lang === lang) return;
    const mine = { lang, rows: [] };
    board = mine;
    // One chapter's race per task, so that the page keeps its frames.
    const next = () => {
      if (board !== mine) return;
      const todo = scored(CHAPTERS);
      if (mine.rows.length < todo.length) {
        mine.rows.push(scoreChapter(todo[mine.rows.length], app.m, lang));
        setTimeout(next, 0);
        return;
      }
      const rows = mine.rows;
      const tally = tallyOf(rows);
      const href = (id) => chapterHref(id, lang, app.browserLang);
      const cell = (entry, won) =>
        h(
          'td',
          { className: won ? 'won' : '' },
          !entry
            ? '—'
            : entry.diverged
              ? say(lang, 'boardDiverged', { a: entry.label })
              : `${entry.label}: f = ${formatNumber(entry.f, 4)}`,
        );
      el.board.replaceChildren(
        h('p', {}, say(lang, 'board')),
        h(
          'table',
          {},
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col' }, say(lang, 'boardChapter')),
              h('th', { scope: 'col' }, say(lang, 'boardSgd')),
              h('th', { scope: 'col' }, say(lang, 'boardAdam')),
            ),
          ),
          h(
            'tbody',
            {},
            rows.map((row) =>
              h(
                'tr',
                { dataset: { chapter: row.id, winner: row.winner ?? '' } },
                h('th', { scope: 'row' }, h('a', { href: href(row.id) }, row.title)),
                cell(row.sgd, row.winner === 'sgd'),
                cell(row.adam, row.winner === 'adam'),
              ),
            ),
          ),
        ),
        h(
          'p',
          { className: 'tour-tally' },
          say(lang, 'boardTally', {
            n: tally.headToHead,
            sgd: tally.sgd,
            adam: tally.adam,
            tie: tally.tie,
          }),
        ),
      );
    };
    setTimeout(next, 0);
  }

  function renderQuestion(s, chapter) {
    el.question.hidden = s.ask === null;
    if (s.ask === null) return;
    const lang = s.lang;
    const own = chapter && chapter.ask === s.ask && chapter.question;
    el.ask.textContent = own
      ? chapter.question[lang]
      : say(lang, s.ask === 'farthest' ? 'askFarthest' : 'askLowest');
    const labels = racerLabels(lang, s.racers, M.methods);
    const open = asking(s);
    el.answers.replaceChildren(
      ...labels.map((label, i) =>
        h(
          'button',
          {
            type: 'button',
            className: 'small tour-answer',
            disabled: !open,
            onclick: () => choose(i),
            attrs: { 'aria-pressed': String(!open && answered?.pick === i) },
            dataset: { racer: String(i) },
          },
          h('span', { className: 'swatch', attrs: { 'aria-hidden': 'true' } }),
          label,
        ),
      ),
    );
    el.answers.querySelectorAll('.swatch').forEach((sw, i) => {
      sw.style.background = s.racers[i].color;
    });
    if (open) {
      el.verdict.textContent = say(lang, 'askHint');
      return;
    }
    el.verdict.textContent = verdict(s, labels);
  }

  /** The run's answer and the student's prediction, in words. */
  function verdict(s, labels) {
    const lang = s.lang;
    const runs = runsOf(s);
    if (!runs) return say(lang, 'computing');
    const racers = runs.list.map(({ result }, i) => ({ label: labels[i], result }));
    const best = answerOf(s.ask, racers);
    if (best === null) return say(lang, 'noAnswer');
    const result = racers[best].result;
    const fact =
      s.ask === 'farthest'
        ? say(lang, 'farthest', {
            a: labels[best],
            d: formatNumber(distance(pointAt(result, 0), endPoint(result))),
          })
        : say(lang, 'lowest', { a: labels[best], f: formatNumber(finalLoss(result)) });
    const pick = labels[answered.pick] ?? '?';
    return `${say(lang, answered.pick === best ? 'right' : 'wrong', { p: pick })} ${fact}`;
  }

  function renderCaption(s, chapter) {
    el.caption.hidden = !chapter || asking(s);
    if (el.caption.hidden) return;
    const view = captionView(s, chapter);
    if (!view) {
      el.caption.textContent = say(s.lang, 'computing');
      return;
    }
    try {
      el.caption.textContent = chapter.caption({ lang: s.lang, racers: [], state: s, ...view });
    } catch (err) {
      el.caption.textContent = say(s.lang, 'captionFailed', { message: err?.message ?? err });
    }
  }

  /**
   * What chapter's caption reads besides the state: { stream } (the gradient-stream lab's
   * runs), { range } (the range test) or { racers } (the race's runs), each only when it
   * belongs to state `s`; null while the race is computing.
   */
  function captionView(s, chapter) {
    if (chapter.stream) {
      const lab = app.stream && same(app.stream.stream, s.stream) ? app.stream : null;
      const labels = lab?.runs?.map((r) => methodLabel(s.lang, M.methods.get(r.method)));
      const stream = lab?.runs && {
        stream: lab.stream,
        runs: lab.runs.map((r, i) => ({ ...r, label: labels[i] })),
      };
      return { stream };
    }
    const labels = racerLabels(s.lang, s.racers, M.methods);
    if (chapter.range) {
      const test = app.range?.key === rangeKey(s, s.selected) ? app.range : null;
      return { range: test && { result: test.result, label: labels[test.racer] } };
    }
    const runs = runsOf(s);
    if (!runs) return null;
    return { racers: runs.list.map(({ result }, i) => ({ label: labels[i], result })) };
  }

  /** The race's runs when they are the runs of state `s`, else null (still computing). */
  function runsOf(s) {
    const runs = app.runs.current;
    if (runs.pending || !runs.state) return null;
    const inputs = (x) => [x.fn, x.start, x.steps, x.noise, x.racers.map((r) => r.optimizer)];
    const schedules = (x) => x.racers.map((r) => r.schedule);
    return same(inputs(runs.state), inputs(s)) && same(schedules(runs.state), schedules(s))
      ? runs
      : null;
  }

  function choose(i) {
    const s = store.get();
    answered = { key: questionKey(s), pick: i };
    render(s);
    app.playback.restart();
  }

  // Hold the race at its start while a question is open.
  events.on('step', () => {
    if (asking(store.get()) && app.player.step > 0) app.playback.seek(0);
  });
  events.on('runs', () => {
    const s = store.get();
    if (asking(s)) app.playback.seek(0);
    if (!app.dragging?.()) render(s);
  });
  events.on('drag-end', () => render(store.get()));
  events.on('stream', () => render(store.get()));
  events.on('range', () => render(store.get()));
  store.watch(
    (s) => s,
    (_, __, s) => {
      render(s);
      if (asking(s)) app.playback.seek(0);
    },
  );
  return { root };
}
