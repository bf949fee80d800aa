/**
 * Timers, behind one interface so the simulator can replace them. Periodic background
 * jobs (cursor reaping, journal flush) are unref'd so they never keep a process alive.
 */
export interface TimerHandle {
  cancel(): void;
}

export interface Timers {
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  setInterval(callback: () => void, periodMs: number): TimerHandle;
}

export const systemTimers: Timers = {
  setTimeout(callback, delayMs) {
    const handle = setTimeout(callback, delayMs);
    handle.unref();
    return { cancel: () => clearTimeout(handle) };
  },
  setInterval(callback, periodMs) {
    const handle = setInterval(callback, periodMs);
    handle.unref();
    return { cancel: () => clearInterval(handle) };
  },
};

/** Resolves after `delayMs`, without keeping the process alive. */
export function sleep(delayMs: number): Promise<void> {
  return new Promise((resolve) => systemTimers.setTimeout(resolve, delayMs));
}

/** Yields to the event loop so other connections get a turn during long work. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
