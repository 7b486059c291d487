/**
 * The error texts dockerd 20.10.24 answers with, word for word (docs/design/docker-engine.md, and
 * probes of a real daemon). `ref` is the id or name exactly as the client wrote it in the path; `id` is
 * the container's full id, which dockerd substitutes in some messages and not in others.
 */
export const DockerMessages = {
  noSuchContainer: (ref: string) => `No such container: ${ref}`,
  noSuchImage: (image: string) => `No such image: ${image}`,
  ambiguousPrefix: (ref: string) => `Multiple IDs found with provided prefix: ${ref}`,
  startPaused: () => "cannot start a paused container, try unpause instead",
  markedForRemoval: () => "container is marked for removal and cannot be started",
  restartFailed: (ref: string, cause: string) => `Cannot restart container ${ref}: ${cause}`,
  notRunning: (id: string) => `Container ${id} is not running`,
  alreadyPaused: (id: string) => `Container ${id} is already paused`,
  restarting: (id: string) => `Container ${id} is restarting, wait until the container is running`,
  notPaused: (id: string) => `Container ${id} is not paused`,
  cannotKill: (ref: string, cause: string) => `Cannot kill container: ${ref}: ${cause}`,
  invalidSignal: (raw: string) => `Invalid signal: ${raw}`,
  removeRunning: (state: string, id: string) => {
    const procedure = "Stop the container before attempting removal or force remove";
    return state === "paused"
      ? `You cannot remove a paused container ${id}. Unpause and then ${procedure.toLowerCase()}`
      : `You cannot remove a ${state} container ${id}. ${procedure}`;
  },
  /** A removal the storage driver could not finish (moby wraps the layer store's error with the id). */
  removalFailed: (id: string) =>
    `container ${id}: driver "overlay2" failed to remove root filesystem: unlinkat /var/lib/docker/overlay2/${id}/merged: device or resource busy`,
  /** A start the runtime failed for a reason outside the container (here: runc's init pipe closed early). */
  startFailed: () =>
    "failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: read init-p: connection reset by peer: unknown",
  removalInProgress: (ref: string) => `removal of container ${ref} is already in progress`,
  nameInUse: (name: string, id: string) =>
    `Conflict. The container name "${name}" is already in use by container "${id}". You have to remove (or rename) that container to be able to reuse that name.`,
  invalidName: (name: string) => `Invalid container name (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`,
  emptyConfig: () => "Config cannot be empty in order to create a container",
  invalidRestartPolicy: (name: string) => `invalid restart policy '${name}'`,
  retryCountNotAllowed: (name: string) => `maximum retry count cannot be used with restart policy '${name}'`,
  retryCountNegative: () => "maximum retry count cannot be negative",
  invalidFilter: (key: string, value?: string) =>
    value === undefined ? `Invalid filter '${key}'` : `Invalid filter '${key}=${value}'`,
  notAnInteger: (text: string) => `strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`,
  sinceAfterUntil: (since: string, until: string) =>
    `\`since\` time (${since}) cannot be after \`until\` time (${until})`,
  versionTooNew: (version: string) =>
    `client version ${version} is too new. Maximum supported API version is 1.41`,
  versionTooOld: (version: string) =>
    `client version ${version} is too old. Minimum supported API version is 1.12, please upgrade your client to a newer version`,
  pageNotFound: () => "page not found",
  logsNoStream: () => "Bad parameters: you must choose at least one stream",
  autoRemoveWithRestart: () => "can't create 'AutoRemove' container with restart policy",
  injectedFault: () => "simulated daemon failure (fault injection): context deadline exceeded",
  unreachable: (socket: string) =>
    `Cannot connect to the Docker daemon at ${socket}. Is the docker daemon running?`,
} as const;
