/** Milliseconds since an arbitrary origin. Injected everywhere so tests can drive time by hand. */
export type Clock = () => number;

/** A source of uniform random numbers in [0, 1). Injected so tie-breaks and jitter are testable. */
export type Random = () => number;

export const systemClock: Clock = () => performance.now();

export const systemRandom: Random = Math.random;
