/** The regression scenarios: the exact runs that showed each bug found, replayed by CI. */
export { REGRESSIONS, type Regression } from "./regression-scenarios.ts";
