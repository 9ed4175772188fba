/** Where a command writes; the real process streams in production, buffers in tests. */
export interface CommandIO {
  out(text: string): void;
  err(text: string): void;
  /** Whether stderr is an interactive terminal (colours, progress). */
  color: boolean;
}

export const processIO: CommandIO = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
  color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
};
