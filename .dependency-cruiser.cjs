// Domain boundaries (DESIGN.md): a domain may use another domain only through its index.ts,
// never its store or internals; the platform never depends on a domain.
module.exports = {
  forbidden: [
    {
      name: 'domain-through-index-only',
      comment: 'Call another domain through its index.ts (its public surface), never its store or internals.',
      severity: 'error',
      // A domain's test world may build on another's (referrals' on fission's): tests reach anything.
      from: { path: '^src/domains/([^/]+)/', pathNot: '/test-world\\.ts$' },
      to: { path: '^src/domains/([^/]+)/', pathNot: ['^src/domains/$1/', '^src/domains/[^/]+/index\\.ts$'] },
    },
    {
      name: 'platform-independent-of-domains',
      comment: 'The platform is what every domain uses; it must not reach into a domain.',
      severity: 'error',
      from: { path: '^src/platform/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/domains/', pathNot: '^src/domains/[^/]+/tables\\.ts$' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: ['node_modules', 'web/'] },
  },
};
