import {
  ClientClosedError,
  ClientOfflineError,
  ConnectionTimeoutError,
  createClient,
  ReconnectStrategyError,
  type RedisClientType,
  SocketClosedUnexpectedlyError,
  SocketTimeoutError,
  TimeoutError,
} from 'redis';
import { AppError } from '../../core/errors.js';

export type { RedisClientType } from 'redis';

/** Every key this product writes starts with this, so one Redis can serve other applications too. */
export const DEFAULT_REDIS_KEY_PREFIX = 'mock-mimecast:';

/** How long a store waits for one reply before it gives up on a stalled Redis. */
export const REDIS_COMMAND_TIMEOUT_MS = 5_000;

const REDIS_HINT =
  'Start Redis (6.2 or newer) or fix REDIS_URL / --redis-url; unset REDIS_URL to keep sessions and caches in SQLite and run a single replica.';

export interface ConnectRedisOptions {
  /** Bounds the whole first connection (TCP, TLS, AUTH, HELLO): startup fails fast instead of hanging. */
  connectTimeoutMs?: number;
  /** Errors after the first connection (the client then reconnects); the caller logs them. */
  onError?: (error: Error) => void;
}

/** The URL as it may be shown: credentials masked, since messages reach logs and terminals. */
export function redactRedisUrl(url: string): string {
  return url.replace(/\/\/[^/@]*@/, '//***@');
}

/**
 * Connects to Redis at `url` and answers once it replied to PING. Fails with AppError
 * REDIS_UNAVAILABLE within `connectTimeoutMs` when Redis cannot be reached. Once connected, a lost
 * connection is retried with backoff; commands issued meanwhile fail at once rather than queue up.
 */
export async function connectRedis(url: string, options: ConnectRedisOptions = {}): Promise<RedisClientType> {
  const connectTimeoutMs = options.connectTimeoutMs ?? 3_000;
  const shownUrl = redactRedisUrl(url);
  // Lives in this call: before the first success a failed attempt is final, afterwards it is retried.
  let connected = false;
  let client: RedisClientType;
  try {
    client = createClient({
      url,
      disableOfflineQueue: true,
      socket: {
        connectTimeout: connectTimeoutMs,
        reconnectStrategy: (retries: number, cause: Error) => (connected ? Math.min(50 * 2 ** retries, 2_000) : cause),
      },
    });
  } catch (error) {
    throw unavailable(`REDIS_URL ${shownUrl} is not a usable Redis URL.`, error);
  }
  // Without a listener node-redis rethrows 'error' events and would end the process.
  client.on('error', (error: Error) => {
    if (connected) options.onError?.(error);
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ConnectionTimeoutError()), connectTimeoutMs);
  });
  try {
    await Promise.race([client.connect().then(() => client.ping()), deadline]);
    connected = true;
    return client;
  } catch (error) {
    client.destroy();
    const reason = error instanceof Error ? error.message : String(error);
    throw unavailable(`Redis at ${shownUrl} is not reachable (${reason}; waited up to ${connectTimeoutMs} ms).`, error);
  } finally {
    clearTimeout(timer);
  }
}

/** Closes the client after its pending commands; a client already closed is left alone. */
export async function closeRedis(client: RedisClientType): Promise<void> {
  if (!client.isOpen) return;
  try {
    await client.close();
  } catch {
    // A connection that broke while closing has nothing left to flush.
    client.destroy();
  }
}

/**
 * Runs one store operation within `timeoutMs`; a lost or stalled connection becomes AppError
 * REDIS_UNAVAILABLE (503), anything else (a bug, a wrong key type) is left as it is. The bound is
 * kept here because node-redis's own command timeout stops counting once the command is written.
 */
export async function runRedisCommand<T>(work: () => Promise<T>, timeoutMs: number = REDIS_COMMAND_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError()), timeoutMs);
  });
  try {
    return await Promise.race([work(), deadline]);
  } catch (error) {
    if (isConnectionError(error)) throw unavailable('Redis, which holds the shared caches, did not answer.', error);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

function isConnectionError(error: unknown): boolean {
  return [
    ClientClosedError,
    ClientOfflineError,
    ConnectionTimeoutError,
    ReconnectStrategyError,
    SocketClosedUnexpectedlyError,
    SocketTimeoutError,
    TimeoutError,
  ].some((type) => error instanceof type);
}

function unavailable(message: string, cause: unknown): AppError {
  return new AppError('REDIS_UNAVAILABLE', message, { hint: REDIS_HINT, cause });
}
