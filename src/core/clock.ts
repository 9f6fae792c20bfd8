/** The source of "now" for everything in the core; tests and `check --now` pass a frozen one. */
export interface Clock {
  now(): Date;
  /** True when time does not follow the wall clock (tests, `check --now`). */
  readonly frozen: boolean;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => new Date(), frozen: false };

/** A clock stopped at `at`; `advance` moves it, for tests that step through time windows. */
export function createFrozenClock(at: Date | string): Clock & { advance(ms: number): void; set(to: Date | string): void } {
  let current = new Date(at).getTime();
  if (Number.isNaN(current)) throw new RangeError(`not a date: ${String(at)}`);
  return {
    frozen: true,
    now: () => new Date(current),
    advance(ms: number) {
      current += ms;
    },
    set(to: Date | string) {
      current = new Date(to).getTime();
    },
  };
}
