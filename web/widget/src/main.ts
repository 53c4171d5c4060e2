// The live-chat widget, loaded by one line on the company's site:
//   <script src="https://renmai.example/widget.js" data-channel="<channel id>" async></script>
// Optional: data-lang="en|zh-CN", and for visitors the site vouches for data-user-id and
// data-user-hash (hex HMAC-SHA256 of the id with the channel's identity secret, computed by the
// site's server). Everything renders inside a shadow root, as text nodes only (dom.ts).
import { ApiError, createApi, type Api, type Message, type Session, type WidgetConfig } from './api';
import { clear, h } from './dom';
import { localized, pickLang, textsFor, type Lang, type Texts } from './i18n';
import { connectLive } from './live';
import { styles } from './styles';

interface Pending {
  clientId: string;
  text: string;
  file?: File;
  failed: boolean;
}

const newId = () => Math.random().toString(36).slice(2) + Date.now().toString(36);

function remember(key: string, value?: string): string | undefined {
  try {
    if (value !== undefined) localStorage.setItem(key, value);
    return localStorage.getItem(key) ?? undefined;
  } catch {
    // Storage refused (private mode, blocked cookies): the visitor is new on every page.
    return value;
  }
}

function chat(api: Api, config: WidgetConfig, session: Session, lang: Lang, t: Texts) {
  let messages: Message[] = [];
  const pending: Pending[] = [];
  const fileUrls = new Map<string, Promise<string>>();
  let unread = session.unread;
  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  let lastTyping = 0;

  const host = h('div', { 'data-renmai-widget': '' });
  host.style.setProperty('--primary', config.colors.primary);
  host.style.setProperty('--on-primary', config.colors.text);
  const root = host.attachShadow({ mode: 'open' });
  const badge = h('span', { class: 'badge', 'data-testid': 'renmai-unread', hidden: true });
  const launcher = h('button', { class: 'launcher', type: 'button', 'aria-label': t.open, 'data-testid': 'renmai-launcher' }, '💬', badge);
  const body = h('div', { style: 'display:flex;flex-direction:column;flex:1;min-height:0' });
  const closeButton = h('button', { type: 'button', 'aria-label': t.close }, '×');
  const panel = h('div', { class: 'panel', role: 'dialog', 'aria-label': t.title, lang, hidden: true, 'data-testid': 'renmai-panel' }, h('div', { class: 'head' }, h('strong', {}, t.title), closeButton), body);
  root.append(h('style', {}, styles), panel, launcher);
  document.body.append(host);

  const list = h('div', { class: 'list', 'data-testid': 'renmai-messages', 'aria-live': 'polite' });
  const typing = h('div', { class: 'typing', 'data-testid': 'renmai-typing' });
  const input = h('textarea', { placeholder: t.placeholder, 'aria-label': t.placeholder, 'data-testid': 'renmai-input' });
  const fileInput = h('input', { type: 'file', hidden: true, 'data-testid': 'renmai-file' });
  const live = connectLive(api.socketUrl, onEvent, () => void refresh());

  function showBadge() {
    badge.textContent = unread > 99 ? '99+' : String(unread);
    badge.hidden = unread === 0;
  }

  function fileNode(a: Message['attachments'][number]) {
    const url = () => {
      let p = fileUrls.get(a.id);
      if (!p) fileUrls.set(a.id, (p = api.fileUrl(a.id)));
      return p;
    };
    if (a.mimeType.startsWith('image/')) {
      const img = h('img', { alt: a.fileName });
      void url().then((u) => (img.src = u)).catch(() => undefined);
      return img;
    }
    const button = h('button', { type: 'button', class: 'file' }, `📎 ${a.fileName || t.file}`);
    button.onclick = () =>
      void url().then((u) => {
        const link = h('a', { href: u, download: a.fileName });
        link.click();
      });
    return button;
  }

  function renderList() {
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    clear(list);
    for (const m of messages) {
      list.append(h('div', { class: `msg ${m.direction}`, 'data-testid': 'renmai-message', 'data-direction': m.direction }, m.text ?? null, ...m.attachments.map(fileNode)));
    }
    for (const p of pending) {
      const bubble = h('div', { class: `msg in ${p.failed ? 'failed' : 'pending'}`, 'data-testid': 'renmai-pending' }, p.file ? `📎 ${p.file.name}` : p.text, h('div', { class: 'meta' }, p.failed ? t.failed : t.sending));
      if (p.failed) bubble.onclick = () => void deliver(p);
      list.append(bubble);
    }
    if (atBottom || pending.length) list.scrollTop = list.scrollHeight;
  }

  let refreshing: Promise<void> | undefined;
  let again = false;
  async function refresh(): Promise<void> {
    if (refreshing) {
      again = true;
      return refreshing;
    }
    refreshing = (async () => {
      do {
        again = false;
        const items = await api.messages().catch(() => undefined);
        if (!items) break;
        messages = items.reverse();
        const arrived = new Set(messages.map((m) => m.clientMessageId).filter(Boolean));
        for (let i = pending.length - 1; i >= 0; i--) if (arrived.has(pending[i]!.clientId)) pending.splice(i, 1);
        renderList();
      } while (again);
    })().finally(() => (refreshing = undefined));
    return refreshing;
  }

  async function deliver(p: Pending) {
    p.failed = false;
    renderList();
    try {
      if (p.file) await api.upload(p.clientId, p.file);
      else await api.send(p.clientId, p.text);
    } catch {
      p.failed = true;
    }
    renderList();
  }

  function submit() {
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    live.send({ type: 'typing', typing: false });
    lastTyping = 0;
    const p: Pending = { clientId: newId(), text, failed: false };
    pending.push(p);
    void deliver(p);
  }

  function onEvent(e: { type: string; data: Record<string, unknown> }) {
    if (e.type === 'message.created') {
      if (e.data.direction === 'out') {
        typing.textContent = '';
        if (panel.hidden) {
          unread += 1;
          showBadge();
        } else void api.read();
      }
      void refresh();
    } else if (e.type === 'typing') {
      typing.textContent = e.data.typing ? t.typing : '';
      clearTimeout(typingTimer);
      if (e.data.typing) typingTimer = setTimeout(() => (typing.textContent = ''), 6000);
    }
  }

  function offlineNotice() {
    const notice = h('div', { class: 'notice', 'data-testid': 'renmai-offline' }, localized(config.offlineMessage, lang) || t.offline);
    if (session.emailLeft) return notice;
    const email = h('input', { type: 'email', placeholder: t.email, 'aria-label': t.email, required: true, 'data-testid': 'renmai-email' });
    const form = h('form', {}, email, h('button', { class: 'primary', type: 'submit' }, t.emailSave));
    form.onsubmit = (ev) => {
      ev.preventDefault();
      void api.email(email.value).then(
        () => {
          session.emailLeft = true;
          form.replaceWith(h('div', { 'data-testid': 'renmai-email-saved' }, t.emailSaved));
        },
        () => email.setCustomValidity(t.email),
      );
    };
    notice.append(form);
    return notice;
  }

  function prechatForm() {
    const inputs = new Map<string, HTMLInputElement>();
    const errors = h('div', { class: 'err' });
    const form = h('form', {});
    for (const f of config.prechat.fields) {
      const label = localized(f.label, lang) || (f.kind === 'name' ? t.name : f.kind === 'email' ? t.email : f.kind === 'phone' ? t.phone : f.key);
      const field = h('input', { type: f.kind === 'email' ? 'email' : f.kind === 'phone' ? 'tel' : 'text', name: f.key, required: f.required, 'data-testid': `renmai-prechat-${f.key}` });
      inputs.set(f.key, field);
      form.append(h('label', {}, label + (f.required ? ' *' : ''), field));
    }
    form.append(errors, h('button', { class: 'primary', type: 'submit', 'data-testid': 'renmai-prechat-submit' }, t.prechatStart));
    form.onsubmit = (ev) => {
      ev.preventDefault();
      const answers: Record<string, string> = {};
      for (const [key, field] of inputs) if (field.value.trim()) answers[key] = field.value.trim();
      void api.prechat(answers).then(
        () => {
          session.prechatDone = true;
          render();
        },
        (error: unknown) => (errors.textContent = error instanceof ApiError && error.status === 400 ? t.required : t.unavailable),
      );
    };
    return h('div', { class: 'prechat' }, h('p', {}, t.prechatIntro), form);
  }

  function render() {
    clear(body);
    const greeting = localized(config.greeting, lang);
    if (greeting) body.append(h('div', { class: 'greeting', 'data-testid': 'renmai-greeting' }, greeting));
    if (!session.online) body.append(offlineNotice());
    if (config.prechat.enabled && !session.prechatDone) return void body.append(prechatForm());
    const attach = h('button', { type: 'button', class: 'attach', 'aria-label': t.attach, title: t.attach }, '📎');
    attach.onclick = () => fileInput.click();
    const send = h('button', { type: 'button', class: 'primary', 'data-testid': 'renmai-send' }, t.send);
    send.onclick = submit;
    body.append(list, typing, h('div', { class: 'composer' }, attach, fileInput, input, send));
    renderList();
  }

  input.onkeydown = (ev) => {
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
      ev.preventDefault();
      submit();
    }
  };
  input.oninput = () => {
    if (Date.now() - lastTyping < 3000) return;
    lastTyping = Date.now();
    live.send({ type: 'typing', typing: true });
  };
  fileInput.onchange = () => {
    const file = fileInput.files?.[0];
    fileInput.value = '';
    if (!file) return;
    const p: Pending = { clientId: newId(), text: '', file, failed: false };
    pending.push(p);
    void deliver(p);
  };
  launcher.onclick = () => {
    panel.hidden = !panel.hidden;
    if (panel.hidden) return;
    if (unread) void api.read();
    unread = 0;
    showBadge();
    void refresh();
    input.focus();
    // Someone may have come online (or left) since the page loaded.
    void api.config().then((c) => {
      if (c.online === session.online) return;
      session.online = c.online;
      render();
    }, () => undefined);
  };
  closeButton.onclick = () => (panel.hidden = true);

  showBadge();
  render();
}

async function start(script: HTMLScriptElement) {
  const channelId = script.dataset.channel;
  if (!channelId) return;
  const base = new URL(script.src, location.href).origin;
  const lang = pickLang(script.dataset.lang, navigator.language);
  const api = createApi(base, channelId);
  const key = `renmai.widget.${channelId}`;
  try {
    const config = await api.config();
    const session = await api.session({ token: remember(key), userId: script.dataset.userId, userHash: script.dataset.userHash });
    api.setToken(session.token);
    remember(key, session.token);
    chat(api, config, session, lang, textsFor(lang));
  } catch (error) {
    // A refused origin or identity: the site's setup is wrong; say so to its developer, not its visitors.
    console.warn('[renmai widget] not started:', error instanceof ApiError ? `${error.code}${error.reason ? ` (${error.reason})` : ''}` : error);
  }
}

const current = (document.currentScript as HTMLScriptElement | null) ?? document.querySelector<HTMLScriptElement>('script[data-channel][src*="widget.js"]');
if (current) {
  if (document.body) void start(current);
  else document.addEventListener('DOMContentLoaded', () => void start(current));
}
