import { Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown) => (v === undefined ? '' : JSON.stringify(v, null, 2));

interface Row {
  key: string;
  before: unknown;
  after: unknown;
  changed: boolean;
}

/** Before/after of an audited change, one row per top-level field, changed fields highlighted. */
export function JsonDiff({ before, after }: { before: unknown; after: unknown }) {
  const { t } = useTranslation();
  if (!isObject(before) && !isObject(after)) {
    if (before == null && after == null) return <Typography.Text type="secondary">{t('audit.noDetails')}</Typography.Text>;
    return <JsonDiff before={{ value: before ?? undefined }} after={{ value: after ?? undefined }} />;
  }
  const b = isObject(before) ? before : {};
  const a = isObject(after) ? after : {};
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].sort();
  const rows: Row[] = keys.map((key) => ({ key, before: b[key], after: a[key], changed: show(b[key]) !== show(a[key]) }));
  const cell = (v: unknown, tone: string, changed: boolean) => (
    <pre style={{ margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-all', fontSize: 12, background: changed ? tone : undefined, padding: changed ? '2px 4px' : 0, borderRadius: 4 }}>
      {v === undefined ? '—' : show(v)}
    </pre>
  );
  return (
    <Table<Row> size="small" rowKey="key" dataSource={rows} pagination={false} scroll={{ x: 'max-content' }} data-testid="audit-diff"
      columns={[
        { title: t('audit.field'), dataIndex: 'key', render: (k: string, r) => (r.changed ? <strong>{k}</strong> : k) },
        { title: t('audit.before'), key: 'before', render: (_, r) => cell(r.before, '#fff1f0', r.changed) },
        { title: t('audit.after'), key: 'after', render: (_, r) => cell(r.after, '#f6ffed', r.changed) },
      ]} />
  );
}
