/**
 * Users and groups › "Add user/group" › "Add Assignment" › "Users and groups: None Selected" › the
 * picker (search, tick, Select) › "1 user selected." › Assign, all server-rendered GET forms and one
 * POST, as a browser without script would drive them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createUser } from '../../src/core/idp/admin.js';
import { ConsoleAgent, decodeHtml, readFieldErrors } from '../_helpers/idp-console.js';
import { createTestIdp, type TestIdp } from '../_helpers/idp-harness.js';

const ALEX = 'Alex.Wilber@contoso.com';
const MEGAN = 'Megan.Bowen@contoso.com';

/** The href of the link with this id. */
function readHref(html: string, id: string): string {
  const tag = new RegExp(`<a [^>]*id="${id}"[^>]*>`).exec(html)?.[0];
  const href = tag === undefined ? undefined : / href="([^"]*)"/.exec(tag)?.[1];
  assert.ok(href, `a link #${id}`);
  return decodeHtml(href);
}

/** What a GET form sends: the ticked checkboxes and the hidden fields named upn, then the other fields. */
function buildGetQuery(html: string, upns: readonly string[], extra: Record<string, string> = {}): string {
  const hidden = [...html.matchAll(/<input type="hidden" name="upn" value="([^"]*)">/g)].map((m) => decodeHtml(m[1] ?? ''));
  const params = new URLSearchParams([...[...hidden, ...upns].map((u) => ['upn', u]), ...Object.entries(extra)]);
  return params.toString();
}

describe('mock Entra console: Add Assignment with the Users and groups picker', () => {
  let idp: TestIdp;
  let c: ConsoleAgent;
  let users: string;

  before(async () => {
    idp = await createTestIdp();
    for (const [upn, name] of [
      [ALEX, 'Alex Wilber'],
      [MEGAN, 'Megan Bowen'],
    ]) {
      await createUser(idp.ctx, idp.tenantId, { userPrincipalName: upn, displayName: name, password: 'Test-only-Passw0rd!' });
    }
    c = new ConsoleAgent(idp.app);
    users = `/admin/${idp.tenantId}/apps/${idp.appId}/users`;
  });
  after(() => idp.close());

  test('None Selected › picker › search › Select › "1 user selected." › Assign', async () => {
    const list = await c.open(users);
    assert.equal(readHref(list.text, 'add-assignment'), `${users}/add`);
    const add = await c.open(`${users}/add`);
    assert.match(add.text, /data-selected-count="0"/);
    assert.match(add.text, /id="select-users"[^>]*>None Selected</);

    const picker = await c.open(readHref(add.text, 'select-users'));
    assert.match(picker.text, /<form method="GET" action="[^"]+\/users\/add\/select"/);
    assert.match(picker.text, new RegExp(`<tr data-upn="${ALEX}">`));
    assert.match(picker.text, new RegExp(`<tr data-upn="${MEGAN}">`));
    assert.doesNotMatch(picker.text, /<tr data-upn="B.Simon@contoso.com">/, 'assigned users are not offered');

    const searched = await c.open(`${users}/add/select?${buildGetQuery(picker.text, [], { search: 'megan' })}`);
    assert.doesNotMatch(searched.text, new RegExp(`<tr data-upn="${ALEX}">`));
    assert.match(searched.text, new RegExp(`<tr data-upn="${MEGAN}">`));
    // Ticking Megan, then searching for Alex: Megan stays selected (hidden), Alex is listed.
    const again = await c.open(`${users}/add/select?${buildGetQuery(searched.text, [MEGAN], { search: 'ALEX' })}`);
    assert.match(again.text, new RegExp(`<input type="hidden" name="upn" value="${MEGAN}">`));
    assert.match(again.text, new RegExp(`<tr data-upn="${ALEX}">`));

    const back = await c.open(`${users}/add?${buildGetQuery(again.text, [])}`);
    assert.match(back.text, /data-selected-count="1"/);
    assert.match(back.text, /id="select-users"[^>]*>1 user selected\.</);
    assert.match(back.text, new RegExp(`<li data-upn="${MEGAN}">`));
    assert.match(readHref(back.text, 'select-users'), /upn=Megan.Bowen%40contoso.com/, 'the picker opens with the selection');

    const assigned = await c.submit(users, { upn: MEGAN, role: 'default' });
    assert.equal(assigned.status, 303);
    assert.match((await c.open(assigned.headers.location ?? '')).text, new RegExp(`<tr data-upn="${MEGAN}">`));
    const app = await idp.ctx.stores.apps.get(idp.appId);
    const megan = await idp.ctx.stores.users.findByUpn(idp.tenantId, MEGAN);
    assert.ok(app && megan);
    assert.ok(app.assignedUserIds.includes(megan.objectId));
  });

  test('two selected show "2 users selected."; unknown or assigned names in the query are dropped', async () => {
    const query = new URLSearchParams([
      ['upn', ALEX],
      ['upn', 'nobody@contoso.com'],
      ['upn', 'B.Simon@contoso.com'],
      ['upn', 'alex.wilber@contoso.com'],
    ]);
    const add = await c.open(`${users}/add?${query}`);
    assert.match(add.text, /data-selected-count="1"/);
    const withTwo = await c.open(
      `${users}/add?${new URLSearchParams([
        ['upn', ALEX],
        ['upn', 'B.Simon@contoso.com'],
      ])}`,
    );
    assert.match(withTwo.text, /data-selected-count="1"/, 'B.Simon is assigned already');
  });

  test('Assign with nothing selected, or with a name the directory lacks, assigns nobody', async () => {
    await c.open(`${users}/add`);
    const before = (await idp.ctx.stores.apps.get(idp.appId))?.assignedUserIds;
    const none = await c.submit(users, { role: 'default' });
    assert.equal(none.status, 400);
    assert.deepEqual(readFieldErrors(none.text), [{ field: 'users', code: 'none-selected' }]);
    assert.match(none.text, /id="select-users"[^>]*>None Selected</);
    const mixed = await c.submit(users, { upn: [ALEX, 'nobody@contoso.com'], role: 'default' });
    assert.equal(mixed.status, 400);
    assert.deepEqual(readFieldErrors(mixed.text), [{ field: 'users', code: 'unknown-user' }]);
    assert.match(mixed.text, /id="select-users"[^>]*>1 user selected\.</, 'the known one stays selected');
    assert.deepEqual((await idp.ctx.stores.apps.get(idp.appId))?.assignedUserIds, before);
    const forged = await c.agent.post(users).type('form').send({ upn: ALEX });
    assert.equal(forged.status, 403);
  });

  test('a search too long or odd is bounded, never a 5xx', async () => {
    const long = await c.open(`${users}/add/select?search=${'%3C'.repeat(2000)}`);
    assert.match(long.text, /id="no-candidates"/);
    assert.doesNotMatch(long.text, /<<<</, 'the search is escaped');
    const repeated = await c.open(`${users}/add/select?${'upn=x&'.repeat(200)}search=a&search=b`);
    assert.equal(repeated.status, 200);
  });
});
