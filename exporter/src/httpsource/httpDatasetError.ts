import { redact } from '../alerts/redact';

/**
 * Why an HTTP dataset could not be read. The message is redacted as it is made: values that came
 * from the environment (tokens in headers, keys in the URL or body) never reach a result, a log
 * line or a metric, even when the API echoes them back.
 */
export class HttpDatasetError extends Error {
  constructor(message: string, secrets: readonly string[]) {
    super(redact(message, secrets));
    this.name = 'HttpDatasetError';
  }
}
