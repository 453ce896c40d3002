/** A dataset materialised for one trial: features row-major, labels as class indices. */
export interface Dataset {
  /** Family name, e.g. 'spirals'. */
  name: string;
  features: number;
  /** Number of classes; 2 means a single sigmoid output. */
  classes: number;
  trainSize: number;
  testSize: number;
  /** trainSize × features, row-major. */
  xTrain: Float32Array;
  /** trainSize class indices in [0, classes). */
  yTrain: Int32Array;
  xTest: Float32Array;
  yTest: Int32Array;
}

/** Raised for a dataset request that cannot be met (too many examples, missing file or column). */
export class DatasetError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
    this.name = 'DatasetError';
  }
}
