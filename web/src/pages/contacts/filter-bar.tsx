import { FilterOutlined } from '@ant-design/icons';
import { Badge, Button, DatePicker, Flex, Input, Select, Space } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAllTags, useCustomFields, useStages } from '../../api/contact-settings';
import type { ContactFilter } from '../../api/contacts';
import { useAllMembers } from '../../api/lookups';
import { useCan } from '../../auth/session';
import { useChannelOptions } from '../../components/channel';
import { MoreFilters } from './more-filters';

type TagMode = 'any' | 'all' | 'none';

/** Quick search and the common narrowing fields; the rest lives in the "more filters" drawer. */
export function FilterBar({ filter, onChange }: { filter: ContactFilter; onChange: (f: ContactFilter) => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const stages = useStages();
  const tags = useAllTags();
  const members = useAllMembers(can('members:read'));
  const fields = useCustomFields();
  const channelOptions = useChannelOptions();
  const [moreOpen, setMoreOpen] = useState(false);
  const [q, setQ] = useState(filter.q ?? '');
  const tagMode: TagMode = filter.tags?.all?.length ? 'all' : filter.tags?.none?.length ? 'none' : 'any';
  const tagIds = filter.tags?.[tagMode] ?? [];
  const set = (patch: Partial<ContactFilter>) => onChange({ ...filter, ...patch });
  const moreCount = (filter.fields?.length ?? 0) + (filter.custom?.length ?? 0);
  const range = filter.createdAt;
  const w = { flex: '1 1 150px', minWidth: 150, maxWidth: 320 };

  return (
    <Flex gap={8} wrap style={{ marginBottom: 12 }} data-testid="contact-filters">
      <Input.Search
        allowClear value={q} placeholder={t('contacts.searchPlaceholder')} style={{ width: 240, maxWidth: '100%' }} data-testid="contact-search"
        onChange={(e) => { setQ(e.target.value); if (!e.target.value) set({ q: undefined }); }}
        onSearch={(v) => set({ q: v || undefined })}
      />
      <Select mode="multiple" allowClear maxTagCount="responsive" placeholder={t('contacts.fields.stage')} style={w} data-testid="filter-stage"
        value={filter.stageIds ?? []} onChange={(v) => set({ stageIds: v })} loading={stages.isPending}
        options={(stages.data ?? []).map((s) => ({ value: s.id, label: s.name }))} optionFilterProp="label" />
      <Select mode="multiple" allowClear maxTagCount="responsive" placeholder={t('contacts.fields.owner')} style={w}
        value={filter.ownerIds ?? []} onChange={(v) => set({ ownerIds: v })} optionFilterProp="label"
        options={[{ value: 'none', label: t('contacts.unassigned') }, ...(members.data ?? []).map((m) => ({ value: m.id, label: m.name || m.email }))]} />
      <Space.Compact style={{ flex: '1 1 250px', maxWidth: 420 }}>
        <Select<TagMode> value={tagMode} style={{ width: 96 }} aria-label={t('contacts.tagMode')}
          onChange={(mode) => set({ tags: tagIds.length ? { [mode]: tagIds } : undefined })}
          options={(['any', 'all', 'none'] as const).map((m) => ({ value: m, label: t(`contacts.tagModes.${m}`) }))} />
        <Select mode="multiple" allowClear maxTagCount="responsive" placeholder={t('contacts.fields.tags')} style={{ flex: 1, minWidth: 150 }} data-testid="filter-tags"
          value={tagIds} onChange={(ids: string[]) => set({ tags: ids.length ? { [tagMode]: ids } : undefined })} optionFilterProp="label"
          options={tags.tags.map((tag) => ({ value: tag.id, label: tag.name, title: tag.groupName }))} />
      </Space.Compact>
      <Select mode="multiple" allowClear maxTagCount="responsive" placeholder={t('contacts.fields.source')} style={w}
        value={filter.sourceChannels ?? []} onChange={(v) => set({ sourceChannels: v })} optionFilterProp="text" options={channelOptions} />
      <DatePicker.RangePicker allowEmpty={[true, true]} style={{ maxWidth: '100%' }} placeholder={[t('contacts.createdFrom'), t('contacts.createdTo')]}
        value={[range?.from ? dayjs(range.from) : null, range?.to ? dayjs(range.to) : null]}
        onChange={(v) => set({ createdAt: { from: v?.[0]?.startOf('day').toISOString(), to: v?.[1]?.endOf('day').toISOString() } })} />
      <Badge count={moreCount} size="small">
        <Button icon={<FilterOutlined />} onClick={() => setMoreOpen(true)} data-testid="more-filters">{t('contacts.moreFilters')}</Button>
      </Badge>
      <MoreFilters open={moreOpen} onClose={() => setMoreOpen(false)} filter={filter} fields={fields.data ?? []} onApply={(f) => { set(f); setMoreOpen(false); }} />
    </Flex>
  );
}
