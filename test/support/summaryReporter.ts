// Prints one plain closing line, "claw: N passed, N failed, N skipped", that CI systems read regardless
// of the test runner.
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of modules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      if (module.state() === 'failed' && module.children.size === 0) failed++; // a file that did not load
    }
    process.stdout.write(`\nclaw: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
