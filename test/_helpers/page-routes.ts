/**
 * Every page of both apps, one line each, for the browser checks (axe-core, phone width, cards):
 * the route as the inventory lists it, the state the browser must be in to see the page, and for a
 * page that answers a form, how to fill and send it. A new page is one more line here; the
 * inventory test (test/http/page-inventory.test.ts) fails while a GET route that draws HTML is
 * neither listed nor excluded with a reason.
 */

export type AppName = 'sp' | 'idp';

/**
 * How the browser reaches a page (test/_helpers/page-states.ts does it):
 * - `anonymous`: a fresh browser opens the URL (the consoles answer loopback without a token);
 * - `mimecast-user` / `mimecast-admin`: signed in to Mimecast through the mock Entra first, as
 *   B.Simon (Personal Portal) or the seeded administrator (Administration Console);
 * - `entra-user`: signed in to the mock Entra (My Apps) first;
 * - `auto-post`: a page whose script posts a SAML message on: the post is held, the page stays;
 * - `entra-*`: a sign-in in progress, stopped on one of Entra's pages (the one named);
 * - `mimecast-failure`: a response Mimecast refuses, posted to the ACS;
 * - `submitted`: the GET page of the same route (or `from`) filled with `fill`, `press` pressed.
 */
export type PageState =
  | 'anonymous'
  | 'mimecast-user'
  | 'mimecast-admin'
  | 'entra-user'
  | 'auto-post'
  | 'entra-sign-in'
  | 'entra-unknown-user'
  | 'entra-password'
  | 'entra-wrong-password'
  | 'entra-mfa'
  | 'entra-update-password'
  | 'entra-kmsi'
  | 'entra-working'
  | 'entra-still-signed-in'
  | 'mimecast-failure'
  | 'submitted';

/** What fills a route's placeholders: `:tenantId` takes `tenantId`, unless `params` says otherwise. */
export interface PageValues {
  tenantId: string;
  appId: string;
  template: string;
  code: string;
  accountcode: string;
  domain: string;
  /** An address of the domain, for its Edit and Delete pages. */
  email: string;
  /** A trace of a sign-in that succeeded. */
  id: string;
  /** A trace of a response Mimecast refused. */
  failedTraceId: string;
  /** An id nothing has, for the not-found pages. */
  missingId: string;
}

export interface PageRoute {
  app: AppName;
  /** The route as the inventory lists it. */
  route: string;
  /** POST: the page is the answer to a form (or a sign-in step) sent to this route. */
  method?: 'POST';
  state: PageState;
  /** Added to the URL, for a page drawn only with it. */
  query?: string;
  /** Placeholders filled from another value than their own name. */
  params?: Record<string, keyof PageValues>;
  /** `submitted`: the page holding the form, when it is not the GET of `route`. */
  from?: string;
  /** `submitted`: field label → value, typed in before pressing. */
  fill?: Record<string, string>;
  /** `submitted`: the buttons pressed, in order. */
  press?: string[];
  /** Tells apart two entries of one route; `refused` also asserts that the page shows a field error or an alert. */
  name?: string;
}

const TENANT_APP = '/admin/:tenantId/apps/:appId';
const SAML = `${TENANT_APP}/sso/saml`;
const DOMAIN = '/accounts/:code/internal-directories/:domain';

