import { Button, Card, Empty, Flex, List, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { DuplicateGroup } from '../../api/merges';
import { LoadMore, useCursorList } from '../../components/cursor-list';
import { ErrorAlert } from '../../components/errors';
import { PageHeader } from '../../components/page-header';
import { ContactAvatar } from './columns';
import { MergeCompare } from './merge-compare';

const reasonColor: Record<string, string> = { phone: 'blue', email: 'cyan', identity: 'purple', similar_name: 'orange' };

/** Likely duplicates grouped by what they share; each group opens the side-by-side merge. */
export default function DuplicatesPage() {
  const { t } = useTranslation();
  const list = useCursorList<DuplicateGroup>('/contacts/duplicates');
  const [open, setOpen] = useState<DuplicateGroup | null>(null);
  return (
    <>
      <PageHeader title={t('nav.duplicates')} description={t('merge.hint')} />
      <ErrorAlert error={list.error} />
      <List<DuplicateGroup> loading={list.isPending} dataSource={list.items} grid={{ gutter: 16, xs: 1, md: 2, xl: 3 }}
        locale={{ emptyText: list.isError ? <span /> : <Empty description={t('merge.none')} /> }}
        renderItem={(g) => (
          <List.Item>
            <Card size="small" data-testid="duplicate-group"
              title={<Flex gap={8} align="center" wrap><Tag color={reasonColor[g.reason] ?? 'default'}>{t(`merge.reasons.${g.reason}`, { defaultValue: g.reason })}</Tag>
                <Typography.Text type="secondary" ellipsis style={{ fontSize: 12, maxWidth: 180 }}>{g.key.split(':').slice(1).join(':')}</Typography.Text></Flex>}
              extra={<Button size="small" type="primary" onClick={() => setOpen(g)} data-testid="duplicate-compare">{t('merge.compare')}</Button>}>
              {g.contacts.map((c) => (
                <Flex key={c.id} gap={8} align="center" style={{ padding: '4px 0' }}>
                  <ContactAvatar contact={c} />
                  <div style={{ minWidth: 0 }}>
                    <Link to={`/contacts/${c.id}`}>{c.name}</Link>
                    <div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{[c.phone, c.email, c.company].filter(Boolean).join(' · ') || '—'}</Typography.Text></div>
                  </div>
                </Flex>
              ))}
            </Card>
          </List.Item>
        )} />
      <LoadMore list={list} />
      {open ? <MergeCompare key={open.key} contacts={open.contacts} open onClose={() => setOpen(null)} /> : null}
    </>
  );
}
