import { ArrowLeftOutlined, CameraOutlined, CopyOutlined, DeleteOutlined, DownloadOutlined, EditOutlined, ReloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Descriptions, Empty, Popconfirm, Result, Row, Segmented, Statistic, Table, Tabs, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { isApiError } from '../../api/client';
import { exportDownloadUrl } from '../../api/contacts';
import {
  deleteSegment, duplicateSegment, exportSegment, getSegment, rebuildSegment, segmentHistory, segmentKey, snapshotSegment, type Segment, type SegmentMember,
} from '../../api/segments';
import { useCan } from '../../auth/session';
import { Chart } from '../../components/chart';
import { DefinitionEditor } from '../../components/conditions/definition-editor';
import { toEditor, type EditorGroup } from '../../components/conditions/tree';
import { LoadMore, useCursorList } from '../../components/cursor-list';
import { ErrorAlert, useErrorToast } from '../../components/errors';
import { useFormatDate } from '../../components/format';
import { JobProgressBar, useJob } from '../../components/job-progress';
import { PageHeader } from '../../components/page-header';
import { PageSpinner } from '../../layout/app-layout';
import { ContactAvatar } from '../contacts/columns';
import { KindTag, StatusTag } from './tags';

type RunningJob = { kind: 'export' | 'rebuild'; id: string };

/** One segment: its size and history, members, conditions, and what can be done with it. */
export default function SegmentDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const can = useCan();
  const navigate = useNavigate();
  const formatDate = useFormatDate();
  const { message } = App.useApp();
  const toast = useErrorToast();
  const queryClient = useQueryClient();
  const [job, setJob] = useState<RunningJob | null>(null);
  const segment = useQuery({
    queryKey: segmentKey(id),
    queryFn: () => getSegment(id),
    refetchInterval: (q) => (q.state.data?.status === 'building' ? 2000 : false),
  });
  const jobState = useJob(job?.id);
  const jobDone = jobState.data?.status === 'done';
  const refresh = () => Promise.all([
    queryClient.invalidateQueries({ queryKey: segmentKey(id) }),
    queryClient.invalidateQueries({ queryKey: ['list', `/segments/${id}/members`] }),
    queryClient.invalidateQueries({ queryKey: ['segments', 'history', id] }),
    queryClient.invalidateQueries({ queryKey: ['list', '/segments'] }),
  ]);
  // A rebuild that ran as a job: show the new members when it is done.
  useEffect(() => { if (job?.kind === 'rebuild' && jobDone) void refresh(); }, [job, jobDone]);

  const goTo = (s: Segment) => { void queryClient.invalidateQueries({ queryKey: ['list', '/segments'] }); void navigate(`/segments/${s.id}`); };
  const duplicate = useMutation({ mutationFn: () => duplicateSegment(id), onSuccess: (s) => { void message.success(t('segments.duplicated', { name: s.name })); goTo(s); }, onError: toast });
  const snapshot = useMutation({ mutationFn: () => snapshotSegment(id), onSuccess: (s) => { void message.success(t('segments.snapshotTaken', { name: s.name })); goTo(s); }, onError: toast });
  const rebuild = useMutation({
    mutationFn: () => rebuildSegment(id),
    onSuccess: (r) => {
      queryClient.setQueryData(segmentKey(id), r.segment);
      if (r.jobId) setJob({ kind: 'rebuild', id: r.jobId });
      else { void message.success(t('segments.rebuilt')); void refresh(); }
    },
    onError: toast,
  });
  const exportCsv = useMutation({ mutationFn: () => exportSegment(id), onSuccess: (r) => setJob({ kind: 'export', id: r.jobId }), onError: toast });
  const remove = useMutation({
    mutationFn: () => deleteSegment(id),
    onSuccess: () => { void queryClient.invalidateQueries({ queryKey: ['list', '/segments'] }); void navigate('/segments'); },
    onError: toast,
  });

  if (segment.isPending) return <PageSpinner />;
  if (segment.isError) {
    return isApiError(segment.error) && segment.error.status === 404
      ? <Result status="404" title={t('segments.notFound')} extra={<Button type="primary"><Link to="/segments">{t('nav.segments')}</Link></Button>} />
      : <ErrorAlert error={segment.error} />;
  }
  const s = segment.data;
  const writable = can('segments:write');
  const dynamic = s.kind === 'dynamic';

  return (
    <>
      <div style={{ marginBottom: 12 }}><Link to="/segments"><ArrowLeftOutlined /> {t('nav.segments')}</Link></div>
      <PageHeader
        title={<span data-testid="segment-title">{s.name} <KindTag kind={s.kind} /><StatusTag segment={s} /></span>}
        description={s.description}
        extra={<>
          {writable ? <Button icon={<EditOutlined />} onClick={() => navigate(`/segments/${id}/edit`)} data-testid="segment-edit">{t('common.edit')}</Button> : null}
          {writable ? <Button icon={<CopyOutlined />} onClick={() => duplicate.mutate()} loading={duplicate.isPending} data-testid="segment-duplicate">{t('segments.duplicate')}</Button> : null}
          {writable && dynamic ? <Button icon={<CameraOutlined />} onClick={() => snapshot.mutate()} loading={snapshot.isPending} disabled={s.status === 'building'} data-testid="segment-snapshot">{t('segments.snapshot')}</Button> : null}
          {writable && dynamic ? <Button icon={<ReloadOutlined />} onClick={() => rebuild.mutate()} loading={rebuild.isPending} data-testid="segment-rebuild">{t('segments.rebuild')}</Button> : null}
          {can('contacts:export') ? <Button icon={<DownloadOutlined />} onClick={() => exportCsv.mutate()} loading={exportCsv.isPending} data-testid="segment-export">{t('segments.export')}</Button> : null}
          {writable ? (
            <Popconfirm title={t('segments.deleteConfirm', { name: s.name })} description={t('segments.deleteHint')} okButtonProps={{ danger: true }}
              okText={t('common.delete')} cancelText={t('common.cancel')} onConfirm={() => remove.mutateAsync().catch(() => undefined)}>
              <Button danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
            </Popconfirm>
          ) : null}
        </>}
      />
      {s.status === 'invalid' ? <Alert type="error" showIcon style={{ marginBottom: 16 }} title={t('segments.invalid')} description={s.error} /> : null}
      {s.status === 'building' && s.buildJobId && job?.id !== s.buildJobId ? (
        <Card size="small" style={{ marginBottom: 16 }} title={t('segments.building')}><JobProgressBar jobId={s.buildJobId} /></Card>
      ) : null}
      {job ? (
        <Card size="small" style={{ marginBottom: 16 }} data-testid="segment-job" title={t(job.kind === 'export' ? 'segments.exporting' : 'segments.rebuilding')}
          extra={<Button size="small" type="text" onClick={() => setJob(null)}>{t('common.close')}</Button>}>
          <JobProgressBar jobId={job.id} />
          {job.kind === 'export' && jobDone ? (
            <Button type="primary" icon={<DownloadOutlined />} href={exportDownloadUrl(job.id)} style={{ marginTop: 8 }} data-testid="export-download">{t('segments.download')}</Button>
          ) : null}
        </Card>
      ) : null}
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={12} md={6}><Card size="small"><Statistic title={t('segments.size')} value={s.memberCount} /><span data-testid="segment-member-count" hidden>{s.memberCount}</span></Card></Col>
        <Col xs={12} md={6}><Card size="small"><Statistic title={t('segments.builtAt')} value={formatDate(s.builtAt ?? s.snapshotAt)} styles={{ content: { fontSize: 16 } }} /></Card></Col>
        <Col xs={24} md={12}>
          <Card size="small" style={{ height: '100%' }}>
            <Descriptions size="small" column={1} items={[
              { key: 'created', label: t('common.createdAt'), children: formatDate(s.createdAt) },
              { key: 'updated', label: t('segments.updatedAt'), children: formatDate(s.updatedAt) },
              ...(s.sourceSegmentId ? [{ key: 'source', label: t('segments.snapshotOf'), children: <Link to={`/segments/${s.sourceSegmentId}`}>{t('segments.openSource')}</Link> }] : []),
            ]} />
          </Card>
        </Col>
      </Row>
      <Card>
        <Tabs items={[
          { key: 'members', label: t('segments.members'), children: <Members segmentId={id} building={s.status === 'building'} /> },
          { key: 'history', label: t('segments.history'), children: <SizeHistory segmentId={id} createdAt={s.createdAt} /> },
          { key: 'conditions', label: t('segments.conditions'), children: s.definition ? <ReadOnlyDefinition segment={s} /> : <Empty description={t('segments.noDefinition')} /> },
        ]} />
      </Card>
    </>
  );
}

