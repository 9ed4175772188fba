/**
 * Browser harness host: plays the part of Grafana for the BUILT panel (dist/module.js). It provides
 * the AMD `define` Grafana's loader gives plugins, the shared libraries the bundle keeps external,
 * the Grafana theme, and PanelProps with real data frames; then it reports when the canvas is ready.
 */
import './bootData';
import * as emotionCss from '@emotion/css';
import * as grafanaData from '@grafana/data';
import {
  createTheme,
  DataFrame,
  EventBusSrv,
  getDefaultTimeRange,
  LoadingState,
  PanelPlugin,
  PanelProps,
  ThemeContext,
} from '@grafana/data';
import * as grafanaRuntime from '@grafana/runtime';
import { BackendDataSourceResponse, locationService, setTemplateSrv, TemplateSrv, toDataQueryResponse } from '@grafana/runtime';
import * as grafanaUi from '@grafana/ui';
import { PanelChrome } from '@grafana/ui';
import React from 'react';
import * as ReactDOM from 'react-dom';
import { createRoot, Root } from 'react-dom/client';
import { LineageOptions } from '../../../src/options/LineageOptions';
import { demoFrames, showcaseFrames } from '../../../src/testing/demoLineage';
import { edgesFrame } from '../../../src/testing/frameBuilders';
import { LARGE_SPEC, largeLineageFrames } from '../../../src/testing/largeLineage';
import { marquezDemoMetrics } from '../../../src/testing/marquezDemo';

export type Scenario = 'demo' | 'showcase' | 'large' | 'malformed' | 'marquez';

export interface RenderSpec {
  scenario: Scenario;
  theme: 'dark' | 'light';
  width: number;
  height: number;
  title: string;
  options?: Partial<LineageOptions>;
  /**
   * `marquez`: what Grafana's /api/ds/query answered for the Infinity lineage query (built in Node
   * from the dashboard's JSONata); decoded here with Grafana's own `toDataQueryResponse`.
   */
  backend?: BackendDataSourceResponse;
  /** Dashboard variables; the panel sets them through the URL, as in Grafana, and the panel re-renders. */
  variables?: Record<string, string>;
}

export interface ProbeNode {
  id: string;
  classes: string[];
  background: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Probe {
  zoom: number;
  nodes: ProbeNode[];
  edges: Array<{ id: string; classes: string[]; label: string }>;
  /** Dashboard variables now (the panel may have set some). */
  variables: Record<string, string>;
}

type PluginExports = { plugin?: PanelPlugin<LineageOptions> };

const externals: Record<string, unknown> = {
  react: React,
  'react-dom': ReactDOM,
  '@grafana/data': grafanaData,
  '@grafana/ui': grafanaUi,
  '@grafana/runtime': grafanaRuntime,
  '@emotion/css': emotionCss,
};

let resolvePlugin: (exports: PluginExports) => void = () => undefined;
const pluginLoaded = new Promise<PluginExports>((resolve) => (resolvePlugin = resolve));

type Define = ((deps: string[], factory: (...args: unknown[]) => PluginExports) => void) & { amd: boolean };
const define: Define = Object.assign(
  (deps: string[], factory: (...args: unknown[]) => PluginExports) => {
    const missing = deps.filter((d) => d !== 'module' && !(d in externals));
    if (missing.length > 0) {
      throw new Error(`dist/module.js needs externals the harness does not provide: ${missing.join(', ')}`);
    }
    const moduleUri = (document.currentScript as HTMLScriptElement | null)?.src ?? '';
    resolvePlugin(factory(...deps.map((d) => (d === 'module' ? { uri: moduleUri } : externals[d]))));
  },
  { amd: true }
);
Object.assign(window, { define });

function framesFor(spec: RenderSpec, now: number): DataFrame[] {
  switch (spec.scenario) {
    case 'marquez': {
      if (!spec.backend) {
        throw new Error('the marquez scenario needs the Infinity query answer (spec.backend)');
      }
      const lineage = toDataQueryResponse({ data: spec.backend }).data as DataFrame[];
      return [...lineage, ...marquezDemoMetrics(now)];
    }
    case 'demo':
      return demoFrames(now);
    case 'showcase':
      return showcaseFrames(now);
    case 'large':
      return largeLineageFrames(LARGE_SPEC, now);
    case 'malformed': {
      // an edges query whose `target` column went missing
      const frame = edgesFrame('A', [['raw_transactions', 'cleaned_transactions', 'clean_transactions']]);
      return [{ ...frame, fields: frame.fields.filter((f) => f.name !== 'target') }];
    }
  }
}

let root: Root | undefined;

/**
 * Dashboard variables as Grafana keeps them: the template service reads them, the URL (`var-x`)
 * writes them. A panel that calls `locationService.partial({'var-x': …})` changes the variable and
 * the harness renders the panel again, as Grafana re-runs the queries that use it.
 */
let variables: Record<string, string> = {};
let current: RenderSpec | undefined;
setTemplateSrv({
  getVariables: () => Object.keys(variables).map((name) => ({ name, type: 'textbox' })),
  replace: (target?: string) => interpolate(target ?? ''),
  containsTemplate: (target?: string) => /\$/.test(target ?? ''),
  updateTimeRange: () => undefined,
} as unknown as TemplateSrv);
// Grafana's own location service (browser history): what `locationService.partial` changes
locationService.getHistory().listen(() => {
  const search = locationService.getSearchObject();
  let changed = false;
  for (const [key, value] of Object.entries(search)) {
    const name = key.startsWith('var-') ? key.slice(4) : undefined;
    if (name && name in variables && variables[name] !== String(value)) {
      variables[name] = String(value);
      changed = true;
    }
  }
  if (changed && current) {
    // the same panel instance gets new data, as in Grafana: its selection survives
    void render({ ...current, variables: { ...variables } }, { keepPanel: true });
  }
});

function interpolate(text: string): string {
  return text.replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)/g, (whole, a?: string, b?: string) => {
    const name = (a ?? b) as string;
    return name in variables ? (variables[name] as string) : whole;
  });
}

