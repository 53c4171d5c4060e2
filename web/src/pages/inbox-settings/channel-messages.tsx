import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Empty, Form, Input, Switch, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Channel } from '../../api/channels';
import { useCan } from '../../auth/session';
import { ErrorAlert, useFormErrorHandler } from '../../components/errors';
import { autorepliesKey, listChannelSettings, setChannelSettings, type ChannelSettings } from './api';
import { useChannels } from './lookups';

const settingsKey = [...autorepliesKey, 'channel-settings'];

/** 欢迎语 and 满意度调查: per channel, a welcome message and whether resolving sends the survey. */
export function ChannelMessagesTab() {
  const { t } = useTranslation();
  const channels = useChannels();
  const settings = useQuery({ queryKey: settingsKey, queryFn: listChannelSettings });
  const of = (id: string) => settings.data?.find((s) => s.channelId === id);
  return (
    <>
      <Typography.Paragraph type="secondary">{t('autoreplies.channels.hint')}</Typography.Paragraph>
      <ErrorAlert error={channels.error ?? settings.error} />
      <Table<Channel>
        rowKey="id" loading={channels.isPending || settings.isPending} dataSource={channels.data ?? []} pagination={false}
        locale={{ emptyText: channels.isPending ? <span /> : <Empty description={t('autoreplies.channels.empty')} /> }}
        columns={[
          { title: t('autoreplies.rules.channel'), dataIndex: 'name', width: 200 },
          { title: t('autoreplies.channels.settings'), key: 'settings', render: (_, c) => (settings.isPending ? null : <ChannelForm channelId={c.id} current={of(c.id)} />) },
        ]}
      />
    </>
  );
}

function ChannelForm({ channelId, current }: { channelId: string; current: ChannelSettings | undefined }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ welcomeMessage: string; csatEnabled: boolean }>();
  const onError = useFormErrorHandler();
  const save = useMutation({
    mutationFn: (v: { welcomeMessage: string; csatEnabled: boolean }) => setChannelSettings(channelId, { welcomeMessage: v.welcomeMessage?.trim() || null, csatEnabled: v.csatEnabled }),
    onSuccess: () => { void message.success(t('autoreplies.saved')); void queryClient.invalidateQueries({ queryKey: settingsKey }); },
    onError: onError(form, ['welcomeMessage', 'csatEnabled']),
  });
  const writable = can('inbox:manage');
  return (
    <Form form={form} layout="vertical" disabled={!writable} initialValues={{ welcomeMessage: current?.welcomeMessage ?? '', csatEnabled: current?.csatEnabled ?? false }} onFinish={(v) => save.mutate(v)} data-testid={`channel-settings-${channelId}`}>
      <Form.Item name="welcomeMessage" label={t('autoreplies.channels.welcome')} extra={t('autoreplies.channels.welcomeHint')} rules={[{ max: 2000 }]}>
        <Input.TextArea rows={2} placeholder={t('autoreplies.channels.welcomePlaceholder')} />
      </Form.Item>
      <Form.Item name="csatEnabled" valuePropName="checked" label={t('autoreplies.channels.csat')} extra={t('autoreplies.channels.csatHint')}>
        <Switch />
      </Form.Item>
      {writable ? <Button htmlType="submit" loading={save.isPending}>{t('common.save')}</Button> : null}
    </Form>
  );
}
