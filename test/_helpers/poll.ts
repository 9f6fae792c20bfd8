import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Asks `condition` every `everyMs` until it holds or `timeoutMs` passes; returns whether it held. For
 * waiting on something that happens after a time (a Redis expiry), without betting on one fixed sleep.
 */
export async function pollUntil(condition: () => Promise<boolean>, timeoutMs: number, everyMs = 25): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(everyMs);
  }
}
