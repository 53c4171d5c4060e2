import { useTranslation } from 'react-i18next';

/** Built-in roles and permissions have translated names; custom ones show what the admin typed. */
export function useLabels() {
  const { t } = useTranslation();
  return {
    role: (role: { key?: string | null; name: string }) => (role.key ? t(`roleNames.${role.key}`, { defaultValue: role.name }) : role.name),
    permission: (p: string) => t(`permissions.${p}`, { defaultValue: p }),
    group: (g: string) => t(`permissionGroups.${g}`, { defaultValue: g }),
    scope: (s: string) => t(`scopes.${s}.label`, { defaultValue: s }),
    scopeHint: (s: string) => t(`scopes.${s}.hint`, { defaultValue: '' }),
  };
}
