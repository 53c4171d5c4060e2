import { Card, Empty, List, Segmented } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Task } from '../api/activity';
import { LoadMore, useCursorList } from '../components/cursor-list';
import { ErrorAlert } from '../components/errors';
import { PageHeader } from '../components/page-header';
import { TaskItem } from './contacts/tasks-card';

/** Tasks assigned to me, open first; ticking one completes it. */
export default function TasksPage() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<'open' | 'done'>('open');
  const list = useCursorList<Task>('/tasks', { assignee: 'me', status });
  return (
    <>
      <PageHeader title={t('tasks.mine')} />
      <Card>
        <Segmented value={status} onChange={(v) => setStatus(v as 'open' | 'done')} style={{ marginBottom: 12 }}
          options={[{ value: 'open', label: t('tasks.open') }, { value: 'done', label: t('tasks.done') }]} />
        <ErrorAlert error={list.error} />
        <List loading={list.isPending} dataSource={list.items} renderItem={(task) => <TaskItem task={task} showContact />}
          locale={{ emptyText: list.isError ? <span /> : <Empty description={status === 'open' ? t('tasks.noneOpen') : t('tasks.noneDone')} /> }} />
        <LoadMore list={list} />
      </Card>
    </>
  );
}
