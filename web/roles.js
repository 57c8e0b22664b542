// Roles: the predefined and custom roles, a permission picker built from the catalogue
// (GET /roster/permissions, the server's one table), and deletion that first says who loses it.
import { enc, listAll, roster, v1 } from './api.js';
import { loadGroups, loadRoles } from './data.js';
import { badge, busy, clear, confirmDialog, errorSlot, field, h, loading, notify, section, table, uid } from './ui.js';

const SCAN_CONCURRENCY = 6;

// The area of a permission: `api.management.write` → `management`.
function areaOf(name) {
  const parts = name.split('.');
  return parts.length > 2 ? parts.slice(1, -1).join('.') : parts[0];
}

function permissionPicker(catalogue, selected) {
  const chosen = new Set(selected);
  const filter = h('input', { type: 'search', 'aria-label': 'Filter permissions', placeholder: 'Filter permissions' });
  const count = h('span', { class: 'hint', 'aria-live': 'polite' });
  const boxes = [];
  const areas = new Map();
  for (const permission of catalogue) {
    const area = areaOf(permission.name);
    if (!areas.has(area)) areas.set(area, []);
    areas.get(area).push(permission);
  }
  // Permissions a role holds that the catalogue does not list (a server run with
  // --accept-unknown-permissions) stay visible and selected.
  const unknown = selected.filter((name) => !catalogue.some((p) => p.name === name));
  if (unknown.length) areas.set('other', unknown.map((name) => ({ name, description: 'Not in the catalogue' })));

  const updateCount = () => {
    count.textContent = `${chosen.size} selected`;
  };
  const groupsEl = [...areas.entries()].map(([area, permissions]) => {
    const items = permissions.map((permission) => {
      const id = uid('perm');
      const box = h('input', { type: 'checkbox', id, value: permission.name, checked: chosen.has(permission.name) });
      box.addEventListener('change', () => {
        if (box.checked) chosen.add(permission.name);
        else chosen.delete(permission.name);
        updateCount();
      });
      const row = h('div', { class: 'perm' }, box,
        h('label', { for: id }, h('code', {}, permission.name), h('span', { class: 'hint' }, permission.description)));
      boxes.push({ row, permission });
      return row;
    });
    return h('fieldset', { class: 'perm-area' }, h('legend', {}, area.replace(/[._]/g, ' ')), items);
  });
  filter.addEventListener('input', () => {
    const text = filter.value.trim().toLowerCase();
    for (const { row, permission } of boxes) {
      row.hidden = text !== '' && !`${permission.name} ${permission.description}`.toLowerCase().includes(text);
    }
  });
  updateCount();
  const el = h('div', { class: 'picker', role: 'group', 'aria-label': 'Permissions' },
    h('div', { class: 'picker-head' }, filter, count), h('div', { class: 'picker-areas' }, groupsEl));
  return { el, values: () => [...chosen].sort(), focus: () => filter.focus() };
}

// Who holds `role`: groups holding it (with their members) and members holding it directly,
// found by reading each member's roles (the API has no reverse lookup), with progress.
async function findHolders(role, report) {
  const groups = await loadGroups();
  const holdingGroups = [];
  for (const group of groups) {
    const groupRoles = await listAll(`/organization/groups/${enc(group.id)}/roles`);
    if (groupRoles.some((r) => r.id === role.id)) {
      const members = await listAll(`/organization/groups/${enc(group.id)}/users`);
      holdingGroups.push({ group, members });
    }
  }
  const direct = [];
  let checked = 0;
  let after;
  for (;;) {
    const page = await v1('GET', '/organization/users', { query: { limit: 100, after } });
    const queue = [...page.data];
    const worker = async () => {
      while (queue.length) {
        const user = queue.shift();
        const held = await listAll(`/organization/users/${enc(user.id)}/roles`);
        const mine = held.find((r) => r.id === role.id);
        if (mine && (mine.assignment_sources || []).some((s) => s.principal_type === 'user')) direct.push(user);
        checked += 1;
        report(checked);
      }
    };
    await Promise.all(Array.from({ length: SCAN_CONCURRENCY }, worker));
    if (!page.has_more || !page.last_id) break;
    after = page.last_id;
  }
  return { holdingGroups, direct, checked };
}

