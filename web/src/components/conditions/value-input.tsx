import { DatePicker, Flex, Input, InputNumber, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ValueKind, ValueOp } from '../../api/segments';

type Option = { value: string; label: ReactNode };
const day = (v: unknown) => (typeof v === 'string' && v ? dayjs(v) : null);
const iso = (d: Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : undefined);
const w = { flex: '1 1 180px', minWidth: 140 };

/** The value control for a field or custom-field condition: its shape follows the kind and operator. */
export function FieldValueInput({ kind, op, value, onChange, options }: {
  kind: ValueKind; op: ValueOp; value: unknown; onChange: (v: unknown) => void; options?: Option[];
}) {
  const { t } = useTranslation();
  if (op === 'empty' || op === 'not_empty') return null;
  if (op === 'within_last_days' || op === 'not_within_last_days') {
    return <InputNumber style={{ width: 150 }} min={1} max={36500} precision={0} value={typeof value === 'number' ? value : null} onChange={(v) => onChange(v ?? undefined)}
      suffix={t('conditions.days')} data-testid="condition-days" />;
  }
  if (op === 'between') {
    const pair = Array.isArray(value) ? value : [undefined, undefined];
    if (kind === 'number') {
      const one = (i: 0 | 1) => <InputNumber style={{ flex: 1, minWidth: 90 }} value={typeof pair[i] === 'number' ? pair[i] : null}
        onChange={(v) => onChange(i === 0 ? [v ?? undefined, pair[1]] : [pair[0], v ?? undefined])} />;
      return <Flex gap={4} align="center" style={w}>{one(0)}<span>~</span>{one(1)}</Flex>;
    }
    return <DatePicker.RangePicker style={w} value={[day(pair[0]), day(pair[1])]} onChange={(r) => onChange(r ? [iso(r[0]), iso(r[1])] : undefined)} />;
  }
  if (op === 'in' || op === 'not_in' || op === 'has_any' || op === 'has_all' || op === 'has_none') {
    const list = Array.isArray(value) ? value as string[] : [];
    return options?.length
      ? <Select mode="multiple" style={w} value={list} onChange={onChange} options={options} optionFilterProp="label" placeholder={t('conditions.pickValues')} data-testid="condition-values" />
      : <Select mode="tags" style={w} value={list} onChange={onChange} open={false} suffixIcon={null} placeholder={t('conditions.typeValues')} tokenSeparators={[',', '，']} data-testid="condition-values" />;
  }
  switch (kind) {
    case 'number':
      return <InputNumber style={w} value={typeof value === 'number' ? value : null} onChange={(v) => onChange(v ?? undefined)} placeholder={t('conditions.value')} data-testid="condition-value" />;
    case 'date':
    case 'instant':
      return <DatePicker style={w} value={day(value)} onChange={(d) => onChange(iso(d))} />;
    case 'boolean':
      return <Select style={{ width: 110 }} value={value === false ? 'false' : 'true'} onChange={(v) => onChange(v === 'true')}
        options={[{ value: 'true', label: t('common.yes') }, { value: 'false', label: t('common.no') }]} />;
    case 'select':
      return <Select style={w} value={typeof value === 'string' ? value : undefined} onChange={onChange} options={options} showSearch optionFilterProp="label" placeholder={t('conditions.value')} />;
    default:
      return <Input style={w} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value)} placeholder={t('conditions.value')} data-testid="condition-value" />;
  }
}

/** A scalar typed into a text box: numbers and true/false become themselves, the rest stays text. */
export function parseScalar(text: string): string | number | boolean {
  const s = text.trim();
  if (s === 'true') return true;
  if (s === 'false') return false;
  if (/^-?\d+(\.\d+)?$/.test(s) && s.length < 16) return Number(s);
  return text;
}
