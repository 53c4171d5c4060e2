// The template picker of channels with message templates (WhatsApp): the channel's approved
// templates, read live from the provider (GET /channels/{id}/templates), a value for each {{n}} of
// the body, and the text it makes. A template is the one reply allowed outside the reply window.
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Empty, Form, Input, List, Modal, Spin, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { listChannelTemplates, type ChannelTemplate, type TemplateChoice } from '../../api/inbox';
import { errorText } from '../../components/errors';

/** The body with {{1}}, {{2}}, … replaced by the values given so far. */
export const filled = (body: string, values: string[]) => body.replace(/\{\{\s*(\d+)\s*\}\}/g, (whole, n: string) => values[Number(n) - 1] || whole);

export function TemplatePicker({ open, channelId, sending, onClose, onSend }: { open: boolean; channelId: string; sending: boolean; onClose: () => void; onSend: (template: TemplateChoice, text: string) => void }) {
  const { t } = useTranslation();
  const [chosen, setChosen] = useState<ChannelTemplate | null>(null);
  const [values, setValues] = useState<string[]>([]);
  useEffect(() => {
    if (open) setChosen(null);
  }, [open]);
  const list = useQuery({ queryKey: ['channels', channelId, 'templates'], queryFn: () => listChannelTemplates(channelId), enabled: open, retry: false, staleTime: 60_000 });
  const approved = (list.data ?? []).filter((x) => x.status === 'approved');
  const choose = (template: ChannelTemplate) => {
    setChosen(template);
    setValues(Array.from({ length: template.bodyParameterCount }, () => ''));
  };
  const complete = values.every((v) => v.trim());
  const send = () => chosen && complete && onSend({ name: chosen.name, language: chosen.language, ...(values.length ? { bodyParameters: values.map((v) => v.trim()) } : {}) }, filled(chosen.body ?? chosen.name, values));

  return (
    <Modal open={open} onCancel={onClose} title={t('inbox.templates.title')} destroyOnHidden width={600}
      footer={chosen ? [
        <Button key="back" onClick={() => setChosen(null)}>{t('inbox.templates.back')}</Button>,
        <Button key="send" type="primary" disabled={!complete} loading={sending} onClick={send} data-testid="template-send">{t('inbox.templates.send')}</Button>,
      ] : null}>
      {list.isPending ? <div style={{ textAlign: 'center', padding: 16 }}><Spin /></div> : null}
      {list.isError ? <Alert type="error" showIcon title={errorText(t, list.error)} /> : null}
      {!chosen && list.isSuccess && !approved.length ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('inbox.templates.empty')} /> : null}
      {!chosen ? (
        <List size="small" dataSource={approved} renderItem={(x) => (
          <List.Item onClick={() => choose(x)} style={{ cursor: 'pointer', paddingInline: 8 }} data-testid="template-item">
            <List.Item.Meta title={<>{x.name} <Tag>{x.language}</Tag>{x.category ? <Tag color="blue">{x.category}</Tag> : null}</>}
              description={<Typography.Text type="secondary" ellipsis>{x.body}</Typography.Text>} />
          </List.Item>
        )} />
      ) : (
        <Form layout="vertical">
          {values.map((v, i) => (
            <Form.Item key={i} label={t('inbox.templates.parameter', { n: i + 1 })} required>
              <Input value={v} onChange={(e) => setValues((now) => now.map((x, j) => (j === i ? e.target.value : x)))} data-testid="template-parameter" />
            </Form.Item>
          ))}
          <Typography.Paragraph type="secondary" style={{ whiteSpace: 'pre-wrap', background: '#f6ffed', padding: 8, borderRadius: 6 }} data-testid="template-preview">
            {filled(chosen.body ?? chosen.name, values)}
          </Typography.Paragraph>
        </Form>
      )}
    </Modal>
  );
}
