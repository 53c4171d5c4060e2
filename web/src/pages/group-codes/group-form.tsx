// Adding or changing one group of a group code: how to join (invite link or an uploaded QR
// image, sent as base64), its size, daily cap, expiry and optional inbox conversation.
import { UploadOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Col, DatePicker, Drawer, Form, Image, Input, InputNumber, Radio, Row, Space, Switch, Typography, Upload } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { addGroup, groupCodeKey, groupCodesKey, updateGroup, type Group, type GroupCode, type GroupInput } from '../../api/group-codes';
import { useFormErrorHandler } from '../../components/errors';

interface Values { name: string; way: 'link' | 'qr'; joinUrl?: string; qrImage?: string; expiresOn?: Dayjs | null; capacity: number; dailyCap?: number | null; members: number; conversationId?: string; enabled: boolean }

const MAX_BYTES = 512 * 1024;
const fields = ['name', 'joinUrl', 'qrImage', 'expiresOn', 'capacity', 'dailyCap', 'members', 'conversationId', 'enabled'];
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const readBase64 = (file: File) => new Promise<string>((resolve, reject) => {
  const reader = new FileReader();
  reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
  reader.onerror = () => reject(reader.error ?? new Error('read failed'));
  reader.readAsDataURL(file);
});

export function GroupDrawer({ code, group, onClose }: { code: GroupCode; group?: Group; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const onFormError = useFormErrorHandler();
  const way = Form.useWatch('way', form);

  const save = useMutation({
    mutationFn: (v: Values) => {
      const join: Partial<GroupInput> = v.way === 'link' ? { joinUrl: v.joinUrl?.trim() ?? null } : v.qrImage ? { qrImage: v.qrImage } : {};
      const body = {
        name: v.name.trim(), ...join, expiresOn: v.expiresOn ? v.expiresOn.format('YYYY-MM-DD') : null, capacity: v.capacity, dailyCap: v.dailyCap ?? null,
        members: v.members ?? 0, conversationId: v.conversationId?.trim() || null, enabled: v.enabled,
      };
      return group ? updateGroup(code.id, group.id, body) : addGroup(code.id, { joinUrl: null, ...body });
    },
    onSuccess: (saved) => {
      queryClient.setQueryData(groupCodeKey(code.id), saved);
      void queryClient.invalidateQueries({ queryKey: groupCodesKey });
      void message.success(t('common.saved'));
      onClose();
    },
    onError: onFormError(form, fields),
  });
  const submit = (v: Values) => {
    if (v.way === 'qr' && !v.qrImage && !group?.qrImageUrl) return form.setFields([{ name: 'qrImage', errors: [t('groupCodes.group.qrRequired')] }]);
    save.mutate(v);
  };
  const initial: Partial<Values> = group
    ? { ...group, way: group.joinUrl ? 'link' : 'qr', joinUrl: group.joinUrl ?? undefined, expiresOn: group.expiresOn ? dayjs(group.expiresOn) : null, conversationId: group.conversationId ?? undefined }
    : { way: 'link', capacity: 200, members: 0, enabled: true };
  const half = { xs: 24, sm: 12 };

  return (
    <Drawer open onClose={onClose} title={group ? t('groupCodes.group.edit') : t('groupCodes.group.add')} size={560} styles={{ wrapper: { maxWidth: '100vw' } }} destroyOnHidden
      footer={<Space style={{ float: 'right' }}><Button onClick={onClose}>{t('common.cancel')}</Button>
        <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="group-save">{t('common.save')}</Button></Space>}>
      <Form form={form} layout="vertical" name="group" initialValues={initial} onFinish={submit}>
        <Form.Item name="name" label={t('groupCodes.group.name')} rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 200 }]}>
          <Input autoFocus data-testid="group-name" />
        </Form.Item>
        <Form.Item name="way" label={t('groupCodes.group.way')}>
          <Radio.Group data-testid="group-way" options={[{ value: 'link', label: t('groupCodes.group.joinUrl') }, { value: 'qr', label: t('groupCodes.group.qrImage') }]} />
        </Form.Item>
        {way === 'qr' ? (
          <Form.Item name="qrImage" label={t('groupCodes.group.qrImage')} extra={t('groupCodes.group.qrHint')}>
            <QrImageInput savedUrl={group?.qrImageUrl ?? null} />
          </Form.Item>
        ) : (
          <Form.Item name="joinUrl" label={t('groupCodes.group.joinUrl')} extra={t('groupCodes.group.joinUrlHint')}
            rules={[{ required: true, message: t('validation.required') }, { type: 'url', message: t('liveCodes.builder.urlFormat') }]}>
            <Input placeholder="https://t.me/+…" data-testid="group-join-url" />
          </Form.Item>
        )}
        <Row gutter={12}>
          <Col {...half}><Form.Item name="capacity" label={t('groupCodes.group.capacity')} rules={[{ required: true, message: t('validation.required') }]}>
            <InputNumber min={1} max={100_000} precision={0} style={{ width: '100%' }} data-testid="group-capacity" />
          </Form.Item></Col>
          <Col {...half}><Form.Item name="dailyCap" label={t('groupCodes.group.dailyCap')}>
            <InputNumber min={1} max={100_000} precision={0} placeholder={t('liveCodes.builder.noCap')} style={{ width: '100%' }} data-testid="group-daily-cap" />
          </Form.Item></Col>
          <Col {...half}><Form.Item name="members" label={t('groupCodes.group.members')} extra={t('groupCodes.group.membersHint')}>
            <InputNumber min={0} max={100_000} precision={0} style={{ width: '100%' }} />
          </Form.Item></Col>
          <Col {...half}><Form.Item name="expiresOn" label={t('groupCodes.group.expiresOn')} extra={t('groupCodes.group.expiresHint')}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item></Col>
        </Row>
        <Form.Item name="conversationId" label={t('groupCodes.group.conversation')} extra={t('groupCodes.group.conversationHint')}
          rules={[{ pattern: uuid, message: t('groupCodes.group.conversationFormat') }]}>
          <Input placeholder="00000000-0000-0000-0000-000000000000" />
        </Form.Item>
        <Form.Item name="enabled" label={t('groupCodes.enabled')} valuePropName="checked"><Switch /></Form.Item>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('groupCodes.group.orderHint')}</Typography.Text>
      </Form>
    </Drawer>
  );
}

/** The group's QR image as the form value: base64 of the chosen PNG or JPEG (at most 512 KB), shown with the saved one until then. */
function QrImageInput({ value, onChange, savedUrl }: { value?: string; onChange?: (v: string) => void; savedUrl: string | null }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const pick = async (file: File) => {
    if (file.size > MAX_BYTES) void message.error(t('groupCodes.group.qrTooLarge'));
    else onChange?.(await readBase64(file));
    return false;
  };
  const src = value ? `data:image/png;base64,${value}` : savedUrl;
  return (
    <Space align="start">
      {src ? <Image src={src} width={120} alt={t('groupCodes.group.qrImage')} /> : null}
      <Upload accept="image/png,image/jpeg" showUploadList={false} beforeUpload={pick} maxCount={1}>
        <Button icon={<UploadOutlined />} data-testid="group-qr-upload">{t('groupCodes.group.upload')}</Button>
      </Upload>
    </Space>
  );
}
