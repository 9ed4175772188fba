import packageJson from '../package.json';
import { LineagePanel } from './components/LineagePanel';
import { plugin } from './module';
import pluginJson from './plugin.json';

describe('plugin module', () => {
  it('exports the lineage panel', () => {
    expect(plugin.panel).toBe(LineagePanel);
  });

  it('declares the datatrust-lineage-panel id and a Grafana range matching the @grafana packages it is built with', () => {
    expect(pluginJson.id).toBe('datatrust-lineage-panel');
    expect(pluginJson.type).toBe('panel');
    const [major, minor] = packageJson.dependencies['@grafana/data'].split('.');
    expect(pluginJson.dependencies.grafanaDependency).toBe(`>=${major}.${minor}.0`);
    for (const name of ['@grafana/ui', '@grafana/runtime', '@grafana/schema'] as const) {
      expect(packageJson.dependencies[name]).toBe(packageJson.dependencies['@grafana/data']);
    }
    // 13.1.x pairs with React 18 (13.2.x would need React 19)
    expect(packageJson.dependencies.react.startsWith(minor === '1' ? '18.' : '19.')).toBe(true);
  });
});
