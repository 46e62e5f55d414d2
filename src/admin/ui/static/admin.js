// SPDX-License-Identifier: MIT
// admin.js - the newsroom editor's helpers, all optional (every form works
// without script): live preview of the body through the server's Markdown
// renderer, autosave every few seconds (no new revision), the image picker,
// and drag ordering of Top News.  Loaded as an external file (the CSP has no
// inline script); talks only to this server, with the page's CSRF token.
'use strict';
(function () {
  const csrf = document.body.dataset.csrf || '';

  function post(url, data) {
    return fetch(url, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-CSRF-Token': csrf },
      body: new URLSearchParams(data).toString(),
    });
  }

  // ---- the editor ------------------------------------------------------------
  const editor = document.getElementById('editor');
  if (editor) {
    const body = document.getElementById('f-body');
    const live = document.getElementById('live-preview');
    const status = document.getElementById('autosave-status');
    const format = () => (editor.querySelector('input[name="body_format"]:checked') || {}).value || 'markdown';
    let timer = null, lastSent = null;

    function refresh() {
      const text = body.value;
      post('/admin/markdown', { csrf, body: text, body_format: format() })
        .then(r => r.ok ? r.text() : Promise.reject(r.status))
        .then(html => { live.innerHTML = html; }) // sanitized by the server, as on the site
        .catch(() => { live.textContent = 'The preview is not available right now.'; });
    }
    body.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(refresh, 300); });
    editor.querySelectorAll('input[name="body_format"]').forEach(r => r.addEventListener('change', refresh));
    refresh();

    // autosave: the whole form, every 5 s when something changed
    let dirty = false;
    editor.addEventListener('input', () => { dirty = true; });
    editor.addEventListener('submit', () => { dirty = false; });
    const autosaveUrl = editor.dataset.autosave;
    if (autosaveUrl) {
      setInterval(() => {
        if (!dirty) return;
        const data = new URLSearchParams(new FormData(editor));
        const text = data.toString();
        if (text === lastSent) return;
        lastSent = text;
        dirty = false;
        fetch(autosaveUrl, {
          method: 'POST', credentials: 'same-origin',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-CSRF-Token': csrf },
          body: text,
        }).then(r => r.json().then(j => ({ ok: r.ok, j })))
          .then(({ ok, j }) => { status.textContent = ok ? `Draft kept at ${j.at} (not yet saved)` : `Not kept: ${j.message}`; })
          .catch(() => { status.textContent = 'Autosave failed; your text is still here.'; dirty = true; });
      }, 5000);
    }
    window.addEventListener('beforeunload', e => { if (dirty) { e.preventDefault(); e.returnValue = ''; } });
    // leaving the editor (not by saving it) releases the edit lock
    let saving = false;
    editor.addEventListener('submit', () => { saving = true; });
    const unlockUrl = editor.dataset.unlock;
    if (unlockUrl && navigator.sendBeacon) {
      window.addEventListener('pagehide', () => {
        if (!saving) navigator.sendBeacon(unlockUrl, new URLSearchParams({ csrf, beacon: '1' }));
      });
    }

    // images: add from the library, remove, insert into the body
    const list = document.getElementById('image-list');
    function field(label, name, value) {
      const l = document.createElement('label');
      l.textContent = label + ' ';
      const i = document.createElement('input');
      i.name = name; i.value = value || '';
      l.appendChild(i);
      return l;
    }
    function button(text, attr) {
      const b = document.createElement('button');
      b.type = 'button'; b.className = 'small'; b.textContent = text; b.setAttribute(attr, '');
      return b;
    }
    function addRow(d) {
      const li = document.createElement('li');
      li.className = 'image-row';
      const img = document.createElement('img');
      if (d.src) img.src = d.src;
      img.alt = ''; img.width = 96; img.height = 54;
      const id = document.createElement('input');
      id.type = 'hidden'; id.name = 'image_id'; id.value = d.id;
      li.append(img, id, field('Caption', 'image_caption', d.caption), field('Credit', 'image_credit', d.credit),
                field('Alt text', 'image_alt', d.alt), button('Insert into body', 'data-insert'), button('Remove', 'data-remove'));
      li.dataset.src = d.src;
      list.appendChild(li);
      dirty = true;
      return li;
    }
    document.querySelectorAll('button.pick').forEach(b => b.addEventListener('click', () => {
      const li = addRow(b.dataset);
      li.querySelector('input[name="image_caption"]').focus();
    }));
    // upload from the editor: the library answers JSON, the row is added here
    const upload = document.getElementById('upload-file');
    const upStatus = document.getElementById('upload-status');
    upload && upload.addEventListener('change', () => {
      const f = upload.files[0];
      if (!f) return;
      const fd = new FormData();
      fd.append('csrf', csrf);
      fd.append('file', f);
      upStatus.textContent = 'Uploading…';
      fetch('/admin/media/upload', { method: 'POST', credentials: 'same-origin', body: fd,
                                     headers: { Accept: 'application/json', 'X-CSRF-Token': csrf } })
        .then(r => r.json())
        .then(j => {
          if (!j.ok) { upStatus.textContent = `Not added: ${j.message}`; return; }
          upStatus.textContent = `Added image #${j.id}.`;
          addRow(j).querySelector('input[name="image_caption"]').focus();
          upload.value = '';
        })
        .catch(() => { upStatus.textContent = 'The upload failed; try again or use the media library.'; });
    });
    const addById = document.getElementById('add-media');
    addById && addById.addEventListener('click', () => {
      const v = document.getElementById('add-media-id').value.trim();
      if (/^\d+$/.test(v)) addRow({ id: v, src: '', caption: '', credit: '', alt: '' });
    });
    list && list.addEventListener('click', e => {
      const li = e.target.closest('.image-row');
      if (!li) return;
      if (e.target.hasAttribute('data-remove')) { li.remove(); dirty = true; }
      if (e.target.hasAttribute('data-insert')) {
        const src = li.dataset.src || (li.querySelector('img') || {}).getAttribute?.('src') || '';
        const alt = (li.querySelector('input[name="image_alt"]').value || '').replace(/[\[\]]/g, '');
        const cap = (li.querySelector('input[name="image_caption"]').value || '').replace(/"/g, '\u201d');
        const md = `\n\n![${alt}](${src}${cap ? ` "${cap}"` : ''})\n\n`;
        const at = body.selectionStart ?? body.value.length;
        body.value = body.value.slice(0, at) + md + body.value.slice(body.selectionEnd ?? at);
        body.focus();
        dirty = true;
        refresh();
      }
    });
  }

  // ---- workflow: confirm the irreversible-looking steps -------------------------
  document.querySelectorAll('form.wf-withdraw').forEach(f => f.addEventListener('submit', e => {
    if (!window.confirm('Withdraw this article? Its page will answer "withdrawn" until it is republished.')) e.preventDefault();
  }));

  document.querySelectorAll('form.delete').forEach(f => f.addEventListener('submit', e => {
    if (!window.confirm('Delete this draft and its revisions?')) e.preventDefault();
  }));

  // ---- Top News: drag to order --------------------------------------------------
  const slots = document.getElementById('slots');
  if (slots) {
    let dragged = null;
    const renumber = () => slots.querySelectorAll('.slot-n').forEach((n, i) => { n.textContent = (i + 1) + '.'; });
    slots.addEventListener('dragstart', e => {
      dragged = e.target.closest('.slot');
      if (!dragged) return;
      dragged.classList.add('dragging');
      e.dataTransfer.effectAllowed = 'move';
      e.dataTransfer.setData('text/plain', '');
    });
    slots.addEventListener('dragover', e => {
      if (!dragged) return;
      e.preventDefault();
      const over = e.target.closest('.slot');
      if (!over || over === dragged) return;
      const r = over.getBoundingClientRect();
      slots.insertBefore(dragged, e.clientY > r.top + r.height / 2 ? over.nextSibling : over);
    });
    slots.addEventListener('dragend', () => { if (dragged) dragged.classList.remove('dragging'); dragged = null; renumber(); });
  }
})();
