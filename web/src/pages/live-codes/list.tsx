import { DownloadOutlined, QrcodeOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, Image, Popover, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { listLiveCodes, liveCodesKey, qrUrl, type LiveCode } from '../../api/live-codes';
import { ErrorAlert } from '../../components/errors';
import { useFormatDate } from '../../components/format';
import { PageHeader } from '../../components/page-header';

/** 渠道活码: the workspace's live codes, their links and QR codes (the builder and stats come later). */
export default function LiveCodesPage() {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const codes = useQuery({ queryKey: liveCodesKey, queryFn: listLiveCodes });

  return (
    <>
      <PageHeader title={t('liveCodes.nav')} description={t('liveCodes.hint')} />
      <Card>
        <ErrorAlert error={codes.error} />
        <Table<LiveCode>
          rowKey="id" loading={codes.isPending} dataSource={codes.data ?? []} pagination={false} scroll={{ x: 'max-content' }}
          locale={{ emptyText: codes.isPending || codes.isError ? <span /> : <Empty description={t('liveCodes.empty')} /> }}
          columns={[
            { title: t('liveCodes.name'), dataIndex: 'name' },
            { title: t('liveCodes.link'), key: 'url', render: (_, c) => <Typography.Text copyable={{ text: c.url }} data-testid="live-code-url">{c.url}</Typography.Text> },
            { title: t('liveCodes.target'), key: 'target', render: (_, c) => (c.landingUrl ? <Typography.Text ellipsis style={{ maxWidth: 240 }}>{c.landingUrl}</Typography.Text> : t('liveCodes.channelTarget')) },
            { title: t('liveCodes.strategy'), key: 'strategy', render: (_, c) => t(`liveCodes.strategies.${c.strategy}`) },
            { title: t('liveCodes.staff'), key: 'staff', render: (_, c) => t('liveCodes.staffCount', { count: c.staff.length, backups: c.backupStaff.length }) },
            { title: t('liveCodes.enabled'), key: 'enabled', render: (_, c) => (c.enabled ? <Tag color="green">{t('liveCodes.on')}</Tag> : <Tag>{t('liveCodes.off')}</Tag>) },
            { title: t('liveCodes.createdAt'), dataIndex: 'createdAt', render: formatDate },
            {
              title: t('liveCodes.qr'), key: 'qr', render: (_, c) => (
                <Space size={4}>
                  <Popover content={<Image src={qrUrl(c.id, 256)} width={200} height={200} preview={false} alt={t('liveCodes.qr')} />}>
                    <Button size="small" icon={<QrcodeOutlined />} aria-label={t('liveCodes.qr')} />
                  </Popover>
                  {([256, 512, 1024] as const).map((size) => (
                    <Button key={size} size="small" icon={<DownloadOutlined />} href={qrUrl(c.id, size)} download={`live-code-${c.slug}-${size}.png`}>{size}</Button>
                  ))}
                </Space>
              ),
            },
          ]}
        />
      </Card>
    </>
  );
}
