/** `label` followed by `value` right-aligned in a column `width` wide: `formatLine("total", 42, 8)` is "total:       42". */
export declare function formatLine(label: string, value: string | number, width?: number): string;
/** One `formatLine` per entry, values aligned to the widest one, joined by newlines. */
export declare function formatTable(entries: ReadonlyArray<readonly [string, string | number]>): string;