// biome-ignore format: one page a line, so that a new page is a new line
export const PAGE_ROUTES: readonly PageRoute[] = [
  // Mimecast: sign-in, landing pages, failure and sign-out
  { app: 'sp', route: '/login/saml', state: 'anonymous' },
  { app: 'sp', route: '/login/saml', state: 'anonymous', query: 'email=nobody%40unknown.example', name: 'unknown address' },
  { app: 'sp', route: '/sso/:accountcode', state: 'auto-post', name: 'Working... (AuthnRequest)' },
  { app: 'sp', route: '/login/saml', method: 'POST', state: 'mimecast-failure', name: 'failure page' },
  { app: 'sp', route: '/portal', state: 'mimecast-user' },
  { app: 'sp', route: '/administration', state: 'mimecast-admin' },
  { app: 'sp', route: '/administration', state: 'mimecast-user', name: 'not an administrator' },
  { app: 'sp', route: '/logout/saml', state: 'anonymous', name: 'nobody signed in' },
  { app: 'sp', route: '/logout/saml', state: 'mimecast-user', name: 'single logout' },
  // Mimecast Administration Console and SSO log
  { app: 'sp', route: '/', state: 'anonymous' },
  { app: 'sp', route: '/accounts/:code', state: 'anonymous' },
  { app: 'sp', route: '/accounts/:code/test-sso', state: 'anonymous' },
  { app: 'sp', route: '/accounts/:code/authentication-profiles', state: 'anonymous', query: 'saved=1' },
  { app: 'sp', route: '/accounts/:code/authentication-profiles/profile', state: 'anonymous' },
  { app: 'sp', route: '/accounts/:code/authentication-profiles/profile/import', method: 'POST', state: 'submitted', from: '/accounts/:code/authentication-profiles/profile', press: ['Import'] },
  { app: 'sp', route: '/accounts/:code/authentication-profiles/profile', method: 'POST', state: 'submitted', fill: { 'Identity Provider Certificate (Metadata)': 'not a certificate' }, press: ['Save and Exit'], name: 'refused' },
  { app: 'sp', route: '/accounts/:code/internal-directories', state: 'anonymous' },
  { app: 'sp', route: '/accounts/:code/internal-directories/new-domain', state: 'anonymous' },
  { app: 'sp', route: '/accounts/:code/internal-directories/new-domain', method: 'POST', state: 'submitted', press: ['Save'], name: 'refused' },
  { app: 'sp', route: DOMAIN, state: 'anonymous' },
  { app: 'sp', route: `${DOMAIN}/new-address`, state: 'anonymous' },
  { app: 'sp', route: `${DOMAIN}/new-address`, method: 'POST', state: 'submitted', fill: { Password: 'a', 'Confirm Password': 'b' }, press: ['Save'], name: 'refused' },
  { app: 'sp', route: `${DOMAIN}/addresses/:email`, state: 'anonymous', name: 'Edit Address' },
  { app: 'sp', route: `${DOMAIN}/addresses/:email/delete`, state: 'anonymous', name: 'delete confirm' },
  { app: 'sp', route: '/traces', state: 'anonymous' },
  { app: 'sp', route: '/traces', state: 'anonymous', query: 'account=CUK12A34', name: "the account's log" },
  { app: 'sp', route: '/traces', state: 'anonymous', query: 'since=yesterday', name: 'refused filter' },
  { app: 'sp', route: '/traces/:id', state: 'anonymous', name: 'sign-in succeeded' },
  { app: 'sp', route: '/traces/:id', state: 'anonymous', params: { id: 'failedTraceId' }, name: 'sign-in refused' },
  { app: 'sp', route: '/traces/:id', state: 'anonymous', params: { id: 'missingId' }, name: 'not found' },
  // Mock Entra: sign-in pages, My Apps, sign-out
  { app: 'idp', route: '/:tenantId/saml2', method: 'POST', state: 'entra-sign-in', name: 'Sign in' },
  { app: 'idp', route: '/login', method: 'POST', state: 'entra-unknown-user', name: 'Sign in, unknown user' },
  { app: 'idp', route: '/login', method: 'POST', state: 'entra-password', name: 'Enter password' },
  { app: 'idp', route: '/login/password', method: 'POST', state: 'entra-wrong-password', name: 'Enter password, wrong one' },
  { app: 'idp', route: '/login/password', method: 'POST', state: 'entra-mfa', name: 'Approve sign in request' },
  { app: 'idp', route: '/login/password', method: 'POST', state: 'entra-kmsi', name: 'Stay signed in?' },
  { app: 'idp', route: '/login/password', method: 'POST', state: 'entra-update-password', name: 'Update your password' },
  { app: 'idp', route: '/kmsi', method: 'POST', state: 'entra-working', name: 'Working... (SAMLResponse)' },
  { app: 'idp', route: '/:tenantId/saml2', state: 'anonymous', name: 'error page (AADSTS750054)' },
  { app: 'idp', route: '/:tenantId/saml2', state: 'entra-still-signed-in', name: "You're still signed in" },
  { app: 'idp', route: '/apps/:appId/idp-initiated', state: 'anonymous', name: 'Sign in (always IdP-initiated)' },
  { app: 'idp', route: '/myapps', state: 'entra-user' },
  { app: 'idp', route: '/myapps', state: 'anonymous', name: 'Sign in first' },
  { app: 'idp', route: '/common/oauth2/logout', state: 'anonymous' },
  { app: 'idp', route: '/passwordreset', state: 'anonymous', name: 'Get back into your account' },
  // Mock Entra admin center
  { app: 'idp', route: '/', state: 'anonymous' },
  { app: 'idp', route: '/admin/tenants', state: 'anonymous', name: 'Manage tenants' },
  { app: 'idp', route: '/admin/tenants/new', state: 'anonymous', name: 'Create a tenant' },
  { app: 'idp', route: '/admin/tenants/new', method: 'POST', state: 'submitted', fill: { 'Initial domain name': 'not valid!' }, press: ['Create'], name: 'refused' },
  { app: 'idp', route: '/admin/:tenantId/enterprise-apps', state: 'anonymous' },
  { app: 'idp', route: '/admin/:tenantId/enterprise-apps', state: 'anonymous', params: { tenantId: 'missingId' }, name: 'unknown tenant' },
  { app: 'idp', route: '/admin/:tenantId/enterprise-apps/gallery', state: 'anonymous', query: 'search=mime' },
  { app: 'idp', route: '/admin/:tenantId/enterprise-apps/gallery/:template', state: 'anonymous' },
  { app: 'idp', route: '/admin/:tenantId/enterprise-apps', method: 'POST', state: 'submitted', from: '/admin/:tenantId/enterprise-apps/gallery/:template', fill: { Name: '' }, press: ['Create'], name: 'refused' },
  { app: 'idp', route: TENANT_APP, state: 'anonymous' },
  { app: 'idp', route: `${TENANT_APP}/properties`, state: 'anonymous' },
  { app: 'idp', route: `${TENANT_APP}/properties`, method: 'POST', state: 'submitted', fill: { Name: '' }, press: ['Save'], name: 'refused' },
  { app: 'idp', route: `${TENANT_APP}/users`, state: 'anonymous' },
  { app: 'idp', route: `${TENANT_APP}/users/add`, state: 'anonymous' },
  { app: 'idp', route: `${TENANT_APP}/users/add/select`, state: 'anonymous', name: 'Users and groups picker' },
  { app: 'idp', route: `${TENANT_APP}/users`, method: 'POST', state: 'submitted', from: `${TENANT_APP}/users/add`, press: ['Assign'], name: 'refused' },
  { app: 'idp', route: `${TENANT_APP}/sso`, state: 'anonymous', query: 'select=1' },
  { app: 'idp', route: SAML, state: 'anonymous' },
  { app: 'idp', route: `${SAML}/basic`, state: 'anonymous' },
  { app: 'idp', route: `${SAML}/basic`, method: 'POST', state: 'submitted', fill: { 'Identifier (Entity ID) 1': 'not a URL', 'Reply URL 1': '' }, press: ['Save'], name: 'refused' },
  { app: 'idp', route: `${SAML}/basic/upload`, method: 'POST', state: 'submitted', from: `${SAML}/basic`, press: ['#upload-metadata-button'], name: 'refused' },
  { app: 'idp', route: `${SAML}/test`, state: 'anonymous' },
  { app: 'idp', route: `${SAML}/claims`, state: 'anonymous' },
  { app: 'idp', route: `${SAML}/claims/additional`, method: 'POST', state: 'submitted', from: `${SAML}/claims`, press: ['#add-claim-save'], name: 'refused' },
  { app: 'idp', route: `${SAML}/certificates`, state: 'anonymous' },
  { app: 'idp', route: `${SAML}/certificates`, method: 'POST', state: 'submitted', fill: { 'Notification Email': 'not an address' }, press: ['#save-signing'], name: 'refused' },
  { app: 'idp', route: `${SAML}/encryption`, state: 'anonymous' },
  { app: 'idp', route: `${SAML}/encryption`, method: 'POST', state: 'submitted', fill: { 'Token encryption certificate (PEM or base64 .cer)': 'not a certificate' }, press: ['#save-encryption'], name: 'refused' },
  { app: 'idp', route: '/admin/:tenantId/users', state: 'anonymous' },
  { app: 'idp', route: '/admin/:tenantId/users/new', state: 'anonymous' },
  { app: 'idp', route: '/admin/:tenantId/users/new', method: 'POST', state: 'submitted', press: ['Review + create'], name: 'refused' },
  { app: 'idp', route: '/admin/:tenantId/users/new', method: 'POST', state: 'submitted', fill: { 'User name': 'Pat.Doe', 'Display name': 'Pat Doe' }, press: ['Review + create'], name: 'Review + create' },
  { app: 'idp', route: '/admin/:tenantId/users/new', method: 'POST', state: 'submitted', fill: { 'User name': 'Lee.Gu', 'Display name': 'Lee Gu' }, press: ['Review + create', 'Create'], name: 'User created' },
  { app: 'idp', route: '/admin/:tenantId/sign-in-logs', state: 'anonymous' },
];

