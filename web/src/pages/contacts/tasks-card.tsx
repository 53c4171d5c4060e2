import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Checkbox, DatePicker, Form, Input, List, Modal, Select, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { createTask, updateTask, type Task } from '../../api/activity';
import { api, type Page } from '../../api/client';
import { useAllMembers } from '../../api/lookups';
import { useCan, useSession } from '../../auth/session';
import { useErrorToast, useFormErrorHandler } from '../../components/errors';
import { useFormatDate } from '../../components/format';

interface Values { title: string; notes?: string; dueAt?: Dayjs; remindAt?: Dayjs; assigneeId?: string }

export function useCompleteTask() {
  const queryClient = useQueryClient();
  const toast = useErrorToast();
  return useMutation({
    mutationFn: (v: { id: string; done: boolean }) => updateTask(v.id, { status: v.done ? 'done' : 'open' }),
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: ['tasks'] }), queryClient.invalidateQueries({ queryKey: ['list', '/tasks'] })]),
    onError: toast,
  });
}

export function TaskItem({ task, showContact }: { task: Task; showContact?: boolean }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const complete = useCompleteTask();
  const overdue = task.status === 'open' && task.dueAt && new Date(task.dueAt) < new Date();
  return (
    <List.Item data-testid="task-item">
      <Checkbox checked={task.status === 'done'} disabled={complete.isPending} onChange={(e) => complete.mutate({ id: task.id, done: e.target.checked })} style={{ marginInlineEnd: 8 }}
        aria-label={t('tasks.complete')} />
      <div style={{ flex: 1, minWidth: 0 }}>
        <Typography.Text delete={task.status === 'done'}>{task.title}</Typography.Text>
        {showContact && task.contact ? <> · <Link to={`/contacts/${task.contact.id}`}>{task.contact.name}</Link></> : null}
        <div style={{ fontSize: 12 }}>
          {task.dueAt ? <Typography.Text type={overdue ? 'danger' : 'secondary'}>{t('tasks.due')} {formatDate(task.dueAt)}</Typography.Text> : null}
          {task.remindAt ? <Typography.Text type="secondary"> · {t('tasks.remind')} {formatDate(task.remindAt)}</Typography.Text> : null}
          {task.assignee ? <Typography.Text type="secondary"> · {task.assignee.name}</Typography.Text> : null}
        </div>
        {task.notes ? <Typography.Paragraph type="secondary" style={{ margin: 0, fontSize: 12, whiteSpace: 'pre-wrap' }}>{task.notes}</Typography.Paragraph> : null}
      </div>
    </List.Item>
  );
}

/** Open tasks on this contact, and a form to create one with due date and reminder. */
export function TasksCard({ contactId, readOnly }: { contactId: string; readOnly: boolean }) {
  const { t } = useTranslation();
  const can = useCan();
  const me = useSession();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onFormError = useFormErrorHandler();
  const members = useAllMembers(can('members:read'));
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Values>();
  const tasks = useQuery({ queryKey: ['tasks', 'contact', contactId], queryFn: () => api.get<Page<Task>>('/tasks', { contactId, status: 'open', limit: 50 }).then((r) => r.items) });
  const create = useMutation({
    mutationFn: (v: Values) => createTask(contactId, { title: v.title, notes: v.notes || undefined, dueAt: v.dueAt?.toISOString(), remindAt: v.remindAt?.toISOString(), assigneeId: v.assigneeId }),
    onSuccess: () => { setOpen(false); form.resetFields(); void message.success(t('common.saved')); void queryClient.invalidateQueries({ queryKey: ['tasks'] }); void queryClient.invalidateQueries({ queryKey: ['list', '/tasks'] }); },
    onError: onFormError(form, ['title', 'notes', 'dueAt', 'remindAt', 'assigneeId']),
  });
  return (
    <Card title={t('nav.tasks')} size="small" extra={readOnly ? null : <Button size="small" type="link" icon={<PlusOutlined />} onClick={() => setOpen(true)} data-testid="task-create">{t('tasks.create')}</Button>}>
      <List size="small" loading={tasks.isPending} dataSource={tasks.data ?? []} locale={{ emptyText: tasks.isError ? t('errors.unavailable') : t('tasks.noneOpen') }}
        renderItem={(task) => <TaskItem task={task} />} />
      <Modal open={open} title={t('tasks.create')} onCancel={() => setOpen(false)} onOk={() => form.submit()} okText={t('common.create')} cancelText={t('common.cancel')} confirmLoading={create.isPending} destroyOnHidden>
        <Form form={form} name="create-task" layout="vertical" initialValues={{ assigneeId: me.member?.id }} onFinish={(v) => create.mutate(v)}>
          <Form.Item name="title" label={t('tasks.title')} rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 200 }]}><Input autoFocus /></Form.Item>
          <Form.Item name="notes" label={t('tasks.notes')}><Input.TextArea rows={2} /></Form.Item>
          <Form.Item name="dueAt" label={t('tasks.due')}><DatePicker showTime style={{ width: '100%' }} /></Form.Item>
          <Form.Item name="remindAt" label={t('tasks.remind')} extra={t('tasks.remindHint')}><DatePicker showTime style={{ width: '100%' }} /></Form.Item>
          <Form.Item name="assigneeId" label={t('tasks.assignee')}>
            <Select showSearch optionFilterProp="label" options={(members.data ?? [{ id: me.member?.id ?? '', name: me.user.name, email: me.user.email }]).map((m) => ({ value: m.id, label: m.name || m.email }))} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
