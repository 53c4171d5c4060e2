// The live code builder, in a drawer: create or edit a code (target, rotation, staff, periods,
// tags, welcome). Server field errors land on the field they name.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Divider, Drawer, Form, Input, Radio, Select, Space, Switch, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { Channel } from '../../api/channels';
import { ApiError, fetchAll, isApiError } from '../../api/client';
import { useAllTags } from '../../api/contact-settings';
import {
  createLiveCode, liveCodeKey, liveCodesKey, strategies, updateLiveCode, type LiveCode, type LiveCodeInput, type Strategy, type WeeklyInterval,
} from '../../api/live-codes';
import { useAllMembers } from '../../api/lookups';
import { useCan } from '../../auth/session';
import { useFormErrorHandler } from '../../components/errors';
import { PeriodList, StaffList } from './staff-fields';

interface StaffValues { memberId: string; weight?: number; dailyCap?: number | null; hours?: WeeklyInterval[] }
interface Values {
  name: string;
  target: 'channel' | 'landing';
  channelId?: string;
  landingUrl?: string;
  strategy: Strategy;
  staff: StaffValues[];
  backupStaff: StaffValues[];
  periods: Array<{ name: string; range: [Dayjs, Dayjs]; staff: Array<{ memberId: string; dailyCap?: number | null }> }>;
  exclusive: boolean;
  tagIds: string[];
  welcomeMessage?: string;
  welcomeBlockedNames: string[];
  enabled: boolean;
}

const fieldNames = ['name', 'channelId', 'landingUrl', 'strategy', 'staff', 'backupStaff', 'periods', 'exclusive', 'tagIds', 'welcomeMessage', 'welcomeBlockedNames', 'enabled'];

const toValues = (c: LiveCode | undefined): Partial<Values> => c ? {
  ...c,
  target: c.landingUrl ? 'landing' : 'channel',
  channelId: c.channelId ?? undefined,
  landingUrl: c.landingUrl ?? undefined,
  staff: c.staff.map((s) => ({ ...s, hours: s.hours ?? [] })),
  backupStaff: c.backupStaff.map((s) => ({ ...s, hours: s.hours ?? [] })),
  periods: c.periods.map((p) => ({ name: p.name, range: [dayjs(p.from), dayjs(p.to)], staff: p.staff })),
  welcomeMessage: c.welcomeMessage ?? undefined,
} : { target: 'channel', strategy: 'round_robin', staff: [], backupStaff: [], periods: [], exclusive: false, tagIds: [], welcomeBlockedNames: [], enabled: true };

const cap = (n: number | null | undefined) => n ?? null;
const hours = (h: WeeklyInterval[] | undefined) => (h?.length ? h : null);

function toBody(v: Values): LiveCodeInput {
  return {
    name: v.name.trim(),
    channelId: v.target === 'channel' ? v.channelId ?? null : null,
    landingUrl: v.target === 'landing' ? v.landingUrl?.trim() || null : null,
    strategy: v.strategy,
    staff: (v.staff ?? []).map((s) => ({ memberId: s.memberId, weight: s.weight ?? 1, dailyCap: cap(s.dailyCap), hours: hours(s.hours) })),
    backupStaff: (v.backupStaff ?? []).map((s) => ({ memberId: s.memberId, dailyCap: cap(s.dailyCap), hours: hours(s.hours) })),
    periods: (v.periods ?? []).map((p) => ({
      name: p.name.trim(), from: p.range[0].format('YYYY-MM-DD'), to: p.range[1].format('YYYY-MM-DD'),
      staff: (p.staff ?? []).map((s) => ({ memberId: s.memberId, dailyCap: cap(s.dailyCap) })),
    })),
    exclusive: v.exclusive,
    tagIds: v.tagIds ?? [],
    welcomeMessage: v.welcomeMessage?.trim() || null,
    welcomeBlockedNames: v.welcomeBlockedNames ?? [],
    enabled: v.enabled,
  };
}

/** A period's days are one range picker in the form: its `from`/`to` errors go there. */
function onRangeField(error: unknown): unknown {
  if (!isApiError(error) || !error.errors) return error;
  const errors = error.errors.map((e) => ({ ...e, path: e.path.replace(/^(periods\.\d+)\.(from|to)$/, '$1.range') }));
  return new ApiError(error.status, error.code, error.detail, errors, error.extra);
}

/** The workspace's channels, whole, for the target select and the detail's target name. */
export const useChannels = () => useQuery({ queryKey: ['channels', 'all'], queryFn: () => fetchAll<Channel>('/channels'), staleTime: 30_000 });

