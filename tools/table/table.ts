/**
 * The one table writer of the tools: aligned plain text for a terminal and
 * Markdown for a pull-request comment, with one escaping rule for Markdown
 * cells (a `|` or a line break in a cell would break the row).
 */

/** One column of a table. */
export interface Column {
  readonly header: string;
  /** Names read best left-aligned, numbers right-aligned; left when absent. */
  readonly align?: 'left' | 'right';
  /**
   * The width of the column in text, when it must be known before the rows
   * are (a table printed row by row as its rows are measured); otherwise the
   * widest of the header and the cells.
   */
  readonly width?: number;
}

/** A text row: each cell padded to its column's width, two spaces apart, no trailing spaces. */
export function textRow(
  columns: readonly Column[],
  cells: readonly string[],
  widths?: readonly number[],
): string {
  return cells
    .map((cell, i) => {
      const width = widths?.[i] ?? columns[i].width ?? columns[i].header.length;
      return columns[i].align === 'right' ? cell.padStart(width) : cell.padEnd(width);
    })
    .join('  ')
    .trimEnd();
}

/** An aligned text table, header first, one line per row. */
export function textTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string[] {
  const widths = columns.map((column, i) =>
    Math.max(column.width ?? 0, column.header.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  return [columns.map((c) => c.header), ...rows].map((row) => textRow(columns, row, widths));
}

/** A Markdown table cell: a `|` is escaped and a line break becomes a space, so the row stays one row. */
export function markdownCell(value: string): string {
  return value.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

/** A Markdown table: header, the alignment row (`---` or `---:`), one line per row. */
export function markdownTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string[] {
  const line = (cells: readonly string[]) => `| ${cells.map(markdownCell).join(' | ')} |`;
  return [
    line(columns.map((c) => c.header)),
    `| ${columns.map((c) => (c.align === 'right' ? '---:' : '---')).join(' | ')} |`,
    ...rows.map(line),
  ];
}
