import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { readText, readYaml, repoPath, runTool } from './support/repo';
import { requireBinary } from './support/requireBinary';

interface Route {
  receiver?: string;
  matchers?: string[];
  routes?: Route[];
}
interface AlertmanagerConfig {
  route: Route;
  receivers: { name: string; slack_configs?: Record<string, unknown>[]; webhook_configs?: Record<string, unknown>[]; email_configs?: Record<string, unknown>[] }[];
  inhibit_rules?: { source_matchers: string[]; target_matchers: string[]; equal?: string[] }[];
  templates?: string[];
}
interface RuleFile {
  groups: { rules: { alert?: string; labels?: Record<string, string> }[] }[];
}

const DIR = 'provisioning/alertmanager';
const CONFIG = `${DIR}/alertmanager.yml`;
const config = readYaml<AlertmanagerConfig>(CONFIG);
const alerts = readYaml<RuleFile>('provisioning/prometheus/rules/datatrust.rules.yml').groups.flatMap((g) => g.rules.filter((r) => r.alert));

/** The receiver amtool picks for a set of labels. */
function routeOf(labels: Record<string, string>): string {
  const args = ['config', 'routes', 'test', `--config.file=${CONFIG}`, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)];
  const r = runTool(requireBinary('amtool'), args);
  if (r.code !== 0) throw new Error(`amtool ${args.join(' ')} failed: ${r.output}`);
  return r.stdout.trim();
}

describe('amtool', () => {
  it('accepts alertmanager.yml with its templates', () => {
    const r = runTool(requireBinary('amtool'), ['check-config', CONFIG]);
    expect(r.output).toContain('SUCCESS');
    expect(r.code).toBe(0);
  });

  it('rejects a config routing to a receiver that does not exist, so the check has teeth', () => {
    const dir = mkdtempSync(join(tmpdir(), 'datatrust-amtool-'));
    try {
      const broken = join(dir, 'alertmanager.yml');
      writeFileSync(broken, readText(CONFIG).replace('receiver: datatrust-critical', 'receiver: datatrust-nobody'));
      const r = runTool(requireBinary('amtool'), ['check-config', broken]);
      expect(r.output).toContain('datatrust-nobody');
      expect(r.code).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('renders the Slack templates', () => {
    for (const name of ['datatrust.slack.title', 'datatrust.slack.text']) {
      const r = runTool(requireBinary('amtool'), ['template', 'render', `--template.glob=${repoPath(DIR, 'templates', '*.tmpl')}`, `--template.text={{ template "${name}" . }}`]);
      expect({ name, code: r.code, stderr: r.stderr.trim() }).toEqual({ name, code: 0, stderr: '' });
    }
  });
});

describe('alert routing', () => {
  it('sends critical and warning alerts to their receivers, and nothing else anywhere', () => {
    expect(routeOf({ severity: 'critical' })).toBe('datatrust-critical');
    expect(routeOf({ severity: 'warning' })).toBe('datatrust-warning');
    expect(routeOf({ severity: 'info' })).toBe('datatrust-unrouted');
    expect(routeOf({ alertname: 'Unlabelled' })).toBe('datatrust-unrouted');
    const unrouted = config.receivers.find((r) => r.name === 'datatrust-unrouted')!;
    expect(Object.keys(unrouted)).toEqual(['name']);
  });

  it.each(alerts.map((a) => [a.alert!, a.labels!.severity!] as const))('routes %s (%s) by its severity', (alertname, severity) => {
    expect(routeOf({ alertname, severity, dataset: 'raw_transactions' })).toBe(`datatrust-${severity}`);
  });

  it('inhibits only alerts that exist', () => {
    const names = new Set(alerts.map((a) => a.alert));
    for (const rule of config.inhibit_rules ?? []) {
      for (const m of [...rule.source_matchers, ...rule.target_matchers]) {
        const exact = /^alertname="([^"]+)"$/.exec(m);
        const regex = /^alertname=~"([^"]+)"$/.exec(m);
        if (exact) expect(names).toContain(exact[1]);
        if (regex) {
          const re = new RegExp(`^(?:${regex[1]})$`);
          expect({ matcher: m, matches: [...names].filter((n) => re.test(n!)).length > 0 }).toEqual({ matcher: m, matches: true });
        }
      }
    }
  });

  it('reads every credential from a file, never from the config itself', () => {
    for (const receiver of config.receivers) {
      for (const c of [...(receiver.slack_configs ?? []), ...(receiver.webhook_configs ?? []), ...(receiver.email_configs ?? [])]) {
        for (const key of ['api_url', 'url', 'auth_password', 'http_config']) expect({ receiver: receiver.name, key, set: key in c }).toEqual({ receiver: receiver.name, key, set: false });
        const file = (c.api_url_file ?? c.url_file) as string | undefined;
        expect({ receiver: receiver.name, file: file?.startsWith('/run/secrets/') }).toEqual({ receiver: receiver.name, file: true });
      }
    }
  });

  it('loads templates from where compose mounts them', () => {
    const compose = readYaml<{ services: Record<string, { volumes?: string[] }> }>('docker-compose.yml');
    const mount = (compose.services.alertmanager!.volumes ?? []).map((v) => v.split(':')).find(([src]) => src === `./${DIR}/templates`);
    expect(mount).toBeDefined();
    for (const t of config.templates ?? []) expect(posix.dirname(t)).toBe(mount![1]);
  });
});
