/** A report request that can't be met as given: a bad name, no inputs, a missing CSV. The CLI prints it in one line, exit 2. */
export class ReportError extends Error {
  override name = 'ReportError';
}
