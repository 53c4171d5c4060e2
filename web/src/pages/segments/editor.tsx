import { ArrowLeftOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Flex, Form, Input, Radio, Result, Row } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { isApiError } from '../../api/client';
import { createSegment, getSegment, segmentKey, updateSegment, type Segment, type SegmentKind } from '../../api/segments';
import { DefinitionEditor } from '../../components/conditions/definition-editor';
import { LiveCount, useLiveCount } from '../../components/conditions/live-count';
import { emptyGroup, errorsByNode, incompleteUids, serialize, toEditor, type EditorGroup } from '../../components/conditions/tree';
import { ErrorAlert } from '../../components/errors';
import { PageHeader } from '../../components/page-header';
import { PageSpinner } from '../../layout/app-layout';

interface Values { name: string; description?: string; kind: SegmentKind }

/** A new segment, or a saved one's edit: the builder, the live count, name and kind. */
export default function SegmentEditorPage() {
  const { id } = useParams();
  const segment = useQuery({ queryKey: segmentKey(id ?? ''), queryFn: () => getSegment(id!), enabled: Boolean(id) });
  const { t } = useTranslation();
  if (id && segment.isPending) return <PageSpinner />;
  if (id && segment.isError) {
    return isApiError(segment.error) && segment.error.status === 404
      ? <Result status="404" title={t('segments.notFound')} extra={<Link to="/segments">{t('nav.segments')}</Link>} />
      : <ErrorAlert error={segment.error} />;
  }
  return <Editor key={id ?? 'new'} segment={segment.data} />;
}

function Editor({ segment }: { segment?: Segment }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [root, setRoot] = useState<EditorGroup>(() => (segment?.definition ? toEditor(segment.definition) as EditorGroup : emptyGroup('and')));
  const [saveErrors, setSaveErrors] = useState<Map<string, string[]>>(new Map());
  const [generalError, setGeneralError] = useState<unknown>(null);
  const frozen = segment?.kind === 'static';
  const live = useLiveCount(root, !frozen);
  // A new edit makes the last save's complaints stale.
  useEffect(() => setSaveErrors(new Map()), [root]);

  const save = useMutation({
    mutationFn: async (v: Values) => {
      const { definition, origin } = serialize(root, false);
      const body = { name: v.name.trim(), description: v.description?.trim() || null };
      try {
        if (segment) return await updateSegment(segment.id, frozen ? body : { ...body, definition });
        return await createSegment({ ...body, kind: v.kind, definition });
      } catch (e) {
        throw Object.assign(e as object, { origin });
      }
    },
    onSuccess: (s) => {
      void message.success(t('common.saved'));
      queryClient.setQueryData(segmentKey(s.id), s);
      void queryClient.invalidateQueries({ queryKey: ['list', '/segments'] });
      void navigate(`/segments/${s.id}`);
    },
    onError: (e: unknown) => {
      setGeneralError(null);
      if (!isApiError(e)) return setGeneralError(e);
      if (e.code === 'conflict' && e.extra.field === 'name') return form.setFields([{ name: 'name', errors: [e.detail] }]);
      if (e.code === 'validation_failed' && e.errors?.length) {
        const origin = (e as unknown as { origin: Map<string, string> }).origin;
        const onFields = e.errors.filter((x) => /^(body\.)?(name|description)$/.test(x.path));
        form.setFields(onFields.map((x) => ({ name: x.path.replace(/^body\./, '') as 'name' | 'description', errors: [x.message] })));
        const rest = e.errors.filter((x) => !onFields.includes(x));
        setSaveErrors(errorsByNode(rest, origin));
        if (rest.length) void message.error(t('segments.fixConditions'));
        return;
      }
      setGeneralError(e);
    },
  });
  const submit = (v: Values) => {
    if (!frozen && incompleteUids(root).length) return void message.warning(t('segments.incompleteBeforeSave'));
    save.mutate(v);
  };
  const errors = new Map([...live.nodeErrors, ...saveErrors]);

  return (
    <>
      <div style={{ marginBottom: 12 }}><Link to={segment ? `/segments/${segment.id}` : '/segments'}><ArrowLeftOutlined /> {segment ? segment.name : t('nav.segments')}</Link></div>
      <PageHeader title={segment ? t('segments.editTitle') : t('segments.create')} description={t('segments.builderHint')} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Card title={t('segments.conditions')} size="small">
            {frozen ? <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('segments.staticFrozen')} /> : null}
            <DefinitionEditor value={root} onChange={setRoot} errors={errors} readOnly={frozen} />
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Flex vertical gap={16} style={{ position: 'sticky', top: 16 }}>
            {frozen ? null : <LiveCount live={live} />}
            <Card size="small">
              <ErrorAlert error={generalError} />
              <Form form={form} layout="vertical" name="segment" onFinish={submit}
                initialValues={{ name: segment?.name ?? '', description: segment?.description ?? '', kind: segment?.kind ?? 'dynamic' }}>
                <Form.Item name="name" label={t('segments.name')} rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 120 }]}>
                  <Input data-testid="segment-name" />
                </Form.Item>
                <Form.Item name="description" label={t('segments.description')} rules={[{ max: 1000 }]}><Input.TextArea rows={2} /></Form.Item>
                {segment ? null : (
                  <Form.Item name="kind" label={t('segments.kind')}>
                    <Radio.Group style={{ display: 'flex', flexDirection: 'column', gap: 8 }}
                      options={(['dynamic', 'static'] as const).map((k) => ({ value: k, label: <span><b>{t(`segments.kinds.${k}`)}</b> · {t(`segments.kindHints.${k}`)}</span> }))} />
                  </Form.Item>
                )}
                <Button type="primary" htmlType="submit" block loading={save.isPending} data-testid="segment-save">{t('common.save')}</Button>
              </Form>
            </Card>
          </Flex>
        </Col>
      </Row>
    </>
  );
}
