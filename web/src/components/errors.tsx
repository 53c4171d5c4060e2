import { Alert, App, type FormInstance } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/client';

const knownCodes = new Set([
  'validation_failed', 'unauthenticated', 'csrf_failed', 'forbidden', 'not_found', 'conflict',
  'account_locked', 'rate_limited', 'internal', 'unavailable', 'network',
]);

/** A short, translated sentence for any failure; the server's own detail is added where it explains more. */
export function errorText(t: TFunction, error: unknown): string {
  if (!isApiError(error)) return t('errors.internal');
  const base = knownCodes.has(error.code) ? t(`errors.${error.code}`) : error.detail || t('errors.internal');
  const explains = (error.code === 'conflict' || error.code === 'validation_failed') && error.detail;
  return explains ? `${base} (${error.detail})` : base;
}

/** "email", "/email", "body.email", "scopes.0" → a form field name path. */
function toFieldName(path: string): (string | number)[] {
  const parts = path.replace(/^\//, '').split(/[./]/).filter(Boolean);
  if (parts[0] === 'body') parts.shift();
  return parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/**
 * Puts a validation error's messages on the form fields they name. Returns true when every error
 * found a field, so the caller only needs a toast for what is left.
 */
export function applyFieldErrors(form: FormInstance, error: unknown, fields: string[]): boolean {
  if (!isApiError(error) || !error.errors?.length) return false;
  let allPlaced = true;
  const byField = new Map<string, { name: (string | number)[]; errors: string[] }>();
  for (const e of error.errors) {
    const name = toFieldName(e.path);
    const top = name[0];
    if (typeof top !== 'string' || !fields.includes(top)) {
      allPlaced = false;
      continue;
    }
    // Errors on an array item ("scopes.0") belong to the whole field; nested names
    // ("custom.level", "identities.0.externalId") are fields of their own.
    const fieldName = typeof name[name.length - 1] === 'number' ? name.slice(0, -1) : name;
    const key = fieldName.join('.');
    const entry = byField.get(key) ?? { name: fieldName, errors: [] };
    entry.errors.push(e.message);
    byField.set(key, entry);
  }
  form.setFields([...byField.values()]);
  return allPlaced;
}

/** For mutation onError: fields first, then a toast for what no field shows. */
export function useFormErrorHandler() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  // conflictField: where a 409 belongs (e.g. the unique key or name), instead of a toast.
  return (form: FormInstance, fields: string[], conflictField?: string) => (error: unknown) => {
    if (conflictField && isApiError(error) && error.code === 'conflict') {
      form.setFields([{ name: conflictField, errors: [error.detail || t('errors.conflict')] }]);
      return;
    }
    if (!applyFieldErrors(form, error, fields)) void message.error(errorText(t, error));
  };
}

export function useErrorToast() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  return (error: unknown) => void message.error(errorText(t, error));
}

export function ErrorAlert({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  return <Alert type="error" showIcon title={errorText(t, error)} style={{ marginBottom: 16 }} />;
}
