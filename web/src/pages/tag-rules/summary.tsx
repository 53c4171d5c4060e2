import { StopOutlined, SyncOutlined } from '@ant-design/icons';
import { Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAllTags, useStages } from '../../api/contact-settings';
import type { RuleActions, TagRule, Trigger } from '../../api/tag-rules';
import { ColorTag } from '../../components/color-tag';
import { countConditions } from '../../components/conditions/tree';

/** "When a message is recorded containing 价格, 报价" / "When the condition (3 conditions) becomes true". */
export function TriggerSummary({ trigger }: { trigger: Trigger }) {
  const { t } = useTranslation();
  if (trigger.kind === 'condition') {
    return <span>{t(`tagRules.summary.${trigger.when}`, { count: countConditions(trigger.definition) })}</span>;
  }
  const type = t(`profile360.types.${trigger.type}`, { defaultValue: trigger.type });
  return (
    <span>
      {t('tagRules.summary.event', { type })}
      {trigger.keywords?.length ? <> {t('tagRules.summary.keywords', { keywords: trigger.keywords.join('、') })}</> : null}
      {trigger.where?.length ? <> {t('tagRules.summary.where', { count: trigger.where.length })}</> : null}
      {trigger.times ? <> {t('tagRules.summary.times', { n: trigger.times.atLeast, count: trigger.times.days })}</> : null}
    </span>
  );
}

export function ActionsSummary({ actions }: { actions: RuleActions }) {
  const { t } = useTranslation();
  const tags = useAllTags();
  const stages = useStages();
  const tag = (id: string) => tags.tags.find((x) => x.id === id);
  return (
    <div style={{ maxWidth: 360 }}>
      {actions.addTagIds.map((id) => <ColorTag key={`+${id}`} color={tag(id)?.color}>+ {tag(id)?.name ?? '…'}</ColorTag>)}
      {actions.removeTagIds.map((id) => <Tag key={`-${id}`} style={{ textDecoration: 'line-through' }}>{tag(id)?.name ?? '…'}</Tag>)}
      {actions.stageId ? <Tag color="geekblue">{t('tagRules.summary.stage', { stage: stages.data?.find((s) => s.id === actions.stageId)?.name ?? '…' })}</Tag> : null}
      {actions.notifyOwner ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('tagRules.summary.notify')}</Typography.Text> : null}
    </div>
  );
}

export function RuleStatus({ rule }: { rule: TagRule }) {
  const { t } = useTranslation();
  if (rule.stoppedAt) return <Tooltip title={rule.stoppedReason}><Tag icon={<StopOutlined />} color="error">{t('tagRules.statuses.stopped')}</Tag></Tooltip>;
  if (rule.status === 'invalid') return <Tooltip title={rule.error}><Tag color="error">{t('tagRules.statuses.invalid')}</Tag></Tooltip>;
  if (rule.status === 'building') return <Tag icon={<SyncOutlined spin />} color="processing">{t('tagRules.statuses.building')}</Tag>;
  return rule.enabled ? <Tag color="success">{t('tagRules.statuses.active')}</Tag> : <Tag>{t('tagRules.statuses.off')}</Tag>;
}
