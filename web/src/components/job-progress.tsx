import { useQuery } from '@tanstack/react-query';
import { Alert, Progress, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/client';
import { getJob } from '../api/jobs';
import type { Job } from '../api/types';
import { ErrorAlert } from './errors';

const finished = (job: Job | undefined) => job?.status === 'done' || job?.status === 'dead' || job?.status === 'cancelled';

/** Polls GET /jobs/:id every second until the job is finished. */
export function useJob(jobId: string | null | undefined) {
  return useQuery({
    queryKey: ['job', jobId],
    queryFn: () => getJob(jobId!),
    enabled: Boolean(jobId),
    refetchInterval: (q) => (finished(q.state.data) ? false : 1000),
  });
}

/** A progress bar for a background job, with its counts and state. */
export function JobProgressBar({ jobId }: { jobId: string }) {
  const { t } = useTranslation();
  const job = useJob(jobId);
  // Following a job needs jobs:read; without it the work still runs, only its progress is hidden.
  if (job.isError && isApiError(job.error) && job.error.status === 403) return <Alert type="info" showIcon title={t('contacts.batch.progressHidden')} />;
  if (job.isError) return <ErrorAlert error={job.error} />;
  const j = job.data;
  const result = j?.result as { affected?: unknown } | null | undefined;
  const total = j?.progressTotal ?? 0;
  const done = Math.min(j?.progressDone ?? 0, total);
  const percent = j?.status === 'done' ? 100 : total ? Math.floor((done / total) * 100) : 0;
  const status = j?.status === 'dead' ? 'exception' : j?.status === 'done' ? 'success' : 'active';
  return (
    <div data-testid="job-progress" data-status={j?.status ?? 'queued'}>
      <Progress percent={percent} status={status} />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t(`jobs.statuses.${j?.status ?? 'queued'}`)}{total ? ` · ${done.toLocaleString()} / ${total.toLocaleString()}` : ''}
      </Typography.Text>
      {j?.status === 'done' && typeof result?.affected === 'number' ? <Typography.Paragraph style={{ marginTop: 8 }}>{t('contacts.batch.done', { count: result.affected })}</Typography.Paragraph> : null}
      {j?.lastError ? <Typography.Paragraph type="danger" style={{ marginTop: 8 }}>{j.lastError}</Typography.Paragraph> : null}
    </div>
  );
}
