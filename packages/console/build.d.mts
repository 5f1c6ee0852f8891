export const DIST: string;
export const SHIPPED_FILES: string[];
export function buildConsole(): Promise<void>;
