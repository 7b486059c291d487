import { describe, expect, test } from "bun:test";
import { runScenario } from "../../properties/world-property.ts";
import { REGRESSIONS } from "./regression-scenarios.ts";

describe("regression scenarios: every bug found stays fixed", () => {
  for (const regression of REGRESSIONS) {
    test(`${regression.name}: ${regression.fix}`, async () => {
      const { result, world } = await runScenario(regression.scenario);
      const problems = result.violations.map((v) => `${v.invariant}: ${v.detail}`);
      expect(problems.length === 0 ? [] : [...problems, world.timeline(result.startMs)]).toEqual([]);
    });
  }
});
