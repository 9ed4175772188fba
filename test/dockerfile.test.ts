import { statSync } from 'node:fs';
import { posix } from 'node:path';
import { readText, repoPath, runTool } from './support/repo';

interface Instruction {
  keyword: string;
  args: string;
  stage: number;
}

/** Dockerfile instructions in order, continuation lines joined and comments dropped. */
function parseDockerfile(text: string): { instructions: Instruction[]; stages: { image: string; name?: string }[] } {
  const logical: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    if (/^\s*#/.test(line)) continue;
    if (/\\\s*$/.test(line)) {
      current += line.replace(/\\\s*$/, ' ');
      continue;
    }
    current += line;
    if (current.trim()) logical.push(current.trim());
    current = '';
  }
  const instructions: Instruction[] = [];
  const stages: { image: string; name?: string }[] = [];
  for (const l of logical) {
    const m = /^(\w+)\s+(.*)$/s.exec(l);
    if (!m) throw new Error(`cannot parse Dockerfile line: ${l}`);
    const keyword = m[1]!.toUpperCase();
    const args = m[2]!.replace(/\s+/g, ' ').trim();
    if (keyword === 'FROM') {
      const from = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args)!;
      stages.push({ image: from[1]!, ...(from[2] ? { name: from[2] } : {}) });
    }
    instructions.push({ keyword, args, stage: stages.length - 1 });
  }
  return { instructions, stages };
}

/** Docker's .dockerignore rules: last match wins, `!` re-includes, a match on a folder covers its contents. */
function dockerignore(text: string): (path: string) => boolean {
  const rules = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const pattern = posix.normalize((negate ? l.slice(1) : l).replace(/^\//, '')).replace(/\/$/, '');
      const re = pattern
        .split(/(\*\*\/|\*\*|\*|\?)/)
        .map((part) => ({ '**/': '(?:.*/)?', '**': '.*', '*': '[^/]*', '?': '[^/]' })[part] ?? part.replace(/[.+^${}()|[\]\\]/g, '\\$&'))
        .join('');
      return { negate, re: new RegExp(`^${re}$`) };
    });
  return (path) => {
    const parts = path.split('/');
    const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
    let excluded = false;
    for (const r of rules) if (prefixes.some((p) => r.re.test(p))) excluded = !r.negate;
    return excluded;
  };
}

/** Exec-form arguments: `["node", "x"]` → ['node', 'x']. */
const execForm = (args: string): string[] => {
  const parsed = JSON.parse(args) as unknown;
  if (!Array.isArray(parsed)) throw new Error(`expected exec form (a JSON array), found ${args}`);
  return parsed as string[];
};

const { instructions, stages } = parseDockerfile(readText('Dockerfile'));
const ignored = dockerignore(readText('.dockerignore'));
const last = stages.length - 1;
const inStage = (stage: number, keyword: string) => instructions.filter((i) => i.stage === stage && i.keyword === keyword);
const tracked = runTool('git', ['ls-files', '-z']).stdout.split('\0').filter(Boolean);

