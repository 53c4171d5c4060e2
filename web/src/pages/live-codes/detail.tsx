import { ArrowLeftOutlined, CloudUploadOutlined, DeleteOutlined, EditOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Col, Descriptions, Image, Popconfirm, Result, Row, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { isApiError } from '../../api/client';
import { deleteLiveCode, getLiveCode, liveCodeKey, liveCodesKey, qrUrl, registerLiveCode } from '../../api/live-codes';
import { useCan } from '../../auth/session';
import { ErrorAlert, useErrorToast } from '../../components/errors';
import { PageHeader } from '../../components/page-header';
import { PageSpinner } from '../../layout/app-layout';
import { LiveCodeBuilder, useChannels } from './builder';
import { QrButtons } from './qr';
import { LiveCodeStatsCard } from './stats';

/** One live code: its link and QR code, what it does, and its figures per day. */
export default function LiveCodeDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const can = useCan();
  const navigate = useNavigate();
  const toast = useErrorToast();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const code = useQuery({ queryKey: liveCodeKey(id), queryFn: () => getLiveCode(id) });
  const channels = useChannels();
  const remove = useMutation({
    mutationFn: () => deleteLiveCode(id),
    onSuccess: () => { void queryClient.invalidateQueries({ queryKey: liveCodesKey }); void navigate('/live-codes'); },
    onError: toast,
  });

  const register = useMutation({
    mutationFn: () => registerLiveCode(id),
    onSuccess: (updated) => { queryClient.setQueryData(liveCodeKey(id), updated); void queryClient.invalidateQueries({ queryKey: liveCodesKey }); },
    onError: toast,
  });

  if (code.isPending) return <PageSpinner />;
  if (code.isError) {
    return isApiError(code.error) && code.error.status === 404
      ? <Result status="404" title={t('liveCodes.notFound')} extra={<Link to="/live-codes">{t('liveCodes.nav')}</Link>} />
      : <ErrorAlert error={code.error} />;
  }
  const c = code.data;
  const writable = can('live-codes:write');

  return (
    <>
      <div style={{ marginBottom: 12 }}><Link to="/live-codes"><ArrowLeftOutlined /> {t('liveCodes.nav')}</Link></div>
      <PageHeader
        title={<span data-testid="live-code-title">{c.name} {c.enabled ? <Tag color="green">{t('liveCodes.on')}</Tag> : <Tag>{t('liveCodes.off')}</Tag>}</span>}
        extra={writable ? <>
          <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="live-code-edit">{t('common.edit')}</Button>
          {c.channelId ? (
            <Popconfirm title={t('liveCodes.register.confirm')} description={t('liveCodes.register.hint')} okText={t('liveCodes.register.action')} cancelText={t('common.cancel')}
              onConfirm={() => register.mutateAsync().catch(() => undefined)}>
              <Button icon={<CloudUploadOutlined />} loading={register.isPending} data-testid="live-code-register">{t('liveCodes.register.action')}</Button>
            </Popconfirm>
          ) : null}
          <Popconfirm title={t('liveCodes.deleteConfirm', { name: c.name })} description={t('liveCodes.deleteHint')} okButtonProps={{ danger: true }}
            okText={t('common.delete')} cancelText={t('common.cancel')} onConfirm={() => remove.mutateAsync().catch(() => undefined)}>
            <Button danger icon={<DeleteOutlined />} aria-label={t('common.delete')} data-testid="live-code-delete" />
          </Popconfirm>
        </> : null}
      />
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={24} md={8} xl={6}>
          <Card size="small" title={t('liveCodes.qr')}>
            <Image src={qrUrl(c.id, 256)} width="100%" style={{ maxWidth: 256 }} preview={false} alt={t('liveCodes.qr')} />
            <div style={{ marginTop: 8 }}><QrButtons src={(size) => qrUrl(c.id, size)} fileName={`live-code-${c.slug}`} /></div>
          </Card>
        </Col>
        <Col xs={24} md={16} xl={18}>
          <Card size="small">
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('liveCodes.link')}><Typography.Text copyable={{ text: c.url }} data-testid="live-code-url">{c.url}</Typography.Text></Descriptions.Item>
              <Descriptions.Item label={t('liveCodes.target')}>{c.landingUrl ?? channels.data?.find((ch) => ch.id === c.channelId)?.name ?? t('liveCodes.channelTarget')}</Descriptions.Item>
              <Descriptions.Item label={t('liveCodes.strategy')}>{t(`liveCodes.strategies.${c.strategy}`)}</Descriptions.Item>
              <Descriptions.Item label={t('liveCodes.staff')}>{t('liveCodes.staffCount', { count: c.staff.length, backups: c.backupStaff.length })}</Descriptions.Item>
              <Descriptions.Item label={t('liveCodes.builder.exclusive')}>{c.exclusive ? t('common.yes') : t('common.no')}</Descriptions.Item>
              <Descriptions.Item label={t('liveCodes.builder.welcome')}>{c.welcomeMessage ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('liveCodes.register.label')}>
                {c.registration ? (
                  <span data-testid="live-code-registration">
                    {t('liveCodes.register.done', { at: new Date(c.registration.registeredAt).toLocaleString() })}
                    {c.registration.qrImageUrl ? <> · <Typography.Link href={c.registration.qrImageUrl} target="_blank" rel="noreferrer">{t('liveCodes.register.providerQr')}</Typography.Link></> : null}
                  </span>
                ) : t('liveCodes.register.none')}
              </Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
      </Row>
      <LiveCodeStatsCard codeId={c.id} />
      {editing ? <LiveCodeBuilder code={c} open onClose={() => setEditing(false)} /> : null}
    </>
  );
}
