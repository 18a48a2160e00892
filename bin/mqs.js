#!/usr/bin/env node
// The `mqs` command. Runs the TypeScript sources directly (tsx compiles them on load), so a checkout works after
// `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/main.ts');
process.exitCode = await runCli(process.argv);
