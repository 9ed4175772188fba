import { readdirSync, readFileSync } from 'node:fs';
import { loadProject, type Project } from '../exporter/src/config/loadProject';
import { tempProject } from '../exporter/src/testing/tempDir';
import { readText, readYaml, repoPath } from './support/repo';

/**
 * deploy/datatrust.yml as the container sees it: /etc/datatrust/datatrust.yml with the
 * repository's checks/ mounted beside it. Loaded through the exporter's own loader, so a key it
 * does not know, a missing variable or a check naming an unknown dataset fails here, not at
 * `docker compose up`.
 */
function loadDeployConfig(env: Record<string, string>): Project {
  const files: Record<string, string> = { 'datatrust.yml': readText('deploy/datatrust.yml') };
  for (const f of readdirSync(repoPath('checks'))) files[`checks/${f}`] = readFileSync(repoPath('checks', f), 'utf8');
  const project = tempProject(files);
  try {
    return loadProject(project.path('datatrust.yml'), { env });
  } finally {
    project.cleanup();
  }
}

const errors = (p: Project) => p.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line}:${d.col} ${d.message}`);

describe('deploy/datatrust.yml', () => {
  it('loads without errors with no variable set (the .env.example defaults), saying Slack is off', () => {
    const p = loadDeployConfig({});
    expect(errors(p)).toEqual([]);
    expect(p.blocking).toEqual([]);
    expect(p.diagnostics.map((d) => `${d.severity}: ${d.message}`)).toEqual(['warning: slack channel `slack` is disabled: its `webhook_url` is empty']);
  });

  it('checks every dataset of the demo, with the checks the demo uses', () => {
    const p = loadDeployConfig({});
    const demo = readYaml<{ datasets: Record<string, { table: string }> }>('datatrust.yml').datasets;
    expect(Object.keys(p.config.datasets).sort()).toEqual(Object.keys(demo).sort());
    for (const [name, ds] of Object.entries(p.config.datasets)) expect({ name, table: ds.table }).toEqual({ name, table: demo[name]!.table });
    const checked = new Set(p.documents.flatMap((d) => d.sections.filter((s) => s.checks.length > 0).map((s) => s.dataset)));
    for (const name of Object.keys(p.config.datasets)) expect({ name, checked: checked.has(name) }).toEqual({ name, checked: true });
  });

  it('takes its lineage from OpenLineage events, not `upstream:`, and forwards them to the stack\'s Marquez', () => {
    const { datasets, lineage } = loadDeployConfig({ DATATRUST_MARQUEZ_URL: 'http://marquez:5000' }).config;
    for (const d of Object.values(datasets)) expect({ dataset: d.name, upstream: d.upstream }).toEqual({ dataset: d.name, upstream: [] });
    expect(lineage.marquezUrl).toBe('http://marquez:5000');
    expect(loadDeployConfig({}).config.lineage.marquezUrl).toBeUndefined();
  });

  it('listens on every interface, on the port Prometheus scrapes', () => {
    const { server } = loadDeployConfig({}).config;
    expect(server).toMatchObject({ host: '0.0.0.0', port: 8470, publicUrl: 'http://localhost:8470', scanOnStart: true });
  });

  it('keeps state and the warehouse in the data volume', () => {
    const { config } = loadDeployConfig({});
    expect(config.state.path).toBe('/var/lib/datatrust/state.duckdb');
    expect(config.sources.warehouse).toMatchObject({ type: 'duckdb', path: '/var/lib/datatrust/demo.duckdb', memoryLimit: '1GB' });
  });

  it('links alerts to the Grafana the environment names', () => {
    expect(loadDeployConfig({}).config.alerts.grafanaUrl).toBe('http://localhost:3000');
    expect(loadDeployConfig({ GRAFANA_PUBLIC_URL: 'https://grafana.example.com/' }).config.alerts.grafanaUrl).toBe('https://grafana.example.com');
  });

  it('leaves the Slack channel out while DATATRUST_SLACK_WEBHOOK_URL is empty, and uses it once set', () => {
    expect(loadDeployConfig({}).config.alerts.channels).toEqual([]);
    expect(loadDeployConfig({ DATATRUST_SLACK_WEBHOOK_URL: '' }).config.alerts.channels).toEqual([]);
    const url = 'https://hooks.example.invalid/services/test';
    const p = loadDeployConfig({ DATATRUST_SLACK_WEBHOOK_URL: url });
    expect(errors(p)).toEqual([]);
    expect(p.config.alerts.channels).toEqual([expect.objectContaining({ name: 'slack', type: 'slack', webhookUrl: url, minPriority: 'high' })]);
  });
});
