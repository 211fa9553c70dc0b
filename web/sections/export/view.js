// SPDX-License-Identifier: MIT
// The "Export" menu of the top bar: the figure as PNG (its share link in a text chunk and,
// if asked, printed small in a corner), every racer's run as JSON (optim-run's format, which
// optim-run reads back) and CSV, the race as a WebM video (MediaRecorder on the figure while
// it plays), and the share link as a QR code for a classroom projector. The lab's and the
// network's CSV buttons sit in their sections and use the model here.

import { errorText } from '../../engine.js';
import { t } from '../../i18n.js';
import { download, h } from '../../ui/dom.js';
import { runConfig } from '../../app/schema.js';
import { LINK_KEYWORD, raceCsv, raceJson, withTextChunk } from './model.js';

/** A file name stamp: the surface and the date, e.g. rosenbrock-2026-12-02. */
const stamp = (state) => `${state.fn.name}-${new Date().toISOString().slice(0, 10)}`;

const canvasBlob = (canvas, type) =>
  new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the figure has no image'))), type),
  );

/** A copy of the figure with `text` printed small in its lower left corner. */
function withCaption(canvas, text) {
  const copy = document.createElement('canvas');
  copy.width = canvas.width;
  copy.height = canvas.height;
  const ctx = copy.getContext('2d');
  ctx.drawImage(canvas, 0, 0);
  const dpr = window.devicePixelRatio || 1;
  ctx.scale(dpr, dpr);
  ctx.font = '10px system-ui, sans-serif';
  const width = Math.min(ctx.measureText(text).width, canvas.width / dpr - 12);
  ctx.fillStyle = 'rgba(0, 0, 0, 0.6)';
  ctx.fillRect(4, canvas.height / dpr - 18, width + 8, 14);
  ctx.fillStyle = '#ffffff';
  ctx.fillText(text, 8, canvas.height / dpr - 7, width);
  return copy;
}

export function mountExport(app) {
  const { store, pool } = app;
  const lang = () => store.get().lang;
  const $ = (id) => document.getElementById(id);
  const link = () => `${location.href.split('#')[0]}#${app.hashOf(store.get())}`;
  const status = $('export-status');
  const say = (key, vars) => {
    status.textContent = key ? t(lang(), key, vars) : '';
  };
  /** Runs `job`, saying what failed instead of failing silently. */
  const guarded = (job) => async () => {
    try {
      say(null);
      await job();
    } catch (err) {
      say('exportFailed', { error: errorText(err) });
    }
  };

  $('export-png').addEventListener(
    'click',
    guarded(async () => {
      const canvas = $('landscape');
      const source = $('export-stamp').checked ? withCaption(canvas, link()) : canvas;
      const png = new Uint8Array(await (await canvasBlob(source, 'image/png')).arrayBuffer());
      const tagged = withTextChunk(png, LINK_KEYWORD, link());
      download(`${stamp(store.get())}.png`, new Blob([tagged], { type: 'image/png' }));
    }),
  );

  /** Every racer's run with every series recorded, in the Worker pool. */
  async function fullRuns() {
    const state = store.get();
    say('exportRunning');
    const configs = state.racers.map((r) => ({ ...runConfig(state, r), record: 'all' }));
    const out = await pool.task({ type: 'run', configs }).promise;
    const failed = out.findIndex((r) => r.error);
    if (failed >= 0) throw new Error(`r[${failed}]: ${out[failed].error}`);
    say(null);
    return { state, results: out.map((r) => r.result) };
  }
  $('export-json').addEventListener(
    'click',
    guarded(async () => {
      const { state, results } = await fullRuns();
      const text = JSON.stringify(raceJson(link(), results));
      download(`${stamp(state)}-runs.json`, text, 'application/json');
    }),
  );
  $('export-csv').addEventListener(
    'click',
    guarded(async () => {
      const { state, results } = await fullRuns();
      download(`${stamp(state)}-runs.csv`, raceCsv(results), 'text/csv');
    }),
  );

  const webm = $('export-webm');
  let recorder = null;
  webm.hidden = typeof MediaRecorder !== 'function' || !MediaRecorder.isTypeSupported('video/webm');
  webm.addEventListener(
    'click',
    guarded(async () => {
      if (recorder) {
        recorder.stop();
        return;
      }
      const stream = $('landscape').captureStream(30);
      const chunks = [];
      recorder = new MediaRecorder(stream, { mimeType: 'video/webm' });
      recorder.ondataavailable = (e) => e.data.size && chunks.push(e.data);
      const done = new Promise((resolve) => {
        recorder.onstop = resolve;
      });
      const stop = () => recorder?.state === 'recording' && recorder.stop();
      const off = app.events.on('finished', stop);
      recorder.start(250);
      webm.textContent = t(lang(), 'exportWebmStop');
      say('exportRecording');
      app.playback.seek(0);
      app.playback.toggle();
      await done;
      off?.();
      for (const track of stream.getTracks()) track.stop();
      recorder = null;
      webm.textContent = t(lang(), 'exportWebm');
      say(null);
      download(`${stamp(store.get())}.webm`, new Blob(chunks, { type: 'video/webm' }));
    }),
  );

  // The QR code of the link, drawn by the vendored qrcode-generator when first asked for.
  const qrDialog = $('qr-dialog');
  const qrCanvas = $('qr-canvas');
  $('share-qr').addEventListener(
    'click',
    guarded(async () => {
      const { default: qrcode } = await import('../../vendor/qrcode.mjs');
      const text = link();
      const qr = qrcode(0, 'L');
      qr.addData(text, 'Byte');
      qr.make();
      const n = qr.getModuleCount();
      const quiet = 4;
      const scale = Math.max(2, Math.floor(480 / (n + 2 * quiet)));
      qrCanvas.width = qrCanvas.height = (n + 2 * quiet) * scale;
      const ctx = qrCanvas.getContext('2d');
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, qrCanvas.width, qrCanvas.height);
      ctx.fillStyle = '#000000';
      for (let r = 0; r < n; r++) {
        for (let c = 0; c < n; c++) {
          if (qr.isDark(r, c)) ctx.fillRect((c + quiet) * scale, (r + quiet) * scale, scale, scale);
        }
      }
      qrCanvas.dataset.link = text;
      qrCanvas.dataset.modules = String(n);
      $('qr-link').textContent = text;
      qrDialog.showModal();
    }),
  );
  $('qr-close').addEventListener('click', () => qrDialog.close());
  for (const id of ['export-png', 'export-json', 'export-csv', 'export-webm', 'share-qr']) {
    $(id).disabled = false;
  }
}
