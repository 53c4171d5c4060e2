import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { listLiveCodes, liveCodesKey, qrUrl, type LiveCode } from '../../api/live-codes';
import { useCan } from '../../auth/session';
import { ErrorAlert } from '../../components/errors';
import { useFormatDate } from '../../components/format';
import { PageHeader } from '../../components/page-header';
import { LiveCodeBuilder, useChannels } from './builder';
import { QrButtons } from './qr';

/** 渠道活码: the workspace's live codes, their links and QR codes; a new one through the builder. */
export default function LiveCodesPage() {
  const { t } = useTranslation();
  const can = useCan();
  const formatDate = useFormatDate();
  const [creating, setCreating] = useState(false);
  const codes = useQuery({ queryKey: liveCodesKey, queryFn: listLiveCodes });
  const channels = useChannels();
  const create = can('live-codes:write') ? <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="live-code-create">{t('liveCodes.builder.create')}</Button> : null;

  return (
    <>
      <PageHeader title={t('liveCodes.nav')} description={t('liveCodes.hint')} extra={create} />
      <Card>
        <ErrorAlert error={codes.error} />
        <Table<LiveCode>
          rowKey="id" loading={codes.isPending} dataSource={codes.data ?? []} pagination={false} scroll={{ x: 'max-content' }}
          locale={{ emptyText: codes.isPending || codes.isError ? <span /> : <Empty description={t('liveCodes.empty')}>{create}</Empty> }}
          columns={[
            { title: t('liveCodes.name'), key: 'name', render: (_, c) => <Link to={`/live-codes/${c.id}`} data-testid="live-code-link">{c.name}</Link> },
            { title: t('liveCodes.link'), key: 'url', render: (_, c) => <Typography.Text copyable={{ text: c.url }} data-testid="live-code-url">{c.url}</Typography.Text> },
            { title: t('liveCodes.target'), key: 'target', render: (_, c) => (c.landingUrl ? <Typography.Text ellipsis style={{ maxWidth: 240 }}>{c.landingUrl}</Typography.Text> : channels.data?.find((ch) => ch.id === c.channelId)?.name ?? t('liveCodes.channelTarget')) },
            { title: t('liveCodes.strategy'), key: 'strategy', render: (_, c) => t(`liveCodes.strategies.${c.strategy}`) },
            { title: t('liveCodes.staff'), key: 'staff', render: (_, c) => t('liveCodes.staffCount', { count: c.staff.length, backups: c.backupStaff.length }) },
            { title: t('liveCodes.enabled'), key: 'enabled', render: (_, c) => (c.enabled ? <Tag color="green">{t('liveCodes.on')}</Tag> : <Tag>{t('liveCodes.off')}</Tag>) },
            { title: t('liveCodes.createdAt'), dataIndex: 'createdAt', render: formatDate },
            { title: t('liveCodes.qr'), key: 'qr', render: (_, c) => <QrButtons src={(size) => qrUrl(c.id, size)} fileName={`live-code-${c.slug}`} /> },
          ]}
        />
      </Card>
      {creating ? <LiveCodeBuilder open onClose={() => setCreating(false)} /> : null}
    </>
  );
}
