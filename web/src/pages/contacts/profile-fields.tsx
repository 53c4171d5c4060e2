import { Card, DatePicker, Input, InputNumber, Select, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useCustomFields } from '../../api/contact-settings';
import type { Contact, ContactInput, CustomValue } from '../../api/contacts';
import { useCan } from '../../auth/session';
import { ChannelLabel, useChannelOptions } from '../../components/channel';
import { CustomValueInput, CustomValueText } from '../../components/custom-value';
import { useFormatDate } from '../../components/format';
import { InlineEdit } from './inline-edit';
import { useUpdateContact } from './use-contact';

type TextKey = 'phone' | 'email' | 'company' | 'title' | 'city' | 'region';
const textKeys: TextKey[] = ['phone', 'email', 'company', 'title', 'city', 'region'];

/** Standard and custom fields, each editable in place. */
export function ProfileFields({ contact }: { contact: Contact }) {
  const { t } = useTranslation();
  const can = useCan();
  const editable = can('contacts:write') && !contact.deletedAt;
  const fields = useCustomFields();
  const update = useUpdateContact(contact.id);
  const formatDate = useFormatDate();
  const channelOptions = useChannelOptions();
  const save = (body: ContactInput) => update.mutateAsync(body);
  const none = <Typography.Text type="secondary">—</Typography.Text>;

  return (
    <Card title={t('profile360.details')} size="small">
      {textKeys.map((key) => (
        <InlineEdit<string> key={key} label={t(`contacts.fields.${key}`)} display={contact[key] || none} initial={contact[key] ?? ''} editable={editable} testId={`field-${key}`}
          onSave={(v) => save({ [key]: v.trim() || null })} renderInput={(v, set) => <Input size="small" autoFocus value={v} onChange={(e) => set(e.target.value)} />} />
      ))}
      <InlineEdit<string | null> label={t('contacts.fields.gender')} display={contact.gender ? t(`contacts.genders.${contact.gender}`) : none} initial={contact.gender} editable={editable}
        onSave={(v) => save({ gender: (v as Contact['gender']) ?? null })}
        renderInput={(v, set) => <Select size="small" allowClear style={{ width: '100%' }} value={v ?? undefined} onChange={(x) => set(x ?? null)}
          options={(['female', 'male', 'other', 'unknown'] as const).map((g) => ({ value: g, label: t(`contacts.genders.${g}`) }))} />} />
      <InlineEdit<string | null> label={t('contacts.fields.birthday')} display={contact.birthday ?? none} initial={contact.birthday} editable={editable}
        onSave={(v) => save({ birthday: v })} renderInput={(v, set) => <DatePicker size="small" style={{ width: '100%' }} value={v ? dayjs(v) : null} onChange={(d) => set(d ? d.format('YYYY-MM-DD') : null)} />} />
      <InlineEdit<number | null> label={t('contacts.fields.influence')} display={contact.influence ?? none} initial={contact.influence} editable={editable}
        onSave={(v) => save({ influence: v })} renderInput={(v, set) => <InputNumber size="small" style={{ width: '100%' }} value={v} onChange={(x) => set(x)} />} />
      <InlineEdit<string | null> label={t('contacts.fields.preferredChannel')} display={contact.preferredChannel ? <ChannelLabel channel={contact.preferredChannel} /> : none}
        initial={contact.preferredChannel} editable={editable} onSave={(v) => save({ preferredChannel: v })}
        renderInput={(v, set) => <Select size="small" allowClear style={{ width: '100%' }} value={v ?? undefined} onChange={(x) => set(x ?? null)} options={channelOptions} />} />
      <div style={{ padding: '6px 0', borderBottom: '1px solid #f5f5f5' }}>
        <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>{t('contacts.fields.source')}</Typography.Text>
        {contact.source?.channel ? <ChannelLabel channel={contact.source.channel} /> : none}
      </div>
      <div style={{ padding: '6px 0' }}>
        <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>{t('contacts.fields.createdAt')} / {t('contacts.fields.lastActiveAt')}</Typography.Text>
        {formatDate(contact.createdAt)} / {formatDate(contact.lastActiveAt)}
      </div>
      {fields.data?.length ? <Typography.Title level={5} style={{ marginTop: 12 }}>{t('contacts.customFields')}</Typography.Title> : null}
      {(fields.data ?? []).map((f) => (
        <InlineEdit<CustomValue | null> key={f.id} label={<>{f.label}{f.required ? ' *' : ''}</>} testId={`custom-${f.key}`}
          display={<CustomValueText field={f} value={contact.custom[f.key]} />} initial={contact.custom[f.key] ?? null} editable={editable}
          onSave={(v) => save({ custom: { [f.key]: v === '' ? null : v } })}
          renderInput={(v, set) => <CustomValueInput field={f} value={v} onChange={set} autoFocus />} />
      ))}
    </Card>
  );
}
