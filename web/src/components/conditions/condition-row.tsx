import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, DatePicker, Flex, Input, InputNumber, Select, Typography } from 'antd';
import dayjs from 'dayjs';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { channelTypes } from '../../api/contacts';
import type { Condition, PropCondition, PropOp, ValueKind, ValueOp } from '../../api/segments';
import { useChannelLabel, useChannelOptions } from '../channel';
import { isComplete, kindOfField, newCondition, subjectOf, type EditorCondition } from './tree';
import type { ConditionOptions } from './use-options';
import { FieldValueInput, parseScalar } from './value-input';

const propOps: PropOp[] = ['eq', 'neq', 'in', 'contains', 'gt', 'gte', 'lt', 'lte', 'exists', 'not_exists'];
const scores = [1, 2, 3, 4, 5].map((s) => ({ value: s, label: String(s) }));
const wide = { flex: '1 1 220px', minWidth: 160 };

type Props = {
  condition: EditorCondition;
  onChange: (c: EditorCondition) => void;
  onRemove: () => void;
  options: ConditionOptions;
  errors?: string[];
  readOnly?: boolean;
};

/** One condition: what it is about, the operator its type allows, and the value(s). */
export function ConditionRow({ condition, onChange, onRemove, options, errors, readOnly }: Props) {
  const { t } = useTranslation();
  const set = (patch: Partial<Condition>) => onChange({ ...condition, ...patch } as EditorCondition);
  const incomplete = !isComplete(condition);
  return (
    <div data-testid="condition" data-kind={condition.kind} style={{ padding: '8px 0' }}>
      <Flex gap={8} wrap align="start">
        <Select style={{ width: 190 }} value={subjectOf(condition)} options={options.subjects} showSearch optionFilterProp="label"
          onChange={(s: string) => onChange({ ...newCondition(s, options.catalogue.data), uid: condition.uid })}
          aria-label={t('conditions.subject')} data-testid="condition-subject" popupMatchSelectWidth={false} />
        <Body condition={condition} set={set} options={options} />
        {readOnly ? null : <Button type="text" icon={<DeleteOutlined />} onClick={onRemove} aria-label={t('conditions.removeCondition')} data-testid="condition-remove" />}
      </Flex>
      {condition.kind === 'event' ? <PropTests where={condition.where ?? []} onChange={(where) => set({ where })} readOnly={readOnly} /> : null}
      {errors?.length ? <Typography.Text type="danger" style={{ fontSize: 12, display: 'block', marginTop: 4 }} data-testid="condition-error">{errors.join('; ')}</Typography.Text>
        : incomplete && !readOnly ? <Typography.Text type="warning" style={{ fontSize: 12, display: 'block', marginTop: 4 }}>{t('conditions.incomplete')}</Typography.Text> : null}
    </div>
  );
}

function OpSelect<T extends string>({ value, ops, label, onChange, width = 150 }: { value: T; ops: readonly T[]; label: (op: T) => string; onChange: (op: T) => void; width?: number }) {
  const { t } = useTranslation();
  return <Select<T> style={{ width }} value={value} onChange={onChange} options={ops.map((op) => ({ value: op, label: label(op) }))} aria-label={t('conditions.operator')} data-testid="condition-op" popupMatchSelectWidth={false} />;
}

