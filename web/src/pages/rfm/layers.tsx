import { Tag } from 'antd';
import type { RfmLayer } from '../../api/segments';
import { useLayerLabel } from '../../components/conditions/use-options';

/** Important layers in full colour, general ones in the lighter shade of the same hue. */
export const layerColors: Record<RfmLayer, string> = {
  important_value: '#1677ff', important_develop: '#13c2c2', important_keep: '#722ed1', important_retain: '#eb2f96',
  general_value: '#69b1ff', general_develop: '#87e8de', general_keep: '#b37feb', general_retain: '#ffadd2',
};

/** A layer's name with its colour as a dot (the light shades would not carry text). */
export function LayerTag({ layer, testId }: { layer: RfmLayer; testId?: string }) {
  const label = useLayerLabel();
  return (
    <Tag style={{ marginBottom: 2 }} data-testid={testId} data-layer={layer}>
      <span style={{ display: 'inline-block', width: 8, height: 8, borderRadius: 4, background: layerColors[layer], marginInlineEnd: 6 }} />
      {label(layer)}
    </Tag>
  );
}
