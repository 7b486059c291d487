/**
 * Action requests: reading the request slot (action + optional request id) from annotations, and
 * deciding whether lastAction already records a request. Imports only api/.
 */
export * from "./action-request.ts";
