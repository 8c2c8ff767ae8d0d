/**
 * Prints the totals in mocha's words ("N passing", "N failing") so scripts/test-all.ts counts browser
 * tests in `npm test`'s summary line with the same pattern it uses for the other runners.
 */
import type { FullResult, Reporter, TestCase, TestResult } from "@playwright/test/reporter";

export default class CountReporter implements Reporter {
  private passed = 0;
  private failed = 0;
  onTestEnd(_test: TestCase, result: TestResult) {
    if (result.status === "passed") this.passed++;
    else if (result.status !== "skipped") this.failed++;
  }
  onEnd(_result: FullResult) {
    console.log(`\n  ${this.passed} passing`);
    if (this.failed) console.log(`  ${this.failed} failing`);
  }
}
