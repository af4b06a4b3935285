/** The code every bad-input error carries (the CLI maps it to exit 2, nothing written). */
export const INPUT_ERROR_CODE = 'WATTSWAP_ERR_INPUT';

/** Where in a file a problem is: 1-based line and column (column = field position, 1 = first field). */
export interface InputErrorLocation {
  file: string;
  line?: number;
  column?: number;
}

/**
 * A bad input file. `message` reads `FILE:LINE:COLUMN: reason` (line and column when known), the
 * form editors and terminals turn into links; the parts are also fields for programs.
 */
export class InputError extends Error {
  readonly code = INPUT_ERROR_CODE;
  readonly file: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly reason: string;
  constructor(where: InputErrorLocation, reason: string) {
    const at = [where.file, where.line, where.line !== undefined ? where.column : undefined].filter((x) => x !== undefined).join(':');
    super(`${at}: ${reason}`);
    this.name = 'InputError';
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
    this.reason = reason;
  }
}
