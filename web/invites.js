// Invites: invite by email with a base role, see each invite's status, copy a pending invite's
// acceptance link (POST /roster/organization/invites/{id}/link, admin key: each call issues a
// new link and the previous one stops working), revoke.
import { enc, roster, v1 } from './api.js';
import { badge, busy, clear, confirmDialog, copyBox, copyText, errorSlot, field, formatTime, h, loading, notify, section, table } from './ui.js';

const PAGE_SIZE = 50;

async function linkOf(invite) {
  const link = await roster('POST', `/organization/invites/${enc(invite.id)}/link`, { withKey: true });
  return `${location.origin}${link.path}`;
}

export async function renderInvites(container) {
  const email = h('input', { type: 'email', name: 'email', required: true, autocomplete: 'off' });
  const role = h('select', { name: 'role' }, h('option', { value: 'reader' }, 'Reader'), h('option', { value: 'owner' }, 'Owner'));
  const slot = errorSlot({ email, role });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Send invite');
  const created = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'inline-form' }, field('Email', email).wrap, field('Base role', role).wrap, submit);
  const listSection = section('Invites');
  const list = h('div');
  const more = h('button', { type: 'button', hidden: true }, 'Load more');
  listSection.append(list, more);
  container.append(section('Invite someone', form, slot.el, created), listSection);

  let invites = [];
  let cursor;

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const result = await busy(submit, 'Inviting…', slot, async () => {
      const invite = await v1('POST', '/organization/invites', { body: { email: email.value.trim(), role: role.value } });
      return { invite, link: await linkOf(invite) };
    });
    if (!result) return;
    notify(`Invite sent to ${result.invite.email}.`);
    email.value = '';
    clear(created, h('div', { class: 'callout' },
      h('p', {}, 'Send this link to ', h('strong', {}, result.invite.email), ': it lets them join as ', result.invite.role, '.'),
      copyBox(result.link, `Acceptance link for ${result.invite.email}`)));
    await reload();
  });

  function row(invite) {
    const slot2 = errorSlot();
    const actions = h('span', { class: 'actions-cell' });
    const linkArea = h('div');
    if (invite.status === 'pending') {
      const copy = h('button', { type: 'button', 'aria-label': `Copy link for ${invite.email}` }, 'Copy link');
      copy.addEventListener('click', async () => {
        const link = await busy(copy, 'Fetching…', slot2, () => linkOf(invite));
        if (!link) return;
        const box = copyBox(link, `Acceptance link for ${invite.email}`);
        clear(linkArea, box);
        await copyText(link, box.querySelector('input'));
      });
      const revoke = h('button', { type: 'button', class: 'link-danger', 'aria-label': `Revoke invite for ${invite.email}` }, 'Revoke');
      revoke.addEventListener('click', async () => {
        const ok = await confirmDialog({
          title: 'Revoke invite?',
          body: h('p', {}, `The link sent to ${invite.email} stops working.`),
          confirmLabel: 'Revoke invite',
        });
        if (!ok) return;
        const done = await busy(revoke, 'Revoking…', slot2, () => v1('DELETE', `/organization/invites/${enc(invite.id)}`));
        if (done) {
          notify(`Invite for ${invite.email} revoked.`);
          await reload();
        }
      });
      actions.append(copy, revoke);
    }
    actions.append(slot2.el);
    const statusKind = { pending: 'direct', accepted: 'owner', expired: 'muted' }[invite.status] || '';
    return [
      invite.email,
      invite.role,
      badge(invite.status, statusKind),
      formatTime(invite.created_at),
      invite.status === 'accepted' ? `accepted ${formatTime(invite.accepted_at)}` : formatTime(invite.expires_at),
      h('div', {}, actions, linkArea),
    ];
  }

  function render() {
    if (invites.length === 0) {
      clear(list, h('p', { class: 'empty' }, 'No invites yet.'));
      return;
    }
    clear(list, table(['Email', 'Role', 'Status', 'Sent', 'Expires / accepted', ''], invites.map(row), 'Invites'));
  }

  async function loadMore() {
    const page = await busy(more, 'Loading…', null, () =>
      v1('GET', '/organization/invites', { query: { limit: PAGE_SIZE, after: cursor } }));
    invites = invites.concat(page.data);
    cursor = page.last_id;
    more.hidden = !page.has_more;
    render();
  }
  more.addEventListener('click', loadMore);

  async function reload() {
    invites = [];
    cursor = undefined;
    await loadMore();
  }

  clear(list, loading());
  await reload();
}
