import { ArrowLeftOutlined, DeleteOutlined, EditOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Col, Descriptions, Image, Popconfirm, Result, Row, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { isApiError } from '../../api/client';
import { useAllTags } from '../../api/contact-settings';
import { deleteGroupCode, getGroupCode, groupCodeKey, groupCodesKey, groupQrUrl } from '../../api/group-codes';
import { useCan } from '../../auth/session';
import { ErrorAlert, useErrorToast } from '../../components/errors';
import { PageHeader } from '../../components/page-header';
import { PageSpinner } from '../../layout/app-layout';
import { QrButtons } from '../live-codes/qr';
import { GroupCodeModal } from './code-modal';
import { GroupsTable } from './groups-table';
import { GroupCodeStatsCard } from './stats';

/** One group code: its link and QR code, its groups in order, and per-group figures. */
export default function GroupCodeDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const can = useCan();
  const navigate = useNavigate();
  const toast = useErrorToast();
  const queryClient = useQueryClient();
  const tags = useAllTags();
  const [editing, setEditing] = useState(false);
  const code = useQuery({ queryKey: groupCodeKey(id), queryFn: () => getGroupCode(id) });
  const remove = useMutation({
    mutationFn: () => deleteGroupCode(id),
    onSuccess: () => { void queryClient.invalidateQueries({ queryKey: groupCodesKey }); void navigate('/group-codes'); },
    onError: toast,
  });

  if (code.isPending) return <PageSpinner />;
  if (code.isError) {
    return isApiError(code.error) && code.error.status === 404
      ? <Result status="404" title={t('groupCodes.notFound')} extra={<Link to="/group-codes">{t('groupCodes.nav')}</Link>} />
      : <ErrorAlert error={code.error} />;
  }
  const c = code.data;
  const writable = can('live-codes:write');

  return (
    <>
      <div style={{ marginBottom: 12 }}><Link to="/group-codes"><ArrowLeftOutlined /> {t('groupCodes.nav')}</Link></div>
      <PageHeader
        title={<span data-testid="group-code-title">{c.name} {c.enabled ? <Tag color="green">{t('liveCodes.on')}</Tag> : <Tag>{t('liveCodes.off')}</Tag>}</span>}
        extra={writable ? <>
          <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>{t('common.edit')}</Button>
          <Popconfirm title={t('groupCodes.deleteConfirm', { name: c.name })} okButtonProps={{ danger: true }} okText={t('common.delete')} cancelText={t('common.cancel')}
            onConfirm={() => remove.mutateAsync().catch(() => undefined)}>
            <Button danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
          </Popconfirm>
        </> : null}
      />
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={24} md={8} xl={6}>
          <Card size="small" title={t('liveCodes.qr')}>
            <Image src={groupQrUrl(c.id, 256)} width="100%" style={{ maxWidth: 256 }} preview={false} alt={t('liveCodes.qr')} />
            <div style={{ marginTop: 8 }}><QrButtons src={(size) => groupQrUrl(c.id, size)} fileName={`group-code-${c.slug}`} /></div>
          </Card>
        </Col>
        <Col xs={24} md={16} xl={18}>
          <Card size="small">
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('groupCodes.link')}><Typography.Text copyable={{ text: c.url }} data-testid="group-code-url">{c.url}</Typography.Text></Descriptions.Item>
              <Descriptions.Item label={t('groupCodes.tags')}>{c.tagIds.length ? c.tagIds.map((tid) => <Tag key={tid}>{tags.tags.find((x) => x.id === tid)?.name ?? '…'}</Tag>) : '—'}</Descriptions.Item>
            </Descriptions>
            <Typography.Paragraph type="secondary" style={{ margin: 0, fontSize: 12 }}>{t('groupCodes.howItWorks')}</Typography.Paragraph>
          </Card>
        </Col>
      </Row>
      <GroupsTable code={c} writable={writable} />
      <GroupCodeStatsCard code={c} />
      {editing ? <GroupCodeModal code={c} onClose={() => setEditing(false)} /> : null}
    </>
  );
}
