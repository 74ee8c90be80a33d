/** Base class of every error Tributary raises on purpose; `code` is stable and safe to branch on. */
export abstract class TributaryError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
