import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { App, Button, Card, Flex, Form, Input, List, Popconfirm, Select, Switch, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { addIdentity, removeIdentity, setConsent, type Contact } from '../../api/contacts';
import { useCan } from '../../auth/session';
import { ChannelIcon, useChannelLabel, useChannelOptions } from '../../components/channel';
import { isApiError } from '../../api/client';
import { useErrorToast, useFormErrorHandler } from '../../components/errors';
import { useFormatDate } from '../../components/format';
import { MergeCompare } from './merge-compare';
import { useRefreshContact } from './use-contact';

/** The channel accounts that reach this person. */
export function Identities({ contact }: { contact: Contact }) {
  const { t } = useTranslation();
  const can = useCan();
  const editable = can('contacts:write') && !contact.deletedAt;
  const toast = useErrorToast();
  const onFormError = useFormErrorHandler();
  const refresh = useRefreshContact(contact.id);
  const channelOptions = useChannelOptions();
  const label = useChannelLabel();
  const navigate = useNavigate();
  const [form] = Form.useForm<{ channelType: string; externalId: string; displayName?: string }>();
  const [adding, setAdding] = useState(false);
  const [holder, setHolder] = useState<string | null>(null);
  const { modal } = App.useApp();
  const add = useMutation({
    mutationFn: (v: { channelType: string; externalId: string; displayName?: string }) => addIdentity(contact.id, v),
    onSuccess: () => { form.resetFields(); setAdding(false); void refresh(); },
    onError: (error) => {
      // Held by another contact (the workspace refuses collisions): offer to merge it or open it.
      const held = isApiError(error) && error.code === 'conflict' && error.extra.reason === 'identity_held' ? error.extra.contactId : undefined;
      if (!isApiError(error) || typeof held !== 'string') return onFormError(form, ['channelType', 'externalId', 'displayName'])(error);
      const merging = can('contacts:merge');
      modal.confirm({ title: t('contacts.identityTaken'), content: error.detail,
        okText: merging ? t('merge.compare') : t('contacts.openHolder'), cancelText: t('common.cancel'),
        onOk: () => { if (merging) setHolder(held); else void navigate(`/contacts/${held}`); } });
    },
  });
  const remove = useMutation({ mutationFn: (id: string) => removeIdentity(contact.id, id), onSuccess: () => void refresh(), onError: toast });
  return (
    <Card title={t('contacts.identities')} size="small"
      extra={editable && !adding ? <Button size="small" type="link" icon={<PlusOutlined />} onClick={() => setAdding(true)}>{t('common.add')}</Button> : null}>
      <List size="small" dataSource={contact.identities ?? []} locale={{ emptyText: t('profile360.noIdentities') }}
        renderItem={(i) => (
          <List.Item actions={editable ? [
            <Popconfirm key="d" title={t('profile360.removeIdentity')} okText={t('common.delete')} cancelText={t('common.cancel')} okButtonProps={{ danger: true }}
              onConfirm={() => remove.mutateAsync(i.id).catch(() => undefined)}>
              <Button size="small" type="text" icon={<DeleteOutlined />} aria-label={t('common.delete')} />
            </Popconfirm>] : []}>
            <List.Item.Meta avatar={<ChannelIcon channel={i.channelType} />} title={label(i.channelType)}
              description={<Typography.Text copyable style={{ fontSize: 12, wordBreak: 'break-all' }}>{i.displayName ? `${i.displayName} · ` : ''}{i.externalId}</Typography.Text>} />
          </List.Item>
        )} />
      {adding ? (
        <Form form={form} name="add-identity" layout="vertical" size="small" onFinish={(v) => add.mutate(v)} style={{ marginTop: 8 }}>
          <Form.Item name="channelType" label={t('contacts.channel')} rules={[{ required: true, message: t('validation.required') }]}><Select options={channelOptions} /></Form.Item>
          <Form.Item name="externalId" label={t('contacts.externalId')} rules={[{ required: true, message: t('validation.required') }]}><Input /></Form.Item>
          <Form.Item name="displayName" label={t('contacts.displayName')}><Input /></Form.Item>
          <Flex gap={8} justify="end"><Button onClick={() => setAdding(false)}>{t('common.cancel')}</Button><Button type="primary" htmlType="submit" loading={add.isPending}>{t('common.add')}</Button></Flex>
        </Form>
      ) : null}
      {holder ? <MergeCompare key={holder} contacts={[{ id: contact.id, name: contact.name }, { id: holder, name: '' }]} open onClose={() => setHolder(null)} /> : null}
    </Card>
  );
}

/** Opt-in / opt-out per channel: the channels of its identities plus e-mail and phone. */
export function Consents({ contact }: { contact: Contact }) {
  const { t } = useTranslation();
  const can = useCan();
  const editable = can('contacts:write') && !contact.deletedAt;
  const toast = useErrorToast();
  const refresh = useRefreshContact(contact.id);
  const label = useChannelLabel();
  const formatDate = useFormatDate();
  const channels = [...new Set([
    ...(contact.identities ?? []).map((i) => i.channelType), ...(contact.email ? ['email'] : []), ...(contact.phone ? ['sms', 'phone'] : []),
    ...(contact.consents ?? []).map((c) => c.channelType),
  ])];
  const save = useMutation({ mutationFn: (v: { channel: string; on: boolean }) => setConsent(contact.id, v.channel, v.on ? 'opt_in' : 'opt_out'), onSuccess: () => void refresh(), onError: toast });
  return (
    <Card title={t('profile360.consent')} size="small">
      <List size="small" dataSource={channels} locale={{ emptyText: t('profile360.noChannels') }}
        renderItem={(channel) => {
          const consent = contact.consents?.find((c) => c.channelType === channel);
          return (
            <List.Item extra={<Switch size="small" disabled={!editable} checked={consent?.status === 'opt_in'} aria-label={label(channel)}
              loading={save.isPending && save.variables?.channel === channel} onChange={(on) => save.mutate({ channel, on })} />}>
              <List.Item.Meta avatar={<ChannelIcon channel={channel} />} title={label(channel)}
                description={<span style={{ fontSize: 12 }}>{consent ? `${t(`profile360.consents.${consent.status}`)} · ${formatDate(consent.at)}` : t('profile360.consents.unknown')}</span>} />
            </List.Item>
          );
        }} />
    </Card>
  );
}
