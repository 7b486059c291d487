/**
 * The containers page in a real browser against the whole stack: every action button changes what the
 * page shows, a request is visibly in progress until its outcome arrives, and a refused action shows
 * Docker's reason. Each test runs its own container on the simulated engine (through the control API).
 */
import { expect, test, type APIRequestContext, type Locator, type Page } from "@playwright/test";
import { CONTROL_URL } from "./stack-under-test.ts";

/** `docker run -d` on the simulated engine; the name is unique per run of the suite. */
async function runContainer(request: APIRequestContext, prefix: string, options: { init?: boolean; stopTimeoutS?: number } = {}): Promise<string> {
  const name = `${prefix}-${Date.now().toString(36)}`;
  const response = await request.post(`${CONTROL_URL}/docker/containers`, { data: { name, ...options } });
  expect(response.status(), await response.text()).toBe(201);
  return name;
}

async function setEngineLatency(request: APIRequestContext, ms: number): Promise<void> {
  const response = ms === 0 ? await request.delete(`${CONTROL_URL}/docker/faults`) : await request.post(`${CONTROL_URL}/docker/faults`, { data: { engineLatencyMsMin: ms, engineLatencyMsMax: ms } });
  expect(response.status(), await response.text()).toBe(200);
}

/** The row of container `name`, once the live view shows it running. */
async function rowOf(page: Page, name: string): Promise<Locator> {
  await page.goto("/");
  const row = page.locator(`#containers tbody tr[data-name="${name}"]`);
  await expect(row.locator("td.status")).toHaveText("running");
  await expect(page.locator("#connection")).toContainText("Live");
  return row;
}

const button = (row: Locator, action: string, name: string) => row.getByRole("button", { name: `${action} ${name}`, exact: true });

test.afterEach(async ({ request }) => {
  await setEngineLatency(request, 0);
});

test("each action button changes the shown status and last action", async ({ page, request }) => {
  const name = await runContainer(request, "e2e-actions");
  const row = await rowOf(page, name);
  // The image as `docker ps` shows it, not the image ID.
  await expect(row.locator("td.image")).toHaveText("local/busybox:latest");
  const steps: Array<[action: string, status: string]> = [
    ["Stop", "exited"],
    ["Start", "running"],
    ["Pause", "paused"],
    ["Unpause", "running"],
    ["Restart", "running"],
  ];
  for (const [action, status] of steps) {
    await button(row, action, name).click();
    await expect(row.locator("td.last-action")).toContainText(`${action.toLowerCase()}: Succeeded`);
    await expect(row.locator("td.status")).toHaveText(status);
    await expect(row).toHaveAttribute("aria-busy", "false");
    await expect(page.locator("#announce")).toContainText(`${action.toLowerCase()} ${name}: Succeeded`);
  }
});

test("a slow stop shows the in-progress indicator until its outcome arrives", async ({ page, request }) => {
  // No init: `sleep` as PID 1 ignores SIGTERM, so the stop waits out the 3 s grace period.
  const name = await runContainer(request, "e2e-slow", { init: false, stopTimeoutS: 3 });
  const row = await rowOf(page, name);
  await button(row, "Stop", name).click();
  const busy = row.locator(".in-progress");
  await expect(busy).toBeVisible();
  await expect(busy).toContainText("Stopping");
  await expect(row).toHaveAttribute("aria-busy", "true");
  await expect(button(row, "Start", name)).toBeDisabled();
  // The request is really pending on the server: the annotation is still there.
  await expect.poll(async () => (await pendingOf(request, name))?.action ?? null).toBe("stop");
  await expect(busy).toBeHidden({ timeout: 20_000 });
  await expect(row.locator("td.status")).toHaveText("exited");
  await expect(row.locator("td.last-action")).toContainText("stop: Succeeded");
  expect(await pendingOf(request, name)).toBeNull();
});

test("Docker latency injected through the control API keeps a pause visibly in progress", async ({ page, request }) => {
  const name = await runContainer(request, "e2e-latency");
  const row = await rowOf(page, name);
  await setEngineLatency(request, 1_500);
  await button(row, "Pause", name).click();
  await expect(row.locator(".in-progress")).toContainText("Pausing");
  await expect(row.locator(".in-progress")).toBeHidden({ timeout: 20_000 });
  await expect(row.locator("td.last-action")).toContainText("pause: Succeeded");
  await expect(row.locator("td.status")).toHaveText("paused");
});

test("Pause on a container that stopped meanwhile shows Failed with Docker's reason", async ({ page, request }) => {
  const name = await runContainer(request, "e2e-refused");
  const row = await rowOf(page, name);
  // The engine answers slowly, and the container's process exits right after the click: by the time
  // the controller's pause reaches Docker, the container is stopped.
  await setEngineLatency(request, 2_000);
  await button(row, "Pause", name).click();
  const exit = await request.post(`${CONTROL_URL}/docker/containers/${name}/exit`, { data: { code: 1 } });
  expect(exit.status(), await exit.text()).toBe(200);
  const last = row.locator("td.last-action");
  await expect(last).toContainText("pause: Failed", { timeout: 20_000 });
  await expect(last.locator(".error")).toContainText("not running");
  await expect(row.locator("td.status")).toHaveText("exited", { timeout: 20_000 });
  await expect(page.locator("#announce")).toContainText("pause");
});

async function pendingOf(request: APIRequestContext, name: string): Promise<{ action: string } | null> {
  const rows = (await (await request.get("/api/containers")).json()) as Array<{ name: string; pending: { action: string } | null }>;
  return rows.find((r) => r.name === name)?.pending ?? null;
}
