// Two tiers, both run by `npm test`: `fast` (units and the CLI in-process)
// and `e2e` (what needs the built binary in a child process, a pseudo-
// terminal, a real S3 server, a real browser, DuckDB, an npm install, or a
// million-record object).
// `npx vitest run --project fast` runs the first alone while working.

import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

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

// The slowest files (a few seconds each on two cores), started first in their
// tier so that none is left running alone at the end. Without vitest's cache
// of last durations (a fresh clone, as in CI) files go by size, which put the
// small but slow trust-* files last.
const SLOWEST = [
  'test/engines/duckdb-cli.test.ts',
  'test/browser/report.test.ts',
  'test/s3/cli-s3.test.ts',
  'test/cli/memory.test.ts',
  'test/s3/read-side.test.ts',
  'test/cli/hostile.test.ts',
  'test/unit/trust-memory.test.ts',
  'test/unit/trust-many-hits.test.ts',
  'test/unit/trust-needles.test.ts',
  'test/cli/golden.test.ts',
  'test/cli/evidence.test.ts',
];

class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification) => {
      const i = SLOWEST.findIndex((f) => spec.moduleId.endsWith(`/${f}`));
      return i < 0 ? SLOWEST.length : i;
    };
    // Stable: tiers keep vitest's order (one after the other), and so do the files not listed.
    const tier = new Map<string, number>();
    sorted.forEach((spec, i) => tier.has(spec.project.name) || tier.set(spec.project.name, i));
    return sorted
      .map((spec, i) => ({ spec, i }))
      .sort((a, b) => {
        if (a.spec.project.name !== b.spec.project.name) return tier.get(a.spec.project.name)! - tier.get(b.spec.project.name)!;
        return rank(a.spec) - rank(b.spec) || a.i - b.i;
      })
      .map(({ spec }) => spec);
  }
}

export default defineConfig({
  test: {
    // vitest's default is one worker less than the cores: one, here. Much of
    // the suite waits on child processes, an S3 server and a browser, so two
    // workers keep both cores busy.
    maxWorkers: 2,
    sequence: { sequencer: SlowestFirst },
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
