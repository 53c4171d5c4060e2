import { ApartmentOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Col, Empty, Flex, Form, Input, Modal, Popconfirm, Row, Select, Spin, Tree, TreeSelect, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAllMembers, useTeams } from '../api/lookups';
import { createTeam, deleteTeam, setTeamMembers, teamsKey, updateTeam } from '../api/teams';
import type { Team } from '../api/types';
import { useCan } from '../auth/session';
import { ErrorAlert, useErrorToast, useFormErrorHandler } from '../components/errors';
import { PageHeader } from '../components/page-header';
import { buildTeamTree, subtreeIds } from '../components/team-tree';

const ROOT = '__root';

function CreateTeamModal({ open, parentId, teams, onClose, onCreated }: { open: boolean; parentId: string | null; teams: Team[]; onClose: () => void; onCreated: (team: Team) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ name: string; parentId: string }>();
  const queryClient = useQueryClient();
  const onError = useFormErrorHandler();
  const mutation = useMutation({
    mutationFn: (v: { name: string; parentId: string }) => createTeam({ name: v.name, parentId: v.parentId === ROOT ? null : v.parentId }),
    onSuccess: async ({ team }) => {
      await queryClient.invalidateQueries({ queryKey: teamsKey });
      onCreated(team);
      onClose();
    },
    onError: onError(form, ['name', 'parentId']),
  });
  return (
    <Modal title={t('teams.create')} open={open} onCancel={onClose} onOk={() => form.submit()} okText={t('common.create')} cancelText={t('common.cancel')}
      confirmLoading={mutation.isPending} destroyOnHidden>
      <Form form={form} name="create-team" layout="vertical" initialValues={{ parentId: parentId ?? ROOT }} onFinish={(v) => mutation.mutate(v)} preserve={false}>
        <Form.Item name="name" label={t('teams.name')} rules={[{ required: true, message: t('validation.required') }, { max: 100 }]}>
          <Input autoFocus placeholder={t('teams.namePlaceholder')} />
        </Form.Item>
        <Form.Item name="parentId" label={t('teams.parent')}>
          <TreeSelect treeDefaultExpandAll treeData={[{ key: ROOT, value: ROOT, title: t('teams.topLevel'), children: [] }, ...buildTeamTree(teams)]} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function TeamDetails({ team, teams, onDeleted }: { team: Team; teams: Team[]; onDeleted: () => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const toast = useErrorToast();
  const onError = useFormErrorHandler();
  const writable = can('teams:write');
  const members = useAllMembers(can('members:read'));
  const [form] = Form.useForm<{ name: string; parentId: string }>();
  const [memberIds, setMemberIds] = useState<string[]>(team.memberIds);
  useEffect(() => {
    form.setFieldsValue({ name: team.name, parentId: team.parentId ?? ROOT });
    setMemberIds(team.memberIds);
  }, [team, form]);

  const saved = async () => {
    await queryClient.invalidateQueries({ queryKey: teamsKey });
    void queryClient.invalidateQueries({ queryKey: ['list', '/members'] });
    void message.success(t('common.saved'));
  };
  const update = useMutation({
    mutationFn: (v: { name: string; parentId: string }) => updateTeam(team.id, { name: v.name, parentId: v.parentId === ROOT ? null : v.parentId }),
    onSuccess: saved,
    onError: onError(form, ['name', 'parentId']),
  });
  const assign = useMutation({ mutationFn: (ids: string[]) => setTeamMembers(team.id, ids), onSuccess: saved, onError: toast });
  const remove = useMutation({
    mutationFn: () => deleteTeam(team.id),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: teamsKey });
      onDeleted();
    },
    onError: toast,
  });
  const blocked = subtreeIds(teams, team.id);
  const hasChildren = teams.some((x) => x.parentId === team.id);

  return (
    <Card title={<span><ApartmentOutlined /> {team.name}</span>}
      extra={writable ? (
        <Popconfirm title={t('teams.deleteConfirm', { name: team.name })} description={hasChildren ? t('teams.deleteHasChildren') : undefined}
          okText={t('common.delete')} cancelText={t('common.cancel')} okButtonProps={{ danger: true, disabled: hasChildren }} onConfirm={() => remove.mutateAsync().catch(() => undefined)}>
          <Button danger size="small">{t('common.delete')}</Button>
        </Popconfirm>
      ) : null}>
      <Form form={form} name="edit-team" layout="vertical" disabled={!writable} onFinish={(v) => update.mutate(v)}>
        <Form.Item name="name" label={t('teams.name')} rules={[{ required: true, message: t('validation.required') }, { max: 100 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="parentId" label={t('teams.parent')} extra={t('teams.parentHint')}>
          <TreeSelect treeDefaultExpandAll treeData={[{ key: ROOT, value: ROOT, title: t('teams.topLevel'), children: [] }, ...buildTeamTree(teams, blocked)]} />
        </Form.Item>
        {writable ? <Button type="primary" htmlType="submit" loading={update.isPending}>{t('common.save')}</Button> : null}
      </Form>
      {can('members:read') ? (
        <div style={{ marginTop: 24 }}>
          <Typography.Title level={5}>{t('teams.members')}</Typography.Title>
          <Select mode="multiple" style={{ width: '100%' }} disabled={!writable} value={memberIds} onChange={setMemberIds} loading={members.isPending}
            optionFilterProp="label" placeholder={t('teams.membersPlaceholder')}
            options={(members.data ?? []).map((m) => ({ value: m.id, label: `${m.name || m.email} (${m.email})` }))} />
          {writable ? (
            <Button style={{ marginTop: 12 }} onClick={() => assign.mutate(memberIds)} loading={assign.isPending}>{t('teams.saveMembers')}</Button>
          ) : null}
        </div>
      ) : null}
    </Card>
  );
}

export default function TeamsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const teams = useTeams();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const writable = can('teams:write');
  const all = teams.data ?? [];
  const selected = all.find((x) => x.id === selectedId) ?? null;
  const createButton = writable ? <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="team-create">{t('teams.create')}</Button> : null;

  return (
    <>
      <PageHeader title={t('nav.teams')} description={t('teams.hint')} extra={createButton} />
      <ErrorAlert error={teams.error} />
      {teams.isPending ? <Spin /> : all.length === 0 ? (
        <Card><Empty description={t('teams.empty')}>{createButton}</Empty></Card>
      ) : (
        <Row gutter={[16, 16]}>
          <Col xs={24} md={10}>
            <Card title={t('teams.tree')}>
              <Tree showLine defaultExpandAll blockNode treeData={buildTeamTree(all)} selectedKeys={selectedId ? [selectedId] : []}
                onSelect={(keys) => setSelectedId((keys[0] as string | undefined) ?? null)}
                titleRender={(node) => (
                  <Flex justify="space-between" gap={8}>
                    <span>{node.title}</span>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('teams.memberCount', { count: node.team.memberIds.length })}</Typography.Text>
                  </Flex>
                )} />
            </Card>
          </Col>
          <Col xs={24} md={14}>
            {selected ? <TeamDetails key={selected.id} team={selected} teams={all} onDeleted={() => setSelectedId(null)} /> : (
              <Card><Empty description={t('teams.selectHint')} /></Card>
            )}
          </Col>
        </Row>
      )}
      {writable ? <CreateTeamModal open={creating} parentId={selectedId} teams={all} onClose={() => setCreating(false)} onCreated={(team) => setSelectedId(team.id)} /> : null}
    </>
  );
}
