// dayjs comes with antd (its date pickers use it); only its locale needs switching here.
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import zhCN from './zh-CN.json';

type Messages = Record<string, unknown>;

// Each console area may keep its labels in areas/<area>.<language>.json (top-level keys of its own),
// so work on one area never edits another's file.
const areaFiles = import.meta.glob<Messages>('./areas/*.json', { eager: true, import: 'default' });

function withAreas(base: Messages, language: string): Messages {
  const merged = { ...base };
  for (const [path, messages] of Object.entries(areaFiles)) {
    if (path.endsWith(`.${language}.json`)) Object.assign(merged, messages);
  }
  return merged;
}

export const languages = ['zh-CN', 'en'] as const;
export type Language = (typeof languages)[number];
const STORAGE_KEY = 'renmai.locale';

/** Maps whatever the server or browser says ('en-US', 'zh', 'zh-Hans-CN') to a language we ship. */
export function toLanguage(value: string | null | undefined): Language | undefined {
  if (!value) return undefined;
  const v = value.toLowerCase();
  if (v.startsWith('zh')) return 'zh-CN';
  if (v.startsWith('en')) return 'en';
  return undefined;
}

function storedLanguage(): Language {
  try {
    return toLanguage(localStorage.getItem(STORAGE_KEY)) ?? 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

export function rememberLanguage(lang: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // private mode: the choice still lasts for this page
  }
}

/** Switches the UI language and remembers it on this device. */
export async function applyLanguage(lang: Language): Promise<void> {
  rememberLanguage(lang);
  document.documentElement.lang = lang;
  dayjs.locale(lang === 'en' ? 'en' : 'zh-cn');
  await i18n.changeLanguage(lang);
}

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: withAreas(zhCN, 'zh-CN') }, en: { translation: withAreas(en, 'en') } },
  lng: storedLanguage(),
  fallbackLng: 'zh-CN',
  // Permission names such as "members:read" are used inside keys.
  nsSeparator: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});
document.documentElement.lang = i18n.language;
dayjs.locale(i18n.language === 'en' ? 'en' : 'zh-cn');

export default i18n;
