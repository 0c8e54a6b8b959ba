/** How the connection to Redis stands, in words a user reads. */
export type ConnectionStatus =
  'connected' | 'connecting' | 'reconnecting' | 'disconnected' | 'unresponsive';

/** What was read of Redis at one moment; the input of its health verdict. */
export type RedisSnapshot =
  | {
      readonly reachable: true;
      readonly connectionStatus: ConnectionStatus;
      readonly responseTimeMs: number;
      readonly usedMemoryBytes: number;
      readonly peakMemoryBytes: number;
      /** Redis's `maxmemory`; 0 means no limit is set. */
      readonly maxMemoryBytes: number;
      readonly connectedClients: number;
      readonly uptimeSeconds: number;
      /** The server process's id (INFO `run_id`), new at each restart; absent when not read. */
      readonly runId?: string;
    }
  | {
      readonly reachable: false;
      readonly connectionStatus: ConnectionStatus;
      readonly reason: string;
    };
