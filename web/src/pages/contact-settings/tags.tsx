import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, ColorPicker, Empty, Flex, Form, Input, Modal, Popconfirm, Space, Switch, Tag as AntTag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  createTag, createTagGroup, deleteTag, deleteTagGroup, tagGroupsKey, updateTag, updateTagGroup, useTagGroups, type Tag, type TagGroup,
} from '../../api/contact-settings';
import { ColorTag, presetColors } from '../../components/color-tag';
import { ErrorAlert, useErrorToast, useFormErrorHandler } from '../../components/errors';
import { PageHeader } from '../../components/page-header';
import { colorValue } from './stages';

type Editing = { kind: 'group'; group: TagGroup | null } | { kind: 'tag'; groupId: string; tag: Tag | null } | null;
interface Values { name: string; singleChoice?: boolean; color?: unknown }

/** Tag groups (a single-choice group allows one tag per contact) and their coloured tags. */
export default function TagsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const toast = useErrorToast();
  const onFormError = useFormErrorHandler();
  const queryClient = useQueryClient();
  const groups = useTagGroups();
  const [editing, setEditing] = useState<Editing>(null);
  const [form] = Form.useForm<Values>();
  const refresh = () => queryClient.invalidateQueries({ queryKey: tagGroupsKey });
  const done = () => { setEditing(null); void message.success(t('common.saved')); void refresh(); };
  const save = useMutation({
    mutationFn: async (v: Values) => {
      if (editing?.kind === 'group') {
        const body = { name: v.name, singleChoice: Boolean(v.singleChoice) };
        return editing.group ? updateTagGroup(editing.group.id, body) : createTagGroup(body);
      }
      if (editing?.kind === 'tag') {
        const body = { name: v.name, color: colorValue(v.color) };
        return editing.tag ? updateTag(editing.tag.id, body) : createTag({ ...body, groupId: editing.groupId });
      }
      return undefined;
    },
    onSuccess: done,
    onError: onFormError(form, ['name', 'singleChoice', 'color'], 'name'),
  });
  const removeGroup = useMutation({ mutationFn: deleteTagGroup, onSuccess: () => void refresh(), onError: toast });
  const removeTag = useMutation({ mutationFn: deleteTag, onSuccess: () => void refresh(), onError: toast });
  const open = (e: NonNullable<Editing>) => {
    setEditing(e);
    form.setFieldsValue(e.kind === 'group'
      ? { name: e.group?.name ?? '', singleChoice: e.group?.singleChoice ?? false }
      : { name: e.tag?.name ?? '', color: e.tag?.color ?? presetColors[0] });
  };

  return (
    <>
      <PageHeader title={t('nav.tags')} description={t('settings.tagsHint')}
        extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => open({ kind: 'group', group: null })} data-testid="tag-group-create">{t('settings.newGroup')}</Button>} />
      <ErrorAlert error={groups.error} />
      {!groups.isPending && !groups.data?.length && !groups.isError ? <Card><Empty description={t('settings.noGroups')} /></Card> : null}
      <Flex vertical gap={16}>
        {(groups.data ?? []).map((g) => (
          <Card key={g.id} size="small" loading={groups.isPending} data-testid="tag-group"
            title={<Space wrap>{g.name}{g.singleChoice ? <AntTag color="gold">{t('settings.singleChoice')}</AntTag> : null}</Space>}
            extra={<Space>
              <Button size="small" icon={<EditOutlined />} onClick={() => open({ kind: 'group', group: g })} aria-label={t('common.edit')} />
              <Popconfirm title={t('settings.deleteGroupConfirm', { name: g.name })} description={t('settings.deleteGroupHint')} okButtonProps={{ danger: true }}
                okText={t('common.delete')} cancelText={t('common.cancel')} onConfirm={() => removeGroup.mutateAsync(g.id).catch(() => undefined)}>
                <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
              </Popconfirm>
            </Space>}>
            <Flex wrap gap={4} align="center">
              {g.tags.map((tag) => (
                <Tooltip key={tag.id} title={t('settings.tagCount', { count: tag.contactCount ?? 0 })}>
                  <span>
                    <ColorTag color={tag.color}>
                      <a onClick={() => open({ kind: 'tag', groupId: g.id, tag })} style={{ color: 'inherit' }}>{tag.name}</a>
                      <Popconfirm title={t('settings.deleteTagConfirm', { name: tag.name })} okButtonProps={{ danger: true }} okText={t('common.delete')} cancelText={t('common.cancel')}
                        onConfirm={() => removeTag.mutateAsync(tag.id).catch(() => undefined)}>
                        <DeleteOutlined style={{ marginInlineStart: 6, fontSize: 11 }} aria-label={t('common.delete')} />
                      </Popconfirm>
                    </ColorTag>
                  </span>
                </Tooltip>
              ))}
              <Button size="small" type="dashed" icon={<PlusOutlined />} onClick={() => open({ kind: 'tag', groupId: g.id, tag: null })} data-testid="tag-create">{t('settings.newTag')}</Button>
            </Flex>
            {!g.tags.length ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('settings.noTags')}</Typography.Text> : null}
          </Card>
        ))}
      </Flex>
      <Modal open={editing !== null} onCancel={() => setEditing(null)} onOk={() => form.submit()} okText={t('common.save')} cancelText={t('common.cancel')} confirmLoading={save.isPending} forceRender
        title={editing?.kind === 'group' ? (editing.group ? t('settings.editGroup') : t('settings.newGroup')) : editing?.kind === 'tag' && editing.tag ? t('settings.editTag') : t('settings.newTag')}>
        <Form form={form} name="tag-settings" layout="vertical" onFinish={(v) => save.mutate(v)}>
          <Form.Item name="name" label={t('settings.name')} rules={[{ required: true, message: t('validation.required') }, { max: 50 }]}><Input data-testid="tag-name" /></Form.Item>
          {editing?.kind === 'group' ? (
            <Form.Item name="singleChoice" label={t('settings.singleChoice')} valuePropName="checked" extra={t('settings.singleChoiceHint')}><Switch /></Form.Item>
          ) : (
            <Form.Item name="color" label={t('settings.color')}><ColorPicker disabledAlpha presets={[{ label: t('settings.color'), colors: presetColors }]} /></Form.Item>
          )}
        </Form>
      </Modal>
    </>
  );
}
