import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Popconfirm, Space, Switch, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { deleteTagRule, listTagRules, setTagRuleEnabled, tagRulesKey, type TagRule } from '../../api/tag-rules';
import { useCan } from '../../auth/session';
import { ErrorAlert, useErrorToast } from '../../components/errors';
import { useFormatDate } from '../../components/format';
import { PageHeader } from '../../components/page-header';
import { ActionsSummary, RuleStatus, TriggerSummary } from './summary';

/** 自动标签: rules that tag contacts when something happens or a condition starts or stops holding. */
export default function TagRulesPage() {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const formatDate = useFormatDate();
  const { message } = App.useApp();
  const toast = useErrorToast();
  const queryClient = useQueryClient();
  const rules = useQuery({
    queryKey: tagRulesKey,
    queryFn: listTagRules,
    refetchInterval: (q) => (q.state.data?.some((r) => r.status === 'building') ? 3000 : false),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: tagRulesKey });
  const toggle = useMutation({
    mutationFn: (r: TagRule) => setTagRuleEnabled(r.id, !r.enabled),
    onSuccess: (a) => { void message.success(a.rule.enabled ? t('tagRules.enabledNow') : t('tagRules.disabledNow')); void refresh(); },
    onError: toast,
  });
  const remove = useMutation({ mutationFn: deleteTagRule, onSuccess: () => void refresh(), onError: toast });
  const writable = can('tag-rules:write');
  const create = writable ? <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/tag-rules/new')} data-testid="tag-rule-create">{t('tagRules.create')}</Button> : null;

  return (
    <>
      <PageHeader title={t('nav.tagRules')} description={t('tagRules.hint')} extra={create} />
      <Card>
        <ErrorAlert error={rules.error} />
        <Table<TagRule>
          rowKey="id" loading={rules.isPending} dataSource={rules.data ?? []} pagination={false} scroll={{ x: 'max-content' }}
          locale={{ emptyText: rules.isPending || rules.isError ? <span /> : (
            <Empty description={<><Typography.Paragraph strong style={{ marginBottom: 4 }}>{t('tagRules.emptyTitle')}</Typography.Paragraph>{t('tagRules.emptyHint')}</>}>{create}</Empty>
          ) }}
          columns={[
            {
              title: t('tagRules.name'), key: 'name', render: (_, r) => (
                <div style={{ maxWidth: 280 }}>
                  <Link to={`/tag-rules/${r.id}`} data-testid="tag-rule-link">{r.name}</Link>
                  {r.description ? <Typography.Paragraph type="secondary" ellipsis={{ rows: 1 }} style={{ margin: 0, fontSize: 12 }}>{r.description}</Typography.Paragraph> : null}
                </div>
              ),
            },
            { title: t('tagRules.when'), key: 'trigger', render: (_, r) => <div style={{ maxWidth: 320 }}><TriggerSummary trigger={r.trigger} /></div> },
            { title: t('tagRules.then'), key: 'actions', render: (_, r) => <ActionsSummary actions={r.actions} /> },
            { title: t('tagRules.status'), key: 'status', render: (_, r) => <RuleStatus rule={r} /> },
            {
              title: t('tagRules.enabled'), key: 'enabled', render: (_, r) => (
                <Switch size="small" checked={r.enabled} disabled={!writable} loading={toggle.isPending && toggle.variables?.id === r.id} onChange={() => toggle.mutate(r)} data-testid="tag-rule-enabled" />
              ),
            },
            { title: t('segments.updatedAt'), dataIndex: 'updatedAt', render: formatDate },
            ...(writable ? [{
              title: t('common.actions'), key: 'actions-col', render: (_: unknown, r: TagRule) => (
                <Space size={4}>
                  <Button size="small" icon={<EditOutlined />} aria-label={t('common.edit')} onClick={() => navigate(`/tag-rules/${r.id}`)} />
                  <Popconfirm title={t('tagRules.deleteConfirm', { name: r.name })} description={t('tagRules.deleteHint')} okButtonProps={{ danger: true }}
                    okText={t('common.delete')} cancelText={t('common.cancel')} onConfirm={() => remove.mutateAsync(r.id).catch(() => undefined)}>
                    <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
                  </Popconfirm>
                </Space>
              ),
            }] : []),
          ]}
        />
      </Card>
    </>
  );
}
