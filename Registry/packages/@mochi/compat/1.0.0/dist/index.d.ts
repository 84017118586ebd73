/** `text` without trailing spaces and tabs. */
export declare function trimEnd(text: string): string;