function Body({ condition: c, set, options }: { condition: EditorCondition; set: (patch: Partial<Condition>) => void; options: ConditionOptions }) {
  const { t } = useTranslation();
  const channelOptions = useChannelOptions();
  const channelLabel = useChannelLabel();
  const op = (o: string) => t(`conditions.ops.${o}`);
  const listOps = ['in', 'not_in', 'empty', 'not_empty'] as const;
  const needsList = (o: string) => o === 'in' || o === 'not_in';
  const multi = (value: string[] | undefined, onChange: (v: string[]) => void, opts: Array<{ value: string; label: ReactNode; title?: string }> | undefined, testId: string, placeholder?: string) => (
    <Select mode="multiple" style={wide} value={value ?? []} onChange={onChange} options={opts} optionFilterProp={opts?.some((o) => typeof o.label !== 'string') ? 'text' : 'label'}
      placeholder={placeholder ?? t('conditions.pickValues')} maxTagCount="responsive" data-testid={testId} />
  );

  switch (c.kind) {
    case 'field':
    case 'custom': {
      const catalogue = options.catalogue.data;
      const kind: ValueKind = kindOfField(catalogue, c) ?? 'text';
      const entry = c.kind === 'field' ? catalogue?.fields.find((f) => f.field === c.field) : catalogue?.customFields.find((f) => f.key === c.key);
      const ops = (entry?.ops ?? catalogue?.valueKinds[kind] ?? [c.op]) as ValueOp[];
      let valueOptions: Array<{ value: string; label: string }> | undefined;
      if (c.kind === 'field' && c.field === 'gender') valueOptions = (entry && 'values' in entry ? entry.values ?? [] : []).map((g) => ({ value: g, label: t(`contacts.genders.${g}`) }));
      else if (c.kind === 'field' && c.field === 'preferred_channel') valueOptions = channelTypes.map((ch) => ({ value: ch, label: channelLabel(ch) }));
      else if (entry && 'options' in entry && entry.options.length) valueOptions = entry.options.map((o) => ({ value: o, label: o }));
      return (
        <>
          <OpSelect value={c.op} ops={ops} label={op} onChange={(o) => set({ op: o, value: carryValue(kind, c.op, o, c.value) })} />
          <FieldValueInput kind={kind} op={c.op} value={c.value} onChange={(value) => set({ value })} options={valueOptions} />
        </>
      );
    }
    case 'tags':
      return (
        <>
          <OpSelect value={c.op} ops={['any', 'all', 'none'] as const} label={(o) => t(`conditions.tagOps.${o}`)} onChange={(o) => set({ op: o })} />
          {multi(c.tagIds, (tagIds) => set({ tagIds }), options.tagOptions, 'condition-tags', t('contacts.fields.tags'))}
        </>
      );
    case 'stage':
      return (
        <>
          <OpSelect value={c.op} ops={listOps} label={op} onChange={(o) => set({ op: o, stageIds: needsList(o) ? c.stageIds ?? [] : undefined })} />
          {needsList(c.op) ? multi(c.stageIds, (stageIds) => set({ stageIds }), options.stageOptions, 'condition-stages') : null}
        </>
      );
    case 'owner':
      return (
        <>
          <OpSelect value={c.op} ops={['in', 'not_in'] as const} label={op} onChange={(o) => set({ op: o })} />
          {multi(c.memberIds, (memberIds) => set({ memberIds }), [{ value: 'none', label: t('contacts.unassigned') }, ...(options.memberOptions ?? [])], 'condition-owners')}
        </>
      );
    case 'team':
      return (
        <>
          <OpSelect value={c.op} ops={['in', 'not_in'] as const} label={op} onChange={(o) => set({ op: o })} />
          {multi(c.teamIds, (teamIds) => set({ teamIds }), options.teamOptions, 'condition-teams')}
        </>
      );
    case 'source_channel':
      return (
        <>
          <OpSelect value={c.op} ops={listOps} label={op} onChange={(o) => set({ op: o, values: needsList(o) ? c.values ?? [] : undefined })} />
          {needsList(c.op) ? multi(c.values, (values) => set({ values }), channelOptions, 'condition-channels') : null}
        </>
      );
    case 'source_code':
      return (
        <>
          <OpSelect value={c.op} ops={listOps} label={op} onChange={(o) => set({ op: o, codeIds: needsList(o) ? c.codeIds ?? [] : undefined })} />
          {needsList(c.op) ? (
            <Select mode="tags" style={wide} value={c.codeIds ?? []} onChange={(codeIds: string[]) => set({ codeIds })} open={false} suffixIcon={null}
              placeholder={t('conditions.codeIds')} tokenSeparators={[',', ' ']} />
          ) : null}
        </>
      );
    case 'consent':
      return (
        <>
          <Select style={{ width: 170 }} value={c.channelType} onChange={(channelType) => set({ channelType })} options={channelOptions} optionFilterProp="text" showSearch aria-label={t('contacts.channel')} />
          <OpSelect value={c.op} ops={['is', 'is_not'] as const} label={(o) => t(`conditions.consentOps.${o}`)} onChange={(o) => set({ op: o })} width={110} />
          <Select style={{ width: 130 }} value={c.status} onChange={(status) => set({ status })}
            options={(['opt_in', 'opt_out', 'unknown'] as const).map((s) => ({ value: s, label: t(`profile360.consents.${s}`) }))} />
        </>
      );
    case 'identity':
      return (
        <>
          <OpSelect value={c.op} ops={['has', 'lacks'] as const} label={(o) => t(`conditions.identityOps.${o}`)} onChange={(o) => set({ op: o })} />
          {multi(c.channelTypes, (v) => set({ channelTypes: v as typeof c.channelTypes }), channelOptions, 'condition-identities')}
        </>
      );
    case 'rfm_score': {
      const ops = ['eq', 'neq', 'gte', 'lte', 'between', 'in', 'empty', 'not_empty'] as const;
      const pair = Array.isArray(c.value) ? c.value : [];
      return (
        <>
          <OpSelect value={c.op} ops={ops} label={op} onChange={(o) => set({ op: o, value: o === 'between' ? [1, 5] : o === 'in' ? [] : o === 'empty' || o === 'not_empty' ? undefined : typeof c.value === 'number' ? c.value : 4 })} />
          {c.op === 'between' ? (
            <Flex gap={4} align="center">
              <Select style={{ width: 70 }} value={pair[0]} options={scores} onChange={(v) => set({ value: [v, pair[1] ?? 5] })} />~
              <Select style={{ width: 70 }} value={pair[1]} options={scores} onChange={(v) => set({ value: [pair[0] ?? 1, v] })} />
            </Flex>
          ) : c.op === 'in' ? (
            <Select mode="multiple" style={{ minWidth: 160 }} value={pair} options={scores} onChange={(value: number[]) => set({ value })} placeholder={t('conditions.pickValues')} />
          ) : c.op === 'empty' || c.op === 'not_empty' ? null : (
            <Select style={{ width: 80 }} value={typeof c.value === 'number' ? c.value : undefined} options={scores} onChange={(value: number) => set({ value })} data-testid="condition-score" />
          )}
        </>
      );
    }
    case 'rfm_layer':
      return (
        <>
          <OpSelect value={c.op} ops={listOps} label={op} onChange={(o) => set({ op: o, layers: needsList(o) ? c.layers ?? [] : undefined })} />
          {needsList(c.op) ? multi(c.layers, (layers) => set({ layers: layers as typeof c.layers }), options.layerOptions, 'condition-layers') : null}
        </>
      );
    case 'event':
      return <EventBody condition={c} set={set} options={options} />;
  }
}

