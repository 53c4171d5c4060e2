import { ThunderboltOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Empty, Table, Tag, Tooltip, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isApiError } from '../../api/client';
import { backfillTagRule, type RuleRun, type TagRule } from '../../api/tag-rules';
import { useCan } from '../../auth/session';
import { LoadMore, useCursorList } from '../../components/cursor-list';
import { ErrorAlert, useErrorToast } from '../../components/errors';
import { useFormatDate } from '../../components/format';
import { JobProgressBar, useJob } from '../../components/job-progress';

const statusColor: Record<RuleRun['status'], string> = { applied: 'success', done: 'success', running: 'processing', stopped: 'error', failed: 'error' };

/** "Apply to existing contacts": the backfill job with its progress. */
export function Backfill({ rule }: { rule: TagRule }) {
  const { t } = useTranslation();
  const can = useCan();
  const toast = useErrorToast();
  const queryClient = useQueryClient();
  const [jobId, setJobId] = useState<string | null>(null);
  const job = useJob(jobId);
  const start = useMutation({
    mutationFn: () => backfillTagRule(rule.id),
    onSuccess: (r) => { setJobId(r.jobId); void queryClient.invalidateQueries({ queryKey: ['list', `/tag-rules/${rule.id}/runs`] }); },
    onError: (e) => {
      // One backfill at a time: follow the one already running instead.
      if (isApiError(e) && e.code === 'conflict' && typeof e.extra.jobId === 'string') setJobId(e.extra.jobId);
      else toast(e);
    },
  });
  const done = job.data?.status === 'done' || job.data?.status === 'dead';
  useEffect(() => { if (done) void queryClient.invalidateQueries({ queryKey: ['list', `/tag-rules/${rule.id}/runs`] }); }, [done, queryClient, rule.id]);
  if (!can('tag-rules:write')) return null;
  const running = Boolean(jobId) && !done && job.data?.status !== 'cancelled';
  return (
    <Card size="small" title={t('tagRules.backfill')}>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {t(rule.trigger.kind === 'condition' ? (rule.trigger.when === 'becomes_true' ? 'tagRules.backfillHintTrue' : 'tagRules.backfillHintFalse') : 'tagRules.backfillHintEvent')}
      </Typography.Paragraph>
      <Button icon={<ThunderboltOutlined />} onClick={() => start.mutate()} loading={start.isPending || running} disabled={rule.status !== 'ready'} data-testid="tag-rule-backfill">
        {t('tagRules.backfillStart')}
      </Button>
      {jobId ? <div style={{ marginTop: 12 }}><JobProgressBar jobId={jobId} /></div> : null}
    </Card>
  );
}

/** What the rule did, newest first. */
export function RunLog({ ruleId }: { ruleId: string }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const list = useCursorList<RuleRun>(`/tag-rules/${ruleId}/runs`, {}, { limit: 30, refetchInterval: (items) => (items.some((r) => r.status === 'running') ? 3000 : false) });
  return (
    <Card size="small" title={t('tagRules.runs')} style={{ marginTop: 16 }} data-testid="tag-rule-runs">
      <ErrorAlert error={list.error} />
      <Table<RuleRun>
        rowKey="id" size="small" loading={list.isPending} dataSource={list.items} pagination={false} scroll={{ x: 'max-content' }}
        locale={{ emptyText: list.isPending || list.isError ? <span /> : <Empty description={t('tagRules.noRuns')} /> }}
        columns={[
          { title: t('tagRules.runAt'), dataIndex: 'createdAt', render: formatDate },
          { title: t('tagRules.runKind'), dataIndex: 'kind', render: (k: RuleRun['kind']) => t(`tagRules.runKinds.${k}`) },
          { title: t('tagRules.status'), key: 'status', render: (_, r) => <Tag color={statusColor[r.status]} data-testid="run-status" data-status={r.status}>{t(`tagRules.runStatuses.${r.status}`)}</Tag> },
          { title: t('tagRules.matched'), dataIndex: 'matched', align: 'right' },
          { title: t('tagRules.changed'), dataIndex: 'changed', align: 'right', render: (n: number) => <span data-testid="run-changed">{n}</span> },
          { title: t('tagRules.notified'), dataIndex: 'notified', align: 'right' },
          {
            title: t('tagRules.chain'), key: 'chain', render: (_, r) => (r.chain.length > 1 ? (
              <span style={{ fontSize: 12 }}>{r.chain.map((c, i) => <span key={`${c.id}-${i}`}>{i ? ' → ' : ''}<Link to={`/tag-rules/${c.id}`}>{c.name ?? t('tagRules.deletedRule')}</Link></span>)}</span>
            ) : '—'),
          },
          {
            title: t('tagRules.detail'), key: 'detail', render: (_, r) => (r.detail?.message ? (
              <Tooltip title={r.detail.message}><Typography.Text type={r.status === 'stopped' || r.status === 'failed' ? 'danger' : 'secondary'} ellipsis style={{ maxWidth: 280, fontSize: 12 }}>{r.detail.message}</Typography.Text></Tooltip>
            ) : '—'),
          },
        ]}
      />
      <LoadMore list={list} />
    </Card>
  );
}
