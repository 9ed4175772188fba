import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import draft07MetaSchema from 'ajv/dist/refs/json-schema-draft-07.json';
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { interpolate, strings, variableUses } from './support/interpolation';
import { exists, readText, readYaml, repoPath } from './support/repo';

/** The subset of the Compose model these checks read. */
interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  volumes?: (string | { type: string; source?: string; target: string; read_only?: boolean; bind?: { create_host_path?: boolean } })[];
  ports?: (string | { published?: string | number; target: number; host_ip?: string })[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  networks?: string[] | Record<string, unknown>;
  secrets?: (string | { source: string })[];
  healthcheck?: { test?: string | string[]; disable?: boolean };
  restart?: string;
}
interface ComposeFile {
  name?: string;
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
  networks?: Record<string, unknown>;
  secrets?: Record<string, { environment?: string; file?: string }>;
}

const COMPOSE = 'docker-compose.yml';
const PLUGIN_ID = (JSON.parse(readText('plugin/src/plugin.json')) as { id: string }).id;

/** Values for the variables Compose insists on (`:?`), so the file can be interpolated. */
const REQUIRED_FOR_TEST = { GF_SECURITY_ADMIN_PASSWORD: 'test-only', MARQUEZ_DB_PASSWORD: 'test-only' };

function compileSchema(): ValidateFunction {
  const schema = JSON.parse(readFileSync(repoPath('test/fixtures/compose-spec.json'), 'utf8')) as object;
  // The published schema uses union types and type-less object keywords throughout; Ajv's strict
  // type checks would only log about them. Everything else stays strict.
  const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, strictTypes: false });
  addFormats(ajv);
  // The schema names its meta-schema by the https address; Ajv knows draft-07 by the http one.
  ajv.addMetaSchema({ ...draft07MetaSchema, $id: 'https://json-schema.org/draft-07/schema' });
  return ajv.compile(schema);
}

/** The file as Compose validates it: variables replaced, unset ones by their defaults. */
function interpolated(value: unknown, env: Record<string, string>): unknown {
  if (typeof value === 'string') return interpolate(value, env);
  if (Array.isArray(value)) return value.map((v) => interpolated(v, env));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolated(v, env)]));
  return value;
}

const envEntries = (s: Service): [string, string][] =>
  Array.isArray(s.environment)
    ? s.environment.map((e) => {
        const i = e.indexOf('=');
        return (i < 0 ? [e, ''] : [e.slice(0, i), e.slice(i + 1)]) as [string, string];
      })
    : Object.entries(s.environment ?? {}).map(([k, v]) => [k, v === null ? '' : String(v)]);

const dependsOn = (s: Service): [string, string][] =>
  Array.isArray(s.depends_on) ? s.depends_on.map((d) => [d, 'service_started']) : Object.entries(s.depends_on ?? {}).map(([d, c]) => [d, c.condition ?? 'service_started']);

const networksOf = (s: Service): string[] => (Array.isArray(s.networks) ? s.networks : Object.keys(s.networks ?? {}));

interface Mount {
  type: 'bind' | 'volume' | 'tmpfs';
  source: string;
  target: string;
  createHostPath: boolean;
}

function mounts(s: Service): Mount[] {
  return (s.volumes ?? []).map((v) => {
    if (typeof v === 'string') {
      const [source = '', target = ''] = v.split(':');
      // Short syntax: a path (./, /, ~) is a bind mount, which Docker creates when missing.
      const bind = /^[./~]/.test(source);
      return { type: bind ? 'bind' : 'volume', source, target, createHostPath: true };
    }
    return { type: v.type as Mount['type'], source: v.source ?? '', target: v.target, createHostPath: v.bind?.create_host_path ?? true };
  });
}

/** Published host ports, with their defaults: `${BIND_ADDRESS:-127.0.0.1}:${X_PORT:-3000}:3000`. */
function publishedPorts(s: Service, env: Record<string, string> = {}): { hostIp: string; hostPort: number; containerPort: number; raw: string }[] {
  return (s.ports ?? []).map((p) => {
    if (typeof p !== 'string') return { hostIp: p.host_ip ?? '0.0.0.0', hostPort: Number(p.published), containerPort: p.target, raw: JSON.stringify(p) };
    const parts = interpolate(p, env).split(':');
    const containerPort = Number(parts.pop());
    const hostPort = Number(parts.pop());
    return { hostIp: parts.pop() ?? '0.0.0.0', hostPort, containerPort, raw: p };
  });
}

