#!/usr/bin/env node
// The `datatrust` command. npm links a package's bin only if the file exists at install time,
// and the compiled CLI (dist/) does not exist in a fresh clone: this committed shim is what npm
// links, and it loads the build, or says how to make it.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const cli = join(__dirname, '..', 'dist', 'cli', 'main.js');
if (!existsSync(cli)) {
  process.stderr.write(
    `datatrust: the CLI is not built yet (${cli} is missing).\n` +
      `Run \`npm install\` in the repository (it builds the CLI), or \`npm run build -w exporter\`.\n`,
  );
  process.exit(3);
}
require(cli);
