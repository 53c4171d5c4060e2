import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { groupCodesKey, groupQrUrl, listGroupCodes, type GroupCode } from '../../api/group-codes';
import { useCan } from '../../auth/session';
import { ErrorAlert } from '../../components/errors';
import { useFormatDate } from '../../components/format';
import { PageHeader } from '../../components/page-header';
import { QrButtons } from '../live-codes/qr';
import { GroupCodeModal } from './code-modal';

/** 群活码: one link in front of several groups; each scan goes to the first group with room. */
export default function GroupCodesPage() {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const formatDate = useFormatDate();
  const [creating, setCreating] = useState(false);
  const codes = useQuery({ queryKey: groupCodesKey, queryFn: listGroupCodes });
  const create = can('live-codes:write') ? <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="group-code-create">{t('groupCodes.create')}</Button> : null;

  return (
    <>
      <PageHeader title={t('groupCodes.nav')} description={t('groupCodes.hint')} extra={create} />
      <Card>
        <ErrorAlert error={codes.error} />
        <Table<GroupCode>
          rowKey="id" loading={codes.isPending} dataSource={codes.data ?? []} pagination={false} scroll={{ x: 'max-content' }}
          locale={{ emptyText: codes.isPending || codes.isError ? <span /> : <Empty description={t('groupCodes.empty')}>{create}</Empty> }}
          columns={[
            { title: t('groupCodes.name'), key: 'name', render: (_, c) => <Link to={`/group-codes/${c.id}`} data-testid="group-code-link">{c.name}</Link> },
            { title: t('groupCodes.link'), key: 'url', render: (_, c) => <Typography.Text copyable={{ text: c.url }} data-testid="group-code-url">{c.url}</Typography.Text> },
            {
              title: t('groupCodes.groups'), key: 'groups', render: (_, c) => (
                <span data-testid="group-code-groups">{t('groupCodes.groupCount', { count: c.groups.length, open: c.groups.filter((g) => g.enabled && g.filled < g.capacity).length })}</span>
              ),
            },
            { title: t('groupCodes.enabled'), key: 'enabled', render: (_, c) => (c.enabled ? <Tag color="green">{t('liveCodes.on')}</Tag> : <Tag>{t('liveCodes.off')}</Tag>) },
            { title: t('liveCodes.createdAt'), dataIndex: 'createdAt', render: formatDate },
            { title: t('liveCodes.qr'), key: 'qr', render: (_, c) => <QrButtons src={(size) => groupQrUrl(c.id, size)} fileName={`group-code-${c.slug}`} /> },
          ]}
        />
      </Card>
      {creating ? <GroupCodeModal onClose={(saved) => { setCreating(false); if (saved) void navigate(`/group-codes/${saved.id}`); }} /> : null}
    </>
  );
}
