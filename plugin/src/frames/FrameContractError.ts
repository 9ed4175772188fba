/**
 * The query results do not match the data contract. The message names the frame and the missing
 * field, because it is shown to the dashboard author as-is.
 */
export class FrameContractError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FrameContractError';
  }
}
