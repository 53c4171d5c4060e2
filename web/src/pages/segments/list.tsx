import { CopyOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Popconfirm, Segmented, Space, Table, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { deleteSegment, duplicateSegment, type Segment, type SegmentKind } from '../../api/segments';
import { useCan } from '../../auth/session';
import { LoadMore, useCursorList } from '../../components/cursor-list';
import { ErrorAlert, useErrorToast } from '../../components/errors';
import { useFormatDate } from '../../components/format';
import { PageHeader } from '../../components/page-header';
import { KindTag, StatusTag } from './tags';

/** Every segment: dynamic (kept current) and static (frozen lists), with their size. */
export default function SegmentsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const formatDate = useFormatDate();
  const { message } = App.useApp();
  const toast = useErrorToast();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<SegmentKind | 'all'>('all');
  const list = useCursorList<Segment>('/segments', { kind: kind === 'all' ? undefined : kind }, {
    limit: 50,
    refetchInterval: (items) => (items.some((s) => s.status === 'building') ? 3000 : false),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['list', '/segments'] });
  const duplicate = useMutation({
    mutationFn: (id: string) => duplicateSegment(id),
    onSuccess: (s) => { void message.success(t('segments.duplicated', { name: s.name })); void refresh(); },
    onError: toast,
  });
  const remove = useMutation({ mutationFn: deleteSegment, onSuccess: () => void refresh(), onError: toast });
  const writable = can('segments:write');
  const create = writable ? <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/segments/new')} data-testid="segment-create">{t('segments.create')}</Button> : null;

  return (
    <>
      <PageHeader title={t('nav.segments')} description={t('segments.hint')} extra={create} />
      <Card>
        <Segmented style={{ marginBottom: 16 }} value={kind} onChange={(v) => setKind(v as SegmentKind | 'all')}
          options={[{ value: 'all', label: t('segments.all') }, { value: 'dynamic', label: t('segments.kinds.dynamic') }, { value: 'static', label: t('segments.kinds.static') }]} />
        <ErrorAlert error={list.error} />
        <Table<Segment>
          rowKey="id" loading={list.isPending} dataSource={list.items} pagination={false} scroll={{ x: 'max-content' }}
          locale={{ emptyText: list.isError || list.isPending ? <span /> : (
            <Empty description={<><Typography.Paragraph strong style={{ marginBottom: 4 }}>{t(kind === 'all' ? 'segments.emptyTitle' : 'segments.noneOfKind')}</Typography.Paragraph>{kind === 'all' ? t('segments.emptyHint') : null}</>}>
              {kind === 'all' ? create : null}
            </Empty>
          ) }}
          columns={[
            {
              title: t('segments.name'), key: 'name', render: (_, s) => (
                <div style={{ maxWidth: 360 }}>
                  <Link to={`/segments/${s.id}`} data-testid="segment-link">{s.name}</Link>
                  {s.description ? <Typography.Paragraph type="secondary" ellipsis={{ rows: 1 }} style={{ margin: 0, fontSize: 12 }}>{s.description}</Typography.Paragraph> : null}
                </div>
              ),
            },
            { title: t('segments.kind'), key: 'kind', render: (_, s) => <KindTag kind={s.kind} /> },
            { title: t('segments.size'), key: 'size', align: 'right', render: (_, s) => <span data-testid="segment-size">{s.memberCount.toLocaleString()}</span> },
            { title: t('segments.status'), key: 'status', render: (_, s) => <StatusTag segment={s} /> },
            { title: t('segments.updatedAt'), dataIndex: 'updatedAt', render: formatDate },
            ...(writable ? [{
              title: t('common.actions'), key: 'actions', render: (_: unknown, s: Segment) => (
                <Space size={4}>
                  <Tooltip title={t('segments.duplicate')}>
                    <Button size="small" icon={<CopyOutlined />} aria-label={t('segments.duplicate')} loading={duplicate.isPending && duplicate.variables === s.id} onClick={() => duplicate.mutate(s.id)} />
                  </Tooltip>
                  <Popconfirm title={t('segments.deleteConfirm', { name: s.name })} description={t('segments.deleteHint')} okButtonProps={{ danger: true }}
                    okText={t('common.delete')} cancelText={t('common.cancel')} onConfirm={() => remove.mutateAsync(s.id).catch(() => undefined)}>
                    <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
                  </Popconfirm>
                </Space>
              ),
            }] : []),
          ]}
        />
        <LoadMore list={list} />
      </Card>
    </>
  );
}
