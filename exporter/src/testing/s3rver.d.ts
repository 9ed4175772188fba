// s3rver ships no types; only what testing/s3Server.ts uses.
declare module 's3rver' {
  interface KoaContext {
    method: string;
    path: string;
    querystring: string;
  }
  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory: string;
    resetOnClose?: boolean;
  }
  class S3rver {
    constructor(options: S3rverOptions);
    /** Koa's middleware stack: the first runs first. */
    middleware: ((ctx: KoaContext, next: () => Promise<void>) => Promise<void>)[];
    run(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
  }
  export = S3rver;
}
