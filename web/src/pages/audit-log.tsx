import { AutoComplete, Card, DatePicker, Empty, Flex, Select, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAllMembers } from '../api/lookups';
import type { AuditEntry } from '../api/types';
import { useCan } from '../auth/session';
import { LoadMore, useCursorList } from '../components/cursor-list';
import { ErrorAlert } from '../components/errors';
import { useFormatDate } from '../components/format';
import { JsonDiff } from '../components/json-diff';
import { PageHeader } from '../components/page-header';

const knownActions = [
  'api_key.created', 'api_key.revoked', 'member.role_changed', 'member.deactivated', 'member.reactivated',
  'role.created', 'role.updated', 'role.deleted', 'team.created', 'team.updated', 'team.deleted', 'team.members_set',
  'invitation.created', 'invitation.revoked', 'invitation.accepted', 'workspace.created', 'workspace.updated',
];
// Filters share the row on a desktop and stack full width on a phone.
const filterStyle = { flex: '1 1 170px' };
const entityTypes = ['api_key', 'member', 'role', 'team', 'invitation', 'workspace'];

export default function AuditLogPage() {
  const { t } = useTranslation();
  const can = useCan();
  const formatDate = useFormatDate();
  const [action, setAction] = useState('');
  const [actionInput, setActionInput] = useState('');
  const [entityType, setEntityType] = useState<string | undefined>();
  const [actor, setActor] = useState<string | undefined>();
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const members = useAllMembers(can('members:read'));
  const list = useCursorList<AuditEntry>('/audit-log', {
    action: action || undefined,
    entityType,
    actorMemberId: actor,
    from: range?.[0]?.startOf('day').toISOString(),
    to: range?.[1]?.endOf('day').toISOString(),
  });
  const filtered = Boolean(action || entityType || actor || range);
  const actionLabel = (a: string) => t(`audit.actions.${a}`, { defaultValue: a });

  return (
    <>
      <PageHeader title={t('nav.auditLog')} description={t('audit.hint')} />
      <Card>
        <Flex wrap gap={8} style={{ marginBottom: 16 }}>
          <AutoComplete style={filterStyle} allowClear placeholder={t('audit.action')} value={actionInput}
            options={knownActions.filter((a) => a.includes(actionInput)).map((a) => ({ value: a, label: `${actionLabel(a)} · ${a}` }))}
            onChange={(v: string) => { setActionInput(v ?? ''); if (!v) setAction(''); }}
            onSelect={(v: string) => setAction(v)}
            onBlur={() => setAction(actionInput.trim())}
            onKeyDown={(e) => { if (e.key === 'Enter') setAction(actionInput.trim()); }}
            data-testid="audit-action-filter" />
          <Select style={filterStyle} allowClear placeholder={t('audit.entityType')} value={entityType} onChange={setEntityType}
            options={entityTypes.map((e) => ({ value: e, label: t(`audit.entities.${e}`) }))} />
          {can('members:read') ? (
            <Select style={filterStyle} allowClear showSearch optionFilterProp="label" placeholder={t('audit.actor')} value={actor} onChange={setActor}
              loading={members.isPending} options={(members.data ?? []).map((m) => ({ value: m.id, label: m.name || m.email }))} />
          ) : null}
          <DatePicker.RangePicker value={range} onChange={(v) => setRange(v)} style={{ flex: '2 1 260px' }} />
        </Flex>
        <ErrorAlert error={list.error} />
        <Table<AuditEntry>
          rowKey="id" loading={list.isPending} dataSource={list.items} pagination={false} scroll={{ x: 'max-content' }}
          locale={{ emptyText: list.isError ? <span /> : <Empty description={filtered ? t('audit.noMatch') : t('audit.empty')} /> }}
          expandable={{ expandedRowRender: (e) => (
            <div>
              <JsonDiff before={e.before} after={e.after} />
              {e.requestId ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('audit.requestId')}: <Typography.Text copyable code>{e.requestId}</Typography.Text></Typography.Text> : null}
            </div>
          ) }}
          columns={[
            { title: t('audit.at'), dataIndex: 'at', render: formatDate },
            { title: t('audit.actor'), key: 'actor', render: (_, e) => e.actor ? (
              <span>{e.actor.name ?? '—'}{e.actor.apiKeyId ? <Tag style={{ marginInlineStart: 6 }}>{t('audit.viaApiKey')}</Tag> : null}</span>
            ) : <Tag>{t('audit.system')}</Tag> },
            { title: t('audit.action'), dataIndex: 'action', render: (a: string) => <span data-testid="audit-action"><Tag color="blue">{actionLabel(a)}</Tag><Typography.Text type="secondary" style={{ fontSize: 12 }}>{a}</Typography.Text></span> },
            { title: t('audit.entityType'), dataIndex: 'entityType', render: (e: string) => t(`audit.entities.${e}`, { defaultValue: e }) },
            { title: t('audit.entityId'), dataIndex: 'entityId', render: (id: string | null) => (id ? <Typography.Text code style={{ fontSize: 12 }}>{id}</Typography.Text> : '—') },
          ]}
        />
        <LoadMore list={list} />
      </Card>
    </>
  );
}
