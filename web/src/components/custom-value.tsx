import { DatePicker, Input, InputNumber, Select, Switch, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { CustomField } from '../api/contact-settings';
import type { CustomValue } from '../api/contacts';

/** The form control for a custom field's type; dates travel as YYYY-MM-DD strings. */
export function CustomValueInput({ field, value, onChange, autoFocus }: { field: Pick<CustomField, 'type' | 'options' | 'label'>; value?: CustomValue | null; onChange?: (v: CustomValue | null) => void; autoFocus?: boolean }) {
  const { t } = useTranslation();
  const options = field.options.map((o) => ({ value: o, label: o }));
  switch (field.type) {
    case 'long_text':
      return <Input.TextArea autoFocus={autoFocus} rows={3} value={(value as string) ?? ''} onChange={(e) => onChange?.(e.target.value)} />;
    case 'number':
    case 'money':
      return <InputNumber autoFocus={autoFocus} style={{ width: '100%' }} value={typeof value === 'number' ? value : null} precision={field.type === 'money' ? 2 : undefined} onChange={(v) => onChange?.(v)} />;
    case 'date':
      return <DatePicker autoFocus={autoFocus} style={{ width: '100%' }} value={typeof value === 'string' && value ? dayjs(value) : null} onChange={(d: Dayjs | null) => onChange?.(d ? d.format('YYYY-MM-DD') : null)} />;
    case 'boolean':
      return <Switch checked={value === true} onChange={(v) => onChange?.(v)} checkedChildren={t('common.yes')} unCheckedChildren={t('common.no')} />;
    case 'single_select':
      return <Select autoFocus={autoFocus} allowClear style={{ width: '100%' }} options={options} value={(value as string) ?? undefined} onChange={(v) => onChange?.(v ?? null)} />;
    case 'multi_select':
      return <Select autoFocus={autoFocus} mode="multiple" allowClear style={{ width: '100%' }} options={options} value={Array.isArray(value) ? value : []} onChange={(v) => onChange?.(v)} />;
    case 'url':
      return <Input autoFocus={autoFocus} type="url" placeholder="https://" value={(value as string) ?? ''} onChange={(e) => onChange?.(e.target.value)} />;
    default:
      return <Input autoFocus={autoFocus} value={(value as string) ?? ''} onChange={(e) => onChange?.(e.target.value)} />;
  }
}

export function CustomValueText({ field, value }: { field: Pick<CustomField, 'type'>; value: CustomValue | null | undefined }) {
  const { t } = useTranslation();
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && !value.length)) return <Typography.Text type="secondary">—</Typography.Text>;
  if (field.type === 'boolean') return <>{value ? t('common.yes') : t('common.no')}</>;
  if (Array.isArray(value)) return <>{value.join('、')}</>;
  if (field.type === 'url') return <a href={String(value)} target="_blank" rel="noreferrer">{String(value)}</a>;
  if (field.type === 'money' && typeof value === 'number') return <>{value.toFixed(2)}</>;
  return <>{String(value)}</>;
}