describe('Dockerfile', () => {
  it('builds in stages, all on node:20-bookworm-slim', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const s of stages) expect(s.image).toBe('node:20-bookworm-slim');
    // Node 20 satisfies the engines field of the root package.json.
    expect((JSON.parse(readText('package.json')) as { engines: { node: string } }).engines.node).toMatch(/^>=20(\.|$)/);
    for (const s of stages.slice(0, -1)) expect(s.name).toBeTruthy();
  });

  it('installs with npm ci and builds the exporter', () => {
    const runs = instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
    expect(runs.some((r) => /\bnpm ci\b/.test(r))).toBe(true);
    expect(runs.some((r) => /\bnpm run build -w exporter\b/.test(r))).toBe(true);
  });

  it('copies every workspace manifest before npm ci, as the lockfile covers them all', () => {
    const workspaces = (JSON.parse(readText('package.json')) as { workspaces: string[] }).workspaces;
    for (const stage of stages.keys()) {
      const ci = instructions.findIndex((i) => i.stage === stage && i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args));
      if (ci < 0) continue;
      const copied = instructions.slice(0, ci).filter((i) => i.stage === stage && i.keyword === 'COPY').map((i) => i.args);
      for (const f of ['package.json', 'package-lock.json', ...workspaces.map((w) => `${w}/package.json`)]) {
        expect({ stage, file: f, copied: copied.some((c) => c.split(' ').slice(0, -1).includes(f)) }).toEqual({ stage, file: f, copied: true });
      }
    }
  });

  it('ships only production dependencies in the final image', () => {
    const modules = inStage(last, 'COPY').find((c) => /\bnode_modules\b/.test(c.args));
    const from = /--from=(\S+)/.exec(modules?.args ?? '')?.[1];
    const source = stages.findIndex((s) => s.name === from);
    expect(source).toBeGreaterThanOrEqual(0);
    expect(inStage(source, 'RUN').some((r) => /\bnpm ci\b.*--omit=dev/.test(r.args))).toBe(true);
  });

  it('runs as a non-root user', () => {
    const user = inStage(last, 'USER').at(-1)?.args;
    expect(user).toBeDefined();
    expect(['root', '0', '0:0']).not.toContain(user);
    const userAt = instructions.lastIndexOf(inStage(last, 'USER').at(-1)!);
    const startAt = instructions.findIndex((i) => i.stage === last && (i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT'));
    expect(userAt).toBeLessThan(startAt);
  });

  it('exposes 8470 and checks /healthz on it', () => {
    expect(inStage(last, 'EXPOSE').map((e) => e.args)).toEqual(['8470']);
    const health = inStage(last, 'HEALTHCHECK');
    expect(health).toHaveLength(1);
    expect(health[0]!.args).toMatch(/CMD .*http:\/\/127\.0\.0\.1:8470\/healthz/);
  });

  it('starts `datatrust serve` on the baked-in config, listening on every interface', () => {
    const entrypoint = execForm(inStage(last, 'ENTRYPOINT').at(-1)!.args);
    const cmd = execForm(inStage(last, 'CMD').at(-1)!.args);
    const workdir = inStage(last, 'WORKDIR').at(-1)!.args;
    const line = [...entrypoint, ...cmd];
    expect(line[0]).toBe('node');
    // The CLI the exporter package declares as its `datatrust` bin.
    const bin = (JSON.parse(readText('exporter/package.json')) as { bin: { datatrust: string } }).bin.datatrust;
    expect(posix.resolve(workdir, line[1]!)).toBe(posix.join(workdir, 'exporter', bin));
    expect(line.slice(2)).toEqual(['serve', '-c', '/etc/datatrust/datatrust.yml', '--host', '0.0.0.0']);
    const copies = inStage(last, 'COPY').map((c) => c.args);
    expect(copies).toContain('deploy/datatrust.yml /etc/datatrust/datatrust.yml');
    expect(copies).toContain('checks/ /etc/datatrust/checks/');
  });

  it('copies only paths that exist and that .dockerignore lets through', () => {
    const sources = instructions.filter((i) => i.keyword === 'COPY' && !i.args.startsWith('--from')).flatMap((i) => i.args.split(' ').slice(0, -1));
    expect(sources.length).toBeGreaterThan(0);
    for (const src of sources) {
      const path = src.replace(/\/$/, '');
      expect({ src, exists: statSync(repoPath(path), { throwIfNoEntry: false }) !== undefined }).toEqual({ src, exists: true });
      expect({ src, ignored: ignored(path) }).toEqual({ src, ignored: false });
      // A folder: every tracked file in it reaches the build (generated ones stay out).
      for (const f of tracked.filter((t) => t.startsWith(`${path}/`))) expect({ file: f, ignored: ignored(f) }).toEqual({ file: f, ignored: false });
    }
  });
});

describe('.dockerignore', () => {
  it('keeps local installs, builds, data and secrets out of the build context', () => {
    for (const p of ['node_modules/ajv/package.json', 'exporter/node_modules/x', 'exporter/dist/cli/main.js', 'plugin/dist/module.js', 'data/demo.duckdb', 'data/state.duckdb', '.env', '.git/HEAD', 'plugin/src/module.ts']) {
      expect({ path: p, ignored: ignored(p) }).toEqual({ path: p, ignored: true });
    }
    expect(ignored('plugin/package.json')).toBe(false);
  });
});