async function render(spec: RenderSpec, how: { keepPanel?: boolean } = {}): Promise<{ renderMs: number }> {
  current = spec;
  variables = { ...(spec.variables ?? {}) };
  if (!how.keepPanel) {
    // a new dashboard load: no `var-` left in the URL from the previous scenario
    locationService.replace({ ...locationService.getLocation(), search: '' });
  }
  const exports = await pluginLoaded;
  const panel = exports.plugin?.panel;
  if (!panel) {
    throw new Error('dist/module.js did not export `plugin` with a panel component');
  }
  const Panel = panel as React.ComponentType<PanelProps<LineageOptions>>;
  const theme = createTheme({ colors: { mode: spec.theme } });
  document.body.style.background = theme.colors.background.canvas;
  document.body.style.color = theme.colors.text.primary;
  document.body.style.fontFamily = theme.typography.fontFamily;

  const now = Date.now();
  const series = framesFor(spec, now);
  const timeRange = getDefaultTimeRange();
  const mount = document.getElementById('root') as HTMLElement;
  if (!how.keepPanel || !root) {
    root?.unmount();
    root = createRoot(mount);
  }

  // the clock starts when the panel gets its data, as in Grafana after the query returns
  const started = performance.now();
  root.render(
    <ThemeContext.Provider value={theme}>
      <div style={{ padding: 8 }}>
        <PanelChrome title={spec.title} width={spec.width} height={spec.height}>
          {(innerWidth, innerHeight) => (
            <Panel
              id={1}
              data={{ state: LoadingState.Done, series, timeRange }}
              timeRange={timeRange}
              timeZone="utc"
              options={(spec.options ?? {}) as LineageOptions}
              fieldConfig={{ defaults: {}, overrides: [] }}
              transparent={false}
              width={innerWidth}
              height={innerHeight}
              renderCounter={0}
              title={spec.title}
              eventBus={new EventBusSrv()}
              onOptionsChange={() => undefined}
              onFieldConfigChange={() => undefined}
              replaceVariables={(value: string) => interpolate(value)}
              onChangeTimeRange={() => undefined}
            />
          )}
        </PanelChrome>
      </div>
    </ThemeContext.Provider>
  );

  if (spec.scenario === 'malformed') {
    await until(() => document.body.textContent?.includes('Unable to render data') ?? false);
  } else {
    await until(() => document.querySelector('[data-testid="lineage-canvas"][data-lineage-ready="true"]') !== null);
  }
  return { renderMs: performance.now() - started };
}

function until(condition: () => boolean, timeoutMs = 30000): Promise<void> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (condition()) {
        resolve();
      } else if (performance.now() - start > timeoutMs) {
        reject(new Error('timed out waiting for the panel'));
      } else {
        requestAnimationFrame(tick);
      }
    };
    tick();
  });
}

