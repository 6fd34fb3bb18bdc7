/** A hand-driven clock for the routing modules. */
export function fakeClock(start = 1_000_000) {
  let now = start;
  return {
    clock: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

/** A deterministic sequence of "random" numbers, repeating. */
export function sequence(...values: number[]) {
  let index = 0;
  return () => values[index++ % values.length];
}
