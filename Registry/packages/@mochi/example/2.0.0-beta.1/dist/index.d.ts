/** How `formatLine` lays out one line. */
export interface LineOptions {
    /** Width of the right-aligned value column (default 8). */
    width?: number;
    /** Width the label is padded to on the right (default 0: no padding). */
    labelWidth?: number;
    /** Text between label and value (default ": "). */
    separator?: string;
}
/**
 * `label` padded to `labelWidth`, then `value` right-aligned in a column `width` wide.
 * 2.0 breaking change: labels are left-aligned (padEnd, new in @mochi/runtime 1.2.0) and options are an object.
 */
export declare function formatLine(label: string, value: string | number, options?: LineOptions): string;
/** One `formatLine` per entry, labels and values aligned, joined by newlines. */
export declare function formatTable(entries: ReadonlyArray<readonly [string, string | number]>, separator?: string): string;