function Members({ segmentId, building }: { segmentId: string; building: boolean }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const list = useCursorList<SegmentMember>(`/segments/${segmentId}/members`, {}, { limit: 50 });
  const text = (v: string | null) => v || <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <>
      <ErrorAlert error={list.error} />
      <Table<SegmentMember>
        rowKey={(m) => m.contact.id} loading={list.isPending} dataSource={list.items} pagination={false} scroll={{ x: 'max-content' }} size="middle" data-testid="segment-members"
        locale={{ emptyText: list.isPending || list.isError ? <span /> : <Empty description={building ? t('segments.stillBuilding') : t('segments.noMembers')} /> }}
        columns={[
          { title: t('contacts.fields.name'), key: 'name', render: (_, m) => <Link to={`/contacts/${m.contact.id}`} data-testid="member-link"><ContactAvatar contact={m.contact} /> <span data-testid="member-name">{m.contact.name}</span></Link> },
          { title: t('contacts.fields.phone'), key: 'phone', render: (_, m) => text(m.contact.phone) },
          { title: t('contacts.fields.email'), key: 'email', render: (_, m) => text(m.contact.email) },
          { title: t('contacts.fields.company'), key: 'company', render: (_, m) => text(m.contact.company) },
          { title: t('segments.enteredAt'), dataIndex: 'enteredAt', render: formatDate },
        ]}
      />
      <LoadMore list={list} />
    </>
  );
}

