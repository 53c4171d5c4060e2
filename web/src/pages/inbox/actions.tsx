// What an agent does to a conversation: assign (to me or another), transfer to a team or agent,
// snooze until a time, mark pending, resolve and reopen.
import { CheckOutlined, ClockCircleOutlined, DownOutlined, RollbackOutlined, SwapOutlined, UserAddOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, DatePicker, Dropdown, Flex, Form, Modal, Select, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { assign, changeStatus, inboxKeys, transfer, type Conversation, type ConversationStatus } from '../../api/inbox';
import { useErrorToast } from '../../components/errors';
import type { Names } from './use-inbox';

export function useConversationActions(conversation: Conversation | undefined) {
  const queryClient = useQueryClient();
  const toast = useErrorToast();
  const settle = (c: Conversation) => {
    queryClient.setQueryData(inboxKeys.conversation(c.id), c);
    void queryClient.invalidateQueries({ queryKey: inboxKeys.lists });
    void queryClient.invalidateQueries({ queryKey: inboxKeys.unread });
  };
  const id = conversation?.id ?? '';
  const status = useMutation({ mutationFn: (body: { status: ConversationStatus; snoozedUntil?: string }) => changeStatus(id, body), onSuccess: settle, onError: toast });
  const assignee = useMutation({ mutationFn: (memberId: string | null) => assign(id, memberId), onSuccess: settle, onError: toast });
  const move = useMutation({ mutationFn: (body: { teamId?: string; memberId?: string }) => transfer(id, body), onSuccess: settle, onError: toast });
  return { status, assignee, move };
}
export type ConversationActions = ReturnType<typeof useConversationActions>;

function snoozeChoices(): Array<{ key: string; until: Dayjs }> {
  const now = dayjs();
  const tomorrow = now.add(1, 'day').hour(9).minute(0).second(0);
  return [
    { key: 'oneHour', until: now.add(1, 'hour') },
    { key: 'fourHours', until: now.add(4, 'hour') },
    { key: 'tomorrow', until: tomorrow },
    { key: 'nextWeek', until: tomorrow.add((((8 - now.day()) % 7) || 7) - 1, 'day') },
  ];
}

function TransferModal({ open, onClose, names, onSubmit, busy }: { open: boolean; onClose: () => void; names: Names; onSubmit: (v: { teamId?: string; memberId?: string }) => void; busy: boolean }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ teamId?: string; memberId?: string }>();
  return (
    <Modal open={open} onCancel={onClose} title={t('inbox.actions.transfer')} okText={t('inbox.actions.transfer')} confirmLoading={busy} destroyOnHidden
      onOk={() => form.validateFields().then((v) => onSubmit({ teamId: v.teamId || undefined, memberId: v.memberId || undefined }))}>
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="teamId" label={t('inbox.actions.toTeam')}>
          <Select allowClear showSearch optionFilterProp="label" options={names.teams.map((x) => ({ value: x.id, label: x.name }))} data-testid="transfer-team" />
        </Form.Item>
        <Form.Item name="memberId" label={t('inbox.actions.toAgent')} rules={[({ getFieldValue }) => ({ validator: (_, v) => (v || getFieldValue('teamId') ? Promise.resolve() : Promise.reject(new Error(t('inbox.actions.transferNeedsOne')))) })]}>
          <Select allowClear showSearch optionFilterProp="label" options={names.members.map((m) => ({ value: m.id, label: m.name }))} data-testid="transfer-member" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function ConversationActionBar({ conversation, names, actions, meId }: { conversation: Conversation; names: Names; actions: ConversationActions; meId: string }) {
  const { t } = useTranslation();
  const [transferOpen, setTransferOpen] = useState(false);
  const [customSnooze, setCustomSnooze] = useState(false);
  const busy = actions.status.isPending;
  const snooze = (until: Dayjs) => actions.status.mutate({ status: 'snoozed', snoozedUntil: until.toISOString() });
  const resolved = conversation.status === 'resolved';

  return (
    <Flex gap={6} wrap align="center">
      <Space.Compact>
        <Button size="small" icon={<UserAddOutlined />} disabled={conversation.assigneeId === meId} loading={actions.assignee.isPending} onClick={() => actions.assignee.mutate(meId)} data-testid="assign-me">
          {t('inbox.actions.assignMe')}
        </Button>
        <Dropdown
          trigger={['click']}
          menu={{
            items: [
              ...(conversation.assigneeId ? [{ key: '', label: t('inbox.actions.unassign') }] : []),
              ...names.members.filter((m) => m.id !== conversation.assigneeId).map((m) => ({ key: m.id, label: m.name })),
            ],
            onClick: ({ key }) => actions.assignee.mutate(key || null),
            style: { maxHeight: 320, overflowY: 'auto' },
          }}
        >
          <Button size="small" icon={<DownOutlined />} aria-label={t('inbox.actions.assign')} data-testid="assign-menu" />
        </Dropdown>
      </Space.Compact>
      <Button size="small" icon={<SwapOutlined />} onClick={() => setTransferOpen(true)} data-testid="transfer">{t('inbox.actions.transfer')}</Button>
      {!resolved ? (
        <Dropdown
          trigger={['click']}
          menu={{
            items: [
              ...snoozeChoices().map((c) => ({ key: c.key, label: `${t(`inbox.snooze.${c.key}`)} · ${c.until.format('MM-DD HH:mm')}` })),
              { key: 'custom', label: t('inbox.snooze.custom') },
              { type: 'divider' as const },
              { key: 'pending', label: t('inbox.actions.markPending'), disabled: conversation.status === 'pending' },
            ],
            onClick: ({ key }) => {
              if (key === 'custom') setCustomSnooze(true);
              else if (key === 'pending') actions.status.mutate({ status: 'pending' });
              else snooze(snoozeChoices().find((c) => c.key === key)!.until);
            },
          }}
        >
          <Button size="small" icon={<ClockCircleOutlined />} data-testid="snooze">{t('inbox.actions.snooze')}</Button>
        </Dropdown>
      ) : null}
      {resolved || conversation.status === 'snoozed' || conversation.status === 'pending' ? (
        <Button size="small" icon={<RollbackOutlined />} loading={busy} onClick={() => actions.status.mutate({ status: 'open' })} data-testid="reopen">{t('inbox.actions.reopen')}</Button>
      ) : null}
      {!resolved ? (
        <Button size="small" type="primary" icon={<CheckOutlined />} loading={busy} onClick={() => actions.status.mutate({ status: 'resolved' })} data-testid="resolve">{t('inbox.actions.resolve')}</Button>
      ) : null}
      <TransferModal open={transferOpen} onClose={() => setTransferOpen(false)} names={names} busy={actions.move.isPending}
        onSubmit={(v) => actions.move.mutate(v, { onSuccess: () => setTransferOpen(false) })} />
      <Modal open={customSnooze} onCancel={() => setCustomSnooze(false)} footer={null} title={t('inbox.snooze.custom')} destroyOnHidden>
        <DatePicker showTime format="YYYY-MM-DD HH:mm" disabledDate={(d) => d.isBefore(dayjs(), 'day')} style={{ width: '100%' }}
          onOk={(d) => {
            if (d && d.isAfter(dayjs())) {
              snooze(d);
              setCustomSnooze(false);
            }
          }} data-testid="snooze-custom" />
      </Modal>
    </Flex>
  );
}
