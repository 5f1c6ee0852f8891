export declare const BUDGET: { loaderGzipBytes: number; totalGzipBytes: number };
export interface FileSize {
  name: string;
  min_bytes: number;
  gzip_bytes: number;
  brotli_bytes: number;
}
export declare function widgetSizes(): {
  files: FileSize[];
  loader_gzip_bytes: number;
  total_gzip_bytes: number;
  total_brotli_bytes: number;
  budget: { loader_gzip_bytes: number; total_gzip_bytes: number };
};
