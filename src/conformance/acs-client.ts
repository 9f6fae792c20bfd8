/**
 * The browser's side of the HTTP-POST binding, over real HTTP: posts a SAMLResponse to the ACS as an
 * auto-submitted form would, without following the redirect, and reports what came back.
 */
import { SESSION_COOKIE_NAME } from '../http/middleware/session.middleware.js';

/** What the ACS answered to one POST. */
export interface AcsAnswer {
  status: number;
  location: string | null;
  /** The response set the SP's session cookie. */
  sessionCookie: boolean;
  body: string;
}

/** POSTs `SAMLResponse` (and `RelayState`) as application/x-www-form-urlencoded to the ACS. */
export async function postToAcs(acsUrl: string, samlResponse: string, relayState?: string): Promise<AcsAnswer> {
  const form = new URLSearchParams({ SAMLResponse: samlResponse });
  if (relayState !== undefined) form.set('RelayState', relayState);
  const res = await fetch(acsUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body: form.toString(),
    redirect: 'manual',
  });
  const body = await res.text();
  return {
    status: res.status,
    location: res.headers.get('location'),
    sessionCookie: res.headers.getSetCookie().some((c) => c.startsWith(`${SESSION_COOKIE_NAME}=`)),
    body,
  };
}

/** Where a signed-in user lands: the Personal Portal or the Administration Console. */
export function isLandingPage(location: string | null): boolean {
  return location === '/portal' || location === '/administration';
}
