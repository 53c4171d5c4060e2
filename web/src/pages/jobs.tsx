import { ReloadOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Progress, Segmented, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { retryJob } from '../api/jobs';
import type { Job, JobStatus } from '../api/types';
import { useCan } from '../auth/session';
import { LoadMore, useCursorList } from '../components/cursor-list';
import { ErrorAlert, useErrorToast } from '../components/errors';
import { useFormatDate } from '../components/format';
import { PageHeader } from '../components/page-header';

const statuses: JobStatus[] = ['queued', 'running', 'done', 'dead', 'cancelled'];
const statusColor: Record<JobStatus, string> = { queued: 'default', running: 'processing', done: 'success', dead: 'error', cancelled: 'warning' };

function JobProgress({ job }: { job: Job }) {
  const total = job.progressTotal ?? 0;
  if (!total) return <Typography.Text type="secondary">—</Typography.Text>;
  const done = Math.min(job.progressDone ?? 0, total);
  const status = job.status === 'dead' ? 'exception' : job.status === 'done' ? 'success' : job.status === 'running' ? 'active' : 'normal';
  return (
    <div style={{ minWidth: 160 }}>
      <Progress percent={Math.floor((done / total) * 100)} size="small" status={status} />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>{done.toLocaleString()} / {total.toLocaleString()}</Typography.Text>
    </div>
  );
}

export default function JobsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const formatDate = useFormatDate();
  const { message } = App.useApp();
  const toast = useErrorToast();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<JobStatus | 'all'>('all');
  // While something is queued or running, poll so the progress bars move.
  const list = useCursorList<Job>('/jobs', { status: status === 'all' ? undefined : status }, {
    refetchInterval: (items) => (items.some((j) => j.status === 'running' || j.status === 'queued') ? 5000 : false),
  });
  const retry = useMutation({
    mutationFn: retryJob,
    onSuccess: () => {
      void message.success(t('jobs.retried'));
      void queryClient.invalidateQueries({ queryKey: ['list', '/jobs'] });
    },
    onError: toast,
  });

  return (
    <>
      <PageHeader title={t('nav.jobs')} description={t('jobs.hint')}
        extra={<Button icon={<ReloadOutlined />} onClick={() => list.refetch()} loading={list.isRefetching}>{t('common.refresh')}</Button>} />
      <Card>
        <div style={{ overflowX: 'auto', marginBottom: 16 }}>
          <Segmented value={status} onChange={(v) => setStatus(v as JobStatus | 'all')}
            options={[{ value: 'all', label: t('jobs.all') }, ...statuses.map((s) => ({ value: s, label: t(`jobs.statuses.${s}`) }))]} />
        </div>
        <ErrorAlert error={list.error} />
        <Table<Job>
          rowKey="id" loading={list.isPending} dataSource={list.items} pagination={false} scroll={{ x: 'max-content' }}
          locale={{ emptyText: list.isError ? <span /> : <Empty description={status === 'all' ? t('jobs.empty') : t('jobs.noneWithStatus', { status: t(`jobs.statuses.${status}`) })} /> }}
          columns={[
            { title: t('jobs.name'), key: 'name', render: (_, j) => <div><div>{t(`jobs.names.${j.name}`, { defaultValue: j.name })}</div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{j.queue}</Typography.Text></div> },
            { title: t('members.status'), dataIndex: 'status', render: (s: JobStatus) => <Tag color={statusColor[s]}>{t(`jobs.statuses.${s}`)}</Tag> },
            { title: t('jobs.progress'), key: 'progress', render: (_, j) => <JobProgress job={j} /> },
            { title: t('jobs.attempts'), key: 'attempts', render: (_, j) => `${j.attempts} / ${j.maxAttempts}` },
            { title: t('jobs.lastError'), dataIndex: 'lastError', render: (e: string | null) => e ? (
              <Tooltip title={e}><Typography.Text type="danger" ellipsis style={{ maxWidth: 240 }}>{e}</Typography.Text></Tooltip>
            ) : '—' },
            { title: t('common.createdAt'), dataIndex: 'createdAt', render: formatDate },
            { title: t('jobs.finishedAt'), dataIndex: 'finishedAt', render: formatDate },
            ...(can('jobs:write') ? [{ title: t('common.actions'), key: 'actions', render: (_: unknown, j: Job) => j.status === 'dead' ? (
              <Button size="small" onClick={() => retry.mutate(j.id)} loading={retry.isPending && retry.variables === j.id}>{t('jobs.retry')}</Button>
            ) : null }] : []),
          ]}
        />
        <LoadMore list={list} />
      </Card>
    </>
  );
}
