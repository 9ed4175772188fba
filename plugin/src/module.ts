import { PanelPlugin } from '@grafana/data';
import { LineagePanel } from './components/LineagePanel';
import { LineageOptions } from './options/LineageOptions';
import { buildPanelOptions } from './options/panelOptions';

export const plugin = new PanelPlugin<LineageOptions>(LineagePanel).setPanelOptions(buildPanelOptions);
