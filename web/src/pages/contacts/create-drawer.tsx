import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Col, DatePicker, Divider, Drawer, Form, Input, InputNumber, Row, Select, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useAllTags, useCustomFields, useStages } from '../../api/contact-settings';
import { createContact, type ContactInput, type CustomValue } from '../../api/contacts';
import { isApiError } from '../../api/client';
import { useAllMembers } from '../../api/lookups';
import { useCan, useSession } from '../../auth/session';
import { useChannelOptions } from '../../components/channel';
import { CustomValueInput } from '../../components/custom-value';
import { useFormErrorHandler } from '../../components/errors';

interface Values extends Omit<ContactInput, 'birthday' | 'custom'> {
  birthday?: Dayjs | null;
  custom?: Record<string, CustomValue | null>;
}

const standard = ['name', 'phone', 'email', 'company', 'title', 'city', 'region', 'gender', 'birthday', 'stageId', 'ownerId', 'sourceChannel', 'preferredChannel', 'influence', 'custom', 'identities', 'tagIds'];

/** New contact: the standard fields, custom fields by type, identities and tags. */
export function CreateContactDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const me = useSession();
  const navigate = useNavigate();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const onFormError = useFormErrorHandler();
  const stages = useStages();
  const tags = useAllTags();
  const fields = useCustomFields();
  const members = useAllMembers(can('members:read'));
  const channelOptions = useChannelOptions();

  const mutation = useMutation({
    mutationFn: (v: Values) => {
      const custom = Object.fromEntries(Object.entries(v.custom ?? {}).filter(([, x]) => x !== undefined && x !== null && x !== ''));
      const body: ContactInput = { ...v, birthday: v.birthday ? v.birthday.format('YYYY-MM-DD') : undefined, custom };
      for (const key of Object.keys(body) as Array<keyof ContactInput>) if (body[key] === '' || body[key] === undefined) delete body[key];
      return createContact(body);
    },
    onSuccess: (contact) => {
      void message.success(t('contacts.created'));
      void queryClient.invalidateQueries({ queryKey: ['contacts'] });
      form.resetFields();
      onClose();
      void navigate(`/contacts/${contact.id}`);
    },
    onError: (error, values) => {
      // An identity held by another contact: offer to open that one.
      const holder = isApiError(error) && typeof error.extra.contactId === 'string' ? error.extra.contactId : undefined;
      if (isApiError(error) && error.code === 'conflict' && values.identities?.length) {
        modal.confirm({ title: t('contacts.identityTaken'), content: error.detail, okText: holder ? t('contacts.openHolder') : t('common.close'),
          cancelText: t('common.cancel'), onOk: () => { if (holder) void navigate(`/contacts/${holder}`); } });
        return;
      }
      onFormError(form, standard)(error);
    },
  });

  const half = { xs: 24, sm: 12 };
  return (
    <Drawer open={open} onClose={onClose} title={t('contacts.create')} size={640} styles={{ wrapper: { maxWidth: '100vw' } }} destroyOnHidden
      footer={<Space style={{ float: 'right' }}><Button onClick={onClose}>{t('common.cancel')}</Button>
        <Button type="primary" loading={mutation.isPending} onClick={() => form.submit()} data-testid="contact-submit">{t('common.create')}</Button></Space>}>
      <Form form={form} name="create-contact" layout="vertical" onFinish={(v) => mutation.mutate(v)} initialValues={{ ownerId: me.member?.id, identities: [] }} scrollToFirstError>
        <Row gutter={12}>
          <Col {...half}><Form.Item name="name" label={t('contacts.fields.name')} rules={[{ required: true, message: t('validation.required') }, { max: 200 }]}><Input autoFocus data-testid="contact-name" /></Form.Item></Col>
          <Col {...half}><Form.Item name="phone" label={t('contacts.fields.phone')}><Input type="tel" data-testid="contact-phone" /></Form.Item></Col>
          <Col {...half}><Form.Item name="email" label={t('contacts.fields.email')} rules={[{ type: 'email', message: t('validation.email') }]}><Input data-testid="contact-email" /></Form.Item></Col>
          <Col {...half}><Form.Item name="company" label={t('contacts.fields.company')}><Input /></Form.Item></Col>
          <Col {...half}><Form.Item name="title" label={t('contacts.fields.title')}><Input /></Form.Item></Col>
          <Col {...half}><Form.Item name="city" label={t('contacts.fields.city')}><Input /></Form.Item></Col>
          <Col {...half}><Form.Item name="region" label={t('contacts.fields.region')}><Input /></Form.Item></Col>
          <Col {...half}><Form.Item name="gender" label={t('contacts.fields.gender')}>
            <Select allowClear options={(['female', 'male', 'other', 'unknown'] as const).map((g) => ({ value: g, label: t(`contacts.genders.${g}`) }))} />
          </Form.Item></Col>
          <Col {...half}><Form.Item name="birthday" label={t('contacts.fields.birthday')}><DatePicker style={{ width: '100%' }} /></Form.Item></Col>
          <Col {...half}><Form.Item name="influence" label={t('contacts.fields.influence')}><InputNumber style={{ width: '100%' }} min={0} /></Form.Item></Col>
          <Col {...half}><Form.Item name="stageId" label={t('contacts.fields.stage')}><Select allowClear options={(stages.data ?? []).map((s) => ({ value: s.id, label: s.name }))} /></Form.Item></Col>
          <Col {...half}><Form.Item name="ownerId" label={t('contacts.fields.owner')}>
            <Select allowClear showSearch optionFilterProp="label" options={(members.data ?? [{ id: me.member?.id ?? '', name: me.user.name, email: me.user.email }]).map((m) => ({ value: m.id, label: m.name || m.email }))} />
          </Form.Item></Col>
          <Col {...half}><Form.Item name="sourceChannel" label={t('contacts.fields.source')}><Select allowClear options={channelOptions} optionFilterProp="text" showSearch /></Form.Item></Col>
          <Col {...half}><Form.Item name="preferredChannel" label={t('contacts.fields.preferredChannel')}><Select allowClear options={channelOptions} optionFilterProp="text" showSearch /></Form.Item></Col>
          <Col span={24}><Form.Item name="tagIds" label={t('contacts.fields.tags')}>
            <Select mode="multiple" allowClear optionFilterProp="label" options={tags.tags.map((tag) => ({ value: tag.id, label: tag.name }))} />
          </Form.Item></Col>
        </Row>
        {fields.data?.length ? <Divider titlePlacement="start">{t('contacts.customFields')}</Divider> : null}
        <Row gutter={12}>
          {(fields.data ?? []).map((f) => (
            <Col key={f.id} {...(f.type === 'long_text' ? { span: 24 } : half)}>
              <Form.Item name={['custom', f.key]} label={f.label}
                rules={f.required ? [{ required: true, message: t('validation.required') }] : []}>
                <CustomValueInput field={f} />
              </Form.Item>
            </Col>
          ))}
        </Row>
        <Divider titlePlacement="start">{t('contacts.identities')}</Divider>
        <Form.List name="identities">
          {(items, { add, remove }) => (
            <>
              {items.map((item) => (
                <Space key={item.key} align="baseline" wrap style={{ display: 'flex', marginBottom: 4 }}>
                  <Form.Item name={[item.name, 'channelType']} rules={[{ required: true, message: t('validation.required') }]}>
                    <Select style={{ width: 150 }} options={channelOptions} placeholder={t('contacts.channel')} />
                  </Form.Item>
                  <Form.Item name={[item.name, 'externalId']} rules={[{ required: true, message: t('validation.required') }]}>
                    <Input placeholder={t('contacts.externalId')} style={{ width: 170 }} />
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(item.name)} aria-label={t('common.delete')} />
                </Space>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})}>{t('contacts.addIdentity')}</Button>
            </>
          )}
        </Form.List>
      </Form>
    </Drawer>
  );
}
