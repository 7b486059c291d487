/**
 * TLS for the webhook: generating a CA and serving certificate (or reading external files), deciding
 * when to renew (pure, clock injected), the HTTPS listener that swaps certificates without dropping
 * requests, and the periodic rotation that ties them together. Imports @peculiar/x509 and node/bun only.
 */
export * from "./cert-material.ts";
export * from "./cert-generator.ts";
export * from "./cert-inspection.ts";
export * from "./renewal-policy.ts";
export * from "./cert-store.ts";
export * from "./cert-source.ts";
export * from "./serving-listener.ts";
export * from "./cert-rotation.ts";
