import { SettingOutlined } from '@ant-design/icons';
import { Avatar, Button, Checkbox, Flex, Popover, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { CustomField } from '../../api/contact-settings';
import type { Contact } from '../../api/contacts';
import { ChannelLabel } from '../../components/channel';
import { ColorTag } from '../../components/color-tag';
import { CustomValueText } from '../../components/custom-value';
import { useFormatDate } from '../../components/format';

export const standardColumns = ['phone', 'email', 'company', 'title', 'city', 'stage', 'owner', 'tags', 'source', 'createdAt', 'updatedAt', 'lastActiveAt'] as const;
export const defaultColumns = ['phone', 'company', 'stage', 'owner', 'tags', 'createdAt'];
const COLUMNS_KEY = 'renmai.contacts.columns';

export function storedColumns(): string[] {
  try {
    const v = JSON.parse(localStorage.getItem(COLUMNS_KEY) ?? 'null') as unknown;
    return Array.isArray(v) && v.every((c) => typeof c === 'string') ? v : defaultColumns;
  } catch {
    return defaultColumns;
  }
}

export function rememberColumns(columns: string[]): void {
  try {
    localStorage.setItem(COLUMNS_KEY, JSON.stringify(columns));
  } catch {
    // private mode: the choice lasts for this page
  }
}

export function ContactAvatar({ contact, size = 'small' }: { contact: Pick<Contact, 'name'> & { avatarUrl?: string | null }; size?: 'small' | 'default' | 'large' | number }) {
  return <Avatar size={size} src={contact.avatarUrl ?? undefined} style={{ background: '#87a9d8', flex: 'none' }}>{contact.name.slice(0, 1)}</Avatar>;
}

/** The table's columns: the name always, then the chosen ones in their chosen order. */
export function useContactColumns(visible: string[], fields: CustomField[]): ColumnsType<Contact> {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const byKey = new Map(fields.map((f) => [f.key, f]));
  const text = (v: string | null) => v || <Typography.Text type="secondary">—</Typography.Text>;
  const render: Record<string, (c: Contact) => ReactNode> = {
    phone: (c) => text(c.phone),
    email: (c) => text(c.email),
    company: (c) => text(c.company),
    title: (c) => text(c.title),
    city: (c) => text(c.city),
    stage: (c) => (c.stage ? <ColorTag color={c.stage.color}>{c.stage.name}</ColorTag> : text(null)),
    owner: (c) => text(c.owner?.name ?? null),
    tags: (c) => (c.tags.length ? <div style={{ maxWidth: 260 }}>{c.tags.map((tag) => <ColorTag key={tag.id} color={tag.color}>{tag.name}</ColorTag>)}</div> : text(null)),
    source: (c) => (c.source?.channel ? <ChannelLabel channel={c.source.channel} /> : text(null)),
    createdAt: (c) => formatDate(c.createdAt),
    updatedAt: (c) => formatDate(c.updatedAt),
    lastActiveAt: (c) => formatDate(c.lastActiveAt),
  };
  const columns: ColumnsType<Contact> = [{
    title: t('contacts.fields.name'), key: 'name', fixed: 'left', width: 180,
    render: (_, c) => (
      <Link to={`/contacts/${c.id}`} data-testid="contact-link">
        <Flex gap={8} align="center"><ContactAvatar contact={c} /><span style={{ wordBreak: 'break-all' }}>{c.name}</span></Flex>
      </Link>
    ),
  }];
  for (const key of visible) {
    if (key.startsWith('custom.')) {
      const field = byKey.get(key.slice(7));
      if (field) columns.push({ title: field.label, key, render: (_, c) => <CustomValueText field={field} value={c.custom[field.key]} /> });
    } else if (render[key]) {
      const fn = render[key];
      columns.push({ title: t(`contacts.fields.${key}`), key, render: (_, c) => fn(c) });
    }
  }
  return columns;
}

export function ColumnChooser({ value, onChange, fields }: { value: string[]; onChange: (v: string[]) => void; fields: CustomField[] }) {
  const { t } = useTranslation();
  const all = [...standardColumns.map((k) => ({ value: k, label: t(`contacts.fields.${k}`) })), ...fields.map((f) => ({ value: `custom.${f.key}`, label: f.label }))];
  // Keep the chosen order; newly ticked columns go to the end.
  const toggle = (key: string, on: boolean) => onChange(on ? [...value, key] : value.filter((k) => k !== key));
  const content = (
    <div style={{ maxHeight: 360, overflowY: 'auto', minWidth: 180 }} data-testid="column-chooser">
      {all.map((c) => (
        <div key={c.value}><Checkbox checked={value.includes(c.value)} onChange={(e) => toggle(c.value, e.target.checked)}>{c.label}</Checkbox></div>
      ))}
      <Button type="link" size="small" style={{ padding: 0, marginTop: 8 }} onClick={() => onChange(defaultColumns)}>{t('contacts.columnsReset')}</Button>
    </div>
  );
  return (
    <Popover trigger="click" content={content} title={t('contacts.columns')} placement="bottomRight">
      <Button icon={<SettingOutlined />} aria-label={t('contacts.columns')}>{t('contacts.columns')}</Button>
    </Popover>
  );
}
