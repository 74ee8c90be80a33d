/** How a cost or rate grows with the work: one row per step (stream length, events per append, instances). */
export interface Series {
  readonly name: string;
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number)[])[];
  readonly note?: string;
}
