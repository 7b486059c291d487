/**
 * CPU time this process has used (user + system), in ms. On a shared machine it is a steadier measure of
 * cost than wall time, which also counts the time the process waited for a CPU.
 */
export function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