/** GET routes that draw no page, with the reason. */
export const EXCLUDED_ROUTES: readonly { app: AppName; route: string; reason: 'api' | 'download' | 'redirect' | 'document' }[] = [
  { app: 'sp', route: '/console/switch-account', reason: 'redirect' },
  { app: 'sp', route: '/sso/:accountcode/metadata', reason: 'download' },
  { app: 'sp', route: '/traces/:id/capture', reason: 'download' },
  { app: 'idp', route: '/admin', reason: 'redirect' },
  // With a Sign on URL (the seeded app has one) Test this application redirects there, SP-initiated.
  { app: 'idp', route: '/apps/:appId/test', reason: 'redirect' },
  { app: 'idp', route: '/admin/:tenantId', reason: 'redirect' },
  { app: 'idp', route: `${SAML}/certificate/:format`, reason: 'download' },
  { app: 'idp', route: `${SAML}/federation-metadata.xml`, reason: 'download' },
  { app: 'idp', route: '/:tenantId/federationmetadata/2007-06/federationmetadata.xml', reason: 'document' },
  { app: 'idp', route: '/myapps/signin/:appId', reason: 'redirect' },
];

/** The entry's path with its placeholders filled, and its query. */
export function fillPath(entry: Pick<PageRoute, 'route' | 'params' | 'query'>, values: PageValues, route = entry.route): string {
  const path = route.replace(/:([A-Za-z]+)/g, (_all, name: string) => {
    const key = entry.params?.[name] ?? (name as keyof PageValues);
    const value = values[key];
    if (value === undefined) throw new Error(`no value for :${name} in ${route}`);
    return encodeURIComponent(value);
  });
  return route === entry.route && entry.query ? `${path}?${entry.query}` : path;
}

/** How a test names the entry: method, route and what tells it apart. */
export function describePage(entry: PageRoute): string {
  return `${entry.app} ${entry.method ?? 'GET'} ${entry.route}${entry.query ? `?${entry.query}` : ''}${entry.name ? ` (${entry.name})` : ''}`;
}
