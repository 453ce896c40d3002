/** A mistake in an experiment file: names the file, the path inside it, and what was expected. */
export class ExperimentError extends Error {
  constructor(readonly file: string, readonly field: string, readonly detail: string) {
    super(field ? `${file}: ${field}: ${detail}` : `${file}: ${detail}`);
    this.name = 'ExperimentError';
  }
}
