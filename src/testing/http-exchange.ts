/**
 * One HTTP request of the test browser over node:http (or node:https), on keep-alive agents the
 * browser owns. The global fetch (undici) spends about 1.5 ms more CPU per request on loopback, and a
 * sign-in through the harness's pages is about eight requests: the difference was a third of an
 * in-process sign-in. Redirects are the caller's: this makes exactly one request.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface Exchange {
  status: number;
  headers: Headers;
  text: string;
}

/** The keep-alive agents of one browser, so connections are reused within its walk and never shared with another. */
export interface ExchangeAgents {
  http: HttpAgent;
  https: HttpsAgent;
}

/** Agents whose idle sockets do not keep the process alive. */
export function createExchangeAgents(): ExchangeAgents {
  return { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
}

function toHeaders(message: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = message.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
  return headers;
}

/** Sends one request and reads the whole answer as UTF-8 text. */
export function sendExchange(
  agents: ExchangeAgents,
  method: string,
  url: URL,
  headers: Record<string, string>,
  body?: string,
): Promise<Exchange> {
  const https = url.protocol === 'https:';
  if (!https && url.protocol !== 'http:') return Promise.reject(new TypeError(`unsupported protocol ${url.protocol}`));
  const payload = body === undefined ? undefined : Buffer.from(body, 'utf8');
  const send = https ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method,
        agent: https ? agents.https : agents.http,
        headers: payload ? { ...headers, 'content-length': String(payload.length) } : headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.once('error', reject);
        res.once('end', () => {
          // Idle keep-alive sockets must not hold a test runner open after its last request.
          res.socket?.unref();
          resolve({ status: res.statusCode ?? 0, headers: toHeaders(res), text: Buffer.concat(chunks).toString('utf8') });
        });
      },
    );
    req.once('error', reject);
    req.end(payload);
  });
}
