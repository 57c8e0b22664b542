// The invite acceptance page (/invite/TOKEN): no key, the token in the link is the credential.
import { ApiError, roster } from './api.js';
import { clear, errorSlot, field, formatTime, h, loading } from './ui.js';

const MESSAGES = {
  invite_expired: 'This invitation has expired. Ask whoever invited you to send a new one.',
  invite_already_accepted: 'This invitation has already been used. If that was you, you are already a member.',
  invite_not_found: 'This invitation link is not valid: it may have been revoked, or mistyped.',
  already_member: 'You are already a member of this organization.',
};

function explain(error) {
  if (error instanceof ApiError && error.code && MESSAGES[error.code]) return MESSAGES[error.code];
  if (error instanceof ApiError && error.status === 404) return MESSAGES.invite_not_found;
  return error.message;
}

function page(root, ...children) {
  clear(root, h('main', { id: 'main', class: 'signin-page' },
    h('div', { class: 'card accept' }, h('h1', {}, 'Join on Roster'), ...children)));
}

export async function renderAccept(root, token) {
  document.title = 'Invitation · Roster';
  page(root, loading('Checking your invitation…'));
  let invite;
  try {
    invite = await roster('GET', `/invites/${encodeURIComponent(token)}`);
  } catch (error) {
    page(root, h('p', { class: 'error', role: 'alert' }, explain(error)));
    return;
  }
  const org = invite.organization.name;
  const summary = h('p', { class: 'lead' },
    'You are invited to join ', h('strong', {}, org), ' as ', h('strong', {}, invite.role),
    ` (invitation for ${invite.email}).`);
  if (invite.status === 'expired') {
    page(root, summary, h('p', { class: 'error', role: 'alert' }, MESSAGES.invite_expired));
    return;
  }
  if (invite.status === 'accepted') {
    page(root, summary, h('p', { class: 'error', role: 'alert' }, MESSAGES.invite_already_accepted));
    return;
  }
  const name = h('input', { type: 'text', name: 'name', autocomplete: 'name', required: true, maxlength: '256' });
  const { wrap } = field('Your name', name, 'How other members will see you.');
  const slot = errorSlot({ name });
  const submit = h('button', { type: 'submit', class: 'primary' }, `Join ${org}`);
  const form = h('form', {}, wrap, slot.el, submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    submit.textContent = 'Joining…';
    slot.clear();
    try {
      const user = await roster('POST', '/invites/accept', { body: { token, name: name.value.trim() } });
      page(root, h('p', { class: 'success', role: 'status' },
        `Welcome, ${user.name}! You are now a member of ${org} as ${user.role}.`));
    } catch (error) {
      slot.show(error instanceof ApiError && error.param === 'name' ? error : new Error(explain(error)));
      submit.disabled = false;
      submit.textContent = `Join ${org}`;
    }
  });
  page(root, summary,
    invite.expires_at ? h('p', { class: 'hint' }, `This invitation expires ${formatTime(invite.expires_at)}.`) : null,
    form);
  name.focus();
}
