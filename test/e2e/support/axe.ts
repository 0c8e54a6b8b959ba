import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
let axeSource: Promise<string> | undefined;

/** One rule an element breaks, as axe-core reports it. */
export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly targets: readonly string[];
}

/** The WCAG 2.1 A and AA rules (and those of 2.0 they build on). */
const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Run axe-core in the page against the WCAG 2.1 A/AA rules and answer what it found. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the browser's devtools protocol: Queuewatch's Content-Security-Policy
  // (script-src 'self') rightly refuses an injected <script>.
  axeSource ??= readFile(axePath, 'utf8');
  await page.evaluate(await axeSource);
  const found: unknown = await page.evaluate(
    `axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(wcagTags)} }, resultTypes: ['violations'] })
      .then((result) => result.violations.map((violation) => ({
        id: violation.id,
        impact: violation.impact ?? null,
        help: violation.help,
        targets: violation.nodes.map((node) => node.target.join(' ') + ' :: ' + (node.failureSummary ?? '').split('\\n').slice(0, 2).join(' ')),
      })))`,
  );
  return found as AxeViolation[];
}

/** Fail with every violation written out, so the report says what to fix. */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  const violations = await axeViolations(page);
  if (violations.length === 0) return;
  const lines = violations.flatMap((violation) => [
    `${violation.id} (${violation.impact ?? 'n/a'}): ${violation.help}`,
    ...violation.targets.map((target) => `    ${target}`),
  ]);
  throw new Error(`${where} breaks WCAG 2.1 A/AA rules:\n${lines.join('\n')}`);
}
