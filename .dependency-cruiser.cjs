/**
 * The arrows between the parts of the repository, checked by every `npm test` (turbo task `//#depcheck`).
 *
 *   api      ─▶ domain, store, schemas
 *   importer ─▶ domain, geo, store, schemas
 *   store    ─▶ domain (the ports it implements), schemas
 *   domain   ─▶ geo, schemas
 *   geo      ─▶ schemas
 *   schemas  ─▶ none of ours
 *   web      ─▶ schemas                    (it reaches the API over HTTP, never by import)
 *   infra and test/ sit on top: they may import any part, and no part imports them.
 *
 * Type-only imports count: a type import is still an arrow a maintainer has to follow.
 * Workspace packages are resolved through their node_modules/@safer-places/<name> link (preserveSymlinks), so that
 * an import of another workspace is checked against the importing workspace's package.json like any npm package.
 * The root package.json holds only the shared tooling (TypeScript, vitest, tsx, the linters), which every workspace
 * may use (combinedDependencies); everything else a workspace imports it declares itself.
 * Rules about what a single import may name (Turf and proj4 only in geo, no key strings outside keys.ts) are in
 * eslint.config.js.
 * @type {import('dependency-cruiser').IConfiguration}
 */

/** A path pattern for the given workspaces, imported by package name (the link) or, wrongly, by relative path. */
const ours = (...names) => `^(node_modules/@safer-places/|packages/|apps/)(${names.join('|')})/`;
/** Product source (not tests); its first group is the workspace folder. */
const PRODUCT_SOURCE = '^((?:apps|packages)/[^/]+|infra)/(?:src|bin|lib|scripts)/';

module.exports = {
  forbidden: [
    {
      name: 'web-only-schemas',
      comment:
        'The web app runs in the browser and talks to the API over HTTP: of our packages it imports only ' +
        '@safer-places/schemas (the shared contract). Domain, geo, store and the server stay out of the bundle.',
      severity: 'error',
      from: { path: '^apps/web/' },
      to: { path: [ours('domain', 'geo', 'store', 'importer', 'api'), '^(infra|test)/'] },
    },
    {
      name: 'web-no-server-libraries',
      comment: 'No server or spatial library in the browser bundle: hono, the AWS SDK, proj4 and Turf stay on the server.',
      severity: 'error',
      from: { path: '^apps/web/' },
      to: { path: 'node_modules/(hono|@hono|@aws-sdk|@aws-lambda-powertools|proj4|@turf|dynalite)/' },
    },
    {
      name: 'domain-no-adapters',
      comment:
        'The domain is pure: it depends on geo, schemas and the ports it defines. Storage, HTTP, the importer and ' +
        'AWS are adapters that depend on it, never the other way round.',
      severity: 'error',
      from: { path: '^packages/domain/' },
      to: { path: [ours('store', 'importer', 'api', 'web'), '^(infra|test)/', 'node_modules/(@aws-sdk|@aws-lambda-powertools|hono|@hono|dynalite)/'] },
    },
    {
      name: 'geo-no-domain',
      comment: 'geo is general spatial algorithms: it knows schemas (GeoJSON shapes) and nothing of the product above it.',
      severity: 'error',
      from: { path: '^packages/geo/' },
      to: { path: [ours('domain', 'store', 'importer', 'api', 'web'), '^(infra|test)/'] },
    },
    {
      name: 'schemas-standalone',
      comment: 'schemas is the contract every part shares, so it depends on no other part.',
      severity: 'error',
      from: { path: '^packages/schemas/' },
      to: { path: [ours('domain', 'geo', 'store', 'importer', 'api', 'web'), '^(infra|test)/'] },
    },
    {
      name: 'store-no-api',
      comment: 'The store is an adapter for the domain: it never reaches up into the API, the importer or the infrastructure.',
      severity: 'error',
      from: { path: '^packages/store/' },
      to: { path: [ours('importer', 'api', 'web'), '^(infra|test)/'] },
    },
    {
      name: 'packages-not-apps',
      comment: 'No package imports an app: apps are the composition roots on top of the packages.',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: [ours('api', 'web'), '^(infra|test)/'] },
    },
    {
      name: 'api-not-web',
      comment: 'The API serves the built web app as files; it never imports its source, the infrastructure or the shared tests.',
      severity: 'error',
      from: { path: '^apps/api/' },
      to: { path: [ours('web', 'importer'), '^(infra|test)/'] },
    },
    {
      name: 'no-relative-import-of-another-workspace',
      comment:
        "Product source imports another workspace by its package name, through that package's exports: a relative " +
        'path into its folder skips both its public surface and the package.json declaration.',
      severity: 'error',
      from: { path: PRODUCT_SOURCE, pathNot: '\\.(test|bench)\\.tsx?$' },
      to: { path: '^(apps|packages|infra|test)/', pathNot: '^$1/' },
    },
    {
      name: 'no-circular',
      comment: 'A cycle makes a module impossible to understand, test or move on its own. Break it by moving the shared part down.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that resolves to no file: a typo, a deleted module or a package that is not installed.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-undeclared-dependency',
      comment:
        "A package a workspace imports (npm or one of ours) must be in that workspace's own package.json; it must not " +
        "work only because npm hoisted another workspace's copy to the root.",
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'no-dev-dependency-in-product-source',
      comment:
        'Product source that runs on a server (src/ of the API, the importer and the packages; infra/bin, infra/lib) ' +
        'may not need a devDependency: it would be missing from a production install. Types alone are fine.',
      severity: 'error',
      from: { path: '^(apps/api/src|packages/[^/]+/src|infra/(bin|lib))/', pathNot: '\\.(test|bench)\\.tsx?$' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'], pathNot: 'node_modules/@types/' },
    },
    {
      name: 'no-orphans',
      comment: 'A module nothing imports and that is no entry point (test, bench, config, CLI) is dead code: delete it or use it.',
      severity: 'error',
      from: {
        orphan: true,
        pathNot: ['\\.d\\.ts$', '/vite\\.config\\.ts$', '/vitest[.a-z0-9]*\\.config\\.ts$', '\\.(test|bench)\\.tsx?$', '^infra/(bin|scripts)/'],
      },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^((apps|packages)/[^/]+|infra|test)/(dist|cdk\\.out|artifacts|coverage)/' },
    tsPreCompilationDeps: true,
    preserveSymlinks: true,
    combinedDependencies: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.tsx', '.d.ts', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
