// The widget's two languages: navigator.language decides (zh* → 中文), data-lang overrides.
const en = {
  open: 'Chat with us',
  close: 'Close',
  title: 'Chat',
  placeholder: 'Type a message…',
  send: 'Send',
  attach: 'Attach a file',
  typing: 'Typing…',
  offline: 'We are away right now. Leave your e-mail and we will get back to you.',
  email: 'Your e-mail',
  emailSave: 'Save',
  emailSaved: 'Thanks — we will write to you there.',
  prechatIntro: 'Before we start, tell us a little about you.',
  prechatStart: 'Start chatting',
  name: 'Name',
  phone: 'Phone',
  required: 'Please fill this in',
  failed: 'Not sent — tap to retry',
  sending: 'Sending…',
  unavailable: 'Chat is unavailable right now.',
  file: 'File',
};
type Texts = typeof en;

const zh: Texts = {
  open: '在线咨询',
  close: '关闭',
  title: '在线客服',
  placeholder: '输入消息…',
  send: '发送',
  attach: '发送文件',
  typing: '对方正在输入…',
  offline: '客服暂时不在线。请留下您的邮箱，我们会尽快回复您。',
  email: '您的邮箱',
  emailSave: '提交',
  emailSaved: '已收到，我们会通过邮件联系您。',
  prechatIntro: '开始咨询前，请简单介绍一下您自己。',
  prechatStart: '开始咨询',
  name: '姓名',
  phone: '电话',
  required: '请填写此项',
  failed: '发送失败，点击重试',
  sending: '发送中…',
  unavailable: '在线咨询暂不可用。',
  file: '文件',
};

export type Lang = 'en' | 'zh-CN';

export function pickLang(override: string | undefined, browser: string): Lang {
  const wanted = (override || browser || 'en').toLowerCase();
  return wanted.startsWith('zh') ? 'zh-CN' : 'en';
}

export const textsFor = (lang: Lang): Texts => (lang === 'zh-CN' ? zh : en);
export type { Texts };

/** A configured text in the visitor's language, else the other one. */
export const localized = (value: Partial<Record<Lang, string>> | undefined, lang: Lang) => value?.[lang] || value?.[lang === 'en' ? 'zh-CN' : 'en'] || '';
