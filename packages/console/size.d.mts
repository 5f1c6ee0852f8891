export declare const BUDGET: { totalGzipBytes: number };
export declare function consoleSizes(): {
  files: { name: string; min_bytes: number; gzip_bytes: number }[];
  total_gzip_bytes: number;
  budget: { total_gzip_bytes: number };
};
