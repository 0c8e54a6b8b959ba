const units = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** Bytes as a short readable figure in binary units, e.g. `45.2MB` (1 MB = 1024 KB). */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 ? 0 : 1;
  return `${value.toFixed(digits)}${units[unit] ?? 'B'}`;
}
