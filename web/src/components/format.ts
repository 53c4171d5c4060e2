import { useTranslation } from 'react-i18next';

/** Dates in the reader's language; "—" for none. */
export function useFormatDate() {
  const { i18n } = useTranslation();
  const fmt = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  return (value: string | null | undefined) => {
    if (!value) return '—';
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? value : fmt.format(d);
  };
}
