/** A Markdown table. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  return [
    `| ${headers.join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

/** A number for a table: `n/a` when missing, else with at most `digits` decimals. */
export function num(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
  return value.toLocaleString('en-US', { maximumFractionDigits: digits });
}

/** Bytes in MiB or KiB. */
export function bytes(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
  return Math.abs(value) >= 2 ** 20
    ? `${num(value / 2 ** 20, 1)} MiB`
    : `${num(value / 2 ** 10, 2)} KiB`;
}

/** One line of a targets table: what was asked, what was measured, and whether it was met. */
export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  /** `null` when it could not be measured. */
  readonly met: boolean | null;
}

/** The targets table of a scenario. */
export function targetsTable(checks: readonly TargetCheck[]): string {
  return table(
    ['target', 'measured', 'met'],
    checks.map((check) => [
      check.target,
      check.measured,
      check.met === null ? 'not measured' : check.met ? 'yes' : '**no**',
    ]),
  );
}