/** Keeps a value across an operator change when its shape still fits (eq → neq), else starts empty. */
function carryValue(kind: ValueKind, from: ValueOp, to: ValueOp, value: unknown): unknown {
  const shape = (o: ValueOp) => (o === 'empty' || o === 'not_empty' ? 'none' : o === 'between' ? 'pair' : ['in', 'not_in', 'has_any', 'has_all', 'has_none'].includes(o) ? 'list'
    : o === 'within_last_days' || o === 'not_within_last_days' ? 'days' : 'one');
  if (shape(from) === shape(to)) return value;
  if (shape(to) === 'list') return [];
  if (shape(to) === 'days') return 30;
  if (shape(to) === 'one' && kind === 'boolean') return true;
  return kind === 'text' && shape(to) === 'one' ? '' : undefined;
}

function EventBody({ condition: c, set, options }: { condition: Extract<EditorCondition, { kind: 'event' }>; set: (patch: Partial<Condition>) => void; options: ConditionOptions }) {
  const { t } = useTranslation();
  const types = options.eventTypes.includes(c.type) ? options.eventTypes : [c.type, ...options.eventTypes];
  const never = c.count.op === 'exactly' && c.count.n === 0;
  const countOp = never ? 'never' : c.count.op;
  const w = c.window;
  return (
    <>
      <Select style={{ width: 150 }} value={c.type} onChange={(type: string) => set({ type })} showSearch optionFilterProp="label" data-testid="condition-event-type"
        options={types.map((type) => ({ value: type, label: t(`profile360.types.${type}`, { defaultValue: type }) }))} aria-label={t('conditions.eventType')} />
      <Select style={{ width: 110 }} value={countOp} data-testid="condition-count-op" aria-label={t('conditions.operator')}
        onChange={(o: string) => set({ count: o === 'never' ? { op: 'exactly', n: 0 } : { op: o as 'at_least', n: never ? 1 : c.count.n } })}
        options={['at_least', 'at_most', 'exactly', 'never'].map((o) => ({ value: o, label: t(`conditions.countOps.${o}`) }))} />
      {never ? null : (
        <InputNumber style={{ width: 110 }} min={0} max={100000} precision={0} value={c.count.n} suffix={t('conditions.times')} data-testid="condition-count"
          onChange={(n) => set({ count: { ...c.count, n: n ?? 0 } })} />
      )}
      <Select style={{ width: 120 }} value={w.kind} data-testid="condition-window" aria-label={t('conditions.window')}
        onChange={(kind: string) => set({ window: kind === 'ever' ? { kind: 'ever' } : kind === 'last_days' ? { kind: 'last_days', days: 30 } : { kind: 'between', from: dayjs().subtract(30, 'day').format('YYYY-MM-DD'), to: dayjs().format('YYYY-MM-DD') } })}
        options={['last_days', 'between', 'ever'].map((k) => ({ value: k, label: t(`conditions.windows.${k}`) }))} />
      {w.kind === 'last_days' ? (
        <InputNumber style={{ width: 120 }} min={1} max={36500} precision={0} value={w.days} suffix={t('conditions.days')} data-testid="condition-window-days"
          onChange={(days) => set({ window: { kind: 'last_days', days: days ?? 0 } })} />
      ) : w.kind === 'between' ? (
        <DatePicker.RangePicker value={[w.from ? dayjs(w.from) : null, w.to ? dayjs(w.to) : null]}
          onChange={(r) => set({ window: { kind: 'between', from: r?.[0]?.format('YYYY-MM-DD') ?? '', to: r?.[1]?.format('YYYY-MM-DD') ?? '' } })} />
      ) : null}
    </>
  );
}

