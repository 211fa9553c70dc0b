// SPDX-License-Identifier: MIT
// The JavaScript side of the Embind boundary, linked into optim.mjs and optim-tools.mjs with
// --post-js (it runs inside the module factory, where Module, stackSave and stackRestore are in
// scope).
//
// A guarded binding (convert.hpp, guard) returns a BoundaryFailure instead of throwing, so that
// no JavaScript exception ever unwinds wasm frames: such an unwinding skips the frames'
// epilogues and leaks their shadow-stack space, and the module dies after some 10^5 errors.
// Each wrapper below throws an Error with the failure's message from JavaScript. It also restores
// the stack pointer when an exception does pass through wasm (a throwing getter of an argument
// object, a trap), and `new m.Trainer(config)` goes through the guarded factory.

/** What a guarded binding returns when the core rejected the call: its message. */
function BoundaryFailure(message) {
  this.message = message;
}
Module['BoundaryFailure'] = BoundaryFailure;

/**
 * The JSON text of a value that convert.hpp's from_js would read the same way, else null:
 * finite numbers other than -0, strings, booleans, null and undefined (as null), arrays and
 * typed arrays (not DataView) by their length, objects by their own enumerable keys with
 * undefined properties left out, at most 32 levels deep. from_js reads the text in one call
 * across the boundary instead of several per field; for anything else (NaN, a function, a
 * cycle, a getter that throws) it reads field by field and names what is wrong.
 */
function jsonTextOf(value) {
  var unlike = {};
  function plain(v, depth) {
    if (depth > 32) throw unlike;
    if (v === undefined || v === null) return null;
    var type = typeof v;
    if (type === 'number') {
      if (!isFinite(v) || (v === 0 && 1 / v < 0)) throw unlike;
      return v;
    }
    if (type === 'boolean' || type === 'string') return v;
    if (type !== 'object') throw unlike;
    var i;
    if (Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView))) {
      var list = [];
      var n = v.length;
      for (i = 0; i < n; i++) list.push(plain(v[i], depth + 1));
      return list;
    }
    // No prototype: a key "__proto__" stays a key, as in from_js.
    var out = Object.create(null);
    var keys = Object.keys(v);
    for (i = 0; i < keys.length; i++) {
      var item = v[keys[i]];
      if (item !== undefined) out[keys[i]] = plain(item, depth + 1);
    }
    return out;
  }
  try {
    return JSON.stringify(plain(value, 0));
  } catch (e) {
    return null;
  }
}
Module['jsonTextOf'] = jsonTextOf;

function installBoundary() {
  function guarded(f) {
    return function () {
      var sp = stackSave();
      var result;
      try {
        result = f.apply(this, arguments);
      } catch (e) {
        stackRestore(sp);
        throw e;
      }
      if (result instanceof BoundaryFailure) throw new Error(result.message);
      return result;
    };
  }
  var names = Module['_guardedBindings']();
  for (var i = 0; i < names.length; i++) {
    var parts = names[i].split('.');
    var owner = parts.length === 2 ? Module[parts[0]].prototype : Module;
    var name = parts[parts.length - 1];
    // An overloaded binding (landscape) is listed once per overload; its dispatcher is wrapped
    // once. Embind's dispatcher of an overloaded name finds its overloads on owner[name].overloadTable.
    var f = owner[name];
    if (!f.__guarded) {
      owner[name] = guarded(f);
      owner[name].__guarded = true;
      if (f.overloadTable) owner[name].overloadTable = f.overloadTable;
    }
  }
  var RawTrainer = Module['Trainer'];
  var makeTrainer = Module['_makeTrainer'];
  if (RawTrainer && makeTrainer) {
    var Trainer = function (config, digits) {
      if (!(this instanceof Trainer)) throw new TypeError('Trainer must be called with new');
      return makeTrainer(config, digits);
    };
    Trainer.prototype = RawTrainer.prototype;
    Module['Trainer'] = Trainer;
    delete Module['_makeTrainer'];
  }
  delete Module['_guardedBindings'];
  Object.defineProperty(Module, 'BoundaryFailure', { enumerable: false });
  Object.defineProperty(Module, 'jsonTextOf', { enumerable: false });
}

var userRuntimeInitialized = Module['onRuntimeInitialized'];
Module['onRuntimeInitialized'] = function () {
  installBoundary();
  if (userRuntimeInitialized) userRuntimeInitialized();
};