export function LiveCodeBuilder({ code, open, onClose }: { code?: LiveCode; open: boolean; onClose: (saved?: LiveCode) => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const onFormError = useFormErrorHandler();
  const target = Form.useWatch('target', form);
  const strategy = Form.useWatch('strategy', form);
  const tags = useAllTags();
  const members = useAllMembers(can('members:read'));
  const channels = useChannels();
  const memberOptions = (members.data ?? []).filter((m) => m.status === 'active').map((m) => ({ value: m.id, label: m.name || m.email }));

  const save = useMutation({
    mutationFn: (v: Values) => (code ? updateLiveCode(code.id, toBody(v)) : createLiveCode(toBody(v))),
    onSuccess: (saved) => {
      queryClient.setQueryData(liveCodeKey(saved.id), saved);
      void queryClient.invalidateQueries({ queryKey: liveCodesKey });
      void message.success(t('common.saved'));
      onClose(saved);
    },
    onError: (error) => onFormError(form, fieldNames)(onRangeField(error)),
  });

  return (
    <Drawer open={open} onClose={() => onClose()} title={code ? t('liveCodes.builder.edit') : t('liveCodes.builder.create')} size={760} styles={{ wrapper: { maxWidth: '100vw' } }} destroyOnHidden
      footer={<Space style={{ float: 'right' }}><Button onClick={() => onClose()}>{t('common.cancel')}</Button>
        <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="live-code-save">{t('common.save')}</Button></Space>}>
      <Form form={form} name="live-code" layout="vertical" initialValues={toValues(code)} onFinish={(v) => save.mutate(v)} scrollToFirstError>
        <Form.Item name="name" label={t('liveCodes.name')} rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 200 }]}>
          <Input autoFocus data-testid="live-code-name" />
        </Form.Item>
        <Form.Item name="target" label={t('liveCodes.target')}>
          <Radio.Group data-testid="live-code-target" options={[{ value: 'channel', label: t('liveCodes.channelTarget') }, { value: 'landing', label: t('liveCodes.builder.landing') }]} />
        </Form.Item>
        {target === 'landing' ? (
          <Form.Item name="landingUrl" label={t('liveCodes.builder.landingUrl')} rules={[{ required: true, message: t('validation.required') }, { type: 'url', message: t('liveCodes.builder.urlFormat') }]}>
            <Input placeholder="https://" data-testid="live-code-landing" />
          </Form.Item>
        ) : (
          <Form.Item name="channelId" label={t('liveCodes.channelTarget')} rules={[{ required: true, message: t('validation.required') }]}>
            <Select loading={channels.isPending} showSearch optionFilterProp="label" data-testid="live-code-channel"
              options={(channels.data ?? []).map((c) => ({ value: c.id, label: `${c.name} (${t(`channels.${c.type}`, { defaultValue: c.type })})` }))}
              notFoundContent={t('liveCodes.builder.noChannels')} />
          </Form.Item>
        )}
        <Form.Item name="strategy" label={t('liveCodes.strategy')} extra={t(`liveCodes.builder.strategyHints.${strategy ?? 'round_robin'}`)}>
          <Radio.Group optionType="button" data-testid="live-code-strategy" options={strategies.map((s) => ({ value: s, label: t(`liveCodes.strategies.${s}`) }))} />
        </Form.Item>
        <Divider titlePlacement="start">{t('liveCodes.staff')}</Divider>
        <StaffList name="staff" members={memberOptions} withWeight={strategy === 'weighted'} required />
        <Divider titlePlacement="start">{t('liveCodes.builder.backups')}</Divider>
        <Typography.Paragraph type="secondary">{t('liveCodes.builder.backupsHint')}</Typography.Paragraph>
        <StaffList name="backupStaff" members={memberOptions} withWeight={false} />
        <Divider titlePlacement="start">{t('liveCodes.builder.periods')}</Divider>
        <Typography.Paragraph type="secondary">{t('liveCodes.builder.periodsHint')}</Typography.Paragraph>
        <PeriodList members={memberOptions} />
        <Divider titlePlacement="start">{t('liveCodes.builder.more')}</Divider>
        <Form.Item name="exclusive" label={t('liveCodes.builder.exclusive')} valuePropName="checked" extra={t('liveCodes.builder.exclusiveHint')}><Switch data-testid="live-code-exclusive" /></Form.Item>
        <Form.Item name="tagIds" label={t('liveCodes.builder.tags')} extra={t('liveCodes.builder.tagsHint')}>
          <Select mode="multiple" optionFilterProp="label" loading={tags.isPending} options={tags.tags.map((tag) => ({ value: tag.id, label: tag.name, title: tag.groupName }))} data-testid="live-code-tags" />
        </Form.Item>
        <Form.Item name="welcomeMessage" label={t('liveCodes.builder.welcome')} extra={t('liveCodes.builder.welcomeHint')} rules={[{ max: 2000 }]}>
          <Input.TextArea rows={3} data-testid="live-code-welcome" />
        </Form.Item>
        <Form.Item name="welcomeBlockedNames" label={t('liveCodes.builder.blockedNames')} extra={t('liveCodes.builder.blockedNamesHint')}>
          <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',', '，']} data-testid="live-code-blocked" />
        </Form.Item>
        <Form.Item name="enabled" label={t('liveCodes.enabled')} valuePropName="checked"><Switch /></Form.Item>
      </Form>
    </Drawer>
  );
}
