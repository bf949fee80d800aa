/** The server's configuration after the command line and config file are merged. */
export interface ServerOptions {
  port: number;
  bindIp: string[];
  dbPath: string;
  /** Replica set name (--replSet); standalone when undefined. */
  replSet: string | undefined;
  storageEngine: 'wiredTiger' | 'inMemory';
  logPath: string | undefined;
  /** mongod's parsed options as getCmdLineOpts reports them. */
  parsed: Record<string, unknown>;
  /** --setParameter name=value pairs, as given. */
  setParameters: Record<string, string>;
  argv: string[];
  quiet: boolean;
  /** --profile, --slowms, --slowOpSampleRate (operationProfiling in the config file). */
  operationProfiling?: OperationProfilingOptions;
}

export interface OperationProfilingOptions {
  /** The profiling level every database starts with: 0 off, 1 slow operations, 2 all. */
  mode: 0 | 1 | 2;
  slowOpThresholdMs: number;
  slowOpSampleRate: number;
}
