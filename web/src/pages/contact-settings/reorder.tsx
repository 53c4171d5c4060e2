import { ArrowDownOutlined, ArrowUpOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { Button, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { useErrorToast } from '../../components/errors';

/** Move one item up or down: the cache changes at once, the server gets the whole order. */
export function useReorder<T extends { id: string }>(key: QueryKey, save: (ids: string[]) => Promise<unknown>) {
  const queryClient = useQueryClient();
  const toast = useErrorToast();
  const mutation = useMutation({
    mutationFn: save,
    onError: (e) => { toast(e); void queryClient.invalidateQueries({ queryKey: key }); },
    onSettled: () => void queryClient.invalidateQueries({ queryKey: key }),
  });
  return (items: T[], index: number, delta: -1 | 1) => {
    const next = [...items];
    const [moved] = next.splice(index, 1);
    if (!moved) return;
    next.splice(index + delta, 0, moved);
    queryClient.setQueryData<T[]>(key, next);
    mutation.mutate(next.map((i) => i.id));
  };
}

export function MoveButtons({ index, count, onMove }: { index: number; count: number; onMove: (delta: -1 | 1) => void }) {
  const { t } = useTranslation();
  return (
    <Space.Compact size="small">
      <Button size="small" icon={<ArrowUpOutlined />} disabled={index === 0} onClick={() => onMove(-1)} aria-label={t('settings.moveUp')} />
      <Button size="small" icon={<ArrowDownOutlined />} disabled={index === count - 1} onClick={() => onMove(1)} aria-label={t('settings.moveDown')} />
    </Space.Compact>
  );
}
