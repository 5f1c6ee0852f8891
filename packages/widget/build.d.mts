export declare function buildWidget(options?: { quiet?: boolean }): Promise<void>;
export declare const SHIPPED_FILES: string[];
export declare const DIST: string;
export declare const TRANSLATIONS: string[];