const ranges = [30, 90, 365] as const;

function SizeHistory({ segmentId, createdAt }: { segmentId: string; createdAt: string }) {
  const { t } = useTranslation();
  const [days, setDays] = useState<(typeof ranges)[number]>(30);
  const from = dayjs().subtract(days - 1, 'day').format('YYYY-MM-DD');
  const history = useQuery({ queryKey: ['segments', 'history', segmentId, days], queryFn: () => segmentHistory(segmentId, { from }) });
  // Days before the segment existed are not "0 members": leave them out.
  const born = dayjs(createdAt).format('YYYY-MM-DD');
  const items = useMemo(() => (history.data ?? []).filter((p) => p.day >= born), [history.data, born]);
  const option = useMemo(() => ({
    grid: { left: 48, right: 16, top: 16, bottom: 32 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: items.map((p) => p.day), boundaryGap: false },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ type: 'line', data: items.map((p) => p.size), areaStyle: { opacity: 0.12 }, showSymbol: items.length < 40 }],
  }), [items]);
  return (
    <>
      <Segmented value={days} onChange={(v) => setDays(v as (typeof ranges)[number])} style={{ marginBottom: 12 }}
        options={ranges.map((d) => ({ value: d, label: t('segments.lastDays', { count: d }) }))} />
      <ErrorAlert error={history.error} />
      {!history.isPending && !items.length ? <Empty description={t('segments.noHistory')} /> : <Chart option={option} height={280} testId="segment-history-chart" />}
    </>
  );
}

function ReadOnlyDefinition({ segment }: { segment: Segment }) {
  const root = useMemo(() => toEditor(segment.definition!) as EditorGroup, [segment.definition]);
  return <DefinitionEditor value={root} onChange={() => undefined} readOnly />;
}
