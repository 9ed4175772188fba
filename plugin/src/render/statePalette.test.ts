import { createTheme } from '@grafana/data';
import { STATE_ORDER, statePalette } from './statePalette';
import { lineageStylesheet } from './lineageStylesheet';

describe('statePalette', () => {
  it.each(['dark', 'light'] as const)('gives five distinct state colours from the %s Grafana theme', (mode) => {
    const theme = createTheme({ colors: { mode } });
    const palette = statePalette(theme);
    expect(new Set(STATE_ORDER.map((s) => palette.fill[s])).size).toBe(5);
    expect(palette.fill.failed).toBe(theme.visualization.getColorByName('red'));
    expect(palette.fill.blocked).toBe(theme.visualization.getColorByName('dark-red'));
    expect(palette.fill.warn).toBe(theme.visualization.getColorByName('orange'));
    expect(palette.fill.ok).toBe(theme.visualization.getColorByName('green'));
  });

  it('styles every state and the highlight classes, and simplifies large graphs', () => {
    const theme = createTheme({ colors: { mode: 'dark' } });
    const small = lineageStylesheet(theme, statePalette(theme), false);
    const selectors = small.map((b) => b.selector);
    for (const state of STATE_ORDER) {
      expect(selectors).toContain(`node.state-${state}`);
    }
    expect(selectors).toEqual(expect.arrayContaining(['node.selected', 'node.blast', 'node.root-cause', 'edge.cause', '.dimmed']));
    const large = lineageStylesheet(theme, statePalette(theme), true);
    const edge = large.find((b) => b.selector === 'edge');
    expect(edge && 'style' in edge ? edge.style : undefined).toMatchObject({ 'curve-style': 'haystack', label: '' });
  });
});