function describeHolders(role, { holdingGroups, direct, checked }) {
  const name = (u) => (u.name ? `${u.name} (${u.email})` : u.email);
  const parts = [];
  if (direct.length === 0 && holdingGroups.length === 0) {
    parts.push(h('p', {}, `Nobody holds ${role.name} (checked ${checked} members and every group).`));
  }
  if (direct.length) {
    parts.push(h('p', {}, `${direct.length} member${direct.length === 1 ? '' : 's'} lose it:`),
      h('ul', { class: 'holders' }, direct.slice(0, 20).map((u) => h('li', {}, name(u))),
        direct.length > 20 ? h('li', {}, `and ${direct.length - 20} more`) : null));
  }
  for (const { group, members } of holdingGroups) {
    parts.push(h('p', {}, `Group ${group.name} loses it, and with it its ${members.length} member${members.length === 1 ? '' : 's'}`,
      members.length ? `: ${members.slice(0, 10).map(name).join(', ')}${members.length > 10 ? ', …' : ''}` : '', '.'));
  }
  return parts;
}

export async function renderRoles(container) {
  const [roles, catalogueList] = await Promise.all([loadRoles(), roster('GET', '/permissions')]);
  const catalogue = catalogueList.data;
  const listSection = section('All roles');
  const editor = h('div', { class: 'detail' });
  const newButton = h('button', { type: 'button', class: 'primary' }, 'New custom role');
  newButton.addEventListener('click', () => openEditor(null));
  container.append(h('div', { class: 'toolbar' }, newButton), listSection, editor);

  function renderList() {
    const rows = roles.map((role) => {
      const actions = [];
      if (!role.predefined_role) {
        actions.push(h('button', { type: 'button', onclick: () => openEditor(role), 'aria-label': `Edit ${role.name}` }, 'Edit'));
        const slot = errorSlot();
        const del = h('button', { type: 'button', class: 'link-danger', 'aria-label': `Delete ${role.name}` }, 'Delete');
        del.addEventListener('click', () => deleteRole(role, del, slot));
        actions.push(del, slot.el);
      }
      return [
        h('strong', {}, role.name),
        role.predefined_role ? badge('predefined') : badge('custom', 'direct'),
        role.description || '—',
        `${role.permissions.length} permission${role.permissions.length === 1 ? '' : 's'}`,
        h('span', { class: 'actions-cell' }, actions),
      ];
    });
    clear(listSection, listSection.firstChild, table(['Name', 'Kind', 'Description', 'Permissions', ''], rows, 'Roles'));
  }

  async function reload() {
    const fresh = await loadRoles();
    roles.splice(0, roles.length, ...fresh);
    renderList();
  }

  function openEditor(role) {
    const name = h('input', { type: 'text', name: 'role_name', required: true, maxlength: '64', value: role ? role.name : '' });
    const description = h('input', { type: 'text', name: 'description', value: role && role.description ? role.description : '' });
    const picker = permissionPicker(catalogue, role ? role.permissions : []);
    const slot = errorSlot({ role_name: name, description, permissions: picker.el });
    const save = h('button', { type: 'submit', class: 'primary' }, role ? 'Save changes' : 'Create role');
    const cancel = h('button', { type: 'button', onclick: () => clear(editor) }, 'Cancel');
    const form = h('form', {}, field('Name', name).wrap, field('Description (optional)', description).wrap,
      h('h3', {}, 'Permissions'), picker.el, slot.el, h('div', { class: 'actions' }, cancel, save));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const body = { role_name: name.value.trim(), permissions: picker.values() };
      if (description.value.trim() || role) body.description = description.value.trim() || null;
      if (body.description === null) delete body.description;
      const saved = await busy(save, 'Saving…', slot, () => (role
        ? v1('POST', `/organization/roles/${enc(role.id)}`, { body })
        : v1('POST', '/organization/roles', { body })));
      if (saved) {
        notify(role ? `Role ${saved.name} saved.` : `Role ${saved.name} created.`);
        clear(editor);
        await reload();
      }
    });
    clear(editor, section(role ? `Edit role: ${role.name}` : 'New custom role', form));
    name.focus();
  }

  async function deleteRole(role, button, slot) {
    const progress = h('progress', { 'aria-label': 'Members checked' });
    const status = h('p', { role: 'status' }, 'Finding who holds this role…');
    const ok = await confirmDialog({
      title: `Delete role ${role.name}?`,
      body: [status, progress],
      confirmLabel: `Delete ${role.name}`,
      prepare: async (content) => {
        const holders = await findHolders(role, (n) => {
          status.textContent = `Finding who holds this role… ${n} members checked`;
        });
        clear(content, describeHolders(role, holders), h('p', {}, 'This cannot be undone.'));
      },
    });
    if (!ok) return;
    const done = await busy(button, 'Deleting…', slot, () => v1('DELETE', `/organization/roles/${enc(role.id)}`));
    if (done) {
      notify(`Role ${role.name} deleted.`);
      await reload();
    }
  }

  renderList();
  if (roles.length === 0) listSection.append(loading());
}