const compose = readYaml<ComposeFile>(COMPOSE);
const services = Object.entries(compose.services);

describe('docker-compose.yml against the Compose Specification schema', () => {
  const validate = compileSchema();

  it('is valid as written', () => {
    const ok = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('is valid once variables are replaced by their defaults, as Compose validates it', () => {
    const ok = validate(interpolated(compose, REQUIRED_FOR_TEST));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('rejects a misspelt key, so the schema check has teeth', () => {
    const broken = structuredClone(compose) as unknown as { services: Record<string, Record<string, unknown>> };
    broken.services.exporter!.restrat = 'always';
    expect(validate(broken)).toBe(false);
    expect(JSON.stringify(validate.errors)).toContain('restrat');
  });
});

describe('docker-compose.yml services', () => {
  it('runs the whole stack', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['alertmanager', 'exporter', 'grafana', 'marquez', 'marquez-db', 'marquez-web', 'prometheus'].sort());
  });

  it('pins every image to a version (no latest, no untagged image)', () => {
    for (const [name, s] of services) {
      if (s.build) {
        // Built here: named, so `docker compose run exporter gate …` reuses the same image.
        expect({ name, image: s.image }).toEqual({ name, image: expect.stringMatching(/^[\w./-]+:(\$\{[A-Z_]+:-[\w.-]+\}|[\w.-]+)$/) });
        continue;
      }
      expect({ name, image: s.image }).toEqual({ name, image: expect.stringMatching(/^[\w./-]+:[\w.-]+$/) });
      expect({ name, tag: s.image!.split(':')[1] }).not.toEqual({ name, tag: 'latest' });
    }
  });

  it('builds the exporter from the Dockerfile at the repository root', () => {
    const build = compose.services.exporter!.build as { context: string; dockerfile: string };
    expect(posix.normalize(build.context)).toBe('.');
    expect(exists(build.dockerfile)).toBe(true);
  });

  it('restarts long-running services, and gives each one a healthcheck', () => {
    for (const [name, s] of services) {
      expect({ name, restart: s.restart }).toEqual({ name, restart: 'unless-stopped' });
      expect({ name, healthcheck: Boolean(s.healthcheck?.test) && !s.healthcheck?.disable }).toEqual({ name, healthcheck: true });
    }
  });

  it('runs the exporter with the documented command and config path', () => {
    const command = ([] as string[]).concat(compose.services.exporter!.command ?? []).join(' ');
    // The image's declared bin (the shim that loads the build), as the Dockerfile's entry point.
    expect(command).toContain('node exporter/bin/datatrust.js serve -c /etc/datatrust/datatrust.yml --host 0.0.0.0');
    // The demo: its warehouse, then served while its pipeline reports lineage.
    expect(command).toContain('node exporter/bin/datatrust.js demo --output /var/lib/datatrust/demo.duckdb --serve -c /etc/datatrust/datatrust.yml --host 0.0.0.0');
    // `exec` makes node the process that receives SIGTERM, so `serve` shuts down cleanly.
    expect(command).toMatch(/exec node exporter\/bin\/datatrust\.js serve/);
    expect(command).toMatch(/exec node exporter\/bin\/datatrust\.js demo/);
    const configMount = mounts(compose.services.exporter!).find((m) => m.target === '/etc/datatrust/datatrust.yml');
    expect(configMount?.source).toBe('./deploy/datatrust.yml');
  });

  it('keeps the demo warehouse and state inside the exporter data volume', () => {
    const exporter = compose.services.exporter!;
    const data = mounts(exporter).find((m) => m.type === 'volume' && m.target === '/var/lib/datatrust');
    expect(data).toBeDefined();
    const command = ([] as string[]).concat(exporter.command ?? []).join(' ');
    const demoOutput = /demo --output (\S+)/.exec(command)?.[1];
    expect(demoOutput).toBe('/var/lib/datatrust/demo.duckdb');
    const config = readYaml<{ sources: Record<string, { path?: string }>; state: { path: string } }>('deploy/datatrust.yml');
    expect(config.sources.warehouse?.path).toBe(demoOutput);
    expect(config.state.path.startsWith('/var/lib/datatrust/')).toBe(true);
  });
});

describe('docker-compose.yml references', () => {
  it('depends only on services that exist, with conditions they can meet', () => {
    for (const [name, s] of services) {
      for (const [dep, condition] of dependsOn(s)) {
        expect({ name, dep, exists: dep in compose.services }).toEqual({ name, dep, exists: true });
        expect(['service_started', 'service_healthy', 'service_completed_successfully']).toContain(condition);
        if (condition === 'service_healthy') expect({ dep, healthcheck: Boolean(compose.services[dep]!.healthcheck?.test) }).toEqual({ dep, healthcheck: true });
      }
    }
  });

  it('has no dependency cycle', () => {
    const visiting = new Set<string>();
    const done = new Set<string>();
    const visit = (name: string, path: string[]): void => {
      if (done.has(name)) return;
      if (visiting.has(name)) throw new Error(`dependency cycle: ${[...path, name].join(' -> ')}`);
      visiting.add(name);
      for (const [dep] of dependsOn(compose.services[name]!)) visit(dep, [...path, name]);
      visiting.delete(name);
      done.add(name);
    };
    for (const name of Object.keys(compose.services)) visit(name, []);
  });

  it('declares every named volume it mounts, and mounts every volume it declares', () => {
    const declared = Object.keys(compose.volumes ?? {});
    const used = new Set(services.flatMap(([, s]) => mounts(s).filter((m) => m.type === 'volume').map((m) => m.source)));
    for (const v of used) expect({ volume: v, declared: declared.includes(v) }).toEqual({ volume: v, declared: true });
    for (const v of declared) expect({ volume: v, used: used.has(v) }).toEqual({ volume: v, used: true });
  });

  it('bind-mounts only paths of the repository that exist (plugin/dist excepted: it is built)', () => {
    for (const [name, s] of services) {
      for (const m of mounts(s).filter((x) => x.type === 'bind')) {
        expect({ name, source: m.source, relative: m.source.startsWith('./') }).toEqual({ name, source: m.source, relative: true });
        if (m.source === './plugin/dist') {
          // Missing until `npm run build -w plugin`: compose must fail rather than mount an empty folder.
          expect(m.createHostPath).toBe(false);
          expect(exists('plugin/src/plugin.json')).toBe(true);
          continue;
        }
        expect({ name, source: m.source, exists: exists(m.source) }).toEqual({ name, source: m.source, exists: true });
      }
    }
  });

  it('declares every network it joins, and uses every network it declares', () => {
    const declared = Object.keys(compose.networks ?? {});
    const used = new Set(services.flatMap(([, s]) => networksOf(s)));
    for (const n of used) expect({ network: n, declared: declared.includes(n) }).toEqual({ network: n, declared: true });
    for (const n of declared) expect({ network: n, used: used.has(n) }).toEqual({ network: n, used: true });
  });

  it('keeps the Marquez database on an internal network that only Marquez shares', () => {
    expect(compose.networks?.['marquez-db']).toEqual({ internal: true });
    const members = services.filter(([, s]) => networksOf(s).includes('marquez-db')).map(([n]) => n);
    expect(members.sort()).toEqual(['marquez', 'marquez-db']);
    expect(compose.services['marquez-db']!.ports ?? []).toEqual([]);
  });

  it('declares every secret it uses, each filled from a documented variable', () => {
    const declared = compose.secrets ?? {};
    const used = new Set(services.flatMap(([, s]) => (s.secrets ?? []).map((x) => (typeof x === 'string' ? x : x.source))));
    for (const name of used) expect({ secret: name, declared: name in declared }).toEqual({ secret: name, declared: true });
    for (const [name, def] of Object.entries(declared)) {
      expect({ secret: name, used: used.has(name) }).toEqual({ secret: name, used: true });
      // From the environment, never from a file in the repository.
      expect({ secret: name, environment: typeof def.environment }).toEqual({ secret: name, environment: 'string' });
    }
  });

  it('mounts Alertmanager secrets exactly where alertmanager.yml reads them', () => {
    const config = readText('provisioning/alertmanager/alertmanager.yml');
    const files = [...config.matchAll(/_file:\s*(\S+)/g)].map((m) => m[1]!);
    expect(files.length).toBeGreaterThan(0);
    const secrets = (compose.services.alertmanager!.secrets ?? []).map((x) => (typeof x === 'string' ? x : x.source));
    for (const f of files) expect(secrets.map((s) => `/run/secrets/${s}`)).toContain(f);
  });
});

describe('docker-compose.yml ports', () => {
  const published = services.flatMap(([name, s]) => publishedPorts(s).map((p) => ({ name, ...p })));

  it('publishes the documented ports by default', () => {
    const byService = Object.fromEntries(published.map((p) => [p.name, p.hostPort]));
    expect(byService).toEqual({ exporter: 8470, grafana: 3000, prometheus: 9090, alertmanager: 9093, marquez: 5000, 'marquez-web': 3001 });
  });

  it('uses no host port twice', () => {
    const seen = new Map<string, string>();
    for (const p of published) {
      const key = `${p.hostIp}:${p.hostPort}`;
      expect({ port: key, usedBy: seen.get(key) ?? p.name }).toEqual({ port: key, usedBy: p.name });
      seen.set(key, p.name);
    }
  });

  it('binds to loopback unless BIND_ADDRESS says otherwise (Prometheus and Alertmanager have no login)', () => {
    for (const p of published) {
      expect(p.raw).toMatch(/^\$\{BIND_ADDRESS:-127\.0\.0\.1\}:\$\{[A-Z_]+_PORT:-\d+\}:\d+$/);
      expect(p.hostIp).toBe('127.0.0.1');
    }
  });

  it('publishes the ports the services listen on', () => {
    const listen: Record<string, number> = { exporter: 8470, grafana: 3000, prometheus: 9090, alertmanager: 9093, marquez: 5000, 'marquez-web': 3000 };
    for (const p of published) expect({ name: p.name, port: p.containerPort }).toEqual({ name: p.name, port: listen[p.name] });
  });
});

describe('docker-compose.yml and the Grafana plugin', () => {
  const grafana = compose.services.grafana!;
  const env = Object.fromEntries(envEntries(grafana));

  it('mounts plugin/dist under the plugin id, read-only', () => {
    const m = mounts(grafana).find((x) => x.source === './plugin/dist');
    expect(m).toBeDefined();
    expect(m!.target).toBe(`/var/lib/grafana/plugins/${PLUGIN_ID}`);
    const raw = grafana.volumes!.find((v) => typeof v !== 'string' && v.source === './plugin/dist') as { read_only?: boolean } | undefined;
    expect(raw?.read_only).toBe(true);
  });

  it('allows exactly the unsigned plugin it mounts', () => {
    expect(String(env.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS).split(',').map((s) => s.trim())).toEqual([PLUGIN_ID]);
  });

  it('runs a Grafana that satisfies the plugin\'s grafanaDependency and SDK major version', () => {
    const version = /^grafana\/grafana:(\d+)\.(\d+)\.(\d+)$/.exec(grafana.image ?? '');
    expect(version).not.toBeNull();
    const [major, minor, patch] = version!.slice(1).map(Number) as [number, number, number];
    const plugin = JSON.parse(readText('plugin/src/plugin.json')) as { dependencies: { grafanaDependency: string } };
    const range = /^>=\s*(\d+)\.(\d+)\.(\d+)$/.exec(plugin.dependencies.grafanaDependency);
    if (!range) throw new Error(`grafanaDependency \`${plugin.dependencies.grafanaDependency}\` is not a plain >=x.y.z range; teach this test about it`);
    const min = range.slice(1).map(Number) as [number, number, number];
    const cmp = major - min[0] || minor - min[1] || patch - min[2];
    expect(cmp).toBeGreaterThanOrEqual(0);
    const sdk = (JSON.parse(readText('plugin/package.json')) as { dependencies: Record<string, string> }).dependencies['@grafana/data'];
    expect(Number(/(\d+)\./.exec(sdk ?? '')?.[1])).toBe(major);
  });

  it('installs the Infinity datasource pinned, in the background, so Grafana also starts offline', () => {
    expect(String(env.GF_PLUGINS_PREINSTALL)).toMatch(/^yesoreyeram-infinity-datasource@\d+\.\d+\.\d+$/);
    expect(env.GF_PLUGINS_PREINSTALL_AUTO_UPDATE).toBe('false');
    // Preinstall off would skip it; a synchronous install would keep Grafana down without internet.
    expect(String(env.GF_PLUGINS_PREINSTALL_DISABLED ?? 'false')).toBe('false');
    expect(env.GF_PLUGINS_PREINSTALL_SYNC).toBeUndefined();
    expect(env.GF_INSTALL_PLUGINS).toBeUndefined();
  });

  it('points the provisioned Infinity datasources at compose services, on the ports they listen on', () => {
    const { datasources } = readYaml<{ datasources: { type: string; url: string; jsonData?: { allowedHosts?: string[] } }[] }>('provisioning/grafana/datasources/datatrust.yml');
    const infinity = datasources.filter((d) => d.type === 'yesoreyeram-infinity-datasource');
    expect(infinity.length).toBeGreaterThan(0);
    const listen: Record<string, number> = { exporter: 8470, marquez: 5000 };
    for (const d of infinity) {
      const url = new URL(d.url);
      expect({ url: d.url, service: url.hostname in compose.services, port: Number(url.port) }).toEqual({ url: d.url, service: true, port: listen[url.hostname] });
      expect(d.jsonData?.allowedHosts).toEqual([d.url]);
      // Grafana reaches them over the compose network.
      expect(networksOf(compose.services[url.hostname]!)).toEqual(expect.arrayContaining(networksOf(grafana)));
    }
  });

  it('mounts the dashboards where the dashboard provider looks for them', () => {
    const provider = readYaml<{ providers: { options: { path: string } }[] }>('provisioning/grafana/dashboards/datatrust.yml');
    const m = mounts(grafana).find((x) => x.source === './dashboards');
    expect(m?.target).toBe(provider.providers[0]!.options.path);
    const home = String(env.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH);
    expect(home.startsWith(`${m!.target}/`)).toBe(true);
    expect(exists(`dashboards/${posix.basename(home)}`)).toBe(true);
  });
});

describe('docker-compose.yml secrets and variables', () => {
  it('takes every secret-looking setting from a variable, never a literal', () => {
    const secretKey = /PASSWORD|SECRET|TOKEN|API_?KEY|WEBHOOK|CREDENTIAL/i;
    for (const [name, s] of services) {
      for (const [key, value] of envEntries(s)) {
        if (!secretKey.test(key)) continue;
        // The whole value is one reference (`${VAR}`, `${VAR:-}`, `${VAR:?message}`) whose
        // default, if any, is empty.
        expect({ name, key, value }).toEqual({ name, key, value: expect.stringMatching(/^\$\{[^{}]+\}$/) });
        const [use, ...more] = variableUses(value);
        expect(more).toEqual([]);
        const fallback = use?.operator === '-' || use?.operator === ':-' ? use.argument : '';
        expect({ name, key, default: fallback }).toEqual({ name, key, default: '' });
      }
    }
  });

  it('requires the admin and database passwords, with a message saying where to set them', () => {
    const uses = [...strings(compose)].flatMap(variableUses);
    for (const v of ['GF_SECURITY_ADMIN_PASSWORD', 'MARQUEZ_DB_PASSWORD']) {
      const refs = uses.filter((u) => u.name === v);
      expect(refs.length).toBeGreaterThan(0);
      for (const r of refs) {
        expect(r.operator).toBe(':?');
        expect(r.argument).toMatch(/\.env/);
      }
    }
    expect(() => interpolated(compose, {})).toThrow(/required variable/);
  });

  it('writes no credentials into the repository files the stack reads', () => {
    const files = ['docker-compose.yml', 'deploy/datatrust.yml', 'deploy/marquez/marquez.yml', 'provisioning/alertmanager/alertmanager.yml', 'provisioning/grafana/datasources/datatrust.yml', 'provisioning/prometheus/prometheus.yml', '.env.example'];
    const patterns = [
      /hooks\.slack\.com\/services\/T[A-Z0-9]+/, // a real Slack webhook
      /xox[abpr]-[A-Za-z0-9-]+/, // a Slack token
      /:\/\/[^/\s:@]+:[^/\s@${]+@/, // user:password@ in a URL
    ];
    // `key: value` or `KEY=value` whose key names a credential: the value must be a reference.
    // `*_file` keys name a file holding the secret, which is the point.
    const credentialKey = /(password|passwd|secret|token|api_?key|api_url|webhook_url|webhook)$/i;
    for (const f of files) {
      const text = readText(f);
      for (const p of patterns) expect({ file: f, leak: p.exec(text)?.[0] ?? null }).toEqual({ file: f, leak: null });
      for (const line of text.split('\n')) {
        const m = /^\s*-?\s*([\w.-]+)\s*[:=]\s*(.*?)\s*$/.exec(line);
        if (!m || line.trim().startsWith('#') || !credentialKey.test(m[1]!)) continue;
        const value = m[2]!.replace(/^["']|["']$/g, '');
        expect({ file: f, key: m[1], literal: value !== '' && !/^\$\{[^}]+\}$/.test(value) ? value : null }).toEqual({ file: f, key: m[1], literal: null });
      }
    }
  });

  it('documents every variable it uses in .env.example and docs/deployment.md', () => {
    const example = readText('.env.example');
    const docs = readText('docs/deployment.md');
    const documented = new Set([...example.matchAll(/^#?\s*([A-Z_][A-Z0-9_]*)=/gm)].map((m) => m[1]!));
    // Variables the stack reads: interpolated in compose, or passed as secrets' sources.
    const used = new Set([...strings(compose)].flatMap(variableUses).map((u) => u.name));
    for (const def of Object.values(compose.secrets ?? {})) if (def.environment) used.add(def.environment);
    for (const v of used) {
      expect({ variable: v, inEnvExample: documented.has(v) }).toEqual({ variable: v, inEnvExample: true });
      expect({ variable: v, inDocs: docs.includes(`\`${v}\``) }).toEqual({ variable: v, inDocs: true });
    }
    // ...and documents nothing the stack ignores.
    for (const v of documented) expect({ variable: v, used: used.has(v) }).toEqual({ variable: v, used: true });
  });

  it('passes the exporter every variable its config refers to', () => {
    const config = readText('deploy/datatrust.yml');
    const env = new Set(envEntries(compose.services.exporter!).map(([k]) => k));
    for (const u of variableUses(config.replace(/^\s*#.*$/gm, ''))) expect({ variable: u.name, passed: env.has(u.name) }).toEqual({ variable: u.name, passed: true });
  });

  it('passes Marquez every variable its config refers to, and the password without default', () => {
    const config = readText('deploy/marquez/marquez.yml').replace(/^\s*#.*$/gm, '');
    const env = Object.fromEntries(envEntries(compose.services.marquez!));
    for (const u of variableUses(config)) expect({ variable: u.name, passed: u.name in env }).toEqual({ variable: u.name, passed: true });
    expect(config).toMatch(/password: \$\{POSTGRES_PASSWORD\}\s*$/m);
    // The same credentials as the database it connects to.
    const db = Object.fromEntries(envEntries(compose.services['marquez-db']!));
    expect(env.POSTGRES_USER).toBe(db.POSTGRES_USER);
    expect(env.POSTGRES_PASSWORD).toBe(db.POSTGRES_PASSWORD);
    expect(env.POSTGRES_DB).toBe(db.POSTGRES_DB);
  });

  it('keeps secrets empty in .env.example, so nobody deploys a published password', () => {
    for (const line of readText('.env.example').split('\n')) {
      const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
      if (m && /PASSWORD|SECRET|TOKEN|WEBHOOK/.test(m[1]!)) expect({ variable: m[1], value: m[2] }).toEqual({ variable: m[1], value: '' });
    }
  });
});
