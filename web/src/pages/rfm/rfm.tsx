import { ThunderboltOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Tabs } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { recomputeRfm } from '../../api/rfm';
import { useCan } from '../../auth/session';
import { useErrorToast } from '../../components/errors';
import { JobProgressBar, useJob } from '../../components/job-progress';
import { PageHeader } from '../../components/page-header';
import { RfmOverview } from './overview';
import { RfmRules } from './rules';
import { RfmSettingsForm } from './settings';

/** RFM 分层: the distribution and customers per layer, the scoring settings and the rules on layer moves. */
export default function RfmPage() {
  const { t } = useTranslation();
  const can = useCan();
  const toast = useErrorToast();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'overview';
  const [jobId, setJobId] = useState<string | null>(null);
  const job = useJob(jobId);
  const recompute = useMutation({ mutationFn: recomputeRfm, onSuccess: (r) => setJobId(r.jobId), onError: toast });
  const finished = job.data?.status === 'done';
  const running = Boolean(jobId) && !['done', 'dead', 'cancelled'].includes(job.data?.status ?? 'queued');
  // New scores: every RFM read is stale.
  useEffect(() => { if (finished) void queryClient.invalidateQueries({ queryKey: ['rfm'] }).then(() => queryClient.invalidateQueries({ queryKey: ['list', '/rfm/customers'] })); }, [finished, queryClient]);

  return (
    <>
      <PageHeader title={t('nav.rfm')} description={t('rfm.hint')}
        extra={can('rfm:write') ? (
          <Button type="primary" icon={<ThunderboltOutlined />} onClick={() => recompute.mutate()} loading={recompute.isPending || running}
            data-testid="rfm-recompute">{t('rfm.recompute')}</Button>
        ) : null} />
      {jobId ? (
        <Card size="small" title={t('rfm.recomputing')} style={{ marginBottom: 16 }} extra={<Button size="small" type="text" onClick={() => setJobId(null)}>{t('common.close')}</Button>}>
          <JobProgressBar jobId={jobId} />
        </Card>
      ) : null}
      <Card>
        <Tabs activeKey={tab} onChange={(k) => setParams(k === 'overview' ? {} : { tab: k }, { replace: true })} destroyOnHidden items={[
          { key: 'overview', label: t('rfm.tabs.overview'), children: <RfmOverview onRecompute={can('rfm:write') ? () => recompute.mutate() : undefined} /> },
          { key: 'settings', label: t('rfm.tabs.settings'), children: <RfmSettingsForm onJob={setJobId} /> },
          { key: 'rules', label: t('rfm.tabs.rules'), children: <RfmRules /> },
        ]} />
      </Card>
    </>
  );
}
