// Beside the thread: the customer (profile, tags, a link to the full profile), the
// conversation's labels, and the customer's other conversations.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Avatar, Card, Descriptions, Empty, Flex, List, Select, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { getContact, contactKey } from '../../api/contacts';
import { inboxKeys, listConversations, setLabels, type Conversation } from '../../api/inbox';
import { useCan } from '../../auth/session';
import { ColorTag } from '../../components/color-tag';
import { useErrorToast } from '../../components/errors';
import { useFormatDate } from '../../components/format';
import { statusColors } from './thread';

function Labels({ conversation, known }: { conversation: Conversation; known: string[] }) {
  const { t } = useTranslation();
  const can = useCan();
  const toast = useErrorToast();
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: (labels: string[]) => setLabels(conversation.id, labels),
    onSuccess: (c) => {
      queryClient.setQueryData(inboxKeys.conversation(c.id), c);
      void queryClient.invalidateQueries({ queryKey: inboxKeys.lists });
    },
    onError: toast,
  });
  return (
    <Card size="small" title={t('inbox.panel.labels')}>
      <Select mode="tags" style={{ width: '100%' }} value={conversation.labels} disabled={!can('inbox:write')} loading={save.isPending}
        placeholder={t('inbox.panel.addLabel')} maxTagTextLength={50}
        options={[...new Set([...known, ...conversation.labels])].map((l) => ({ value: l, label: l }))}
        onChange={(labels: string[]) => save.mutate(labels.map((l) => l.trim()).filter(Boolean))} data-testid="conversation-labels" />
    </Card>
  );
}

function Profile({ contactId }: { contactId: string }) {
  const { t } = useTranslation();
  const contact = useQuery({ queryKey: contactKey(contactId), queryFn: () => getContact(contactId) });
  if (!contact.data) return <Card size="small" loading={contact.isPending} />;
  const c = contact.data;
  const rows = [
    ['phone', c.phone],
    ['email', c.email],
    ['company', [c.company, c.title].filter(Boolean).join(' · ')],
    ['city', [c.city, c.region].filter(Boolean).join(' · ')],
    ['owner', c.owner?.name],
  ].filter(([, v]) => v);
  return (
    <Card size="small" data-testid="contact-panel">
      <Flex gap={10} align="center" style={{ marginBottom: 8 }}>
        <Avatar src={c.avatarUrl ?? undefined}>{c.name.slice(0, 1)}</Avatar>
        <div style={{ minWidth: 0 }}>
          <Link to={`/contacts/${c.id}`}><Typography.Text strong ellipsis>{c.name}</Typography.Text></Link>
          {c.stage ? <div><ColorTag color={c.stage.color}>{c.stage.name}</ColorTag></div> : null}
        </div>
      </Flex>
      {rows.length ? (
        <Descriptions size="small" column={1} items={rows.map(([k, v]) => ({ key: k!, label: t(`inbox.panel.${k}`), children: v }))} />
      ) : null}
      <Flex gap={4} wrap style={{ marginTop: 8 }} data-testid="contact-tags">
        {c.tags.length ? c.tags.map((tag) => <ColorTag key={tag.id} color={tag.color}>{tag.name}</ColorTag>) : <Typography.Text type="secondary">{t('inbox.panel.noTags')}</Typography.Text>}
      </Flex>
    </Card>
  );
}

function PastConversations({ contactId, currentId }: { contactId: string; currentId: string }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const past = useQuery({ queryKey: inboxKeys.contactConversations(contactId), queryFn: () => listConversations({ contactId }) });
  const items = (past.data?.items ?? []).filter((c) => c.id !== currentId);
  return (
    <Card size="small" title={t('inbox.panel.past')} loading={past.isPending}>
      {!items.length ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('inbox.panel.noPast')} /> : (
        <List size="small" dataSource={items} renderItem={(c) => (
          <List.Item style={{ paddingInline: 0 }}>
            <Link to={`/inbox/${c.id}`} style={{ width: '100%' }}>
              <Flex justify="space-between" gap={8}>
                <Typography.Text ellipsis style={{ flex: 1 }}>{c.lastMessagePreview ?? '—'}</Typography.Text>
                <Tag color={statusColors[c.status]} style={{ marginInlineEnd: 0 }}>{t(`inbox.status.${c.status}`)}</Tag>
              </Flex>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatDate(c.lastMessageAt ?? c.createdAt)}</Typography.Text>
            </Link>
          </List.Item>
        )} />
      )}
    </Card>
  );
}

export function ContactPanel({ conversation, knownLabels }: { conversation: Conversation; knownLabels: string[] }) {
  const can = useCan();
  const contactId = conversation.contact?.id;
  return (
    <Flex vertical gap={12} style={{ width: 300, flexShrink: 0, overflowY: 'auto', padding: 12, borderInlineStart: '1px solid #f0f0f0', background: '#fafafa' }}>
      {contactId && can('contacts:read') ? <Profile contactId={contactId} /> : null}
      <Labels conversation={conversation} known={knownLabels} />
      {contactId ? <PastConversations contactId={contactId} currentId={conversation.id} /> : null}
    </Flex>
  );
}
