// The console's entry point: the invite acceptance page at /invite/TOKEN, otherwise sign-in and
// the pages, one per hash route (#/members, #/roles, …).
import { ApiError, clearKey, getKey, onUnauthorized, setKey, v1 } from './api.js';
import { renderAccept } from './accept.js';
import { renderAudit } from './audit.js';
import { renderGroups } from './groups.js';
import { renderInvites } from './invites.js';
import { renderKeys } from './keys.js';
import { renderMembers } from './members.js';
import { renderRoles } from './roles.js';
import { clear, errorSlot, field, h } from './ui.js';

const PAGES = [
  { route: 'members', title: 'Members', render: renderMembers },
  { route: 'roles', title: 'Roles', render: renderRoles },
  { route: 'groups', title: 'Groups', render: renderGroups },
  { route: 'invites', title: 'Invites', render: renderInvites },
  { route: 'keys', title: 'Admin keys', render: renderKeys },
  { route: 'audit', title: 'Audit log', render: renderAudit },
];

const root = document.getElementById('app');
let signOutReason = '';

function currentPage() {
  const route = location.hash.replace(/^#\/?/, '').split('/')[0];
  return PAGES.find((p) => p.route === route) || PAGES[0];
}

function signOut(reason = '') {
  clearKey();
  signOutReason = reason;
  renderSignIn();
}

function renderSignIn() {
  document.title = 'Sign in · Roster';
  const input = h('input', { type: 'password', name: 'key', autocomplete: 'off', required: true, spellcheck: 'false', placeholder: 'sk-admin-…' });
  const { wrap } = field('Admin API key', input, 'Kept in this tab only (sessionStorage) until you sign out or close it.');
  const slot = errorSlot({ key: input });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const form = h('form', { class: 'signin card', 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title' }, 'Roster console'),
    h('p', {}, 'Sign in with an admin API key of your organization. Everything here goes through the same API the key can call.'),
    wrap, slot.el, submit);
  if (signOutReason) slot.show(new Error(signOutReason));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const key = input.value.trim();
    submit.disabled = true;
    submit.textContent = 'Signing in…';
    slot.clear();
    try {
      // Any call proves the key; members are what the console opens on.
      await v1('GET', '/organization/users', { query: { limit: 1 }, key });
      setKey(key);
      signOutReason = '';
      // A new hash renders the page through the hashchange listener; otherwise render here.
      if (!location.hash || location.hash === '#') location.hash = '#/members';
      else renderShell();
    } catch (error) {
      slot.show(error instanceof ApiError && error.status === 401
        ? new Error(`This key was refused: ${error.message}`)
        : error);
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    } finally {
      submit.disabled = false;
      submit.textContent = 'Sign in';
    }
  });
  clear(root, h('main', { id: 'main', class: 'signin-page' }, form));
  input.focus();
}

function renderShell() {
  const page = currentPage();
  document.title = `${page.title} · Roster`;
  const nav = h('nav', { 'aria-label': 'Console' },
    h('ul', {}, PAGES.map((p) => h('li', {},
      h('a', { href: `#/${p.route}`, 'aria-current': p === page ? 'page' : false }, p.title)))));
  const signOutButton = h('button', { type: 'button', class: 'signout', onclick: () => signOut() }, 'Sign out');
  const main = h('main', { id: 'main', tabindex: '-1' });
  clear(root,
    h('header', { class: 'topbar' }, h('a', { class: 'brand', href: '#/members' }, 'Roster'), nav, signOutButton),
    main);
  const heading = h('h1', {}, page.title);
  const body = h('div', { class: 'page' });
  main.append(heading, body);
  Promise.resolve(page.render(body)).catch((error) => {
    body.append(h('p', { class: 'error', role: 'alert' }, error.message || String(error)));
  });
  return main;
}

function start() {
  const invite = location.pathname.match(/^\/invite\/([^/]+)$/);
  if (invite) {
    renderAccept(root, decodeURIComponent(invite[1]));
    return;
  }
  onUnauthorized((error) => {
    if (getKey()) signOut(`You were signed out: ${error.message}`);
  });
  window.addEventListener('hashchange', () => {
    if (!getKey()) return;
    const main = renderShell();
    main.focus();
  });
  if (getKey()) renderShell();
  else renderSignIn();
}

start();
