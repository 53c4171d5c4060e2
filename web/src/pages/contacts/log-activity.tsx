import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Form, Input, InputNumber, Radio, Tabs } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { addNote, logCall, logVisit } from '../../api/activity';
import { useFormErrorHandler } from '../../components/errors';

type Kind = 'note' | 'call' | 'visit';
interface Values { body?: string; direction?: 'in' | 'out'; minutes?: number; outcome?: string; location?: string; occurredAt?: Dayjs }

/** Add a note, log a call or a visit; the timeline refreshes to show it. */
export function LogActivity({ contactId }: { contactId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onFormError = useFormErrorHandler();
  const [kind, setKind] = useState<Kind>('note');
  const [form] = Form.useForm<Values>();
  const save = useMutation({
    mutationFn: (v: Values) => {
      const occurredAt = v.occurredAt?.toISOString();
      if (kind === 'note') return addNote(contactId, { body: v.body ?? '' });
      if (kind === 'call') return logCall(contactId, { body: v.body || undefined, direction: v.direction ?? 'out', durationSeconds: v.minutes ? Math.round(v.minutes * 60) : undefined, outcome: v.outcome || undefined, occurredAt });
      return logVisit(contactId, { body: v.body || undefined, location: v.location || undefined, occurredAt });
    },
    onSuccess: () => {
      form.resetFields();
      void message.success(t('profile360.logged'));
      void queryClient.invalidateQueries({ queryKey: ['timeline', contactId] });
    },
    onError: onFormError(form, ['body', 'direction', 'durationSeconds', 'outcome', 'location', 'occurredAt']),
  });
  const when = <Form.Item name="occurredAt" label={t('profile360.occurredAt')}><DatePicker showTime style={{ width: '100%' }} /></Form.Item>;
  return (
    <Card size="small" styles={{ body: { paddingTop: 0 } }}>
      <Tabs activeKey={kind} onChange={(k) => setKind(k as Kind)} items={(['note', 'call', 'visit'] as const).map((k) => ({ key: k, label: t(`profile360.log.${k}`) }))} />
      <Form form={form} name={`log-${kind}`} layout="vertical" initialValues={{ direction: 'out' }} onFinish={(v) => save.mutate(v)}>
        {kind === 'call' ? (
          <>
            <Form.Item name="direction" label={t('profile360.direction')}>
              <Radio.Group optionType="button" options={[{ value: 'out', label: t('profile360.directions.out') }, { value: 'in', label: t('profile360.directions.in') }]} />
            </Form.Item>
            <Form.Item name="minutes" label={t('profile360.minutes')}><InputNumber min={0} style={{ width: '100%' }} /></Form.Item>
            <Form.Item name="outcome" label={t('profile360.outcome')}><Input maxLength={200} /></Form.Item>
            {when}
          </>
        ) : null}
        {kind === 'visit' ? <><Form.Item name="location" label={t('profile360.location')}><Input maxLength={200} /></Form.Item>{when}</> : null}
        <Form.Item name="body" label={kind === 'note' ? undefined : t('profile360.summary')}
          rules={kind === 'note' ? [{ required: true, whitespace: true, message: t('validation.required') }] : []}>
          <Input.TextArea rows={3} maxLength={10000} placeholder={t(`profile360.placeholders.${kind}`)} data-testid="note-body" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="log-submit">{t(`profile360.log.${kind}`)}</Button>
      </Form>
    </Card>
  );
}
