/** Progress for long copies: a redrawn bar on a terminal, a line every 25 % otherwise (CI logs). */
export type TProgress = { update(done: number): void; finish(): void };

export function createProgress(label: string, total: number, out: NodeJS.WriteStream = process.stderr): TProgress {
  let lastQuarter = -1;
  const mb = (n: number) => (n / 1e6).toFixed(1);
  return {
    update(done) {
      const ratio = total > 0 ? Math.min(1, done / total) : 0;
      if (out.isTTY) {
        const width = 30;
        const filled = Math.round(ratio * width);
        out.write(`\r  ${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${mb(done)}/${mb(total)} MB`);
        return;
      }
      const quarter = Math.floor(ratio * 4);
      if (quarter > lastQuarter) {
        lastQuarter = quarter;
        out.write(`  ${label} ${quarter * 25}% (${mb(done)}/${mb(total)} MB)\n`);
      }
    },
    finish() {
      if (out.isTTY) out.write('\n');
    },
  };
}
