// Admin keys: create (the value is shown once), list with last use and expiry, revoke.
import { enc, getKey, v1 } from './api.js';
import { badge, busy, clear, confirmDialog, copyBox, errorSlot, field, formatTime, h, loading, notify, relativeTime, section, table } from './ui.js';

const PAGE_SIZE = 50;
const DAY = 24 * 3600;

// Whether a key's redacted form (`sk-admin...` and its last characters) matches the key this tab
// is signed in with: a hint only (another key may share the last characters).
function looksLikeMine(key) {
  const mine = getKey() || '';
  const [head, tail] = (key.redacted_value || '').split('...');
  return Boolean(head && tail) && mine.startsWith(head) && mine.endsWith(tail);
}

export async function renderKeys(container) {
  const name = h('input', { type: 'text', name: 'name', required: true, maxlength: '128' });
  const expiry = h('select', { name: 'expires_in_seconds' },
    h('option', { value: '' }, 'Never'),
    h('option', { value: String(30 * DAY) }, '30 days'),
    h('option', { value: String(90 * DAY) }, '90 days'),
    h('option', { value: String(365 * DAY) }, '1 year'));
  const slot = errorSlot({ name, expires_in_seconds: expiry });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Create key');
  const created = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'inline-form' }, field('Key name', name).wrap, field('Expires', expiry).wrap, submit);
  const listSection = section('Keys');
  const list = h('div');
  const more = h('button', { type: 'button', hidden: true }, 'Load more');
  listSection.append(list, more);
  container.append(section('Create a key', h('p', { class: 'hint' }, 'A new key acts with your own permissions.'), form, slot.el, created), listSection);

  let keys = [];
  let cursor;

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { name: name.value.trim() };
    if (expiry.value) body.expires_in_seconds = Number(expiry.value);
    const key = await busy(submit, 'Creating…', slot, () => v1('POST', '/organization/admin_api_keys', { body }));
    if (!key) return;
    name.value = '';
    const box = copyBox(key.value, `Value of key ${key.name}`);
    clear(created, h('div', { class: 'callout warning', role: 'alert' },
      h('p', {}, h('strong', {}, `Copy the value of “${key.name}” now.`), ' It is shown only this once: Roster keeps only a hash of it.'),
      box));
    box.querySelector('input').focus();
    await reload();
  });

  function row(key) {
    const rowSlot = errorSlot();
    const revoke = h('button', { type: 'button', class: 'link-danger', 'aria-label': `Revoke key ${key.name || key.id}` }, 'Revoke');
    const mine = looksLikeMine(key);
    revoke.addEventListener('click', async () => {
      const ok = await confirmDialog({
        title: `Revoke key ${key.name || key.id}?`,
        body: [h('p', {}, `Every client using ${key.redacted_value} (owned by ${key.owner.name}) is refused from its next call.`),
          mine ? h('p', { class: 'error' }, 'This looks like the key you are signed in with: you will be signed out.') : null],
        confirmLabel: 'Revoke key',
      });
      if (!ok) return;
      const done = await busy(revoke, 'Revoking…', rowSlot, () => v1('DELETE', `/organization/admin_api_keys/${enc(key.id)}`));
      if (done) {
        notify(`Key ${key.name || key.id} revoked.`);
        await reload();
      }
    });
    const expired = key.expires_at !== null && key.expires_at <= Date.now() / 1000;
    return [
      h('span', {}, h('strong', {}, key.name || '(unnamed)'), mine ? [' ', badge('this tab', 'direct')] : null),
      h('code', {}, key.redacted_value),
      key.owner.name,
      formatTime(key.created_at),
      key.last_used_at ? h('span', { title: formatTime(key.last_used_at) }, relativeTime(key.last_used_at)) : 'never',
      key.expires_at === null ? 'never' : h('span', {}, formatTime(key.expires_at), expired ? [' ', badge('expired', 'muted')] : null),
      h('span', {}, revoke, rowSlot.el),
    ];
  }

  function render() {
    clear(list, keys.length
      ? table(['Name', 'Key', 'Owner', 'Created', 'Last used', 'Expires', ''], keys.map(row), 'Admin keys')
      : h('p', { class: 'empty' }, 'No keys.'));
  }

  async function loadMore() {
    const page = await v1('GET', '/organization/admin_api_keys', { query: { limit: PAGE_SIZE, after: cursor } });
    keys = keys.concat(page.data);
    cursor = page.last_id;
    more.hidden = !page.has_more;
    render();
  }
  more.addEventListener('click', () => busy(more, 'Loading…', null, loadMore));

  async function reload() {
    keys = [];
    cursor = undefined;
    await loadMore();
  }

  clear(list, loading());
  await reload();
}
