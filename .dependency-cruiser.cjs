/** Module boundaries of mqs (style.md "Dependency direction"), checked by `npm run lint:deps` before the tests. */
const layer = (name) => `^src/${name}/`;
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'engine-is-pure',
      comment: 'The engine imports node built-ins only.',
      severity: 'error',
      from: { path: layer('engine') },
      to: { pathNot: [layer('engine'), '^node:'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'persistence-uses-engine-only',
      severity: 'error',
      from: { path: layer('persistence') },
      to: { path: [layer('protocol'), layer('server'), layer('runtime'), layer('functions'), layer('cli')] },
    },
    {
      name: 'protocol-not-persistence',
      severity: 'error',
      from: { path: layer('protocol') },
      to: { path: [layer('persistence'), layer('server'), layer('runtime'), layer('functions'), layer('cli')] },
    },
    {
      name: 'server-not-runtime',
      severity: 'error',
      from: { path: layer('server') },
      to: { path: [layer('runtime'), layer('functions'), layer('cli')] },
    },
    {
      name: 'runtime-speaks-the-wire',
      comment: 'The runtime talks to SQS over the API only, so it also drives functions from real SQS.',
      severity: 'error',
      from: { path: layer('runtime') },
      to: { path: [layer('engine'), layer('protocol'), layer('persistence'), layer('server'), layer('functions'), layer('cli')] },
    },
    {
      name: 'functions-self-contained',
      severity: 'error',
      from: { path: layer('functions') },
      to: { path: '^src/', pathNot: layer('functions') },
    },
    {
      name: 'infra-no-handler-imports',
      comment: 'infra names function entry files by path; it never imports them.',
      severity: 'error',
      from: { path: '^infra/' },
      to: { path: '^src/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.json'] },
  },
};
