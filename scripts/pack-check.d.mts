export declare const PUBLISHED: string[];
export interface PackCheckResult {
  tarballs: Record<string, number>;
  lint: Record<string, { publint: string; attw: string }>;
  loads: { esm: string; require: string };
  roundTrip: { conversationId: string; reply: string; widget: number; widgetType: string | null; console: number };
  timings: Record<string, number>;
}
export declare function packAndCheck(options?: {
  log?: (line: string) => void;
  keep?: boolean;
}): Promise<PackCheckResult>;
