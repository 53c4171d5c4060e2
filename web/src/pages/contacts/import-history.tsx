import { Button, Card, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ImportRecord } from '../../api/imports';
import { LoadMore, useCursorList } from '../../components/cursor-list';
import { ErrorAlert } from '../../components/errors';
import { useFormatDate } from '../../components/format';

const statusColor: Record<string, string> = { done: 'success', completed: 'success', failed: 'error', running: 'processing', queued: 'default', uploaded: 'default' };

/** Past imports of this workspace, newest first. */
export function ImportHistory({ onOpen }: { onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const list = useCursorList<ImportRecord>('/imports');
  return (
    <Card title={t('imports.history')} size="small">
      <ErrorAlert error={list.error} />
      <Table<ImportRecord> rowKey="id" size="small" loading={list.isPending} dataSource={list.items} pagination={false} scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('imports.noHistory') }}
        columns={[
          { title: t('imports.file'), dataIndex: 'fileName' },
          { title: t('members.status'), dataIndex: 'status', render: (s?: string) => <Tag color={statusColor[s ?? ''] ?? 'default'}>{t(`imports.statuses.${s ?? 'uploaded'}`, { defaultValue: s ?? '' })}</Tag> },
          { title: t('imports.counts.rowsCreated'), dataIndex: 'rowsCreated', render: (v?: number | null) => v ?? '—' },
          { title: t('imports.counts.rowsUpdated'), dataIndex: 'rowsUpdated', render: (v?: number | null) => v ?? '—' },
          { title: t('imports.counts.rowsFailed'), dataIndex: 'rowsFailed', render: (v?: number | null) => v ?? '—' },
          { title: t('common.createdAt'), dataIndex: 'createdAt', render: formatDate },
          { title: '', key: 'open', render: (_, r) => r.status && r.status !== 'uploaded' ? <Button size="small" onClick={() => onOpen(r.id)}>{t('common.view')}</Button> : null },
        ]} />
      <LoadMore list={list} />
    </Card>
  );
}
