// SPDX-License-Identifier: MIT
// The message API of an embedded playground (version 1), for the page that embeds it in an
// iframe. Post requests to the iframe's window with the playground's origin as targetOrigin;
// accept messages only from that window and origin. The playground reads messages only from
// its parent window, checks every field, and answers each request once, to its sender's
// origin. Nothing in a message is executed or inserted as HTML.

export type Api = 'optimizer-playground';
export type Version = 1;
/** Echoed in the reply: a string of 1 to 200 characters or a finite number. */
export type RequestId = string | number;

interface Envelope {
  api: Api;
  version: Version;
}

export type Request = Envelope & { id: RequestId } & (
    | { type: 'getState' }
    /** The state as a link hash (with or without '#'), checked like a link: a hash with any
     * problem gets an error reply naming them and changes nothing. */
    | { type: 'setState'; hash: string }
    | { type: 'play' }
    | { type: 'pause' }
    /** Moves the playback by delta steps (default 1; an integer, may be negative). */
    | { type: 'step'; delta?: number }
    /** Moves the playback to `step` (an integer from 0 to the race's steps). */
    | { type: 'seek'; step: number }
    | { type: 'getResults' }
  );

export interface RacerResult {
  /** The method's name in the core ('adam', 'sgd_momentum', ...). */
  method: string;
  /** The racer's colour, '#rrggbb'. */
  colour: string;
  /** f at the last iterate (NaN or infinite when it diverged), null if it could not run. */
  finalLoss: number | null;
  /** Updates run (fewer than the race's steps when it diverged). */
  steps: number;
  diverged: boolean;
  /** The update at which it diverged, else null. */
  divergedAt: number | null;
  /** The core's message when the racer could not run, else null. */
  error: string | null;
}

export type Reply = Envelope & { id: RequestId | null } & (
    | ({ type: 'result'; request: 'getState' | 'setState' } & { hash: string })
    | { type: 'result'; request: 'play' | 'pause' | 'step' | 'seek'; step: number }
    | { type: 'result'; request: 'getResults'; steps: number; racers: RacerResult[] }
    /** A request that was wrong or could not be done; id is null when the request had none. */
    | { type: 'error'; message: string }
  );

/** Sent without an id. */
export type Event = Envelope &
  (
    | { type: 'ready'; hash: string }
    /** After every change of the state (one per frame at most). */
    | { type: 'state'; hash: string }
    /** Playback reached the last step. */
    | { type: 'finished'; step: number }
  );

export type Message = Reply | Event;
