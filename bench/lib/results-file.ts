import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { num } from './markdown.js';
import type { Disturbance } from './machine.js';
import type { ScenarioOutcome } from './scenario.js';

const file = new URL('../RESULTS.md', import.meta.url);

const header = `# Benchmark results

The latest tables of \`npm run bench\` (full run), one section per scenario, each replaced when
that scenario runs again (\`npm run bench -- --only=<scenario>\`). Queuewatch is always measured
beside its peers in the same run on the same machine: compare the columns, not runs. How each
figure is measured, and the raw numbers, are in \`bench/scenarios/*.ts\` and \`bench/results/*.json\`.
`;

/** Replace (or add) the sections of these scenarios in bench/RESULTS.md. */
export async function updateResultsFile(
  machine: string,
  revision: string,
  outcomes: readonly ScenarioOutcome<unknown>[],
  totalSeconds: number,
): Promise<void> {
  let text = await readFile(file, 'utf8').catch(() => header);
  for (const outcome of outcomes) {
    const section = [
      `<!-- scenario:${outcome.name} -->`,
      outcome.markdown.trim(),
      '',
      `Queuewatch ${revision}, run ${outcome.startedAt} on ${machine}; ${describeLoad(outcome.disturbance)}. The scenario took ${String(Math.round(outcome.disturbance.wallMs / 1000))} s (the whole run ${String(totalSeconds)} s).`,
      `<!-- /scenario:${outcome.name} -->`,
    ].join('\n');
    const pattern = new RegExp(
      `<!-- scenario:${outcome.name} -->[\\s\\S]*?<!-- /scenario:${outcome.name} -->`,
    );
    text = pattern.test(text)
      ? text.replace(pattern, section)
      : `${text.trimEnd()}\n\n${section}\n`;
  }
  // Formatted as `npm test` checks it (prettier --check .), so the file can be committed as is.
  const options = await resolveConfig(fileURLToPath(file));
  await writeFile(file, await format(text, { ...options, parser: 'markdown' }));
}

/** "quiet machine" or how much others used it meanwhile. */
export function describeLoad(disturbance: Disturbance): string {
  if (disturbance.otherCpuPercent === null) return 'machine load unknown';
  const verdict = disturbance.quiet === true ? 'quiet machine' : '**disturbed machine**';
  return `${verdict}: other processes used ${num(disturbance.otherCpuPercent, 1)} % of one core meanwhile, steal ${num(disturbance.stealCpuPercent, 1)} % (the bench ${num(disturbance.benchCpuPercent, 1)} %, interrupts ${num(disturbance.interruptCpuPercent, 1)} %; load average ${num(disturbance.loadAverageBefore)} before)`;
}
