// SPDX-License-Identifier: MIT
// Racers' names (web/app/labels.js): distinct whenever the racers are.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { racerLabels } from '../../web/app/labels.js';

/** The core's labels (methods()[k].label); SGDM's short name is the page's. */
const LABELS = { sgd_momentum: 'SGD with momentum', adam: 'Adam', adamw: 'AdamW', sgd: 'SGD' };
const methods = new Map(
  [
    ['sgd_momentum', ['lr', 'momentum', 'weight_decay']],
    ['adam', ['lr', 'beta1', 'beta2', 'eps', 'weight_decay', 'decoupled_weight_decay']],
    ['adamw', ['lr', 'beta1', 'beta2', 'eps', 'weight_decay']],
    ['sgd', ['lr', 'weight_decay']],
  ].map(([name, params]) => [
    name,
    { name, label: LABELS[name], params: params.map((p) => ({ name: p })) },
  ]),
);
const racer = (name, hyperparameters = {}, schedule = null) => ({
  optimizer: { name, hyperparameters },
  schedule,
});

test('four SGDMs under four schedules read as four', () => {
  const racers = [
    racer('sgd_momentum', { lr: 0.002 }, { name: 'cyclic', params: {} }),
    racer('sgd_momentum', { lr: 0.002 }, { name: 'cosine_warm_restarts', params: {} }),
    racer('sgd_momentum', { lr: 0.002 }, { name: 'one_cycle', params: {} }),
    racer('sgd_momentum', { lr: 0.002 }),
  ];
  assert.deepEqual(racerLabels('en', racers, methods), [
    'SGDM · CLR',
    'SGDM · SGDR',
    'SGDM · one-cycle',
    'SGDM',
  ]);
  assert.deepEqual(racerLabels('zh', racers, methods).slice(2), ['SGDM · 单周期', 'SGDM']);
});

test('L2 in the gradient and decoupled decay are named apart', () => {
  const racers = [
    racer('adam', { lr: 0.05, weight_decay: 0.5 }),
    racer('adamw', { lr: 0.05, weight_decay: 0.5 }),
    racer('adam', { lr: 0.05, weight_decay: 0.5, decoupled_weight_decay: true }),
    racer('sgd', { lr: 0.01, weight_decay: 0.5 }),
    racer('adam', { lr: 0.05, weight_decay: 0 }),
  ];
  assert.deepEqual(racerLabels('en', racers, methods), [
    'Adam + L2',
    'AdamW',
    'Adam + decoupled',
    'SGD + L2',
    'Adam',
  ]);
});

test('Adam without bias correction is named so', () => {
  const racers = [racer('adam', { lr: 0.5 }), racer('adam', { lr: 0.5, bias_correction: false })];
  assert.deepEqual(racerLabels('en', racers, methods), ['Adam', 'Adam (uncorrected)']);
  assert.deepEqual(racerLabels('zh', racers, methods), ['Adam', 'Adam（无偏差修正）']);
});

test('racers of one method tell apart by the first hyperparameter that differs', () => {
  const racers = [
    racer('sgd', { lr: 0.01 }),
    racer('sgd', { lr: 0.002 }),
    racer('sgd_momentum', { lr: 0.01, momentum: 0.9 }),
    racer('sgd_momentum', { lr: 0.01, momentum: 0.5 }),
  ];
  assert.deepEqual(racerLabels('en', racers, methods), [
    'SGD η=0.01',
    'SGD η=0.002',
    'SGDM μ=0.9',
    'SGDM μ=0.5',
  ]);
});

test('identical racers are numbered', () => {
  const racers = [racer('sgd', { lr: 0.01 }), racer('adam', {}), racer('sgd', { lr: 0.01 })];
  assert.deepEqual(racerLabels('en', racers, methods), ['SGD #1', 'Adam', 'SGD #3']);
});
