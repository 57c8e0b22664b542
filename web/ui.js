// Small DOM helpers shared by the pages. Text always goes in as text nodes (never innerHTML), so
// names and emails from the API can never become markup.

let idCounter = 0;
export function uid(prefix = 'id') {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

// h('button', {class: 'primary', onclick: fn}, 'Save') → an element. Attributes starting with
// `on` become listeners; `false`/null attributes are left out; children may be nested arrays.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2), value);
    } else if (name === 'class') {
      el.className = value;
    } else if (value === true) {
      el.setAttribute(name, '');
    } else {
      el.setAttribute(name, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

// A labelled form field. Returns {wrap, input}; `input` may be a given element.
export function field(label, input, hint) {
  const id = input.id || uid('f');
  input.id = id;
  const hintEl = hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null;
  if (hintEl) input.setAttribute('aria-describedby', hintEl.id);
  return { wrap: h('div', { class: 'field' }, h('label', { for: id }, label), input, hintEl), input };
}

// A place for an API error next to what caused it. show(error) names the field when the API
// said which parameter was wrong (`param`), and marks that field invalid.
export function errorSlot(fieldsByParam = {}) {
  const el = h('p', { class: 'error', role: 'alert', hidden: true });
  let marked = null;
  return {
    el,
    show(error) {
      el.hidden = false;
      el.textContent = error && error.message ? error.message : String(error);
      if (marked) marked.removeAttribute('aria-invalid');
      marked = error && error.param ? fieldsByParam[error.param] : null;
      if (marked) {
        marked.setAttribute('aria-invalid', 'true');
        marked.focus();
      }
    },
    clear() {
      el.hidden = true;
      el.textContent = '';
      if (marked) marked.removeAttribute('aria-invalid');
      marked = null;
    },
  };
}

// Runs `work` with `button` disabled and showing `busyText`; errors go to `slot` (and are
// swallowed), otherwise the result is returned.
export async function busy(button, busyText, slot, work) {
  const label = button.textContent;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.textContent = busyText;
  if (slot) slot.clear();
  try {
    return await work();
  } catch (error) {
    if (slot) slot.show(error);
    else throw error;
    return undefined;
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.textContent = label;
  }
}

// A modal confirmation. `body` may be a node or text; resolves true when confirmed. `prepare`
// (optional) runs while the dialog is open (a long lookup with progress) and may fill `body`.
export function confirmDialog({ title, body, confirmLabel = 'Confirm', danger = true, prepare }) {
  return new Promise((resolve) => {
    const titleId = uid('dlg');
    const content = h('div', { class: 'dialog-body' }, body);
    const confirm = h('button', { type: 'button', class: danger ? 'danger' : 'primary' }, confirmLabel);
    const cancel = h('button', { type: 'button' }, 'Cancel');
    const dialog = h('dialog', { 'aria-labelledby': titleId },
      h('h2', { id: titleId }, title), content, h('div', { class: 'actions' }, cancel, confirm));
    document.body.append(dialog);
    let done = false;
    const finish = (value) => {
      if (done) return;
      done = true;
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    confirm.addEventListener('click', () => finish(true));
    cancel.addEventListener('click', () => finish(false));
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      finish(false);
    });
    dialog.showModal();
    cancel.focus();
    if (prepare) {
      confirm.disabled = true;
      Promise.resolve(prepare(content))
        .then(() => {
          confirm.disabled = false;
        })
        .catch((error) => {
          content.append(h('p', { class: 'error', role: 'alert' }, error.message || String(error)));
        });
    }
  });
}

// A short-lived message for the whole page (polite live region).
export function notify(message) {
  let region = document.getElementById('notice');
  if (!region) {
    region = h('div', { id: 'notice', class: 'notice', role: 'status', 'aria-live': 'polite' });
    document.body.append(region);
  }
  region.textContent = message;
  region.hidden = false;
  clearTimeout(notify.timer);
  notify.timer = setTimeout(() => {
    region.hidden = true;
  }, 4000);
}

// Copies text; falls back to selecting it in `input` (for plain-HTTP origins without the
// clipboard API) so Ctrl+C finishes the job.
export async function copyText(text, input) {
  try {
    await navigator.clipboard.writeText(text);
    notify('Copied to the clipboard.');
  } catch {
    if (input) {
      input.focus();
      input.select();
    }
    notify('Press Ctrl+C (⌘C) to copy the selected text.');
  }
}

// A read-only value with a copy button.
export function copyBox(value, label) {
  const input = h('input', { type: 'text', readonly: true, value, class: 'copy-value', 'aria-label': label });
  const button = h('button', { type: 'button', onclick: () => copyText(value, input) }, 'Copy');
  return h('div', { class: 'copy-box' }, input, button);
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
export function formatTime(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  return dateFormat.format(new Date(seconds * 1000));
}

export function relativeTime(seconds) {
  if (seconds === null || seconds === undefined) return 'never';
  const diff = Math.round(seconds - Date.now() / 1000);
  const abs = Math.abs(diff);
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  if (abs < 60) return rtf.format(diff, 'second');
  if (abs < 3600) return rtf.format(Math.round(diff / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(diff / 3600), 'hour');
  return rtf.format(Math.round(diff / 86400), 'day');
}

// A section of a page with a heading.
export function section(title, ...children) {
  const id = uid('s');
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

export function badge(text, kind = '') {
  return h('span', { class: `badge ${kind}`.trim() }, text);
}

// A table whose rows turn into cards on narrow screens (each cell carries its column name).
export function table(columns, rows, caption) {
  return h('div', { class: 'table-wrap' },
    h('table', {},
      caption ? h('caption', { class: 'visually-hidden' }, caption) : null,
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((cell, i) => h('td', { 'data-label': columns[i] }, cell)))))));
}

export function loading(text = 'Loading…') {
  return h('p', { class: 'loading', role: 'status' }, text);
}
