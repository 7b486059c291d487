/**
 * Test doubles for code built on the client: an in-memory Container API whose tests play the
 * controller. Not for production use.
 */
export { FakeContainerApi } from "./fake-container-api.ts";
