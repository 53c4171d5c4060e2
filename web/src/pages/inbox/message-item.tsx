// One message of a thread. Every text is rendered as React text (never as HTML); an e-mail's
// sanitised HTML is only shown on request, inside a sandboxed frame with no scripts and no
// same-origin access.
import { CheckOutlined, ClockCircleOutlined, EnvironmentOutlined, ExclamationCircleOutlined, PaperClipOutlined, RedoOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Flex, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { inboxKeys, retryDeadLetter, type Attachment, type Message } from '../../api/inbox';
import { useCan } from '../../auth/session';
import { useErrorToast } from '../../components/errors';
import { useFormatDate } from '../../components/format';
import type { Names } from './use-inbox';

const bubble = {
  in: { background: '#f5f5f5', alignSelf: 'flex-start' as const },
  out: { background: '#e6f4ff', alignSelf: 'flex-end' as const },
  note: { background: '#fffbe6', alignSelf: 'stretch' as const, border: '1px dashed #ffe58f' },
};

function Attachments({ items }: { items: Attachment[] }) {
  if (!items.length) return null;
  return (
    <Flex vertical gap={6} style={{ marginTop: 6 }}>
      {items.map((a) =>
        a.mimeType.startsWith('image/') ? (
          <a key={a.id} href={a.url} target="_blank" rel="noopener noreferrer">
            <img src={a.url} alt={a.fileName} style={{ maxWidth: 240, maxHeight: 240, borderRadius: 6, display: 'block' }} data-testid="message-image" />
          </a>
        ) : (
          <a key={a.id} href={a.url} target="_blank" rel="noopener noreferrer" download={a.fileName} data-testid="message-file">
            <PaperClipOutlined /> {a.fileName} <Typography.Text type="secondary">({Math.max(1, Math.round(a.sizeBytes / 1024))} KB)</Typography.Text>
          </a>
        ),
      )}
    </Flex>
  );
}

/** Delivery state of an outbound message, and the retry the API offers for a failed one. */
function OutboundState({ message }: { message: Message }) {
  const { t } = useTranslation();
  const can = useCan();
  const toast = useErrorToast();
  const queryClient = useQueryClient();
  const retry = useMutation({
    mutationFn: () => retryDeadLetter(message.id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: inboxKeys.messages(message.conversationId) }),
    onError: toast,
  });
  const label = t(`inbox.messageStatus.${message.status}`);
  if (message.status === 'failed') {
    return (
      <Flex gap={6} align="center" data-testid="message-failed">
        <Tooltip title={message.lastError ?? undefined}>
          <Typography.Text type="danger" style={{ fontSize: 12 }}>
            <ExclamationCircleOutlined /> {label}{message.errorReason ? `: ${t(`channelReasons.${message.errorReason}`, { defaultValue: message.errorReason })}` : ''}
          </Typography.Text>
        </Tooltip>
        {can('channels:manage') ? (
          <Button size="small" type="link" icon={<RedoOutlined />} loading={retry.isPending} onClick={() => retry.mutate()} data-testid="message-retry">{t('inbox.retry')}</Button>
        ) : null}
      </Flex>
    );
  }
  const icon = message.status === 'queued' ? <ClockCircleOutlined /> : <CheckOutlined />;
  const color = message.status === 'read' ? '#1677ff' : undefined;
  return (
    <Typography.Text type="secondary" style={{ fontSize: 12, color }} data-testid="message-status" data-status={message.status}>
      {icon}{message.status === 'delivered' || message.status === 'read' ? <CheckOutlined style={{ marginInlineStart: -6 }} /> : null} {label}
    </Typography.Text>
  );
}

function Body({ message }: { message: Message }) {
  const { t } = useTranslation();
  const [formatted, setFormatted] = useState(false);
  return (
    <>
      {message.subject ? <Typography.Text strong style={{ display: 'block' }}>{message.subject}</Typography.Text> : null}
      {formatted && message.html ? (
        // sandbox="" : no scripts, no forms, no top navigation, a unique origin.
        <iframe sandbox="" srcDoc={message.html} title={message.subject ?? 'e-mail'} style={{ width: '100%', minHeight: 320, border: '1px solid #f0f0f0', background: '#fff' }} />
      ) : message.text ? (
        <div style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }} data-testid="message-text">{message.text}</div>
      ) : null}
      {message.html ? (
        <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setFormatted((v) => !v)}>{formatted ? t('inbox.showText') : t('inbox.showFormatted')}</Button>
      ) : null}
      {message.location ? (
        <div>
          <EnvironmentOutlined /> {[message.location.name, message.location.address].filter(Boolean).join(' · ') || `${message.location.latitude}, ${message.location.longitude}`}
        </div>
      ) : null}
      {message.link?.url && /^https?:\/\//.test(message.link.url) ? (
        <a href={message.link.url} target="_blank" rel="noopener noreferrer nofollow" style={{ display: 'block' }}>
          <strong>{message.link.title || message.link.url}</strong>
          {message.link.description ? <div style={{ color: '#595959' }}>{message.link.description}</div> : null}
        </a>
      ) : null}
      <Attachments items={message.attachments} />
    </>
  );
}

/** `sender`: in a group, the name of the participant who wrote an inbound message. */
export function MessageItem({ message, names, sender }: { message: Message; names: Names; sender?: string }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const author = message.direction === 'in' ? (sender ?? null) : names.member(message.authorId) ?? t('inbox.automatic');
  return (
    <div style={{ ...bubble[message.direction], maxWidth: message.direction === 'note' ? undefined : '75%', padding: '8px 12px', borderRadius: 8 }}
      data-testid="message" data-direction={message.direction} data-message-id={message.id}>
      <Flex gap={8} align="baseline" wrap style={{ marginBottom: 2 }}>
        {message.direction === 'note' ? <Tag color="gold" style={{ marginInlineEnd: 0 }}>{t('inbox.note')}</Tag> : null}
        {author ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{author}</Typography.Text> : null}
        {message.automated ? <Tag style={{ marginInlineEnd: 0 }}>{t(`inbox.automated.${message.automated}`)}</Tag> : null}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatDate(message.createdAt)}</Typography.Text>
      </Flex>
      <Body message={message} />
      {message.direction === 'out' ? <div style={{ textAlign: 'end' }}><OutboundState message={message} /></div> : null}
    </div>
  );
}
