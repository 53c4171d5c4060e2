import { DeleteOutlined, EditOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, DatePicker, Empty, Form, Input, Modal, Popconfirm, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useTeams } from '../../api/lookups';
import { useCan } from '../../auth/session';
import { ErrorAlert, useErrorToast, useFormErrorHandler } from '../../components/errors';
import { autorepliesKey, deleteHours, listHours, setHours, type BusinessHours, type HoursInput } from './api';

const hoursKey = [...autorepliesKey, 'hours'];
const days = [1, 2, 3, 4, 5, 6, 0];
const zones = (() => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['Asia/Shanghai', 'UTC'];
  }
})();

/** 工作时间: per team, in its time zone; outside them the away message answers (once per closed period). */
export function BusinessHoursTab() {
  const { t } = useTranslation();
  const can = useCan();
  const writable = can('inbox:manage');
  const queryClient = useQueryClient();
  const toast = useErrorToast();
  const hours = useQuery({ queryKey: hoursKey, queryFn: listHours });
  const teams = useTeams();
  const teamName = (id: string) => teams.data?.find((x) => x.id === id)?.name ?? id;
  const [editing, setEditing] = useState<{ teamId: string | null; hours: BusinessHours | null } | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: hoursKey });
  const remove = useMutation({ mutationFn: deleteHours, onSuccess: refresh, onError: toast });
  const dayName = (d: number) => t(`autoreplies.hours.days.${d}`);
  const create = writable ? <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ teamId: null, hours: null })} data-testid="hours-create">{t('autoreplies.hours.create')}</Button> : null;

  return (
    <>
      <Typography.Paragraph type="secondary">{t('autoreplies.hours.hint')}</Typography.Paragraph>
      <div style={{ marginBottom: 12 }}>{create}</div>
      <ErrorAlert error={hours.error} />
      <Table<BusinessHours>
        rowKey="teamId" loading={hours.isPending} dataSource={hours.data ?? []} pagination={false} scroll={{ x: 'max-content' }}
        locale={{ emptyText: hours.isPending || hours.isError ? <span /> : <Empty description={t('autoreplies.hours.empty')}>{create}</Empty> }}
        columns={[
          { title: t('autoreplies.hours.team'), key: 'team', render: (_, h) => teamName(h.teamId) },
          { title: t('autoreplies.hours.timezone'), dataIndex: 'timezone' },
          { title: t('autoreplies.hours.weekly'), key: 'weekly', render: (_, h) => h.weekly.length ? h.weekly.map((i, n) => <Tag key={n}>{dayName(i.day)} {i.open}–{i.close}</Tag>) : t('autoreplies.hours.never') },
          { title: t('autoreplies.hours.now'), key: 'now', render: (_, h) => (h.enabled ? (h.openNow ? <Tag color="green">{t('autoreplies.hours.open')}</Tag> : <Tag>{t('autoreplies.hours.closed')}</Tag>) : <Tag>{t('autoreplies.off')}</Tag>) },
          ...(writable ? [{
            title: t('common.actions'), key: 'actions', render: (_: unknown, h: BusinessHours) => (
              <Space size={4}>
                <Button size="small" icon={<EditOutlined />} aria-label={t('common.edit')} onClick={() => setEditing({ teamId: h.teamId, hours: h })} />
                <Popconfirm title={t('autoreplies.hours.deleteConfirm')} okButtonProps={{ danger: true }} okText={t('common.delete')} cancelText={t('common.cancel')} onConfirm={() => remove.mutateAsync(h.teamId).catch(() => undefined)}>
                  <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
                </Popconfirm>
              </Space>
            ),
          }] : []),
        ]}
      />
      {editing ? <HoursModal {...editing} taken={(hours.data ?? []).map((h) => h.teamId)} onClose={() => setEditing(null)} onSaved={() => { setEditing(null); void refresh(); }} /> : null}
    </>
  );
}

interface FormValues extends Omit<HoursInput, 'closedDates'> { teamId: string; closedDates: Dayjs[] }

function HoursModal({ teamId, hours, taken, onClose, onSaved }: { teamId: string | null; hours: BusinessHours | null; taken: string[]; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const onError = useFormErrorHandler();
  const teams = useTeams();
  const save = useMutation({
    mutationFn: ({ teamId: team, closedDates, ...v }: FormValues) => setHours(team, { ...v, closedDates: (closedDates ?? []).map((d) => d.format('YYYY-MM-DD')) }),
    onSuccess: () => { void message.success(t('autoreplies.saved')); onSaved(); },
    onError: onError(form, ['timezone', 'weekly', 'closedDates', 'awayMessage']),
  });
  const initial: Partial<FormValues> = hours
    ? { ...hours, closedDates: hours.closedDates.map((d) => dayjs(d)) }
    : { teamId: teamId ?? undefined, timezone: Intl.DateTimeFormat().resolvedOptions().timeZone, weekly: [1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '18:00' })), closedDates: [], enabled: true };
  const time = [{ pattern: /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, message: t('autoreplies.hours.timeFormat') }];
  return (
    <Modal open width={640} title={t('autoreplies.hours.edit')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending} okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={initial} onFinish={(v) => save.mutate(v)} data-testid="hours-form">
        <Form.Item name="teamId" label={t('autoreplies.hours.team')} rules={[{ required: true, message: t('autoreplies.required') }]}>
          <Select disabled={Boolean(hours)} loading={teams.isPending} options={(teams.data ?? []).filter((x) => hours || !taken.includes(x.id)).map((x) => ({ value: x.id, label: x.name }))} />
        </Form.Item>
        <Form.Item name="timezone" label={t('autoreplies.hours.timezone')} rules={[{ required: true, message: t('autoreplies.required') }]}>
          <Select showSearch options={zones.map((z) => ({ value: z, label: z }))} />
        </Form.Item>
        <Form.List name="weekly">
          {(fields, { add, remove }) => (
            <Form.Item label={t('autoreplies.hours.weekly')} extra={t('autoreplies.hours.weeklyHint')}>
              {fields.map((f) => (
                <Space key={f.key} align="baseline">
                  <Form.Item name={[f.name, 'day']}><Select style={{ width: 110 }} options={days.map((d) => ({ value: d, label: t(`autoreplies.hours.days.${d}`) }))} /></Form.Item>
                  <Form.Item name={[f.name, 'open']} rules={time}><Input style={{ width: 80 }} placeholder="09:00" /></Form.Item>
                  <span>–</span>
                  <Form.Item name={[f.name, 'close']} rules={time}><Input style={{ width: 80 }} placeholder="18:00" /></Form.Item>
                  <MinusCircleOutlined aria-label={t('common.delete')} onClick={() => remove(f.name)} />
                </Space>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ day: 1, open: '09:00', close: '18:00' })}>{t('autoreplies.hours.addInterval')}</Button>
            </Form.Item>
          )}
        </Form.List>
        <Form.Item name="closedDates" label={t('autoreplies.hours.closedDates')} extra={t('autoreplies.hours.closedDatesHint')}>
          <DatePicker multiple style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="awayMessage" label={t('autoreplies.hours.awayMessage')} rules={[{ required: true, message: t('autoreplies.required') }, { max: 2000 }]}>
          <Input.TextArea rows={3} data-testid="hours-away" />
        </Form.Item>
        <Form.Item name="enabled" valuePropName="checked" label={t('autoreplies.enabled')}><Switch /></Form.Item>
      </Form>
    </Modal>
  );
}