/** "where amount ≥ 1000": tests on the event's properties, all of which must hold. */
export function PropTests({ where, onChange, readOnly }: { where: PropCondition[]; onChange: (w: PropCondition[]) => void; readOnly?: boolean }) {
  const { t } = useTranslation();
  const update = (i: number, patch: Partial<PropCondition>) => onChange(where.map((p, j) => (j === i ? { ...p, ...patch } : p)));
  return (
    <div style={{ paddingInlineStart: 24, marginTop: 4 }}>
      {where.map((p, i) => (
        <Flex key={i} gap={8} wrap align="center" style={{ marginTop: 4 }} data-testid="prop-test">
          <Typography.Text type="secondary" style={{ width: 40 }}>{i === 0 ? t('conditions.where') : t('conditions.andJoin')}</Typography.Text>
          <Input style={{ width: 170 }} value={p.path} onChange={(e) => update(i, { path: e.target.value })} placeholder={t('conditions.propPath')} />
          <Select<PropOp> style={{ width: 120 }} value={p.op} options={propOps.map((o) => ({ value: o, label: t(`conditions.propOps.${o}`) }))}
            onChange={(op) => update(i, { op, value: op === 'exists' || op === 'not_exists' ? undefined : op === 'in' ? [] : Array.isArray(p.value) ? undefined : p.value })} />
          <PropValue test={p} onChange={(value) => update(i, { value })} />
          {readOnly ? null : <Button type="text" size="small" icon={<DeleteOutlined />} aria-label={t('common.delete')} onClick={() => onChange(where.filter((_, j) => j !== i))} />}
        </Flex>
      ))}
      {readOnly || where.length >= 20 ? null : (
        <Button type="link" size="small" icon={<PlusOutlined />} style={{ paddingInline: 0 }} onClick={() => onChange([...where, { path: '', op: 'eq' }])} data-testid="prop-add">
          {t('conditions.addProp')}
        </Button>
      )}
    </div>
  );
}

function PropValue({ test, onChange }: { test: PropCondition; onChange: (v: PropCondition['value']) => void }) {
  const { t } = useTranslation();
  if (test.op === 'exists' || test.op === 'not_exists') return null;
  if (test.op === 'in') {
    const list = Array.isArray(test.value) ? test.value.map(String) : [];
    return <Select mode="tags" style={{ flex: '1 1 180px' }} value={list} onChange={(v: string[]) => onChange(v.map(parseScalar))} open={false} suffixIcon={null} tokenSeparators={[',', '，']} placeholder={t('conditions.typeValues')} />;
  }
  if (test.op === 'gt' || test.op === 'gte' || test.op === 'lt' || test.op === 'lte') {
    return <InputNumber style={{ width: 140 }} value={typeof test.value === 'number' ? test.value : null} onChange={(v) => onChange(v ?? undefined)} />;
  }
  const text = test.value === undefined || Array.isArray(test.value) ? '' : String(test.value);
  return <Input style={{ flex: '1 1 160px' }} value={text} placeholder={test.op === 'contains' ? t('conditions.value') : t('conditions.scalarHint')}
    onChange={(e) => onChange(test.op === 'contains' ? e.target.value : e.target.value === '' ? undefined : parseScalar(e.target.value))} />;
}
