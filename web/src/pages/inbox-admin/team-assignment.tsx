// 团队分配: per team, whether its channels' conversations are handed out automatically, how
// (round-robin or least busy) and up to how many open ones per agent; with its queue and agents now.
import { ApartmentOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Badge, Card, Col, Empty, Form, InputNumber, Radio, Row, Select, Statistic, Switch, Table, Tag, Button } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getTeamAssignment, saveTeamAssignment, teamAssignmentKey, type TeamAssignment, type TeamAssignmentSettings } from '../../api/channels-team-assignment';
import { useAllMembers, useTeams } from '../../api/lookups';
import { useCan } from '../../auth/session';
import { ErrorAlert, useFormErrorHandler } from '../../components/errors';
import { useFormatDate } from '../../components/format';
import { PageHeader } from '../../components/page-header';

const presenceColour = { online: 'success', away: 'warning', offline: 'default' } as const;

function TeamSettings({ teamId }: { teamId: string }) {
  const { t } = useTranslation();
  const can = useCan();
  const formatDate = useFormatDate();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useFormErrorHandler();
  const members = useAllMembers(can('members:read'));
  const assignment = useQuery({ queryKey: teamAssignmentKey(teamId), queryFn: () => getTeamAssignment(teamId) });
  const [form] = Form.useForm<TeamAssignmentSettings>();
  const data = assignment.data;
  useEffect(() => {
    if (data) form.setFieldsValue({ autoAssign: data.autoAssign, mode: data.mode, agentCap: data.agentCap });
  }, [data, form]);
  const save = useMutation({
    mutationFn: (v: TeamAssignmentSettings) => saveTeamAssignment(teamId, { autoAssign: v.autoAssign, mode: v.mode, agentCap: v.agentCap ?? null }),
    onSuccess: (saved) => {
      queryClient.setQueryData(teamAssignmentKey(teamId), saved);
      void message.success(t('common.saved'));
    },
    onError: onError(form, ['autoAssign', 'mode', 'agentCap']),
  });
  const memberName = (id: string) => members.data?.find((m) => m.id === id)?.name ?? '…';

  return (
    <Card loading={assignment.isPending}>
      <ErrorAlert error={assignment.error} />
      {data ? (
        <Row gutter={24}>
          <Col xs={24} lg={10}>
            <Form form={form} layout="vertical" name="team-assignment" onFinish={(v) => save.mutate(v)} disabled={!can('inbox:manage')}>
              <Form.Item name="autoAssign" label={t('channelAdmin.teams.autoAssign')} valuePropName="checked" extra={t('channelAdmin.teams.autoAssignHint')}>
                <Switch data-testid="team-auto-assign" />
              </Form.Item>
              <Form.Item name="mode" label={t('channelAdmin.teams.mode')}>
                <Radio.Group optionType="button" options={[
                  { value: 'round_robin', label: t('channelAdmin.teams.roundRobin') },
                  { value: 'least_busy', label: t('channelAdmin.teams.leastBusy') },
                ]} />
              </Form.Item>
              <Form.Item name="agentCap" label={t('channelAdmin.teams.agentCap')} extra={t('channelAdmin.teams.agentCapHint')}>
                <InputNumber min={1} max={10_000} precision={0} placeholder={t('channelAdmin.teams.noCap')} style={{ width: 200 }} data-testid="team-agent-cap" />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="team-assignment-save">{t('common.save')}</Button>
            </Form>
          </Col>
          <Col xs={24} lg={14}>
            <Row gutter={16} style={{ marginBottom: 16 }}>
              <Col span={12}><Statistic title={t('channelAdmin.teams.waiting')} value={data.queue.waiting} /></Col>
              <Col span={12}><Statistic title={t('channelAdmin.teams.oldestWaiting')} value={formatDate(data.queue.oldestWaitingSince)} /></Col>
            </Row>
            <Table<TeamAssignment['agents'][number]>
              rowKey="memberId" size="small" pagination={false} dataSource={data.agents}
              locale={{ emptyText: <Empty description={t('channelAdmin.teams.noAgents')} /> }}
              columns={[
                { title: t('channelAdmin.teams.agent'), key: 'name', render: (_, a) => memberName(a.memberId) },
                { title: t('channelAdmin.teams.presence'), key: 'status', render: (_, a) => <Badge status={presenceColour[a.status]} text={t(`channelAdmin.teams.presences.${a.status}`)} /> },
                { title: t('channelAdmin.teams.open'), key: 'open', render: (_, a) => <>{a.openConversations}{a.atCap ? <Tag color="orange" style={{ marginInlineStart: 8 }}>{t('channelAdmin.teams.atCap')}</Tag> : null}</> },
              ]}
            />
          </Col>
        </Row>
      ) : null}
    </Card>
  );
}

export default function TeamAssignmentPage() {
  const { t } = useTranslation();
  const teams = useTeams();
  const [teamId, setTeamId] = useState<string | undefined>();
  const chosen = teamId ?? teams.data?.[0]?.id;
  const picker = teams.data?.length ? (
    <Select style={{ width: 240 }} value={chosen} onChange={setTeamId} options={teams.data.map((x) => ({ value: x.id, label: x.name }))} data-testid="team-assignment-team" />
  ) : null;
  return (
    <>
      <PageHeader title={t('channelAdmin.nav.teamAssignment')} description={t('channelAdmin.teams.hint')} extra={picker} />
      <ErrorAlert error={teams.error} />
      {chosen ? <TeamSettings key={chosen} teamId={chosen} /> : teams.isPending ? <Card loading /> : (
        <Card><Empty image={<ApartmentOutlined style={{ fontSize: 48, color: '#bfbfbf' }} />} description={t('channelAdmin.teams.noTeams')} /></Card>
      )}
    </>
  );
}
