// Keyboard shortcuts of the inbox, and the "?" overlay that lists them. None fires while the
// agent types in a field or holds Ctrl/⌘/Alt.
import { Modal, Table, Typography } from 'antd';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

export const shortcutKeys = ['j', 'k', 'r', 'n', 'e', 'a', '/', '?'] as const;
export type ShortcutKey = (typeof shortcutKeys)[number];

function isTyping(target: EventTarget | null) {
  const el = target as HTMLElement | null;
  if (!el || typeof el.closest !== 'function') return false;
  return Boolean(el.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"], .ant-select, .ant-picker, .ant-modal, .ant-drawer'));
}

export function useShortcuts(handlers: Partial<Record<ShortcutKey, () => void>>) {
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing || isTyping(e.target)) return;
      const handler = ref.current[e.key as ShortcutKey];
      if (!handler) return;
      e.preventDefault();
      handler();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

export function ShortcutHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal open={open} onCancel={onClose} footer={null} title={t('inbox.shortcuts.title')} data-testid="shortcut-help">
      <Table size="small" pagination={false} rowKey="key" showHeader={false}
        dataSource={shortcutKeys.map((key) => ({ key, what: t(`inbox.shortcuts.${key === '/' ? 'slash' : key === '?' ? 'help' : key}`) }))}
        columns={[
          { dataIndex: 'key', width: 60, render: (k: string) => <Typography.Text keyboard>{k}</Typography.Text> },
          { dataIndex: 'what' },
        ]} />
    </Modal>
  );
}
