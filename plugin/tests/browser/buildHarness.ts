import { build } from 'esbuild';
import fs from 'fs';
import path from 'path';

export const PLUGIN_DIR = path.resolve(__dirname, '../..');
export const DIST_MODULE = path.join(PLUGIN_DIR, 'dist', 'module.js');

/**
 * Bundles the harness host (React, the Grafana libraries, the fixtures) with esbuild and writes a
 * page that loads it and then the built dist/module.js, exactly as Grafana would load the plugin.
 * Returns the page's file:// URL.
 */
export async function buildHarness(outDir: string): Promise<string> {
  fs.mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [path.join(__dirname, 'harness', 'host.tsx')],
    bundle: true,
    outfile: path.join(outDir, 'host.js'),
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: false,
    sourcemap: false,
    jsx: 'transform',
    define: { 'process.env.NODE_ENV': '"production"', global: 'window' },
    // fonts and images that @grafana/ui's editors reference; the panel never shows them
    loader: { '.svg': 'text', '.ttf': 'empty', '.woff': 'empty', '.woff2': 'empty', '.eot': 'empty', '.png': 'empty', '.gif': 'empty' },
    logLevel: 'error',
  });
  const html = `<!doctype html>
<html>
  <head><meta charset="utf-8"><title>DataTrust lineage panel harness</title>
  <!-- the part of Grafana's global styles a panel relies on; the full GlobalStyles would fetch
       Grafana's web fonts, which do not exist here -->
  <style>html,body{margin:0;padding:0} a{color:inherit;text-decoration:none} *{box-sizing:border-box}</style></head>
  <body>
    <div id="root"></div>
    <script src="host.js"></script>
    <script src="${pathToFileUrl(DIST_MODULE)}"></script>
  </body>
</html>
`;
  const page = path.join(outDir, 'index.html');
  fs.writeFileSync(page, html);
  return pathToFileUrl(page);
}

function pathToFileUrl(p: string): string {
  return `file://${p.split(path.sep).map(encodeURIComponent).join('/')}`;
}
