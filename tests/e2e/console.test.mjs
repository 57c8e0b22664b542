// End-to-end: the web console in Debian's chromium against the real binary. One story, in order:
// sign in; invite a person and join through the link in a second browser context; the member
// appears; change their role; grant a custom role through a group and see it inherited; revoke a
// key and see the next call with it fail; find each of those events in the audit log. Every page
// is saved to docs/screenshots/ on the way.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { launchChromium, screenshot, startRoster } from './lib/harness.mjs';

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const WAIT_MS = 15_000;
const INVITEE = 'nina.newcomer@example.com';

let server;
let browser;
let admin; // the admin's page (desktop)
let adminContext;
const cspViolations = [];
const state = {};

async function newPage(viewport) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) {
      cspViolations.push(message.text());
    }
  });
  return { context, page };
}

async function signIn(page, key) {
  await page.goto(`${server.origin}/`);
  await page.getByLabel('Admin API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Members' }).waitFor();
}

async function go(page, route, title) {
  await page.getByRole('link', { name: title, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  assert.ok(page.url().endsWith(`#/${route}`), page.url());
}

// The member detail panel of `email`, opened from the directory search.
async function openMember(page, email) {
  await go(page, 'members', 'Members');
  await page.getByLabel('Find a member by email').fill(email);
  await page.getByRole('button', { name: 'Find', exact: true }).click();
  await page.getByRole('cell', { name: email, exact: true }).waitFor();
  await page.getByRole('button', { name: new RegExp(`^Manage .*`) }).first().click();
  await page.getByRole('heading', { level: 2, name: new RegExp(`^Member: .*${email.replace('.', '\\.')}`) }).waitFor();
}

before(async () => {
  server = await startRoster();
  state.orgName = (await server.cli('orgs', 'list')).split('\n')[0].split('\t')[1];
  browser = await launchChromium();
  ({ context: adminContext, page: admin } = await newPage(DESKTOP));
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

describe('web console', () => {
  test('serves the page with a strict CSP and refuses a wrong key', async () => {
    const response = await admin.goto(`${server.origin}/`);
    assert.equal(response.status(), 200);
    const csp = response.headers()['content-security-policy'];
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/);
    await admin.getByLabel('Admin API key').waitFor();
    await screenshot(admin, 'sign-in');

    await admin.getByLabel('Admin API key').fill('sk-admin-not-a-real-key-000000000000000000');
    await admin.getByRole('button', { name: 'Sign in' }).click();
    const alert = admin.getByRole('alert');
    await alert.getByText(/This key was refused/).waitFor();
    assert.equal(await admin.getByLabel('Admin API key').getAttribute('aria-invalid'), 'true');
  });

  test('signs in with the key kept in sessionStorage only', async () => {
    await signIn(admin, server.key);
    await admin.getByRole('cell', { name: 'admin@roster.local', exact: true }).waitFor();
    assert.equal(await admin.evaluate(() => sessionStorage.getItem('roster.adminKey')), server.key);
    assert.ok(!admin.url().includes(server.key));
    assert.deepEqual(await adminContext.cookies(), []);
    assert.equal(await admin.evaluate(() => localStorage.length), 0);
  });

  test('invites a person and shows the acceptance link', async () => {
    await go(admin, 'invites', 'Invites');
    await admin.getByLabel('Email').fill(INVITEE);
    await admin.getByLabel('Base role').selectOption('reader');
    await admin.getByRole('button', { name: 'Send invite' }).click();
    const link = admin.getByRole('textbox', { name: `Acceptance link for ${INVITEE}` });
    await link.waitFor();
    state.link = await link.inputValue();
    assert.match(state.link, new RegExp(`^${server.origin}/invite/[A-Za-z0-9_-]{43}$`));
    await admin.getByRole('cell', { name: INVITEE, exact: true }).waitFor();
    await admin.getByText('pending', { exact: true }).first().waitFor();
    await screenshot(admin, 'invites');
  });

  test('the invitee joins from the link in a second browser context', async () => {
    const { context, page } = await newPage(PHONE);
    await page.goto(state.link);
    await page.getByText(/You are invited to join/).waitFor();
    const summary = await page.locator('.lead').textContent();
    assert.match(summary, new RegExp(`You are invited to join ${state.orgName} as reader \\(invitation for ${INVITEE}\\)`));
    await screenshot(page, 'accept-invite');
    await page.getByLabel('Your name').fill('Nina Newcomer');
    await page.getByRole('button', { name: /^Join / }).click();
    await page.getByText(/Welcome, Nina Newcomer! You are now a member of .* as reader\./).waitFor();
    // The same link again: used.
    await page.reload();
    await page.getByText('This invitation has already been used', { exact: false }).waitFor();
    await screenshot(page, 'accept-invite-used');
    // No key was ever stored by the acceptance page.
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
    await context.close();
  });

  test('the new member appears and their base role changes', async () => {
    await go(admin, 'members', 'Members');
    await admin.getByRole('cell', { name: INVITEE, exact: true }).waitFor();
    await openMember(admin, INVITEE);
    await admin.getByLabel('Base role').selectOption('owner');
    await admin.getByRole('button', { name: 'Change base role' }).click();
    await admin.getByRole('status').getByText(/is now owner/).waitFor();
    const list = await server.call('GET', `/v1/organization/users?emails[]=${encodeURIComponent(INVITEE)}`);
    assert.equal(list.json.data[0].role, 'owner');
    state.userId = list.json.data[0].id;
  });

  test('a custom role granted through a group is listed as inherited', async () => {
    await go(admin, 'roles', 'Roles');
    await admin.getByRole('button', { name: 'New custom role' }).click();
    await admin.getByLabel('Name', { exact: true }).fill('Auditors');
    await admin.getByLabel('Description (optional)').fill('Reads the audit log');
    await admin.getByLabel('Filter permissions').fill('audit');
    await admin.getByRole('checkbox', { name: /api\.audit_logs\.read/ }).check();
    await admin.getByLabel('Filter permissions').fill('');
    await admin.getByRole('checkbox', { name: /api\.groups\.read/ }).check();
    await screenshot(admin, 'role-editor');
    await admin.getByRole('button', { name: 'Create role' }).click();
    await admin.getByRole('cell', { name: 'Auditors', exact: true }).waitFor();
    await admin.getByRole('cell', { name: '2 permissions', exact: true }).waitFor();
    await screenshot(admin, 'roles');

    await go(admin, 'groups', 'Groups');
    await admin.getByLabel('New group name').fill('Compliance');
    await admin.getByRole('button', { name: 'Create group' }).click();
    await admin.getByRole('heading', { name: 'Group: Compliance' }).waitFor();
    await admin.getByLabel('Member email').fill(INVITEE);
    await admin.getByRole('button', { name: 'Add member' }).click();
    await admin.getByRole('cell', { name: INVITEE, exact: true }).waitFor();
    await admin.getByLabel('Role', { exact: true }).selectOption({ label: 'Auditors' });
    await admin.getByRole('button', { name: 'Assign role' }).click();
    await admin.getByRole('cell', { name: 'Auditors', exact: true }).waitFor();
    await screenshot(admin, 'groups');

    await openMember(admin, INVITEE);
    const row = admin.getByRole('row', { name: /Auditors/ });
    await row.getByText('group Compliance').waitFor();
    // Inherited: not unassignable from the member.
    assert.equal(await row.getByRole('button', { name: /Unassign/ }).count(), 0);
    await screenshot(admin, 'members');
  });

  test('an API error appears next to what caused it', async () => {
    await go(admin, 'groups', 'Groups');
    await admin.getByLabel('New group name').fill('Compliance');
    await admin.getByLabel('New group name').fill(' ');
    await admin.getByRole('button', { name: 'Create group' }).click();
    const error = admin.locator('form.inline-form + p.error');
    await error.waitFor();
    assert.match(await error.textContent(), /name/i);
    assert.equal(await admin.getByLabel('New group name').getAttribute('aria-invalid'), 'true');
  });

  test('deleting a role says who loses it', async () => {
    await go(admin, 'roles', 'Roles');
    await admin.getByRole('button', { name: 'Delete Auditors' }).click();
    const dialog = admin.getByRole('dialog', { name: 'Delete role Auditors?' });
    await dialog.getByText(/Group Compliance loses it, and with it its 1 member: Nina Newcomer/).waitFor();
    await screenshot(admin, 'role-delete-confirmation');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    await admin.getByRole('cell', { name: 'Auditors', exact: true }).waitFor();
  });

  test('a revoked key fails on its next call', async () => {
    await go(admin, 'keys', 'Admin keys');
    await admin.getByLabel('Key name').fill('CI deploy');
    await admin.getByRole('button', { name: 'Create key' }).click();
    const value = admin.getByRole('textbox', { name: 'Value of key CI deploy' });
    await value.waitFor();
    state.key = await value.inputValue();
    assert.match(state.key, /^sk-admin-/);
    await admin.getByText('It is shown only this once').waitFor();
    await admin.getByRole('cell', { name: 'CI deploy', exact: true }).waitFor();
    await screenshot(admin, 'keys');
    assert.equal((await server.call('GET', '/v1/organization/users?limit=1', { key: state.key })).status, 200);

    // Someone signed in with that key in another browser.
    const { context, page } = await newPage(PHONE);
    await signIn(page, state.key);
    await screenshot(page, 'members-phone');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the members page scrolls sideways at 390 px by ${overflow} px`);

    await admin.getByRole('button', { name: 'Revoke key CI deploy' }).click();
    const dialog = admin.getByRole('dialog', { name: /Revoke key CI deploy/ });
    await dialog.getByRole('button', { name: 'Revoke key' }).click();
    await admin.getByRole('status').getByText('Key CI deploy revoked.').waitFor();

    const refused = await server.call('GET', '/v1/organization/users?limit=1', { key: state.key });
    assert.equal(refused.status, 401);
    assert.equal(refused.json.error.code, 'invalid_api_key');
    // Its next call from the console signs that browser out, saying why.
    await page.getByRole('link', { name: 'Roles', exact: true }).click();
    await page.getByRole('alert').getByText(/You were signed out: Incorrect API key provided/).waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem('roster.adminKey')), null);
    await context.close();
  });

  test('every step is in the audit log, in words, with raw JSON one click away', async () => {
    // Enough events for more than one page, to scroll through.
    for (let i = 0; i < 35; i += 1) {
      const created = await server.call('POST', '/v1/organization/groups', { body: { name: `Team ${i}` } });
      assert.equal(created.status, 200);
    }
    await go(admin, 'audit', 'Audit log');
    const events = admin.locator('li.event');
    await events.first().waitFor();
    assert.equal(await events.count(), 30);
    // Newest first.
    assert.match(await events.first().textContent(), /created group Team 34/);
    await screenshot(admin, 'audit-log');
    await admin.locator('.sentinel').scrollIntoViewIfNeeded();
    await admin.waitForFunction(() => document.querySelectorAll('li.event').length > 30);

    const sentences = [
      [`invited ${INVITEE} as reader`, 'invite.sent'],
      [`${INVITEE} accepted their invite`, 'invite.accepted'],
      [`${INVITEE} joined as reader`, 'user.added'],
      [`changed ${INVITEE}: role → owner`, 'user.updated'],
      ['created role Auditors with 2 permissions', 'role.created'],
      ['assigned Auditors to group Compliance', 'role.assignment.created'],
      ['created admin key', 'api_key.created'],
      ['revoked admin key', 'api_key.deleted'],
    ];
    for (const [words, type] of sentences) {
      await admin.getByLabel('Event type').selectOption(type);
      await admin.getByRole('button', { name: 'Apply filters' }).click();
      const match = admin.locator('li.event', { hasText: words });
      await match.first().waitFor();
      assert.equal(await admin.locator(`li.event:not([data-type="${type}"])`).count(), 0, type);
    }
    // The revocation, with its raw JSON.
    const revoked = admin.locator('li.event[data-type="api_key.deleted"]').first();
    await revoked.getByText('Raw JSON').click();
    const raw = JSON.parse(await revoked.locator('pre').textContent());
    assert.equal(raw.type, 'api_key.deleted');
    assert.equal(raw.actor.api_key.user.email, 'admin@roster.local');
    await screenshot(admin, 'audit-log-event');

    // Actor filter: the invitee's own acts only.
    await admin.getByLabel('Event type').selectOption('');
    await admin.getByLabel('Actor email').fill(INVITEE);
    await admin.getByRole('button', { name: 'Apply filters' }).click();
    await admin.locator('li.event', { hasText: 'joined as reader' }).waitFor();
    assert.equal(await admin.locator('li.event').count(), 2);

    // Time range: nothing before 2001.
    await admin.getByLabel('Actor email').fill('');
    await admin.getByLabel('To', { exact: true }).fill('2001-01-01T00:00');
    await admin.getByRole('button', { name: 'Apply filters' }).click();
    await admin.getByText('No events match these filters.').waitFor();
  });

  test('pages through many members with cursors', async () => {
    await server.cli('seed', '--users', '60'); // 62 members: pages of 25, 25 and 12
    await go(admin, 'members', 'Members');
    await admin.getByRole('button', { name: 'Show everyone' }).click();
    const rows = admin.locator('tbody tr');
    const firstEmails = async () => (await rows.first().locator('td').nth(1).textContent());
    await admin.getByText('Page 1', { exact: true }).waitFor();
    assert.equal(await rows.count(), 25);
    const page1 = await firstEmails();
    await admin.getByRole('button', { name: 'Next' }).click();
    await admin.getByText('Page 2', { exact: true }).waitFor();
    const page2 = await firstEmails();
    assert.notEqual(page2, page1);
    await admin.getByRole('button', { name: 'Next' }).click();
    await admin.getByText('Page 3', { exact: true }).waitFor();
    assert.equal(await rows.count(), 12);
    assert.equal(await admin.getByRole('button', { name: 'Next' }).isDisabled(), true);
    await admin.getByRole('button', { name: 'Previous' }).click();
    await admin.getByText('Page 2', { exact: true }).waitFor();
    assert.equal(await firstEmails(), page2);
  });

  test('removing a member names them and signing out clears the key', async () => {
    await openMember(admin, INVITEE);
    await admin.getByRole('button', { name: 'Remove from organization' }).click();
    const dialog = admin.getByRole('dialog', { name: 'Remove member?' });
    await dialog.getByText(`Nina Newcomer (${INVITEE})`).waitFor();
    await dialog.getByRole('button', { name: 'Remove Nina Newcomer' }).click();
    await admin.getByRole('status').getByText(/was removed/).waitFor();
    const list = await server.call('GET', `/v1/organization/users?emails[]=${encodeURIComponent(INVITEE)}`);
    assert.equal(list.json.data.length, 0);

    await admin.getByRole('button', { name: 'Sign out' }).click();
    await admin.getByLabel('Admin API key').waitFor();
    assert.equal(await admin.evaluate(() => sessionStorage.getItem('roster.adminKey')), null);
  });

  test('no Content-Security-Policy violation happened', () => {
    assert.deepEqual(cspViolations, []);
  });
});
