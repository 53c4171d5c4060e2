import { ArrowLeftOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Col, Flex, Form, Input, InputNumber, Radio, Result, Row, Segmented, Select, Switch, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { isApiError } from '../../api/client';
import { useAllTags, useStages } from '../../api/contact-settings';
import type { PropCondition } from '../../api/segments';
import {
  createTagRule, getTagRule, ruleEventTypes, setTagRuleEnabled, tagRuleKey, tagRulesKey, updateTagRule, type RuleEventType, type TagRule, type Trigger,
} from '../../api/tag-rules';
import { useCan } from '../../auth/session';
import { PropTests } from '../../components/conditions/condition-row';
import { DefinitionEditor } from '../../components/conditions/definition-editor';
import { LiveCount, useLiveCount } from '../../components/conditions/live-count';
import { emptyGroup, errorsByNode, incompleteUids, propComplete, serialize, toEditor, type EditorGroup } from '../../components/conditions/tree';
import { ErrorAlert, useErrorToast } from '../../components/errors';
import { JobProgressBar } from '../../components/job-progress';
import { PageHeader } from '../../components/page-header';
import { PageSpinner } from '../../layout/app-layout';
import { Backfill, RunLog } from './runs';
import { RuleStatus } from './summary';

interface Values { name: string; description?: string; enabled: boolean; addTagIds: string[]; removeTagIds: string[]; stageId?: string | null; notifyOwner: boolean }
interface EventState { type: RuleEventType; keywords: string[]; where: PropCondition[]; counted: boolean; atLeast: number; days: number }
type FieldError = { path: string; message: string };

const keywordTypes: RuleEventType[] = ['message', 'note', 'email'];

export default function TagRuleEditorPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const rule = useQuery({
    queryKey: tagRuleKey(id ?? ''),
    queryFn: () => getTagRule(id!),
    enabled: Boolean(id),
    refetchInterval: (q) => (q.state.data?.status === 'building' ? 2000 : false),
  });
  if (id && rule.isPending) return <PageSpinner />;
  if (id && rule.isError) {
    return isApiError(rule.error) && rule.error.status === 404
      ? <Result status="404" title={t('tagRules.notFound')} extra={<Link to="/tag-rules">{t('nav.tagRules')}</Link>} />
      : <ErrorAlert error={rule.error} />;
  }
  return <Editor key={id ?? 'new'} rule={rule.data} />;
}

function initialEvent(trigger: Trigger | undefined): EventState {
  const e = trigger?.kind === 'event' ? trigger : undefined;
  return { type: e?.type ?? 'message', keywords: e?.keywords ?? [], where: e?.where ?? [], counted: Boolean(e?.times), atLeast: e?.times?.atLeast ?? 3, days: e?.times?.days ?? 30 };
}

function eventTrigger(e: EventState): Trigger {
  return {
    kind: 'event',
    type: e.type,
    ...(e.where.length ? { where: e.where.map((p) => (p.op === 'exists' || p.op === 'not_exists' ? { path: p.path, op: p.op } : p)) } : {}),
    ...(e.keywords.length && keywordTypes.includes(e.type) ? { keywords: e.keywords } : {}),
    ...(e.counted ? { times: { atLeast: e.atLeast, days: e.days } } : {}),
  };
}

