/**
 * The part of Docker's `GET /containers/{id}/json` answer a mirror is built from. Plain data: adapters
 * pass Docker's JSON through, and only these fields are read.
 */
export interface DockerInspect {
  Id: string;
  Name: string;
  Created?: string;
  Path: string;
  Args?: string[] | null;
  Image: string;
  Config?: { Image?: string; Labels?: Record<string, string> | null } | null;
  State: {
    Status: string;
    Running: boolean;
    Paused: boolean;
    Restarting: boolean;
    Pid?: number;
    ExitCode?: number;
    Error?: string;
    StartedAt?: string;
    FinishedAt?: string;
  };
  NetworkSettings?: { Ports?: Record<string, Array<{ HostIp: string; HostPort: string }> | null> | null } | null;
}
