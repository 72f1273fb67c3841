// Two tiers, both run by `npm test`: `fast` (units and the CLI in-process)
// and `e2e` (what needs the built binary in a child process, a pseudo-
// terminal, a real S3 server, a real browser, DuckDB, an npm install, or a
// million-record object).
// `npx vitest run --project fast` runs the first alone while working.

import { defineConfig } from 'vitest/config';

const E2E = [
  'test/s3/**/*.test.ts',
  'test/browser/**/*.test.ts',
  'test/cli/install.test.ts',
  'test/cli/terminal.test.ts',
  'test/cli/table-terminal.test.ts',
  'test/cli/big-object.test.ts',
  'test/cli/memory.test.ts',
  'test/engines/duckdb-cli.test.ts',
  'test/engines/sql-property.test.ts',
];

export default defineConfig({
  test: {
    // vitest's default is one worker less than the cores: one, here. Much of
    // the suite waits on child processes, an S3 server and a browser, so two
    // workers keep both cores busy.
    maxWorkers: 2,
    // As the bin does: the pinned AWS SDK's notice about its future Node support is noise here.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    // Test files share their worker's modules (isolate: false) instead of
    // importing hunt's modules, the AWS SDK and DuckDB again for each file:
    // each file leaves no server running and no variable changed behind it
    // (the S3 test server puts back the AWS variables it set).
    isolate: false,
    projects: [
      { extends: true, test: { name: 'fast', include: ['test/**/*.test.ts'], exclude: E2E } },
      { extends: true, test: { name: 'e2e', include: E2E } },
    ],
  },
});