function Editor({ rule }: { rule?: TagRule }) {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const toast = useErrorToast();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const tags = useAllTags();
  const stages = useStages();
  const [form] = Form.useForm<Values>();
  const writable = can('tag-rules:write');
  const [kind, setKind] = useState<Trigger['kind']>(rule?.trigger.kind ?? 'event');
  const [event, setEvent] = useState<EventState>(() => initialEvent(rule?.trigger));
  const [when, setWhen] = useState<'becomes_true' | 'becomes_false'>(rule?.trigger.kind === 'condition' ? rule.trigger.when : 'becomes_true');
  const [root, setRoot] = useState<EditorGroup>(() => (rule?.trigger.kind === 'condition' ? toEditor(rule.trigger.definition) as EditorGroup : emptyGroup('and')));
  const [buildJob, setBuildJob] = useState<string | null>(null);
  const [errors, setErrors] = useState<{ nodes: Map<string, string[]>; trigger: string[]; actions: string[] }>({ nodes: new Map(), trigger: [], actions: [] });
  const live = useLiveCount(root, kind === 'condition');
  useEffect(() => setErrors((e) => (e.nodes.size ? { ...e, nodes: new Map() } : e)), [root]);

  const current = (): { trigger: Trigger; origin: Map<string, string> } => {
    if (kind === 'event') return { trigger: eventTrigger(event), origin: new Map() };
    const { definition, origin } = serialize(root, false);
    return { trigger: { kind: 'condition', when, definition }, origin };
  };
  // What the saved trigger looks like after the same normalisation, so an untouched trigger is not
  // sent again (the server re-learns a condition rule's members when its trigger changes).
  const savedTrigger = useMemo(() => {
    if (!rule) return null;
    const tr = rule.trigger;
    return JSON.stringify(tr.kind === 'event' ? eventTrigger(initialEvent(tr)) : { kind: 'condition', when: tr.when, definition: serialize(toEditor(tr.definition) as EditorGroup, false).definition });
  }, [rule]);

  const afterSave = (a: { rule: TagRule; jobId: string | null }) => {
    queryClient.setQueryData(tagRuleKey(a.rule.id), a.rule);
    void queryClient.invalidateQueries({ queryKey: tagRulesKey });
    void message.success(t('common.saved'));
    if (a.jobId) setBuildJob(a.jobId);
    if (!rule) void navigate(`/tag-rules/${a.rule.id}`, { replace: true });
  };
  const save = useMutation({
    mutationFn: async (v: Values) => {
      const { trigger, origin } = current();
      const actions = { addTagIds: v.addTagIds ?? [], removeTagIds: v.removeTagIds ?? [], stageId: v.stageId ?? null, notifyOwner: Boolean(v.notifyOwner) };
      const base = { name: v.name.trim(), description: v.description?.trim() || null, actions };
      try {
        if (!rule) return await createTagRule({ ...base, trigger, enabled: v.enabled });
        return await updateTagRule(rule.id, JSON.stringify(trigger) === savedTrigger ? base : { ...base, trigger });
      } catch (e) {
        throw Object.assign(e as object, { origin });
      }
    },
    onSuccess: afterSave,
    onError: (e: unknown) => {
      if (!isApiError(e)) return toast(e);
      if (e.code === 'conflict' && e.extra.field === 'name') return form.setFields([{ name: 'name', errors: [e.detail] }]);
      if (e.code !== 'validation_failed' || !e.errors?.length) return toast(e);
      const list: FieldError[] = e.errors.map((x) => ({ ...x, path: x.path.replace(/^body\./, '') }));
      const origin = (e as unknown as { origin: Map<string, string> }).origin;
      const fieldNames = ['name', 'description', 'addTagIds', 'removeTagIds', 'stageId', 'notifyOwner'] as const;
      const top = (p: string) => p.replace(/^actions\./, '').split('.')[0] as (typeof fieldNames)[number];
      const onFields = list.filter((x) => fieldNames.includes(top(x.path)) && (x.path.startsWith('actions.') || !x.path.includes('.')));
      form.setFields(onFields.map((x) => ({ name: top(x.path), errors: [x.message] })));
      setErrors({
        nodes: errorsByNode(list.filter((x) => x.path.startsWith('trigger.definition')), origin, 'trigger.definition'),
        trigger: list.filter((x) => x.path.startsWith('trigger') && !x.path.startsWith('trigger.definition')).map((x) => `${triggerPart(x.path)}${x.message}`),
        actions: list.filter((x) => x.path === 'actions').map((x) => x.message),
      });
      void message.error(t('errors.validation_failed'));
    },
  });
  // "trigger.where.1.value" → "Property condition 2: …"; "trigger.keywords" → "Keywords: …".
  const triggerPart = (path: string) => {
    const prop = /^trigger\.where\.(\d+)/.exec(path);
    if (prop) return `${t('tagRules.propN', { n: Number(prop[1]) + 1 })}: `;
    if (path.startsWith('trigger.keywords')) return `${t('tagRules.keywords')}: `;
    if (path.startsWith('trigger.times')) return `${t('tagRules.onlyOnce')}: `;
    return '';
  };
  const toggle = useMutation({ mutationFn: (enabled: boolean) => setTagRuleEnabled(rule!.id, enabled), onSuccess: afterSave, onError: toast });
  const submit = (v: Values) => {
    if (kind === 'condition' && incompleteUids(root).length) return void message.warning(t('segments.incompleteBeforeSave'));
    if (kind === 'event' && !event.where.every(propComplete)) return void message.warning(t('tagRules.incompleteProps'));
    save.mutate(v);
  };
  const tagOptions = tags.tags.map((tag) => ({ value: tag.id, label: tag.name, title: tag.groupName }));
  const setE = (patch: Partial<EventState>) => setEvent({ ...event, ...patch });

  return (
    <>
      <div style={{ marginBottom: 12 }}><Link to="/tag-rules"><ArrowLeftOutlined /> {t('nav.tagRules')}</Link></div>
      <PageHeader title={rule ? <span>{rule.name} <RuleStatus rule={rule} /></span> : t('tagRules.create')} description={t('tagRules.editorHint')}
        extra={rule && writable ? (
          <Flex align="center" gap={8}><span>{t('tagRules.enabled')}</span><Switch checked={rule.enabled} loading={toggle.isPending} onChange={(v) => toggle.mutate(v)} data-testid="tag-rule-enabled" /></Flex>
        ) : null} />
      {rule?.stoppedAt ? <Alert type="error" showIcon style={{ marginBottom: 16 }} title={t('tagRules.stopped')} description={rule.stoppedReason} /> : null}
      {rule?.status === 'invalid' ? <Alert type="error" showIcon style={{ marginBottom: 16 }} title={t('tagRules.invalid')} description={rule.error} /> : null}
      {buildJob || (rule?.status === 'building' && rule.buildJobId) ? (
        <Card size="small" style={{ marginBottom: 16 }} title={t('tagRules.building')}><JobProgressBar jobId={buildJob ?? rule!.buildJobId!} /></Card>
      ) : null}
      <Form form={form} layout="vertical" name="tag-rule" onFinish={submit} disabled={!writable}
        initialValues={{
          name: rule?.name ?? '', description: rule?.description ?? '', enabled: rule?.enabled ?? true,
          addTagIds: rule?.actions.addTagIds ?? [], removeTagIds: rule?.actions.removeTagIds ?? [], stageId: rule?.actions.stageId ?? undefined, notifyOwner: rule?.actions.notifyOwner ?? false,
        }}>
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={16}>
            <Flex vertical gap={16}>
              <Card size="small" title={t('tagRules.when')}>
                <Radio.Group value={kind} onChange={(e) => setKind(e.target.value)} style={{ marginBottom: 12 }} data-testid="tag-rule-kind"
                  options={[{ value: 'event', label: t('tagRules.kinds.event') }, { value: 'condition', label: t('tagRules.kinds.condition') }]} />
                {kind === 'event' ? (
                  <Flex vertical gap={8}>
                    <Flex gap={8} wrap align="center">
                      <span>{t('tagRules.eventIs')}</span>
                      <Select style={{ width: 180 }} value={event.type} onChange={(type) => setE({ type })} data-testid="tag-rule-event-type"
                        options={ruleEventTypes.map((type) => ({ value: type, label: t(`profile360.types.${type}`, { defaultValue: type }) }))} />
                    </Flex>
                    {keywordTypes.includes(event.type) ? (
                      <Flex gap={8} wrap align="center">
                        <span>{t('tagRules.keywords')}</span>
                        <Select mode="tags" style={{ flex: '1 1 260px' }} value={event.keywords} onChange={(keywords: string[]) => setE({ keywords })} open={false} suffixIcon={null}
                          tokenSeparators={[',', '，']} placeholder={t('tagRules.keywordsHint')} data-testid="tag-rule-keywords" />
                      </Flex>
                    ) : null}
                    <PropTests where={event.where} onChange={(where) => setE({ where })} readOnly={!writable} />
                    <Flex gap={8} wrap align="center">
                      <Checkbox checked={event.counted} onChange={(e) => setE({ counted: e.target.checked })}>{t('tagRules.onlyOnce')}</Checkbox>
                      {event.counted ? (
                        <>
                          <InputNumber min={1} max={1000} precision={0} value={event.atLeast} onChange={(n) => setE({ atLeast: n ?? 1 })} suffix={t('conditions.times')} style={{ width: 110 }} />
                          <span>{t('tagRules.inTheLast')}</span>
                          <InputNumber min={1} max={3650} precision={0} value={event.days} onChange={(n) => setE({ days: n ?? 1 })} suffix={t('conditions.days')} style={{ width: 110 }} />
                        </>
                      ) : null}
                    </Flex>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('tagRules.eventHint')}</Typography.Text>
                  </Flex>
                ) : (
                  <>
                    <Segmented value={when} onChange={(v) => setWhen(v as typeof when)} style={{ marginBottom: 12 }} data-testid="tag-rule-when"
                      options={[{ value: 'becomes_true', label: t('tagRules.becomesTrue') }, { value: 'becomes_false', label: t('tagRules.becomesFalse') }]} />
                    <DefinitionEditor value={root} onChange={setRoot} errors={new Map([...live.nodeErrors, ...errors.nodes])} readOnly={!writable} />
                  </>
                )}
                {errors.trigger.length ? <Typography.Paragraph type="danger" style={{ marginTop: 8, marginBottom: 0 }}>{errors.trigger.join('; ')}</Typography.Paragraph> : null}
              </Card>
              <Card size="small" title={t('tagRules.then')}>
                {errors.actions.length ? <Alert type="error" showIcon style={{ marginBottom: 12 }} title={errors.actions.join('; ')} /> : null}
                <Row gutter={16}>
                  <Col xs={24} md={12}><Form.Item name="addTagIds" label={t('tagRules.addTags')}><Select mode="multiple" options={tagOptions} optionFilterProp="label" data-testid="tag-rule-add-tags" /></Form.Item></Col>
                  <Col xs={24} md={12}><Form.Item name="removeTagIds" label={t('tagRules.removeTags')}><Select mode="multiple" options={tagOptions} optionFilterProp="label" /></Form.Item></Col>
                  <Col xs={24} md={12}>
                    <Form.Item name="stageId" label={t('tagRules.setStage')}>
                      <Select allowClear placeholder={t('tagRules.keepStage')} options={(stages.data ?? []).map((s) => ({ value: s.id, label: s.name }))} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={12}>
                    <Form.Item name="notifyOwner" label={t('tagRules.notifyOwner')} valuePropName="checked" extra={t('tagRules.notifyHint')}><Switch /></Form.Item>
                  </Col>
                </Row>
              </Card>
            </Flex>
          </Col>
          <Col xs={24} xl={8}>
            <Flex vertical gap={16}>
              {kind === 'condition' ? <LiveCount live={live} title={t('tagRules.meetNow')} /> : null}
              <Card size="small">
                <Form.Item name="name" label={t('tagRules.name')} rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 100 }]}><Input data-testid="tag-rule-name" /></Form.Item>
                <Form.Item name="description" label={t('segments.description')} rules={[{ max: 1000 }]}><Input.TextArea rows={2} /></Form.Item>
                {rule ? null : <Form.Item name="enabled" label={t('tagRules.enabled')} valuePropName="checked"><Switch /></Form.Item>}
                {writable ? <Button type="primary" htmlType="submit" block loading={save.isPending} data-testid="tag-rule-save">{t('common.save')}</Button> : null}
              </Card>
              {rule ? <Backfill rule={rule} /> : null}
            </Flex>
          </Col>
        </Row>
      </Form>
      {rule ? <RunLog ruleId={rule.id} /> : null}
    </>
  );
}
