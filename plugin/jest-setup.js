// Jest setup provided by Grafana scaffolding. It patches jsdom globals (canvas, matchMedia), so the
// node-environment browser test, which has no DOM of its own, skips it.
if (typeof window !== 'undefined') {
  require('./.config/jest-setup');
}
