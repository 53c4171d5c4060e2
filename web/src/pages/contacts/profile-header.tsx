import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Flex, Popconfirm, Select, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAllTags, useStages } from '../../api/contact-settings';
import { addContactTags, contactKey, deleteContact, removeContactTag, type Contact } from '../../api/contacts';
import { useAllMembers } from '../../api/lookups';
import { useCan } from '../../auth/session';
import { ColorTag } from '../../components/color-tag';
import { useErrorToast } from '../../components/errors';
import { ContactAvatar } from './columns';
import { useRefreshContact, useUpdateContact } from './use-contact';

/** Avatar, name, stage and owner pickers, and the contact's tags with add/remove. */
export function ProfileHeader({ contact }: { contact: Contact }) {
  const { t } = useTranslation();
  const can = useCan();
  const writable = can('contacts:write') && !contact.deletedAt;
  const { message } = App.useApp();
  const toast = useErrorToast();
  const queryClient = useQueryClient();
  const stages = useStages();
  const tags = useAllTags();
  const members = useAllMembers(can('members:read'));
  const update = useUpdateContact(contact.id);
  const refresh = useRefreshContact(contact.id);
  const [adding, setAdding] = useState(false);
  const addTags = useMutation({ mutationFn: (ids: string[]) => addContactTags(contact.id, ids), onSuccess: () => { setAdding(false); void refresh(); }, onError: toast });
  const removeTag = useMutation({ mutationFn: (tagId: string) => removeContactTag(contact.id, tagId), onSuccess: () => void refresh(), onError: toast });
  const remove = useMutation({
    mutationFn: () => deleteContact(contact.id),
    onSuccess: () => {
      // The profile stays open with the restore banner; lists drop the contact.
      queryClient.setQueryData<Contact>(contactKey(contact.id), (c) => (c ? { ...c, deletedAt: new Date().toISOString() } : c));
      void queryClient.invalidateQueries({ queryKey: ['contacts'] });
      void message.success(t('profile360.deleted'));
    },
    onError: toast,
  });
  const setField = (body: Parameters<typeof update.mutate>[0]) => update.mutate(body, { onError: toast });
  const tagColor = new Map(tags.tags.map((tag) => [tag.id, tag.color]));
  const ownerOptions = [{ value: '', label: t('contacts.unassigned') }, ...(members.data ?? (contact.owner ? [{ id: contact.owner.id, name: contact.owner.name, email: '' }] : [])).map((m) => ({ value: m.id, label: m.name || m.email }))];

  return (
    <Card>
      <Flex gap={16} align="center" wrap>
        <ContactAvatar contact={contact} size={64} />
        <div style={{ flex: 1, minWidth: 160 }}>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="profile-name"
            editable={writable ? { onChange: (name) => name.trim() && name !== contact.name && setField({ name: name.trim() }), triggerType: ['icon'] } : false}>
            {contact.name}
          </Typography.Title>
          <Typography.Text type="secondary">{[contact.title, contact.company].filter(Boolean).join(' · ') || '\u00a0'}</Typography.Text>
        </div>
        {can('contacts:delete') && !contact.deletedAt ? (
          <Popconfirm title={t('profile360.deleteConfirm', { name: contact.name })} description={t('profile360.deleteHint')} okButtonProps={{ danger: true }}
            okText={t('common.delete')} cancelText={t('common.cancel')} onConfirm={() => remove.mutateAsync().catch(() => undefined)}>
            <Button danger icon={<DeleteOutlined />} data-testid="contact-delete">{t('common.delete')}</Button>
          </Popconfirm>
        ) : null}
      </Flex>
      <Flex gap={12} wrap style={{ marginTop: 16 }}>
        <label style={{ flex: '1 1 160px' }}>
          <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>{t('contacts.fields.stage')}</Typography.Text>
          <Select style={{ width: '100%' }} disabled={!writable} value={contact.stage?.id ?? ''} data-testid="profile-stage" loading={update.isPending}
            onChange={(v: string) => setField({ stageId: v || null })}
            options={[{ value: '', label: t('profile360.noStage') }, ...(stages.data ?? []).map((s) => ({ value: s.id, label: <span><span style={{ display: 'inline-block', width: 8, height: 8, borderRadius: 4, background: s.color ?? '#d9d9d9', marginInlineEnd: 6 }} />{s.name}</span> }))]} />
        </label>
        <label style={{ flex: '1 1 160px' }}>
          <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>{t('contacts.fields.owner')}</Typography.Text>
          <Select style={{ width: '100%' }} disabled={!writable} value={contact.owner?.id ?? ''} showSearch optionFilterProp="label"
            onChange={(v: string) => setField({ ownerId: v || null })} options={ownerOptions} />
        </label>
      </Flex>
      <div style={{ marginTop: 12 }} data-testid="profile-tags">
        {contact.tags.map((tag) => (
          <ColorTag key={tag.id} color={tag.color ?? tagColor.get(tag.id)} closable={writable} onClose={() => removeTag.mutate(tag.id)}>{tag.name}</ColorTag>
        ))}
        {writable && adding ? (
          <Select mode="multiple" autoFocus open size="small" style={{ minWidth: 200 }} optionFilterProp="label" placeholder={t('contacts.fields.tags')}
            onBlur={() => setAdding(false)} onChange={(ids: string[]) => ids.length && addTags.mutate(ids)}
            options={tags.tags.filter((tag) => !contact.tags.some((x) => x.id === tag.id)).map((tag) => ({ value: tag.id, label: tag.name, title: tag.groupName }))} />
        ) : writable ? (
          <Button size="small" type="dashed" icon={<PlusOutlined />} onClick={() => setAdding(true)}>{t('profile360.addTag')}</Button>
        ) : null}
      </div>
    </Card>
  );
}
