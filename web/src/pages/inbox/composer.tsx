// The thread's composer: a reply to the customer (attachments, canned responses) or an internal
// note (@mentions of members). Enter sends a reply, Shift+Enter breaks the line; a note is sent
// with Ctrl/⌘+Enter (Enter picks a mention). Typing is announced to the other agents.
import { CloseOutlined, FileTextOutlined, PaperClipOutlined, SendOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Flex, Input, Mentions, Segmented, Tag, Tooltip } from 'antd';
import type { TextAreaRef } from 'antd/es/input/TextArea';
import type { MentionsRef } from 'antd/es/mentions';
import { useEffect, useImperativeHandle, useRef, useState, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { addNote, inboxKeys, sendReply, uploadAttachment, type Attachment, type Conversation, type TemplateChoice } from '../../api/inbox';
import { sendLive } from '../../api/inbox-live';
import { useErrorToast } from '../../components/errors';
import { CannedPicker } from './canned-picker';
import { TemplatePicker } from './template-picker';
import type { Names } from './use-inbox';

export type ComposerMode = 'reply' | 'note';
export interface ComposerHandle {
  focus(mode: ComposerMode): void;
  openCanned(): void;
}

const TYPING_REPEAT_MS = 3000;

function useTypingSignal(conversationId: string) {
  const last = useRef(0);
  const stopTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const stopFor = (id: string) => {
    clearTimeout(stopTimer.current);
    if (!last.current) return;
    last.current = 0;
    sendLive({ type: 'typing', conversationId: id, typing: false });
  };
  const stop = () => stopFor(conversationId);
  // Leaving a conversation ends typing in it.
  useEffect(() => () => stopFor(conversationId), [conversationId]);
  const typed = () => {
    if (Date.now() - last.current > TYPING_REPEAT_MS) {
      last.current = Date.now();
      sendLive({ type: 'typing', conversationId, typing: true });
    }
    clearTimeout(stopTimer.current);
    stopTimer.current = setTimeout(stop, TYPING_REPEAT_MS * 2);
  };
  return { typed, stop };
}

export function Composer({ conversation, names, handle, disabled }: { conversation: Conversation; names: Names; handle: Ref<ComposerHandle>; disabled?: boolean }) {
  const { t } = useTranslation();
  const toast = useErrorToast();
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<ComposerMode>('reply');
  const [text, setText] = useState('');
  const [files, setFiles] = useState<Attachment[]>([]);
  const [uploading, setUploading] = useState(false);
  const [cannedOpen, setCannedOpen] = useState(false);
  const [templatesOpen, setTemplatesOpen] = useState(false);
  const mentioned = useRef(new Map<string, string>());
  const replyRef = useRef<TextAreaRef>(null);
  const noteRef = useRef<MentionsRef>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const typing = useTypingSignal(conversation.id);
  const channel = names.channel(conversation.channelId);
  const windowMs = channel?.capabilities.replyWindowMs ?? null;
  const windowClosed = windowMs !== null && conversation.lastInboundAt !== null && Date.now() - new Date(conversation.lastInboundAt).getTime() > windowMs;

  const focus = (m: ComposerMode) => setTimeout(() => (m === 'reply' ? replyRef.current?.focus() : noteRef.current?.focus()), 0);
  useImperativeHandle(handle, () => ({
    focus(m) {
      setMode(m);
      focus(m);
    },
    openCanned() {
      setMode('reply');
      setCannedOpen(true);
    },
  }));
  useEffect(() => {
    setText('');
    setFiles([]);
    mentioned.current.clear();
  }, [conversation.id]);

  const done = () => {
    setText('');
    setFiles([]);
    mentioned.current.clear();
    typing.stop();
    void queryClient.invalidateQueries({ queryKey: inboxKeys.messages(conversation.id) });
  };
  const send = useMutation({
    mutationFn: () => {
      const body = text.trim();
      if (mode === 'note') {
        const mentions = [...mentioned.current].filter(([name]) => body.includes(`@${name}`)).map(([, id]) => id);
        return addNote(conversation.id, { text: body, mentions });
      }
      const kind = files.length && !body ? (files.every((f) => f.mimeType.startsWith('image/')) ? 'image' : 'file') : 'text';
      return sendReply(conversation.id, { kind, text: body || undefined, attachmentIds: files.map((f) => f.id) });
    },
    onSuccess: done,
    onError: toast,
  });
  // A template goes as it is, whatever is in the box; the text is what the thread shows of it.
  const sendTemplate = useMutation({
    mutationFn: ({ template, text: shown }: { template: TemplateChoice; text: string }) => sendReply(conversation.id, { kind: 'text', text: shown, template }),
    onSuccess: () => {
      setTemplatesOpen(false);
      void queryClient.invalidateQueries({ queryKey: inboxKeys.messages(conversation.id) });
    },
    onError: toast,
  });
  const canSend = !disabled && !send.isPending && !uploading && (mode === 'note' ? Boolean(text.trim()) : Boolean(text.trim() || files.length));
  const submit = () => canSend && send.mutate();

  const upload = async (list: FileList | null) => {
    if (!list?.length) return;
    setUploading(true);
    try {
      for (const file of Array.from(list)) {
        const attachment = await uploadAttachment(file);
        setFiles((now) => [...now, attachment]);
      }
    } catch (error) {
      toast(error);
    } finally {
      setUploading(false);
      if (fileInput.current) fileInput.current.value = '';
    }
  };

  const onChange = (value: string) => {
    setText(value);
    if (mode === 'reply') {
      // "/" on an empty reply opens the canned responses.
      if (value === '/') {
        setText('');
        setCannedOpen(true);
        return;
      }
      typing.typed();
    }
  };

  return (
    <div style={{ borderTop: '1px solid #f0f0f0', padding: 12, background: mode === 'note' ? '#fffbe6' : '#fff' }} data-testid="composer">
      <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
        <Segmented<ComposerMode>
          size="small"
          value={mode}
          onChange={(m) => {
            setMode(m);
            focus(m);
          }}
          options={[
            { value: 'reply', label: <span data-testid="composer-mode-reply">{t('inbox.composer.reply')}</span> },
            { value: 'note', label: <span data-testid="composer-mode-note">{t('inbox.composer.note')}</span> },
          ]}
        />
        {mode === 'reply' ? (
          <Flex gap={4}>
            <Tooltip title={t('inbox.composer.canned')}>
              <Button size="small" type="text" icon={<ThunderboltOutlined />} disabled={disabled} onClick={() => setCannedOpen(true)} data-testid="composer-canned" aria-label={t('inbox.composer.canned')} />
            </Tooltip>
            {channel?.capabilities.templates ? (
              <Tooltip title={t('inbox.composer.template')}>
                <Button size="small" type="text" icon={<FileTextOutlined />} disabled={disabled} onClick={() => setTemplatesOpen(true)} data-testid="composer-template" aria-label={t('inbox.composer.template')} />
              </Tooltip>
            ) : null}
            <Tooltip title={t('inbox.composer.attach')}>
              <Button size="small" type="text" icon={<PaperClipOutlined />} disabled={disabled} loading={uploading} onClick={() => fileInput.current?.click()} aria-label={t('inbox.composer.attach')} />
            </Tooltip>
            <input ref={fileInput} type="file" multiple hidden onChange={(e) => void upload(e.target.files)} data-testid="composer-file" />
          </Flex>
        ) : null}
      </Flex>
      {mode === 'reply' && windowClosed ? (
        <Alert type="warning" showIcon style={{ marginBottom: 8 }} data-testid="composer-window-closed" title={t(channel?.capabilities.templates ? 'inbox.composer.windowClosedTemplate' : 'inbox.composer.windowClosed')}
          action={channel?.capabilities.templates ? <Button size="small" onClick={() => setTemplatesOpen(true)}>{t('inbox.composer.template')}</Button> : undefined} />
      ) : null}
      {mode === 'reply' ? (
        <Input.TextArea
          ref={replyRef}
          value={text}
          disabled={disabled}
          autoSize={{ minRows: 2, maxRows: 8 }}
          placeholder={t('inbox.composer.replyPlaceholder')}
          onChange={(e) => onChange(e.target.value)}
          onBlur={typing.stop}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              submit();
            }
          }}
          data-testid="composer-input"
        />
      ) : (
        <Mentions
          ref={noteRef}
          value={text}
          disabled={disabled}
          autoSize={{ minRows: 2, maxRows: 8 }}
          placeholder={t('inbox.composer.notePlaceholder')}
          onChange={onChange}
          onSelect={(option) => {
            const member = names.members.find((m) => m.name === option.value);
            if (member) mentioned.current.set(member.name, member.id);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              submit();
            }
          }}
          options={names.members.map((m) => ({ value: m.name, key: m.id, label: <span data-testid="mention-option">{m.name}</span> }))}
          data-testid="composer-note"
        />
      )}
      <Flex justify="space-between" align="center" style={{ marginTop: 8 }} gap={8}>
        <Flex gap={4} wrap>
          {files.map((f) => (
            <Tag key={f.id} closable closeIcon={<CloseOutlined />} onClose={() => setFiles((now) => now.filter((x) => x.id !== f.id))} data-testid="composer-attachment">{f.fileName}</Tag>
          ))}
        </Flex>
        <Button type="primary" icon={<SendOutlined />} disabled={!canSend} loading={send.isPending} onClick={submit} data-testid="composer-send">
          {mode === 'note' ? t('inbox.composer.addNote') : t('inbox.composer.send')}
        </Button>
      </Flex>
      {channel?.capabilities.templates ? (
        <TemplatePicker open={templatesOpen} channelId={conversation.channelId} sending={sendTemplate.isPending} onClose={() => setTemplatesOpen(false)} onSend={(template, shown) => sendTemplate.mutate({ template, text: shown })} />
      ) : null}
      <CannedPicker
        open={cannedOpen}
        conversationId={conversation.id}
        onClose={() => {
          setCannedOpen(false);
          focus('reply');
        }}
        onPick={(value) => setText((now) => (now ? `${now}\n${value}` : value))}
      />
    </div>
  );
}
