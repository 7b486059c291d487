import { describe, expect, test } from "bun:test";
import { faultOptions, NO_FAULTS, onWrites } from "./fault-options.ts";

describe("fault options", () => {
  test("onWrites: the same chance on every write verb, none on reads", () => {
    expect(onWrites([1, 10])).toEqual({ create: [1, 10], update: [1, 10], patch: [1, 10], delete: [1, 10] });
  });

  test("a knob a save leaves out is off", () => {
    expect(faultOptions({ watchLagMsMax: 50 })).toEqual({ ...NO_FAULTS, watchLagMsMax: 50 });
    expect(faultOptions(undefined)).toEqual(NO_FAULTS);
  });

  test("an old save's apiFaultChance loads as the wire's 500 on every write, half applied", () => {
    const loaded = faultOptions({ apiFaultChance: [1, 50] } as Parameters<typeof faultOptions>[0]);
    expect(loaded).toEqual({ ...NO_FAULTS, apiInternalErrorChance: onWrites([1, 50]), apiInternalErrorAppliedChance: [1, 2] });
    expect("apiFaultChance" in loaded).toBe(false);
  });

  test("a save that wrote every knob keeps its own per-verb chances and applied chance; NEVER applied meant nothing then", () => {
    const full = { ...NO_FAULTS, apiFaultChance: [1, 4] as const, apiInternalErrorChance: { get: [1, 3] as const, patch: [1, 2] as const } };
    expect(faultOptions(full).apiInternalErrorChance).toEqual({ ...onWrites([1, 4]), get: [1, 3], patch: [1, 2] });
    expect(faultOptions(full).apiInternalErrorAppliedChance).toEqual([1, 2]);
    expect(faultOptions({ ...full, apiInternalErrorAppliedChance: [1, 5] }).apiInternalErrorAppliedChance).toEqual([1, 5]);
  });

  test("apiFaultChance off loads as no fault at all", () => {
    expect(faultOptions({ ...NO_FAULTS, apiFaultChance: [0, 1] } as Parameters<typeof faultOptions>[0])).toEqual(NO_FAULTS);
  });
});
