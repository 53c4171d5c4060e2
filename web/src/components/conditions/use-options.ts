import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useAllTags, useStages } from '../../api/contact-settings';
import { useAllMembers, useTeams } from '../../api/lookups';
import { getRfmSettings, rfmSettingsKey } from '../../api/rfm';
import { catalogueKey, getCatalogue, rfmLayers, type RfmLayer } from '../../api/segments';
import { useCan } from '../../auth/session';

/** snake_case catalogue field → the contacts.fields label key (created_at → createdAt). */
export const fieldLabelKey = (field: string) => `contacts.fields.${field.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())}`;

/** Layer names as the workspace set them; the translated default where they were left alone. */
export function useLayerLabel() {
  const { t } = useTranslation();
  const can = useCan();
  const settings = useQuery({ queryKey: rfmSettingsKey, queryFn: getRfmSettings, enabled: can('rfm:read'), staleTime: 60_000 });
  const byKey = new Map((settings.data?.layers ?? []).map((l) => [l.key, l]));
  return (layer: RfmLayer) => {
    const l = byKey.get(layer);
    return l && l.name !== l.defaultName ? l.name : t(`rfm.layers.${layer}`);
  };
}

/** Everything the condition editor offers: the catalogue, the subjects, and the pickers' lists. */
export function useConditionOptions() {
  const { t } = useTranslation();
  const can = useCan();
  const catalogue = useQuery({ queryKey: catalogueKey, queryFn: getCatalogue, staleTime: 60_000 });
  const tags = useAllTags();
  const stages = useStages();
  const members = useAllMembers(can('members:read'));
  const teams = useTeams(can('teams:read'));
  const layerLabel = useLayerLabel();
  const c = catalogue.data;

  const subjects = [
    { label: t('conditions.groups.contact'), options: (c?.fields ?? []).map((f) => ({ value: `field:${f.field}`, label: t(fieldLabelKey(f.field), { defaultValue: f.field }) })) },
    ...(c?.customFields.length ? [{ label: t('conditions.groups.custom'), options: c.customFields.map((f) => ({ value: `custom:${f.key}`, label: f.label })) }] : []),
    { label: t('conditions.groups.relations'), options: ['tags', 'stage', 'owner', 'team'].map((k) => ({ value: k, label: t(`conditions.subjects.${k}`) })) },
    { label: t('conditions.groups.source'), options: ['source_channel', 'source_code', 'consent', 'identity'].map((k) => ({ value: k, label: t(`conditions.subjects.${k}`) })) },
    { label: 'RFM', options: ['rfm_score:r', 'rfm_score:f', 'rfm_score:m', 'rfm_layer'].map((k) => ({ value: k, label: t(`conditions.subjects.${k.replace(':', '_')}`) })) },
    { label: t('conditions.groups.behaviour'), options: [{ value: 'event', label: t('conditions.subjects.event') }] },
  ];
  const eventTypes = c?.conditions.find((x) => x.kind === 'event')?.types ?? ['order', 'message', 'form_submission', 'code_scan'];

  return {
    catalogue,
    subjects,
    eventTypes,
    layerOptions: rfmLayers.map((l) => ({ value: l, label: layerLabel(l) })),
    tagOptions: tags.tags.map((tag) => ({ value: tag.id, label: tag.name, title: tag.groupName })),
    stageOptions: (stages.data ?? []).map((s) => ({ value: s.id, label: s.name })),
    memberOptions: members.data?.map((m) => ({ value: m.id, label: m.name || m.email })),
    teamOptions: teams.data?.map((tm) => ({ value: tm.id, label: tm.name })),
  };
}
export type ConditionOptions = ReturnType<typeof useConditionOptions>;
