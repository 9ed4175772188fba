import { appendFile } from 'node:fs/promises';
import { logLines } from './logLine';
import { DeliveryError, type AlertBatch, type ChannelConfig, type Notifier } from './types';

export type LogChannelConfig = Extract<ChannelConfig, { type: 'log' }>;

/** Where the lines go: the process's stdout, or a file appended to. */
export interface LogSink {
  write(text: string): Promise<void>;
}

export const stdoutSink: LogSink = {
  write: (text) =>
    new Promise((resolve, reject) => {
      process.stdout.write(text, (e) => (e ? reject(e) : resolve()));
    }),
};

export function fileSink(path: string): LogSink {
  // One append per batch: O_APPEND keeps concurrent writers (log rotation's copytruncate too)
  // from interleaving inside a line.
  return { write: (text) => appendFile(path, text, { encoding: 'utf8', mode: 0o640 }) };
}

/**
 * Writes each alert event as one JSON line, for log shippers (Vector, Fluent Bit, Promtail)
 * and for demos without Slack. The exporter's own log goes to stderr, so stdout carries only
 * these lines. A failed write (disk full, file removed with its folder) is retried like any
 * delivery.
 */
export class LogNotifier implements Notifier {
  readonly type = 'log';
  readonly channel: string;
  private readonly sink: LogSink;

  constructor(
    private readonly config: LogChannelConfig,
    sink?: LogSink,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.channel = config.name;
    this.sink = sink ?? (config.path ? fileSink(config.path) : stdoutSink);
  }

  async send(batch: AlertBatch): Promise<void> {
    if (batch.events.length === 0) throw new DeliveryError(`log channel \`${this.channel}\`: batch ${batch.deliveryId} has no events`, false);
    try {
      await this.sink.write(logLines(batch, this.now()).join('\n') + '\n');
    } catch (e) {
      throw new DeliveryError(`log channel \`${this.channel}\`: cannot write ${this.config.path ?? 'stdout'}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, true);
    }
  }
}
