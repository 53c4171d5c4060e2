// Creating or editing one channel: name, team, the type's settings (drawn from its schema) and its
// write-only credentials. A new channel stays open once saved, to show where it is reached.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Divider, Drawer, Flex, Form, Input, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { channelsListPath, createChannel, updateChannel, type Channel, type ChannelType } from '../../api/channels';
import { useTeams } from '../../api/lookups';
import { useCan } from '../../auth/session';
import { useFormErrorHandler } from '../../components/errors';
import { ChannelEndpoints } from './endpoints';
import { cleaned, defaultsOf } from './schema';
import { SchemaFields, settingsPlace } from './schema-fields';
import { SecretFields } from './secret-fields';
import { ChannelSetupPanel } from './setup-panel';
import { useTypeLabel } from './type-label';

interface Values {
  name: string;
  teamId?: string | null;
  settings: Record<string, unknown>;
  secrets: Record<string, unknown>;
}

const FIELDS = ['name', 'teamId', 'settings', 'secrets'];

/** Top-level settings the channel had and the form left blank: null tells the server to drop them. */
function settingsPatch(before: Record<string, unknown>, now: Record<string, unknown>) {
  const dropped = Object.keys(before).filter((key) => !(key in now));
  return { ...now, ...Object.fromEntries(dropped.map((key) => [key, null])) };
}

export function ChannelEditor({ type, channel, onClose, onSaved }: { type: ChannelType; channel: Channel | null; onClose: () => void; onSaved: (c: Channel) => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const typeLabel = useTypeLabel();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useFormErrorHandler();
  const teams = useTeams(can('teams:read'));
  const [form] = Form.useForm<Values>();
  const creating = channel === null;

  const save = useMutation({
    mutationFn: (v: Values) => {
      const settings = cleaned(v.settings ?? {}) as Record<string, unknown>;
      // Credentials as typed (a password may begin or end with a space); blank ones keep what is stored, null removes one.
      const secrets = Object.fromEntries(Object.entries(v.secrets ?? {}).filter(([, x]) => x === null || (typeof x === 'string' && x !== '')));
      const name = v.name.trim();
      const teamId = v.teamId ?? null;
      if (creating) return createChannel({ type: type.type, name, teamId, settings, secrets });
      return updateChannel(channel.id, { name, teamId, settings: settingsPatch(channel.settings, settings), ...(Object.keys(secrets).length ? { secrets } : {}) });
    },
    onSuccess: (saved) => {
      void message.success(t('common.saved'));
      void queryClient.invalidateQueries({ queryKey: ['list', channelsListPath] });
      form.setFieldValue('secrets', {});
      onSaved(saved);
    },
    onError: onError(form, FIELDS, 'name'),
  });

  const initialValues: Values = channel
    ? { name: channel.name, teamId: channel.teamId, settings: channel.settings, secrets: {} }
    : { name: '', teamId: null, settings: (defaultsOf(type.settings) ?? {}) as Record<string, unknown>, secrets: {} };

  return (
    <Drawer open size="large" onClose={onClose} destroyOnHidden
      title={creating ? t('channelAdmin.createTitle', { type: typeLabel(type.type) }) : t('channelAdmin.editTitle', { name: channel.name })}
      footer={
        <Flex justify="end" gap={8}>
          <Button onClick={onClose}>{t(creating ? 'common.cancel' : 'common.close')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="channel-save">{t(creating ? 'common.create' : 'common.save')}</Button>
        </Flex>
      }>
      {channel ? <ChannelEndpoints channel={channel} type={type} /> : null}
      {channel ? <ChannelSetupPanel channel={channel} type={type} /> : null}
      {/* Keyed by channel: a freshly created one starts a form of its own, with its saved values. */}
      <Form key={channel?.id ?? 'new'} form={form} name="channel" layout="vertical" initialValues={initialValues} onFinish={(v) => save.mutate(v)} data-testid="channel-form">
        <Form.Item name="name" label={t('channelAdmin.name')} rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 120 }]}>
          <Input autoFocus={creating} data-testid="channel-name" />
        </Form.Item>
        <Form.Item name="teamId" label={t('channelAdmin.team')} extra={t('channelAdmin.teamHint')}>
          <Select allowClear placeholder={t('channelAdmin.noTeam')} loading={teams.isLoading} options={(teams.data ?? []).map((team) => ({ value: team.id, label: team.name }))}
            data-testid="channel-team" />
        </Form.Item>
        <Divider titlePlacement="start">{t('channelAdmin.settings')}</Divider>
        <SchemaFields schema={type.settings} at={settingsPlace(type.type)} />
        {Object.keys(type.secrets.properties ?? {}).length ? (
          <>
            <Divider titlePlacement="start">{t('channelAdmin.credentials')}</Divider>
            <Typography.Paragraph type="secondary">{t('channelAdmin.credentialsHint')}</Typography.Paragraph>
            <SecretFields type={type.type} schema={type.secrets} set={channel?.secretsSet ?? []} creating={creating} />
          </>
        ) : null}
      </Form>
    </Drawer>
  );
}
