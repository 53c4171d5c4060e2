import { ImportOutlined, PlusOutlined, SortAscendingOutlined, SortDescendingOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Flex, Select, Space, Table, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useCustomFields } from '../../api/contact-settings';
import type { ContactFilter, ContactSort, SavedView } from '../../api/contacts';
import { useCan } from '../../auth/session';
import { ErrorAlert } from '../../components/errors';
import { PageHeader } from '../../components/page-header';
import { BatchBar, type Selection } from './batch-bar';
import { ColumnChooser, rememberColumns, storedColumns, useContactColumns } from './columns';
import { CreateContactDrawer } from './create-drawer';
import { FilterBar } from './filter-bar';
import { SavedViews } from './saved-views';
import { cleanFilter, useContactSearch } from './use-contact-search';

const defaultSort: ContactSort = { by: 'createdAt', dir: 'desc' };
const noSelection: Selection = { ids: [], allOfFilter: false };

export default function ContactsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const fields = useCustomFields();
  const [filter, setFilterState] = useState<ContactFilter>({});
  const [sort, setSort] = useState<ContactSort>(defaultSort);
  const [columns, setColumnsState] = useState<string[]>(storedColumns);
  const [view, setView] = useState<SavedView | null>(null);
  const [selection, setSelection] = useState<Selection>(noSelection);
  const [creating, setCreating] = useState(false);
  const clean = useMemo(() => cleanFilter(filter), [filter]);
  const { list, count, items } = useContactSearch(clean, sort);
  const tableColumns = useContactColumns(columns, fields.data ?? []);
  const filtered = Object.keys(clean).length > 0;
  // Rows are selectable only for someone who may run at least one batch action.
  const batchAllowed = can('contacts:write') || can('contacts:export') || can('contacts:delete');

  const setFilter = (f: ContactFilter) => { setFilterState(f); setSelection(noSelection); };
  const setColumns = (c: string[]) => { setColumnsState(c); if (!view) rememberColumns(c); };
  const pickView = (v: SavedView | null) => {
    setView(v);
    setFilter(v?.filter ?? {});
    setSort(v?.sort ?? defaultSort);
    setColumnsState(v?.columns?.length ? v.columns : storedColumns());
  };

  const sortOptions = [
    ...(['createdAt', 'updatedAt', 'lastActiveAt', 'name'] as const).map((by) => ({ value: by, label: t(`contacts.fields.${by}`) })),
    ...(fields.data ?? []).filter((f) => ['number', 'money', 'date', 'text', 'single_select'].includes(f.type)).map((f) => ({ value: `custom.${f.key}`, label: f.label })),
  ];
  const actions = (
    <>
      {can('contacts:import') ? <Button icon={<ImportOutlined />} onClick={() => navigate('/contacts/import')}>{t('contacts.import')}</Button> : null}
      {can('contacts:write') ? <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="contact-create">{t('contacts.create')}</Button> : null}
    </>
  );
  const empty = list.isError ? <span /> : filtered ? <Empty description={t('contacts.noMatch')}><Button onClick={() => setFilter({})}>{t('contacts.clearFilters')}</Button></Empty> : (
    <Empty description={<><Typography.Paragraph strong style={{ marginBottom: 4 }}>{t('contacts.emptyTitle')}</Typography.Paragraph>{t('contacts.emptyHint')}</>}>
      <Space wrap style={{ justifyContent: 'center' }}>{actions}</Space>
    </Empty>
  );

  return (
    <>
      <PageHeader title={t('nav.contacts')} extra={actions} />
      <Card>
        <Flex justify="space-between" wrap gap={8} style={{ marginBottom: 12 }}>
          <SavedViews viewId={view?.id ?? null} current={{ filter: clean, sort, columns }} onPick={pickView} />
          <Space wrap>
            <Space.Compact>
              <Select value={sort.by} onChange={(by) => setSort({ ...sort, by })} options={sortOptions} style={{ minWidth: 130 }} aria-label={t('contacts.sort')} />
              <Button aria-label={t(sort.dir === 'asc' ? 'contacts.ascending' : 'contacts.descending')} title={t(sort.dir === 'asc' ? 'contacts.ascending' : 'contacts.descending')}
                icon={sort.dir === 'asc' ? <SortAscendingOutlined /> : <SortDescendingOutlined />} onClick={() => setSort({ ...sort, dir: sort.dir === 'asc' ? 'desc' : 'asc' })} />
            </Space.Compact>
            <ColumnChooser value={columns} onChange={setColumns} fields={fields.data ?? []} />
          </Space>
        </Flex>
        <FilterBar key={view?.id ?? 'none'} filter={filter} onChange={setFilter} />
        <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 8 }} data-testid="contact-count">
          {count.data !== undefined ? t('contacts.total', { count: count.data }) : '\u00a0'}
        </Typography.Text>
        {selection.ids.length || selection.allOfFilter ? (
          <BatchBar selection={selection} filter={clean} total={count.data} onClear={() => setSelection(noSelection)}
            onSelectAll={() => setSelection({ ids: items.map((c) => c.id), allOfFilter: true })} />
        ) : null}
        <ErrorAlert error={list.error} />
        <Table
          rowKey="id" size="middle" loading={list.isPending || (list.isFetching && !list.isFetchingNextPage)} dataSource={items} pagination={false}
          scroll={{ x: 'max-content' }} columns={tableColumns} locale={{ emptyText: list.isPending ? <span /> : empty }}
          rowSelection={!batchAllowed ? undefined : {
            selectedRowKeys: selection.allOfFilter ? items.map((c) => c.id) : selection.ids,
            onChange: (keys) => setSelection({ ids: keys.map(String), allOfFilter: false }),
            preserveSelectedRowKeys: true,
          }}
        />
        {list.hasNextPage ? (
          <div style={{ textAlign: 'center', marginTop: 16 }}>
            <Button onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage} data-testid="load-more">{t('common.loadMore')}</Button>
          </div>
        ) : null}
      </Card>
      <CreateContactDrawer open={creating} onClose={() => setCreating(false)} />
    </>
  );
}
