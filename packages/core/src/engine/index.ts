/**
 * The engine port (what the protocol may ask of Docker) and the mapping of Docker's answers to reply
 * kinds. Imports only api/.
 */
export * from "./container-engine.ts";
export * from "./docker-reply.ts";