interface CyLike {
  zoom(): number;
  nodes(): CyCollection;
  edges(): CyCollection;
}
interface CyElement {
  data(name: string): unknown;
  id(): string;
  classes(): string[];
  style(name: string): string;
  renderedPosition(): { x: number; y: number };
  renderedWidth(): number;
  renderedHeight(): number;
}
interface CyCollection {
  map<T>(fn: (element: CyElement) => T): T[];
}

/** The cytoscape instance behind the canvas (cytoscape registers itself on its container). */
function cy(): CyLike {
  const container = document.querySelector('[data-testid="lineage-canvas"]') as (HTMLElement & { _cyreg?: { cy?: CyLike } }) | null;
  const instance = container?._cyreg?.cy;
  if (!container || !instance) {
    throw new Error('no cytoscape canvas on the page');
  }
  return instance;
}

function probe(): Probe {
  const instance = cy();
  const container = document.querySelector('[data-testid="lineage-canvas"]') as HTMLElement;
  const box = container.getBoundingClientRect();
  return {
    zoom: instance.zoom(),
    nodes: instance.nodes().map((n) => ({
      id: n.id(),
      classes: n.classes(),
      background: n.style('background-color'),
      x: box.left + n.renderedPosition().x,
      y: box.top + n.renderedPosition().y,
      width: n.renderedWidth(),
      height: n.renderedHeight(),
    })),
    edges: instance.edges().map((e) => ({ id: e.id(), classes: e.classes(), label: String(e.data('label') ?? '') })),
    variables: { ...variables },
  };
}

/** Mean colour of the opaque pixels the canvas painted in a small square around a page point. */
function samplePixels(pageX: number, pageY: number, radius = 2): [number, number, number] | null {
  const canvas = document.querySelector('[data-testid="lineage-canvas"] canvas[data-id="layer2-node"]') as HTMLCanvasElement | null;
  if (!canvas) {
    return null;
  }
  const box = canvas.getBoundingClientRect();
  const scale = canvas.width / box.width;
  const x = Math.round((pageX - box.left) * scale);
  const y = Math.round((pageY - box.top) * scale);
  const size = radius * 2 + 1;
  const data = (canvas.getContext('2d') as CanvasRenderingContext2D).getImageData(x - radius, y - radius, size, size).data;
  let r = 0;
  let g = 0;
  let b = 0;
  let n = 0;
  for (let i = 0; i < data.length; i += 4) {
    if ((data[i + 3] ?? 0) > 200) {
      r += data[i] ?? 0;
      g += data[i + 1] ?? 0;
      b += data[i + 2] ?? 0;
      n++;
    }
  }
  return n === 0 ? null : [Math.round(r / n), Math.round(g / n), Math.round(b / n)];
}

/** Frame times while the user wheels and drags across the canvas: is panning/zooming smooth? */
async function measureInteraction(steps: number): Promise<{ frames: number; meanMs: number; p95Ms: number; maxMs: number }> {
  const container = document.querySelector('[data-testid="lineage-canvas"]') as HTMLElement;
  const box = container.getBoundingClientRect();
  const times: number[] = [];
  let last = performance.now();
  let running = true;
  const frame = (t: number) => {
    times.push(t - last);
    last = t;
    if (running) {
      requestAnimationFrame(frame);
    }
  };
  requestAnimationFrame(frame);
  const cx = box.left + box.width / 2;
  const cyy = box.top + box.height / 2;
  for (let i = 0; i < steps; i++) {
    const target = container.querySelector('canvas:last-of-type') ?? container;
    target.dispatchEvent(new WheelEvent('wheel', { deltaY: i < steps / 2 ? -120 : 120, clientX: cx, clientY: cyy, bubbles: true }));
    await new Promise((r) => requestAnimationFrame(() => r(undefined)));
  }
  running = false;
  const sorted = times.slice(1).sort((a, b) => a - b);
  const mean = sorted.reduce((s, v) => s + v, 0) / Math.max(1, sorted.length);
  return {
    frames: sorted.length,
    meanMs: mean,
    p95Ms: sorted[Math.floor(sorted.length * 0.95)] ?? 0,
    maxMs: sorted[sorted.length - 1] ?? 0,
  };
}

Object.assign(window, { harness: { render, probe, samplePixels, measureInteraction } });
