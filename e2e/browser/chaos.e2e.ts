/**
 * The chaos page in a real browser: every control is labelled, a short scenario run from the keyboard
 * streams its timeline into the plot, and ends with a passing verdict for every invariant.
 */
import { expect, test } from "@playwright/test";

test("every chaos control has a label", async ({ page }) => {
  await page.goto("/chaos");
  const controls = page.locator("#knobs input, #knobs select");
  expect(await controls.count()).toBeGreaterThanOrEqual(8);
  for (const control of await controls.all()) {
    expect(await control.evaluate((e) => (e as HTMLInputElement).labels?.length ?? 0), await control.evaluate((e) => e.id)).toBeGreaterThan(0);
  }
  await expect(page.getByRole("status")).toHaveText("No run yet.");
});

test("a short scenario runs from the keyboard and shows a passing verdict with its timeline", async ({ page }) => {
  await page.goto("/chaos");
  await expect(page.getByLabel("Scenario", { exact: true })).toContainText("gui-clicks");
  await page.getByLabel("Scenario", { exact: true }).selectOption("gui-clicks");
  await expect(page.locator("#scenario-summary")).toContainText("GUI clicking");
  await page.getByLabel("Seed", { exact: true }).fill("7");
  await page.getByLabel("Containers").fill("2");
  await page.getByLabel("Duration (virtual seconds)").fill("3");
  await page.getByLabel("Controller crashes").selectOption("off");
  await page.getByRole("button", { name: "Run" }).focus();
  await page.keyboard.press("Enter");

  await expect(page.locator("#verdict")).toHaveText(/^PASS/, { timeout: 30_000 });
  await expect(page.getByRole("status")).toContainText("Finished: PASS");
  const rows = page.locator("#invariants tbody tr");
  await expect(rows).toHaveCount(4);
  for (const invariant of ["no-lost-request", "no-duplicate-dispatch", "no-wedge", "truth"]) {
    await expect(page.locator(`#invariants tr[data-invariant="${invariant}"] td`).first()).toHaveText("pass");
  }
  expect(await page.locator("#plot .mark").count()).toBeGreaterThan(0);
  await expect(page.locator("#plot-desc")).toContainText("requests");
  await expect(page.locator('#summary [data-figure="requests"]')).not.toHaveText("0");
  await expect(page.locator("#replay")).toBeHidden();
  await expect(page.getByRole("button", { name: "Run" })).toBeEnabled();
});

test("a failing run shows the broken invariant, its violation and the replay command", async ({ page }) => {
  // The real world does not fail; the server's answers are replaced to show how the page renders one.
  const verdicts = ["no-lost-request", "no-duplicate-dispatch", "no-wedge", "truth"].map((invariant) => ({
    invariant,
    title: invariant,
    pass: invariant !== "truth",
    violations: invariant === "truth" ? [{ subject: "default/0123456789abcdef", detail: "mirror says running, Docker says exited" }] : [],
  }));
  const replay = { file: ".cache/chaos-failures/chaos-page-swarm-seed-9-abcd1234.json", command: "bun run chaos --replay .cache/chaos-failures/chaos-page-swarm-seed-9-abcd1234.json --trace" };
  const summary = { seed: 9, requests: 3, dispatched: 2, succeeded: 1, failed: 0, superseded: 0, lost: 0, duplicated: 0, wedged: 0, untrue: 1, virtualMs: 4_000 };
  const events = [
    ["start", { runId: "r1", knobs: {}, steps: 4, faults: {} }],
    ["tick", { virtualMs: 4_000, events: [{ t: 2_100, lane: "request", mark: "valid", line: "+   2100ms  client   01234567 writes stop" }, { t: 3_000, lane: "crash", mark: "crash", line: "+   3000ms  crash    controller killed" }] }],
    ["done", { verdict: "fail", verdicts, summary, wallMs: 12, replay }],
  ];
  await page.route("**/api/chaos/runs", (route) => route.fulfill({ status: 202, json: { runId: "r1", seed: 9, events: "/api/chaos/runs/r1/events" } }));
  await page.route("**/api/chaos/runs/r1/events", (route) =>
    route.fulfill({ status: 200, headers: { "content-type": "text/event-stream" }, body: events.map(([e, d]) => `event: ${e}\ndata: ${JSON.stringify(d)}\n\n`).join("") }),
  );
  await page.goto("/chaos");
  await page.getByLabel("Scenario", { exact: true }).selectOption("swarm");
  await page.getByRole("button", { name: "Run" }).click();
  await expect(page.locator("#verdict")).toHaveText("FAIL: 1 of 4 invariants broken");
  await expect(page.locator('#invariants tr[data-invariant="truth"]')).toContainText("fail");
  await expect(page.locator('#invariants tr[data-invariant="truth"]')).toContainText("mirror says running, Docker says exited");
  await expect(page.locator("#replay")).toBeVisible();
  await expect(page.locator("#replay-command")).toHaveText(replay.command);
  await expect(page.locator("#plot .crash-line")).toHaveCount(1);
  await expect(page.getByRole("status")).toContainText("Finished: FAIL");
});
