// The canned-response picker ("/" in the composer): search by shortcut or title, pick one, and
// the server fills its variables for this conversation ({{contact.name}} …).
import { useMutation, useQuery } from '@tanstack/react-query';
import { Empty, Input, List, Modal, Spin, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { listCannedResponses, renderCannedResponse, type CannedResponse } from '../../api/inbox';
import { useErrorToast } from '../../components/errors';

export function CannedPicker({ open, conversationId, onClose, onPick }: { open: boolean; conversationId: string; onClose: () => void; onPick: (text: string) => void }) {
  const { t } = useTranslation();
  const toast = useErrorToast();
  const [q, setQ] = useState('');
  const [active, setActive] = useState(0);
  const [debounced, setDebounced] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(q.trim()), 200);
    return () => clearTimeout(timer);
  }, [q]);
  useEffect(() => {
    if (open) setQ('');
  }, [open]);
  // Until the auto-replies routes exist on this server, the list is simply empty.
  const list = useQuery({ queryKey: ['inbox', 'canned', debounced], queryFn: () => listCannedResponses(debounced), enabled: open, retry: false });
  const items = list.data?.items ?? [];
  const render = useMutation({
    mutationFn: (c: CannedResponse) => renderCannedResponse(c.id, conversationId),
    onSuccess: (text) => {
      onPick(text);
      onClose();
    },
    onError: toast,
  });
  const pick = (c: CannedResponse | undefined) => c && !render.isPending && render.mutate(c);

  return (
    <Modal open={open} onCancel={onClose} footer={null} title={t('inbox.canned.title')} destroyOnHidden width={560}>
      <Input
        autoFocus
        value={q}
        placeholder={t('inbox.canned.search')}
        onChange={(e) => {
          setQ(e.target.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setActive((i) => Math.min(items.length - 1, i + 1));
          else if (e.key === 'ArrowUp') setActive((i) => Math.max(0, i - 1));
          else if (e.key === 'Enter') pick(items[active]);
          else return;
          e.preventDefault();
        }}
        data-testid="canned-search"
      />
      <div style={{ maxHeight: 360, overflowY: 'auto', marginTop: 8 }}>
        {list.isPending || render.isPending ? <div style={{ textAlign: 'center', padding: 16 }}><Spin /></div> : null}
        {!list.isPending && !items.length ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('inbox.canned.empty')} data-testid="canned-empty" /> : null}
        <List
          size="small"
          dataSource={items}
          renderItem={(c, i) => (
            <List.Item onClick={() => pick(c)} onMouseEnter={() => setActive(i)} style={{ cursor: 'pointer', background: i === active ? '#f0f7ff' : undefined, paddingInline: 8 }} data-testid="canned-item">
              <List.Item.Meta
                title={<><Tag>/{c.shortcut}</Tag>{c.title}</>}
                description={<Typography.Text type="secondary" ellipsis>{c.body}</Typography.Text>}
              />
            </List.Item>
          )}
        />
      </div>
    </Modal>
  );
}
