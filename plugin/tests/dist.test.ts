/**
 * @jest-environment node
 *
 * The built plugin Grafana loads: dist/plugin.json and dist/module.js must exist (root `npm test`
 * builds first), describe this plugin, and load with only the libraries Grafana provides.
 */
import fs from 'fs';
import path from 'path';

const PLUGIN_DIR = path.resolve(__dirname, '..');
const DIST = path.join(PLUGIN_DIR, 'dist');
const BUILD_HINT = 'run `npm run build -w plugin` (root `npm test` builds before testing)';

/** What Grafana's plugin loader provides to a panel's AMD module. */
const GRAFANA_PROVIDED = ['module', 'react', 'react-dom', '@grafana/data', '@grafana/ui', '@grafana/runtime', '@emotion/css', '@emotion/react', 'rxjs', 'lodash'];

function read(file: string): string {
  const full = path.join(DIST, file);
  if (!fs.existsSync(full)) {
    throw new Error(`dist/${file} is missing: ${BUILD_HINT}`);
  }
  return fs.readFileSync(full, 'utf8');
}

describe('built plugin in dist/', () => {
  it('has plugin.json for the datatrust-lineage-panel panel with its version filled in', () => {
    const pluginJson = JSON.parse(read('plugin.json'));
    expect(pluginJson).toMatchObject({ id: 'datatrust-lineage-panel', type: 'panel', buildMode: 'production' });
    expect(pluginJson.dependencies.grafanaDependency).toMatch(/^>=13\.[12]\.0$/);
    expect(pluginJson.info.version).not.toContain('%');
    expect(fs.existsSync(path.join(DIST, pluginJson.info.logos.small))).toBe(true);
  });

  it('has module.js as an AMD module that needs only what Grafana provides', () => {
    const moduleJs = read('module.js');
    const deps = /define\((\[[^\]]*\])/.exec(moduleJs)?.[1];
    expect(deps).toBeDefined();
    const needed: string[] = JSON.parse(deps as string);
    expect(needed.filter((d) => !GRAFANA_PROVIDED.includes(d))).toEqual([]);
    expect(needed).toEqual(expect.arrayContaining(['react', '@grafana/data', '@grafana/ui']));
  });
});
