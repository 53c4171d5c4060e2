import { Select, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCustomFields } from '../../api/contact-settings';
import { channelTypes } from '../../api/contacts';
import type { ImportRecord } from '../../api/imports';
import { useChannelLabel } from '../../components/channel';

const standardTargets = ['name', 'phone', 'email', 'company', 'title', 'city', 'region', 'gender', 'birthday', 'stage', 'owner', 'sourceChannel', 'influence', 'tags'];

/** Every target a column can go to, grouped for the select. */
export function useImportTargets() {
  const { t } = useTranslation();
  const fields = useCustomFields();
  const channel = useChannelLabel();
  return [
    { label: t('imports.targetGroups.standard'), options: standardTargets.map((k) => ({ value: k, label: t(`imports.targets.${k}`) })) },
    { label: t('imports.targetGroups.identity'), options: channelTypes.map((c) => ({ value: `identity.${c}`, label: `${t('imports.targets.identity')} · ${channel(c)}` })) },
    { label: t('imports.targetGroups.custom'), options: (fields.data ?? []).map((f) => ({ value: `custom.${f.key}`, label: f.label })) },
    { label: t('imports.targetGroups.other'), options: [{ value: 'ignore', label: t('imports.targets.ignore') }] },
  ];
}

/** Each CSV header → a target, with the first sample values beside it. */
export function ImportMapping({ record, mapping, onChange }: { record: ImportRecord; mapping: Record<string, string>; onChange: (m: Record<string, string>) => void }) {
  const { t } = useTranslation();
  const targets = useImportTargets();
  const samples = record.sampleRows ?? [];
  const used = new Map<string, number>();
  for (const target of Object.values(mapping)) if (target !== 'ignore' && target !== 'tags') used.set(target, (used.get(target) ?? 0) + 1);
  const rows = record.headers.map((header, index) => ({ header, index }));
  return (
    <Table rowKey="header" size="small" pagination={false} dataSource={rows} scroll={{ x: 'max-content' }} data-testid="import-mapping"
      columns={[
        { title: t('imports.column'), dataIndex: 'header', render: (h: string) => <Typography.Text strong>{h}</Typography.Text> },
        { title: t('imports.target'), key: 'target', render: (_, r) => {
          const value = mapping[r.header] ?? 'ignore';
          const dup = (used.get(value) ?? 0) > 1;
          return (
            <>
              <Select showSearch optionFilterProp="label" style={{ width: 200 }} value={value} options={targets} status={dup ? 'warning' : undefined}
                data-testid={`map-${r.header}`} onChange={(v: string) => onChange({ ...mapping, [r.header]: v })} />
              {dup ? <div><Typography.Text type="warning" style={{ fontSize: 12 }}>{t('imports.duplicateTarget')}</Typography.Text></div> : null}
            </>
          );
        } },
        { title: t('imports.samples'), key: 'samples', render: (_, r) => (
          <Typography.Text type="secondary" style={{ fontSize: 12, display: 'inline-block', maxWidth: 280 }} ellipsis>
            {samples.slice(0, 3).map((row) => row[r.index] ?? '').filter(Boolean).join(' | ') || '—'}
          </Typography.Text>
        ) },
      ]} />
  );
}
