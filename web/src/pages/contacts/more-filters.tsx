import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Drawer, Empty, Flex, Input, InputNumber, Select, Space } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomField } from '../../api/contact-settings';
import type { ContactFilter, CustomFieldType, FieldOp } from '../../api/contacts';
import { CustomValueInput } from '../../components/custom-value';

// Operators that make sense for each kind of value.
const opsByType: Record<CustomFieldType, FieldOp[]> = {
  text: ['contains', 'eq', 'neq', 'empty', 'not_empty'],
  long_text: ['contains', 'empty', 'not_empty'],
  url: ['contains', 'eq', 'empty', 'not_empty'],
  number: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between', 'empty', 'not_empty'],
  money: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between', 'empty', 'not_empty'],
  date: ['eq', 'gt', 'lt', 'between', 'empty', 'not_empty'],
  boolean: ['eq'],
  single_select: ['eq', 'neq', 'in', 'empty', 'not_empty'],
  multi_select: ['has_any', 'has_all', 'empty', 'not_empty'],
};

// Standard fields that the filter's `fields` list accepts, typed like custom fields.
const standardFields: Array<{ key: string; type: CustomFieldType }> = [
  { key: 'name', type: 'text' }, { key: 'phone', type: 'text' }, { key: 'email', type: 'text' },
  { key: 'company', type: 'text' }, { key: 'title', type: 'text' }, { key: 'city', type: 'text' },
  { key: 'region', type: 'text' }, { key: 'influence', type: 'number' }, { key: 'birthday', type: 'date' },
];

interface Condition { field: string; op: FieldOp; value?: unknown }
interface Def { key: string; label: string; type: CustomFieldType; options: string[] }

function toConditions(filter: ContactFilter): Condition[] {
  return [
    ...(filter.fields ?? []).map((c) => ({ field: c.field, op: c.op, value: c.value })),
    ...(filter.custom ?? []).map((c) => ({ field: `custom.${c.key}`, op: c.op, value: c.value })),
  ];
}

function ValueInput({ def, op, value, onChange }: { def: Def; op: FieldOp; value: unknown; onChange: (v: unknown) => void }) {
  const { t } = useTranslation();
  if (op === 'empty' || op === 'not_empty') return null;
  if (op === 'between') {
    const pair = Array.isArray(value) ? value : [null, null];
    const one = (i: 0 | 1) => (
      <CustomValueInput field={{ ...def, type: def.type === 'money' ? 'number' : def.type }} value={(pair[i] as never) ?? null}
        onChange={(v) => onChange(i === 0 ? [v, pair[1]] : [pair[0], v])} />
    );
    return <Flex gap={4} align="center">{one(0)}<span>~</span>{one(1)}</Flex>;
  }
  if (op === 'in' || op === 'has_any' || op === 'has_all') {
    return <Select mode={def.options.length ? 'multiple' : 'tags'} style={{ width: '100%' }} value={Array.isArray(value) ? value : []} onChange={onChange}
      options={def.options.map((o) => ({ value: o, label: o }))} placeholder={t('contacts.filterValues')} />;
  }
  if ((def.type === 'text' || def.type === 'long_text' || def.type === 'url')) {
    return <Input value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value)} placeholder={t('contacts.filterValue')} />;
  }
  if (def.type === 'number' || def.type === 'money') return <InputNumber style={{ width: '100%' }} value={typeof value === 'number' ? value : null} onChange={onChange} />;
  return <CustomValueInput field={def} value={(value as never) ?? null} onChange={onChange} />;
}

/** Conditions on standard and custom fields, with the operators each type allows. */
export function MoreFilters({ open, onClose, filter, fields, onApply }: { open: boolean; onClose: () => void; filter: ContactFilter; fields: CustomField[]; onApply: (f: Pick<ContactFilter, 'fields' | 'custom'>) => void }) {
  const { t } = useTranslation();
  const [conditions, setConditions] = useState<Condition[]>(() => toConditions(filter));
  useEffect(() => { if (open) setConditions(toConditions(filter)); }, [open, filter]);
  const defs: Def[] = [
    ...standardFields.map((f) => ({ ...f, label: t(`contacts.fields.${f.key}`), options: [] })),
    ...fields.map((f) => ({ key: `custom.${f.key}`, label: f.label, type: f.type, options: f.options })),
  ];
  const defOf = (key: string) => defs.find((d) => d.key === key);
  const update = (i: number, patch: Partial<Condition>) => setConditions(conditions.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  const apply = () => {
    const complete = conditions.filter((c) => c.op === 'empty' || c.op === 'not_empty' || (c.value !== undefined && c.value !== null && c.value !== ''));
    onApply({
      fields: complete.filter((c) => !c.field.startsWith('custom.')).map((c) => ({ field: c.field, op: c.op, value: c.value })),
      custom: complete.filter((c) => c.field.startsWith('custom.')).map((c) => ({ key: c.field.slice(7), op: c.op, value: c.value })),
    });
  };

  return (
    <Drawer open={open} onClose={onClose} title={t('contacts.moreFilters')} size={480} styles={{ wrapper: { maxWidth: '100vw' } }}
      footer={<Flex justify="space-between"><Button onClick={() => setConditions([])}>{t('contacts.clearConditions')}</Button>
        <Space><Button onClick={onClose}>{t('common.cancel')}</Button><Button type="primary" onClick={apply} data-testid="apply-more-filters">{t('contacts.applyFilters')}</Button></Space></Flex>}>
      {conditions.length ? null : <Empty description={t('contacts.noConditions')} image={Empty.PRESENTED_IMAGE_SIMPLE} />}
      {conditions.map((c, i) => {
        const def = defOf(c.field);
        const ops = def ? opsByType[def.type] : [];
        return (
          <Card key={i} size="small" style={{ marginBottom: 8 }}>
            <Flex gap={8} wrap>
              <Select style={{ flex: '1 1 140px' }} value={c.field} showSearch optionFilterProp="label"
                options={[{ label: t('contacts.standardFields'), options: defs.filter((d) => !d.key.startsWith('custom.')).map((d) => ({ value: d.key, label: d.label })) },
                  { label: t('contacts.customFields'), options: defs.filter((d) => d.key.startsWith('custom.')).map((d) => ({ value: d.key, label: d.label })) }]}
                onChange={(field) => update(i, { field, op: opsByType[defOf(field)?.type ?? 'text'][0] ?? 'eq', value: undefined })} />
              <Select style={{ flex: '1 1 110px' }} value={c.op} onChange={(op) => update(i, { op, value: undefined })}
                options={ops.map((op) => ({ value: op, label: t(`contacts.ops.${op}`) }))} />
              <Button icon={<DeleteOutlined />} aria-label={t('common.delete')} onClick={() => setConditions(conditions.filter((_, j) => j !== i))} />
            </Flex>
            {def ? <div style={{ marginTop: 8 }}><ValueInput def={def} op={c.op} value={c.value} onChange={(value) => update(i, { value })} /></div> : null}
          </Card>
        );
      })}
      <Button type="dashed" block icon={<PlusOutlined />} onClick={() => setConditions([...conditions, { field: 'city', op: 'contains' }])}>{t('contacts.addCondition')}</Button>
    </Drawer>
  );
}
